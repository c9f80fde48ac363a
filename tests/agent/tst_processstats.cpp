// ProcessStats on this test process, on a child process, and on pids that name no process.
#include "processstats.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTest>

#include <cmath>

using Tribune::Agent::ProcessStats;

class TestProcessStats : public QObject
{
    Q_OBJECT

private slots:
    void ownProcess();
    void otherProcess();
    void bogusPid_data();
    void bogusPid();
};

namespace {

// Keeps one core busy for the given wall time; the result is used so the loop is not optimised away.
double burnCpu(int milliseconds)
{
    QElapsedTimer timer;
    timer.start();
    double sink = 0.0;
    while (timer.elapsed() < milliseconds) {
        for (int i = 1; i < 10000; ++i)
            sink += std::sqrt(double(i) + sink * 1e-9);
    }
    return sink;
}

} // namespace

void TestProcessStats::ownProcess()
{
#ifndef Q_OS_LINUX
    QSKIP("ProcessStats reads Linux /proc");
#endif
    ProcessStats stats;
    QCOMPARE(stats.pid(), QCoreApplication::applicationPid());
    const ProcessStats::Sample before = stats.sample();
    QVERIFY(before.valid);

    QVERIFY(burnCpu(300) > 0.0);
    const ProcessStats::Sample after = stats.sample();
    QVERIFY(after.valid);
    QVERIFY2(after.cpuPercent > 20.0, qPrintable(QString::number(after.cpuPercent)));
    QVERIFY2(after.rssBytes > 1024 * 1024, qPrintable(QString::number(after.rssBytes)));
    QVERIFY(after.uptimeMs > 0);
    QVERIFY(after.uptimeMs >= before.uptimeMs);
}

void TestProcessStats::otherProcess()
{
#ifndef Q_OS_LINUX
    QSKIP("ProcessStats reads Linux /proc");
#endif
    QProcess sleeper;
    sleeper.start(QStringLiteral("sleep"), {QStringLiteral("30")});
    if (!sleeper.waitForStarted())
        QSKIP("cannot start sleep(1)");
    ProcessStats stats(sleeper.processId());
    stats.sample();
    QTest::qWait(100);
    const ProcessStats::Sample idle = stats.sample();
    QVERIFY(idle.valid);
    QVERIFY(idle.rssBytes > 0);
    QVERIFY2(idle.cpuPercent < 20.0, qPrintable(QString::number(idle.cpuPercent)));

    // Once the process is gone (and reaped), its samples are invalid rather than stale.
    sleeper.kill();
    QVERIFY(sleeper.waitForFinished());
    QVERIFY(!stats.sample().valid);
}

void TestProcessStats::bogusPid_data()
{
    QTest::addColumn<qint64>("pid");
    QTest::newRow("zero") << qint64(0);
    QTest::newRow("negative") << qint64(-1);
    QTest::newRow("above pid_max") << qint64(0x7ffffff0);
}

void TestProcessStats::bogusPid()
{
    QFETCH(qint64, pid);
    ProcessStats stats(pid);
    const ProcessStats::Sample first = stats.sample();
    QVERIFY(!first.valid);
    QCOMPARE(first.rssBytes, qint64(0));
    QVERIFY(!stats.sample().valid); // and again, with no baseline to lean on
}

QTEST_GUILESS_MAIN(TestProcessStats)
#include "tst_processstats.moc"
