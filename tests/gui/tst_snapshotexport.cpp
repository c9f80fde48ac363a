// Cluster › Export Snapshot… against a real small cluster: written in the background with its
// progress shown, readable with the members and files it took; cancelled, it leaves no file.
#include "consoleoncluster.h"

#include "configview.h"
#include "snapshotcomparedialog.h"
#include "snapshotwindow.h"
#include "trafficcharts.h"

#include "live/eventlogmodel.h"
#include "live/livecluster.h"
#include "snapshot/snapshot.h"
#include "snapshot/snapshotreplay.h"

#include "../common/screenshot.h"

#include <QApplication>
#include <QDir>
#include <QProgressDialog>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QTableView>
#include <QToolButton>
#include <QTableWidget>
#include <QTreeWidget>
#include <QStandardPaths>
#include <QTemporaryDir>

using namespace Tribune;
using TestSupport::saveShot;


class TestSnapshotExport : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void exportsFromTheConsole();
    void opensOfflineWithNoConnection();
};

void TestSnapshotExport::exportsFromTheConsole()
{
    ConsoleOnCluster console({QStringLiteral("lb"), QStringLiteral("esb-manager"), QStringLiteral("esb-worker1")});
    QString error;
    QVERIFY2(console.start(&error, false), qPrintable(error));
    auto *action = console.window->findChild<QAction *>(QStringLiteral("exportSnapshotAction"));
    QVERIFY(action && action->isEnabled());
    QTemporaryDir dir;
    QSignalSpy exported(console.window.get(), &MainWindow::snapshotExported);

    const QString path = dir.filePath(QStringLiteral("console.tribune-snapshot"));
    console.window->exportSnapshot(path);
    QVERIFY(console.window->findChild<QProgressDialog *>(QStringLiteral("snapshotProgress")));
    QTRY_COMPARE_WITH_TIMEOUT(exported.size(), 1, 20000);
    QVERIFY2(exported.first().at(0).toBool(), qPrintable(exported.first().at(1).toString()));
    const std::optional<Snapshot::Snapshot> snapshot = Snapshot::readSnapshot(path, &error);
    QVERIFY2(snapshot, qPrintable(error));
    QCOMPARE(snapshot->members.size(), 3);
    QVERIFY(snapshot->files.contains(QStringLiteral("esb-worker1")));
    QVERIFY(!snapshot->secretsIncluded);
    QTRY_VERIFY(!console.window->findChild<QProgressDialog *>(QStringLiteral("snapshotProgress")));

    // Cancelled while it runs: no file, and it says so.
    const QString cancelled = dir.filePath(QStringLiteral("cancelled.tribune-snapshot"));
    console.window->exportSnapshot(cancelled);
    auto *progress = console.window->findChild<QProgressDialog *>(QStringLiteral("snapshotProgress"));
    QVERIFY(progress);
    auto *cancel = progress->findChild<QPushButton *>();
    QVERIFY(cancel);
    cancel->click();
    QTRY_COMPARE(exported.size(), 2);
    QVERIFY(!exported.at(1).at(0).toBool());
    QVERIFY(exported.at(1).at(1).toString().contains(QLatin1String("nothing was written")));
    QTest::qWait(1500); // what was under way ends, and writes nothing
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("console.tribune-snapshot")});
}

