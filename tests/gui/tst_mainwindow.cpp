// The console's main window on the sample cluster, offscreen: the tree of domains, sub-domains
// and nodes, details of a node, findings after a broken file, selection kept across a reload.
#include "mainwindow.h"
#include "findingspanel.h"
#include "nodedetailspanel.h"
#include "nodeeditdialog.h"

#include "cluster/clusterworkspace.h"
#include "itemmodels/clustertreemodel.h"
#include "itemmodels/findingsmodel.h"

#include "../common/testsupport.h"

#include <algorithm>

#include <QAbstractButton>
#include <QAbstractItemModel>
#include <QLabel>
#include <QApplication>
#include <QLineEdit>
#include <QMessageBox>
#include <QTimer>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTextBlock>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QClipboard>
#include <QKeySequence>
#include <QAction>
#include <QTest>
#include <QTreeView>

using namespace Tribune;

namespace {

QStringList childNames(const QAbstractItemModel *model, const QModelIndex &parent)
{
    QStringList names;
    for (int row = 0; row < model->rowCount(parent); ++row)
        names.append(model->index(row, 0, parent).data().toString());
    return names;
}

QModelIndex childNamed(const QAbstractItemModel *model, const QModelIndex &parent, const QString &prefix)
{
    for (int row = 0; row < model->rowCount(parent); ++row) {
        const QModelIndex index = model->index(row, 0, parent);
        if (index.data().toString().startsWith(prefix))
            return index;
    }
    return {};
}

bool detailsShow(const QWidget *window, const QString &text)
{
    const auto *details = window->findChild<NodeDetailsPanel *>();
    return details && details->plainText().contains(text);
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void showsTheClusterTree();
    void showsNodeDetails();
    void findingsAppearAndSelectionSurvivesReload();
    void findingOpensItsFileAndFixOpensTheForm();
    void malformedXmlIsAFindingAtLineAndColumn();
    void commonActionsHaveStandardShortcuts();
    void copyPutsTheSelectedRowsOnTheClipboard();
    void screenshot();
    void remembersWhereItWasAndHasHelp();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestMainWindow::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    // The window's place goes to settings of this test's own.
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir->path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir->path());
    QVERIFY(TestSupport::copyTree(TestSupport::sampleCluster(), m_dir->path() + QLatin1String("/sample-cluster")));
}

void TestMainWindow::showsTheClusterTree()
{
    ClusterWorkspace workspace;
    MainWindow window(&workspace);
    window.show();
    QVERIFY(workspace.open({m_dir->path() + QLatin1String("/sample-cluster")}));
    const QAbstractItemModel *model = window.clusterTree()->model();
    QCOMPARE(model->rowCount(), 1);
    const QModelIndex cluster = model->index(0, 0);
    QCOMPARE(cluster.data().toString(), QStringLiteral("sample-cluster"));
    const QStringList top = childNames(model, cluster);
    QCOMPARE(top, (QStringList{QStringLiteral("wso2.esb.domain (4)"), QStringLiteral("wso2.governance.domain (3)"),
                               QStringLiteral("Load balancer (1)")}));
    const QModelIndex esb = childNamed(model, cluster, QStringLiteral("wso2.esb.domain"));
    QCOMPARE(childNames(model, esb), (QStringList{QStringLiteral("mgt (1)"), QStringLiteral("worker (3)")}));
    const QModelIndex workers = childNamed(model, esb, QStringLiteral("worker"));
    QCOMPARE(childNames(model, workers),
             (QStringList{QStringLiteral("esb-worker1"), QStringLiteral("esb-worker2"), QStringLiteral("esb-worker3")}));
    const QModelIndex worker3 = model->index(2, 0, workers);
    QCOMPARE(worker3.siblingAtColumn(ClusterTreeModel::HostColumn).data().toString(), QStringLiteral("127.0.0.2"));
    QCOMPARE(worker3.siblingAtColumn(ClusterTreeModel::HttpColumn).data().toInt(), 9766);
    QCOMPARE(worker3.siblingAtColumn(ClusterTreeModel::FindingsColumn).data().toString(), QStringLiteral("OK"));
    QVERIFY(window.clusterTree()->isExpanded(workers));
}

