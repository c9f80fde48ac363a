// Cluster › Export Snapshot… against a real small cluster: written in the background with its
// progress shown, readable with the members and files it took; cancelled, it leaves no file.
#include "consoleoncluster.h"

#include "snapshot/snapshot.h"

#include <QDir>
#include <QProgressDialog>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>

using namespace Tribune;

class TestSnapshotExport : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void exportsFromTheConsole();
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

QTEST_MAIN(TestSnapshotExport)
#include "tst_snapshotexport.moc"