// Exported from a running cluster, then opened with every agent stopped: the tree, a member's page,
// the events, the Configuration tab and the time slider show what the file holds.
void TestSnapshotExport::opensOfflineWithNoConnection()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("offline.tribune-snapshot"));
    const QString beforePath = dir.filePath(QStringLiteral("before.tribune-snapshot"));
    QString worker;
    QString killed;
    {
        ConsoleOnCluster console({QStringLiteral("lb"), QStringLiteral("esb-manager"), QStringLiteral("esb-worker1"),
                                  QStringLiteral("esb-worker2")});
        console.historyUrl = QLatin1String("sqlite://") + dir.filePath(QStringLiteral("history.sqlite"));
        QString error;
        QVERIFY2(console.start(&error, false), qPrintable(error));
        worker = console.cluster.memberId(QStringLiteral("esb-worker1"));
        killed = console.cluster.memberId(QStringLiteral("esb-worker2"));
        QTest::qWait(2500); // a few samples and health reports to capture
        QSignalSpy before(console.window.get(), &MainWindow::snapshotExported);
        console.window->exportSnapshot(beforePath);
        QTRY_COMPARE_WITH_TIMEOUT(before.size(), 1, 20000);
        QVERIFY2(before.first().at(0).toBool(), qPrintable(before.first().at(1).toString()));
        QVERIFY(console.cluster.kill(QStringLiteral("esb-worker2")));
        QTRY_VERIFY_WITH_TIMEOUT(console.session->cluster()->member(killed)->state == Protocol::MemberState::Failed, 15000);
        QTest::qWait(1500);
        QSignalSpy exported(console.window.get(), &MainWindow::snapshotExported);
        console.window->exportSnapshot(path);
        QTRY_COMPARE_WITH_TIMEOUT(exported.size(), 1, 20000);
        QVERIFY2(exported.first().at(0).toBool(), qPrintable(exported.first().at(1).toString()));
        // The running cluster against the snapshot taken before the kill: that one change.
        QSignalSpy compared(console.window.get(), &MainWindow::comparisonShown);
        console.window->compareWithSnapshot(beforePath);
        QTRY_COMPARE_WITH_TIMEOUT(compared.size(), 1, 20000);
        auto *liveComparison = qobject_cast<SnapshotCompareDialog *>(compared.first().at(0).value<QDialog *>());
        QVERIFY(liveComparison);
        const QList<QTreeWidgetItem *> liveChanges = liveComparison->memberChanges()->findItems(killed, Qt::MatchExactly, 1);
        QCOMPARE(liveChanges.size(), 1);
        QVERIFY2(liveChanges.first()->text(3).contains(QStringLiteral("state alive → failed")), qPrintable(liveChanges.first()->text(3)));
        QCOMPARE(liveComparison->memberChanges()->topLevelItemCount(), 1);
        QCOMPARE(liveComparison->traffic()->rowCount(), 2); // wso2.esb.domain and the load balancer's
        liveComparison->close();
        for (const QString &node : {QStringLiteral("esb-worker1"), QStringLiteral("esb-manager"), QStringLiteral("lb")})
            QVERIFY(console.cluster.stop(node));
    } // the console and every agent are gone

    SnapshotWindow *window = nullptr;
    bool answered = false;
    SnapshotWindow::openFile(path, nullptr, [&](SnapshotWindow *opened) {
        window = opened;
        answered = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(answered, 10000);
    QVERIFY(window);
    const QScopedPointer<SnapshotWindow, QScopedPointerDeleteLater> owner(window);
    QVERIFY(window->bannerText().contains(QLatin1String("read-only")));
    QVERIFY(window->windowTitle().contains(QLatin1String("Snapshot")));

    // The tree and a member's page.
    LiveView *live = window->liveView();
    QVERIFY(live->selectMember(worker));
    QTRY_VERIFY(live->pageText().contains(QLatin1String("esb-worker1")));
    QCOMPARE(window->replay()->cluster()->member(worker)->state, Protocol::MemberState::Alive);
    QCOMPARE(window->replay()->cluster()->member(killed)->state, Protocol::MemberState::Failed);
    saveShot(window, QStringLiteral("snapshot-offline.png"));
    // Its actions say why they cannot act.
    QVERIFY(!MemberActions{}.allowed);
    // The events the console's history held: the members joining.
    auto *events = live->findChild<QTableView *>();
    QVERIFY(events && events->model()->rowCount() > 0);
    QVERIFY(window->replay()->events()->rowCount() > 0);
    // The Configuration tab: the nodes' files as the agents sent them.
    QVERIFY(window->configView());
    QVERIFY(window->configView()->selectNode(QStringLiteral("esb-worker1")));
    // The time slider: before anyone joined, the tree is empty; back at the end, as it was.
    QSlider *slider = window->timeSlider();
    const QDateTime firstEvent = window->replay()->events()->eventAt(0).time;
    slider->setValue(int(window->replay()->from().secsTo(firstEvent)) - 1);
    QTRY_COMPARE(window->replay()->shownAt(), window->replay()->from().addSecs(slider->value()));
    QVERIFY(!window->replay()->model()->indexOfMember(worker).isValid());
    // Event ▶: to the first event, which then shows.
    QToolButton *nextEvent = nullptr;
    for (QToolButton *button : window->findChildren<QToolButton *>()) {
        if (button->text() == SnapshotWindow::tr("Event ▶"))
            nextEvent = button;
    }
    QVERIFY(nextEvent);
    nextEvent->click();
    QTRY_VERIFY(window->replay()->shownAt() >= firstEvent);
    QVERIFY(window->replay()->shownAt() < firstEvent.addSecs(1));
    QVERIFY(window->replay()->cluster()->member(window->replay()->events()->eventAt(0).memberId));
    // Just before the kill was noticed (suspected, then failed): the killed worker still alive.
    const EventLogModel *log = window->replay()->events();
    QDateTime noticedAt;
    for (int row = 0; row < log->rowCount() && !noticedAt.isValid(); ++row) {
        if ((log->eventAt(row).kind == u"suspect" || log->eventAt(row).kind == u"failure") && log->eventAt(row).memberId == killed)
            noticedAt = log->eventAt(row).time;
    }
    QVERIFY(noticedAt.isValid());
    slider->setValue(int(window->replay()->from().secsTo(noticedAt)) - 1);
    QTRY_COMPARE(window->replay()->shownAt(), window->replay()->from().addSecs(slider->value()));
    QVERIFY(window->replay()->cluster()->member(killed));
    QCOMPARE(window->replay()->cluster()->member(killed)->state, Protocol::MemberState::Alive);
    live->selectMember(killed);
    saveShot(window, QStringLiteral("snapshot-offline-before.png"));
    window->tabs()->setCurrentWidget(window->configView());
    saveShot(window, QStringLiteral("snapshot-offline-files.png"));
    slider->setValue(slider->maximum());
    QTRY_COMPARE(window->replay()->shownAt(), window->replay()->to());
    QCOMPARE(window->replay()->cluster()->member(killed)->state, Protocol::MemberState::Failed);
    QVERIFY(window->replay()->model()->indexOfMember(worker).isValid());
    QVERIFY(!qIsNaN(live->charts()->marker()));

    // Compared with the snapshot before the kill, offline.
    QSignalSpy compared(window, &SnapshotWindow::comparisonShown);
    window->compareWith(beforePath);
    QTRY_COMPARE_WITH_TIMEOUT(compared.size(), 1, 10000);
    auto *comparison = qobject_cast<SnapshotCompareDialog *>(compared.first().at(0).value<QDialog *>());
    QVERIFY(comparison);
    QCOMPARE(comparison->memberChanges()->findItems(killed, Qt::MatchExactly, 1).size(), 1);
    saveShot(comparison, QStringLiteral("snapshot-compare.png"));
    comparison->close();

    // As CSV files, written off the GUI thread.
    QSignalSpy csv(window, &SnapshotWindow::csvExported);
    window->exportCsv(dir.filePath(QStringLiteral("csv")));
    QTRY_COMPARE_WITH_TIMEOUT(csv.size(), 1, 10000);
    QVERIFY2(csv.first().at(0).toBool(), qPrintable(csv.first().at(1).toString()));
    QFile members(dir.filePath(QStringLiteral("csv/members.csv")));
    QVERIFY(members.open(QIODevice::ReadOnly));
    QVERIFY(QString::fromUtf8(members.readAll()).contains(killed + QLatin1String(",esb-worker2,wso2.esb.domain,worker,failed,")));

    // As a PDF report, laid out and written off the GUI thread.
    QSignalSpy pdf(window, &SnapshotWindow::pdfExported);
    const QString report = dir.filePath(QStringLiteral("report.pdf"));
    window->exportPdf(report);
    QTRY_COMPARE_WITH_TIMEOUT(pdf.size(), 1, 20000);
    QVERIFY2(pdf.first().at(0).toBool(), qPrintable(pdf.first().at(1).toString()));
    QFile written(report);
    QVERIFY(written.open(QIODevice::ReadOnly));
    const QByteArray bytes = written.readAll();
    QVERIFY(bytes.startsWith("%PDF-"));
    QVERIFY2(bytes.size() > 20000, QByteArray::number(bytes.size()).constData()); // text, tables and a chart per domain
    if (qEnvironmentVariableIsSet("TRIBUNE_KEEP_REPORT"))
        QFile::copy(report, qEnvironmentVariable("TRIBUNE_KEEP_REPORT"));
    // Where it cannot be written: said, and no file.
    pdf.clear();
    window->exportPdf(dir.filePath(QStringLiteral("no/such/folder/report.pdf")));
    QTRY_COMPARE_WITH_TIMEOUT(pdf.size(), 1, 20000);
    QVERIFY(!pdf.first().at(0).toBool());
    QVERIFY2(pdf.first().at(1).toString().contains(QLatin1String("no/such/folder/report.pdf")), qPrintable(pdf.first().at(1).toString()));
    QTRY_VERIFY(QApplication::activeModalWidget());
    QApplication::activeModalWidget()->close();
}

QTEST_MAIN(TestSnapshotExport)
#include "tst_snapshotexport.moc"