void TestMainWindow::showsNodeDetails()
{
    ClusterWorkspace workspace;
    MainWindow window(&workspace);
    window.show();
    QVERIFY(workspace.open({m_dir->path() + QLatin1String("/sample-cluster")}));
    QVERIFY(window.selectNode(QStringLiteral("esb-manager")));
    QTRY_VERIFY(detailsShow(&window, QStringLiteral("80 → 9764, 443 → 9444")));
    QTRY_VERIFY(detailsShow(&window, QStringLiteral("127.0.0.1:4001")));
    QTRY_VERIFY(detailsShow(&window, QStringLiteral("mysql://127.0.0.1:3306/registry_local1")));
}

void TestMainWindow::findingsAppearAndSelectionSurvivesReload()
{
    ClusterWorkspace workspace;
    MainWindow window(&workspace);
    window.show();
    const QString root = m_dir->path() + QLatin1String("/sample-cluster");
    QVERIFY(workspace.open({root}));
    QVERIFY(window.selectNode(QStringLiteral("esb-worker2")));

    const QString carbon = root + QLatin1String("/esb-worker2/repository/conf/carbon.xml");
    QVERIFY(TestSupport::replaceInFile(carbon, "<Offset>2</Offset>", "<Offset>1</Offset>"));

    QVERIFY(workspace.reload());
    const QModelIndex current = window.clusterTree()->currentIndex();
    QCOMPARE(current.data(ClusterTreeModel::NodeNameRole).toString(), QStringLiteral("esb-worker2"));
    QCOMPARE(current.siblingAtColumn(ClusterTreeModel::FindingsColumn).data().toString(),
             QStringLiteral("1 error"));
    const QTableView *findings = window.findChild<QTableView *>();
    QVERIFY(findings);
    // The worker's error and a note on the manager it clashes with.
    QCOMPARE(findings->model()->rowCount(), 2);
    QTRY_VERIFY(detailsShow(&window, QStringLiteral("on server 127.0.0.1, node esb-manager listens on the same ports")));
}

void TestMainWindow::malformedXmlIsAFindingAtLineAndColumn()
{
    ClusterWorkspace workspace;
    MainWindow window(&workspace);
    window.show();
    const QString root = m_dir->path() + QLatin1String("/sample-cluster");
    const QString carbon = root + QLatin1String("/esb-worker2/repository/conf/carbon.xml");
    QVERIFY(TestSupport::replaceInFile(carbon, "<Offset>2</Offset>", "<Offset>1</Offset>"));
    QVERIFY(workspace.open({root}));
    auto *table = window.findChild<QTableView *>();
    QCOMPARE(table->model()->rowCount(), 2); // the port clash, found in the files as they were

    // A tag left open: the clash found before no longer holds; the file that cannot be read does.
    QVERIFY(TestSupport::replaceInFile(carbon, "<Offset>1</Offset>", "<Offset>1</Ofset>"));
    QVERIFY(!workspace.reload());
    QTRY_COMPARE(table->model()->rowCount(), 1);
    const QModelIndex broken = table->model()->index(0, FindingsModel::LocationColumn);
    const QString location = broken.data().toString();
    QVERIFY2(QRegularExpression(QStringLiteral("carbon\\.xml:[1-9][0-9]*:[1-9][0-9]*$")).match(location).hasMatch(), qPrintable(location));
    QCOMPARE(broken.data(FindingsModel::FilePathRole).toString(), carbon);
    QCOMPARE(broken.data(FindingsModel::NodeNameRole).toString(), QStringLiteral("esb-worker2"));
    // The tree counts it on its node, not the stale clash.
    QVERIFY(window.selectNode(QStringLiteral("esb-worker2")));
    QCOMPARE(window.clusterTree()->currentIndex().siblingAtColumn(ClusterTreeModel::FindingsColumn).data().toString(),
             QStringLiteral("1 error"));
    QVERIFY(window.selectNode(QStringLiteral("esb-manager")));
    const QString manager = window.clusterTree()->currentIndex().siblingAtColumn(ClusterTreeModel::FindingsColumn).data().toString();
    QVERIFY2(!manager.contains(QLatin1String("error")) && !manager.contains(QLatin1String("warning")), qPrintable(manager));
    QVERIFY(broken.data(FindingsModel::LineRole).toInt() > 0);
    // The whole text of the selected finding shows under the table.
    auto *panel = window.findChild<FindingsPanel *>();
    table->setCurrentIndex(broken);
    QVERIFY2(panel->detailsText().startsWith(location), qPrintable(panel->detailsText()));
    QVERIFY(panel->detailsText().contains(QLatin1String("reload")));
    // The window says so without stopping the user (no modal box to click away).
    auto *box = window.findChild<QMessageBox *>(QStringLiteral("loadFailure"));
    QVERIFY(box && box->isVisible());
    QCOMPARE(box->windowModality(), Qt::NonModal);
    box->close();

    // Fixed and reloaded: the findings are the validator's again.
    QVERIFY(TestSupport::replaceInFile(carbon, "<Offset>1</Ofset>", "<Offset>2</Offset>"));
    QVERIFY(workspace.reload());
    QTRY_COMPARE(table->model()->rowCount(), 0);
}

