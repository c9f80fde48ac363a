// The Configure dialog against a real small cluster (agents on loopback): opened from the live
// tree's member, a colliding membership port typed in the form keeps Push disabled with the
// reason; a host name changed on two workers of the sub-domain at once (one plan) reaches both
// nodes' files; the raw view's edit shows in the diff, side by side too; the backup the push made
// rolls the node back byte for byte, and the form follows the node's files after each change.
#include "diffview.h"
#include "liveview.h"
#include "mainwindow.h"
#include "nodeeditdialog.h"

#include "consoleoncluster.h"

#include "cluster/clusterworkspace.h"
#include "live/liveclustermodel.h"
#include "live/livesession.h"

#include "../common/screenshot.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>
#include <QTreeWidget>

using namespace Tribune;
using TestSupport::saveShot;

namespace {

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void type(QLineEdit *field, const QString &text)
{
    field->setFocus();
    field->selectAll();
    QTest::keyClicks(field, text);
}

} // namespace

class TestNodeEditDialog : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void editsPushesAndRollsBack();
};

void TestNodeEditDialog::editsPushesAndRollsBack()
{
    ConsoleOnCluster console({QStringLiteral("esb-manager"), QStringLiteral("esb-worker1"), QStringLiteral("esb-worker2")});
    QString error;
    QVERIFY2(console.start(&error, false), qPrintable(error));
    AgentCluster &cluster = console.cluster;
    MainWindow &window = *console.window;
    const QString carbon = QStringLiteral("/repository/conf/carbon.xml");
    const QByteArray worker2Before = readFile(cluster.home(QStringLiteral("esb-worker2")) + carbon);
    QVERIFY(worker2Before.contains("<HostName>worker.esb.wso2.com</HostName>"));
    const QString worker2 = cluster.memberId(QStringLiteral("esb-worker2"));

    // Configure… on the member: the running cluster's files are read, then the dialog opens.
    emit window.liveView()->configureRequested(worker2);
    NodeEditDialog *dialog = nullptr;
    QVERIFY(QTest::qWaitFor([&] { return (dialog = window.findChild<NodeEditDialog *>()) && dialog->isVisible(); }, 10000));
    QCOMPARE(dialog->node(), QStringLiteral("esb-worker2"));
    auto *push = dialog->findChild<QAbstractButton *>(QStringLiteral("pushEdit"));
    auto *verdict = dialog->findChild<QLabel *>(QStringLiteral("editVerdict"));
    auto *status = dialog->findChild<QLabel *>(QStringLiteral("editStatus"));
    auto *tabs = dialog->findChild<QTabWidget *>(QStringLiteral("editTabs"));
    const auto field = [&](const QString &key) { return dialog->findChild<QLineEdit *>(QLatin1String("setting:") + key); };
    QVERIFY(push && verdict && status && tabs && field(QStringLiteral("HostName")));
    QVERIFY(!push->isEnabled()); // nothing changed yet
    QCOMPARE(field(QStringLiteral("HostName"))->text(), QStringLiteral("worker.esb.wso2.com"));
    QCOMPARE(field(QStringLiteral("localMemberPort"))->text(), QString::number(cluster.memberPort(QStringLiteral("esb-worker2"))));
    // Backups come from the node's agent: none yet, as it says.
    auto *backups = dialog->findChild<QTreeWidget *>(QStringLiteral("backupList"));
    QTRY_COMPARE(backups->topLevelItemCount(), 1);
    QVERIFY(backups->topLevelItem(0)->text(3).startsWith(QLatin1String("No backups yet")));
    saveShot(dialog, QStringLiteral("edit-1-settings.png"));

    // A membership port the manager has: Push stays disabled, and the verdict says why.
    type(field(QStringLiteral("localMemberPort")), QString::number(cluster.memberPort(QStringLiteral("esb-manager"))));
    QTRY_VERIFY(verdict->text().contains(QLatin1String("Push is disabled")));
    QVERIFY(!push->isEnabled());
    type(field(QStringLiteral("localMemberPort")), QString::number(cluster.memberPort(QStringLiteral("esb-worker2"))));
    QTRY_COMPARE(verdict->text(), QStringLiteral("Nothing changed yet."));

    // A new host name for both workers of the sub-domain, as one plan.
    auto *also = dialog->findChild<QListWidget *>(QStringLiteral("alsoNodes"));
    const QList<QListWidgetItem *> worker1Items = also->findItems(QStringLiteral("esb-worker1"), Qt::MatchExactly);
    QCOMPARE(worker1Items.size(), 1);
    QVERIFY(also->findItems(QStringLiteral("esb-manager"), Qt::MatchExactly).isEmpty()); // another sub-domain
    worker1Items.first()->setCheckState(Qt::Checked);
    type(field(QStringLiteral("HostName")), QStringLiteral("esb.example.org"));
    QTRY_VERIFY2(push->isEnabled(), qPrintable(verdict->text()));
    auto *diff = dialog->findChild<QPlainTextEdit *>(QStringLiteral("editDiff"));
    QVERIFY(diff->toPlainText().contains(QLatin1String("+++ b/esb-worker1/carbon.xml")));
    QVERIFY(diff->toPlainText().contains(QLatin1String("+    <HostName>esb.example.org</HostName>")));

    // The raw view: a comment in registry.xml joins the plan.
    tabs->setCurrentIndex(NodeEditDialog::FilesTab);
    auto *rawFile = dialog->findChild<QComboBox *>(QStringLiteral("rawFile"));
    auto *raw = dialog->findChild<QPlainTextEdit *>(QStringLiteral("rawEditor"));
    rawFile->setCurrentIndex(rawFile->findText(QStringLiteral("registry.xml")));
    QVERIFY(raw->toPlainText().contains(QLatin1String("<wso2registry>")));
    raw->setPlainText(raw->toPlainText().replace(QLatin1String("<wso2registry>"),
                                                 QLatin1String("<wso2registry>\n    <!-- shared registry, see the wiki -->")));
    saveShot(dialog, QStringLiteral("edit-2-files.png"));
    QTRY_VERIFY(diff->toPlainText().contains(QLatin1String("+    <!-- shared registry, see the wiki -->")));
    tabs->setCurrentIndex(NodeEditDialog::ChangesTab);
    auto *changes = dialog->findChild<DiffView *>(QStringLiteral("editChanges"));
    changes->setCurrentIndex(1);
    QVERIFY(changes->sideBySideView()->rowCount() > 3);
    saveShot(dialog, QStringLiteral("edit-3-changes.png"));

    // Push: both nodes have the new host name; the form follows the files read again.
    push->click();
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QLatin1String("the form shows the node's files now")), 20000);
    QVERIFY2(!status->text().contains(QLatin1String("Failed")), qPrintable(status->text()));
    QVERIFY(readFile(cluster.home(QStringLiteral("esb-worker2")) + carbon).contains("<HostName>esb.example.org</HostName>"));
    QVERIFY(readFile(cluster.home(QStringLiteral("esb-worker1")) + carbon).contains("<HostName>esb.example.org</HostName>"));
    QVERIFY(readFile(cluster.home(QStringLiteral("esb-worker2")) + QLatin1String("/repository/conf/registry.xml"))
                .contains("<!-- shared registry, see the wiki -->"));
    QCOMPARE(field(QStringLiteral("HostName"))->text(), QStringLiteral("esb.example.org"));
    QVERIFY(!push->isEnabled());

    // The push's backup, with what rolling back to it changes; rolled back byte for byte.
    tabs->setCurrentIndex(NodeEditDialog::BackupsTab);
    QTRY_VERIFY_WITH_TIMEOUT(backups->topLevelItem(0)->text(0) == u"1", 5000);
    auto *rollBack = dialog->findChild<QAbstractButton *>(QStringLiteral("rollBack"));
    auto *backupDiff = dialog->findChild<QPlainTextEdit *>(QStringLiteral("backupDiff"));
    QTRY_VERIFY(rollBack->isEnabled());
    QVERIFY2(backupDiff->toPlainText().contains(QLatin1String("+    <HostName>worker.esb.wso2.com</HostName>")),
             qPrintable(backupDiff->toPlainText()));
    saveShot(dialog, QStringLiteral("edit-4-backups.png"));
    rollBack->click();
    // Asked first; Cancel leaves the node as it is.
    QMessageBox *confirm = nullptr;
    QTRY_VERIFY((confirm = dialog->findChild<QMessageBox *>(QStringLiteral("confirmRollback"))) && confirm->isVisible());
    confirm->button(QMessageBox::Cancel)->click();
    QTest::qWait(200);
    QVERIFY(readFile(cluster.home(QStringLiteral("esb-worker2")) + carbon).contains("<HostName>esb.example.org</HostName>"));
    rollBack->click();
    QTRY_VERIFY((confirm = dialog->findChild<QMessageBox *>(QStringLiteral("confirmRollback"))) && confirm->isVisible());
    confirm->button(QMessageBox::Yes)->click();
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QLatin1String("the form shows the node's files now")), 20000);
    QCOMPARE(readFile(cluster.home(QStringLiteral("esb-worker2")) + carbon), worker2Before);
    QCOMPARE(field(QStringLiteral("HostName"))->text(), QStringLiteral("worker.esb.wso2.com"));
    // The rollback is a backup too, so it can be undone.
    QTRY_COMPARE_WITH_TIMEOUT(backups->topLevelItemCount(), 2, 5000);
    dialog->reject();
}

QTEST_MAIN(TestNodeEditDialog)
#include "tst_nodeeditdialog.moc"