void TestMainWindow::findingOpensItsFileAndFixOpensTheForm()
{
    ClusterWorkspace workspace;
    MainWindow window(&workspace);
    window.resize(1280, 800);
    window.show();
    const QString root = m_dir->path() + QLatin1String("/sample-cluster");
    QVERIFY(TestSupport::replaceInFile(root + QLatin1String("/esb-worker2/repository/conf/carbon.xml"), "<Offset>2</Offset>",
                                       "<Offset>1</Offset>"));
    QVERIFY(workspace.open({root}));
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *table = window.findChild<QTableView *>();
    QModelIndex worker2;
    for (int row = 0; row < table->model()->rowCount(); ++row) {
        const QModelIndex index = table->model()->index(row, FindingsModel::MessageColumn);
        if (index.data(FindingsModel::NodeNameRole).toString() == u"esb-worker2")
            worker2 = index;
    }
    QVERIFY(worker2.isValid());
    const int line = worker2.data(FindingsModel::LineRole).toInt();
    QVERIFY(line > 0);

    // Double-click: the node's file, the cursor on the finding's line.
    table->scrollTo(worker2);
    // An item view takes a double-click as the second press of two.
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(worker2).center());
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(worker2).center());
    NodeEditDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window.findChild<NodeEditDialog *>()) && dialog->isVisible());
    QCOMPARE(dialog->findChild<QTabWidget *>(QStringLiteral("editTabs"))->currentIndex(), int(NodeEditDialog::FilesTab));
    auto *raw = dialog->findChild<QPlainTextEdit *>(QStringLiteral("rawEditor"));
    QCOMPARE(raw->textCursor().blockNumber() + 1, line);
    QVERIFY(raw->textCursor().block().text().contains(QLatin1String("<Offset>1</Offset>")));
    dialog->close();
    QTRY_VERIFY(!window.findChild<NodeEditDialog *>());

    // Fix…: the form's field for the setting written there; a folder's node plans, does not push.
    emit window.findChild<FindingsPanel *>()->fixRequested(QStringLiteral("esb-worker2"),
                                                           worker2.data(FindingsModel::FilePathRole).toString(), line);
    QTRY_VERIFY((dialog = window.findChild<NodeEditDialog *>()) && dialog->isVisible());
    auto *offset = dialog->findChild<QLineEdit *>(QStringLiteral("setting:Offset"));
    QVERIFY(offset);
    QCOMPARE(dialog->findChild<QTabWidget *>(QStringLiteral("editTabs"))->currentIndex(), int(NodeEditDialog::SettingsTab));
    QCOMPARE(offset->text(), QStringLiteral("1"));
    QCOMPARE(offset->selectedText(), QStringLiteral("1"));
    QTest::keyClicks(offset, QStringLiteral("2")); // the offset it had: the collision is gone
    const auto *verdict = dialog->findChild<QLabel *>(QStringLiteral("editVerdict"));
    QTRY_VERIFY2(verdict->text().contains(QLatin1String("The cluster stays clean"))
                     && verdict->text().contains(QLatin1String("not the running cluster's")),
                 qPrintable(verdict->text()));
    QVERIFY(!dialog->findChild<QAbstractButton *>(QStringLiteral("pushEdit"))->isEnabled());
    // Closing with a change not pushed asks first; Discard closes.
    bool asked = false;
    QTimer::singleShot(0, this, [&asked] {
        if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
            asked = box->text().contains(QLatin1String("have not been pushed"));
            box->button(QMessageBox::Discard)->click();
        }
    });
    dialog->close();
    QVERIFY(asked);
    QTRY_VERIFY(!window.findChild<NodeEditDialog *>());
}

void TestMainWindow::commonActionsHaveStandardShortcuts()
{
    ClusterWorkspace workspace;
    MainWindow window(&workspace);
    const QList<QAction *> actions = window.findChildren<QAction *>();
    // Each common action has the platform's keys for it (all of them), whatever they are here.
    const auto hasStandardKeys = [&actions](const QString &text, QKeySequence::StandardKey key) {
        const QList<QKeySequence> bindings = QKeySequence::keyBindings(key);
        return std::any_of(actions.cbegin(), actions.cend(), [&](const QAction *action) {
            return action->text() == text && action->shortcuts() == bindings;
        });
    };
    const std::pair<const char *, QKeySequence::StandardKey> expected[] = {
        {"&Open Cluster Folder…", QKeySequence::Open}, {"&Reload and Validate", QKeySequence::Refresh},
        {"&Add a Node…", QKeySequence::New},          {"E&xport Snapshot…", QKeySequence::Save},
        {"&Preferences…", QKeySequence::Preferences}, {"&Quit", QKeySequence::Quit},
        {"F&ull Screen", QKeySequence::FullScreen},    {"&Documentation", QKeySequence::HelpContents},
    };
    for (const auto &[text, key] : expected)
        QVERIFY2(hasStandardKeys(QString::fromUtf8(text), key), text);
}

void TestMainWindow::copyPutsTheSelectedRowsOnTheClipboard()
{
    ClusterWorkspace workspace;
    MainWindow window(&workspace);
    window.show();
    const QString root = m_dir->path() + QLatin1String("/sample-cluster");
    QVERIFY(TestSupport::replaceInFile(root + QLatin1String("/esb-worker2/repository/conf/carbon.xml"),
                                       "<Offset>2</Offset>", "<Offset>1</Offset>"));
    QVERIFY(workspace.open({root}));
    auto *findings = window.findChild<QTableView *>();
    QVERIFY(findings);
    QTRY_COMPARE(findings->model()->rowCount(), 2);
    findings->selectAll();
    auto *copy = findings->findChild<QAction *>(QStringLiteral("copyRowsAction"));
    QVERIFY(copy);
    QCOMPARE(copy->shortcut(), QKeySequence(QKeySequence::Copy));
    QApplication::clipboard()->clear();
    copy->trigger();
    const QStringList lines = QApplication::clipboard()->text().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 2);
    for (const QString &line : lines)
        QVERIFY2(line.count(QLatin1Char('\t')) >= 2, qPrintable(line));
    QVERIFY2(lines.join(QLatin1Char('\n')).contains(QLatin1String("esb-worker2")), qPrintable(lines.join(QLatin1Char('\n'))));
}

void TestMainWindow::screenshot()
{
    // A picture of the console on the sample cluster with one problem, for the README.
    ClusterWorkspace workspace;
    MainWindow window(&workspace);
    window.resize(1280, 800);
    window.show();
    const QString root = m_dir->path() + QLatin1String("/sample-cluster");
    const QString registry = root + QLatin1String("/esb-worker3/repository/conf/registry.xml");
    QVERIFY(TestSupport::replaceInFile(registry, "<readOnly>true</readOnly>", "<readOnly>false</readOnly>"));
    QVERIFY(workspace.open({root}));
    QVERIFY(window.selectNode(QStringLiteral("esb-worker3")));
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QString path = QStringLiteral(TRIBUNE_SCREENSHOT_DIR "/tribune-console.png");
    QVERIFY(window.grab().save(path));
    qInfo("screenshot: %s", qPrintable(path));
}

void TestMainWindow::remembersWhereItWasAndHasHelp()
{
    QVERIFY(QSettings().fileName().startsWith(m_dir->path()));
    ClusterWorkspace workspace;
    {
        MainWindow window(&workspace);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.resize(1000, 640);
        QTRY_COMPARE(window.size(), QSize(1000, 640));
        window.close();
    }
    MainWindow again(&workspace);
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    QCOMPARE(again.size(), QSize(1000, 640));
    // Help: About, and the local documentation, which this tree has.
    QVERIFY(again.findChild<QAction *>(QStringLiteral("aboutAction")));
    QVERIFY(again.findChild<QAction *>(QStringLiteral("documentationAction")));
    QVERIFY(MainWindow::documentationPath().endsWith(QLatin1String("/README.md")));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
