// A snapshot of 1,000 members with the default window: ten minutes of one-second samples and
// events, 24 hours of one-minute samples before them, every member's six configuration files (the
// sample cluster's worker's, redacted). Prints:
// - the export's write, as the console runs it (on a thread of its own), and the file's size;
//   target for the whole export < 2 s;
// - opening it as the console does (read and prepared on a thread, the replay built on the
//   application's thread); target < 1 s;
// - the application thread's stalls meanwhile, measured by a timer due every 2 ms: how late it
//   fires, p50/p99/max; target p99 < 16 ms.
// TRIBUNE_BENCH_SECONDS shortens the one-second window. Exits non-zero only if what it reads back
// is wrong.
#include "config/secretredaction.h"
#include "live/metricseries.h"
#include "protocol/member.h"
#include "snapshot/snapshot.h"
#include "snapshot/snapshotreplay.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <algorithm>

using namespace Tribune;

namespace {

// How late a timer due every IntervalMs fires while something runs: the application thread's stalls.
class StallMeter
{
public:
    static constexpr int IntervalMs = 2;

    StallMeter()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(IntervalMs);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            m_lateMs.append(std::max<qint64>(0, m_clock.restart() - IntervalMs));
        });
    }
    void start()
    {
        m_lateMs.clear();
        m_clock.start();
        m_timer.start();
    }
    QString stop()
    {
        m_timer.stop();
        m_lateMs.append(std::max<qint64>(0, m_clock.elapsed() - IntervalMs)); // the tail counts too
        std::sort(m_lateMs.begin(), m_lateMs.end());
        const auto at = [this](double fraction) { return m_lateMs.at(qsizetype(fraction * double(m_lateMs.size() - 1))); };
        return QStringLiteral("p50 %1 ms, p99 %2 ms, max %3 ms over %4 ticks").arg(at(0.5)).arg(at(0.99)).arg(m_lateMs.last()).arg(m_lateMs.size());
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    QList<qint64> m_lateMs;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    constexpr int Members = 1000;
    constexpr int Minutes = 24 * 60;
    const int seconds = qEnvironmentVariableIsSet("TRIBUNE_BENCH_SECONDS") ? qEnvironmentVariableIntValue("TRIBUNE_BENCH_SECONDS")
                                                                            : 600;
    // One worker's files, as every member's.
    QMap<QString, QByteArray> files;
    const QString conf = QStringLiteral(TRIBUNE_SAMPLE_CLUSTER "/esb-worker1/repository/conf");
    for (QDirIterator it(conf, QDir::Files, QDirIterator::Subdirectories); it.hasNext();) {
        QFile file(it.next());
        if (file.open(QIODevice::ReadOnly))
            files.insert(QDir(conf).relativeFilePath(file.fileName()), Config::redactSecrets(file.readAll()));
    }
    Snapshot::Snapshot snapshot;
    snapshot.takenAt = QDateTime::currentDateTimeUtc();
    snapshot.eventsFrom = snapshot.takenAt.addSecs(-seconds);
    snapshot.windowFrom = snapshot.eventsFrom.addSecs(-60LL * Minutes);
    snapshot.cluster = QStringLiteral("bench");
    snapshot.samples.reserve(qsizetype(Members) * (seconds + Minutes));
    for (int m = 0; m < Members; ++m) {
        const QString id = QStringLiteral("10.2.%1.%2:4000").arg(m / 250).arg(m % 250);
        Protocol::MemberInfo info;
        info.id = id;
        info.name = QStringLiteral("node%1").arg(m);
        info.domain = QStringLiteral("wso2.esb.domain");
        info.subDomain = QStringLiteral("worker");
        info.host = id.section(u':', 0, 0);
        info.port = 4000;
        info.httpPort = 9763;
        snapshot.members.append({id, info.name, info.domain, info.subDomain, QStringLiteral("alive"), 1,
                                 QStringLiteral("UP"), 100, QStringLiteral("L7OK"), 1.5, 200000000, 0.4, info.toJson()});
        snapshot.files.insert(info.name, files);
        for (int minute = Minutes; minute > 0; --minute)
            snapshot.samples.append({snapshot.eventsFrom.addSecs(-60LL * minute), id, double(m % 10 + minute % 5), 3, 100, 200, 0, 12});
        for (int s = seconds; s > 0; --s)
            snapshot.samples.append({snapshot.takenAt.addSecs(-s + 1), id, double(m % 10 + s % 7), 3, 100, 200, 0, 12});
        snapshot.events.append({snapshot.takenAt.addSecs(-(m % seconds)), QStringLiteral("join"), id,
                                QStringLiteral("wso2.esb.domain"), QStringLiteral("worker"), QStringLiteral("joined")});
    }
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bench.tribune-snapshot"));
    StallMeter stalls;
    QEventLoop loop;

    // The export's write, as SnapshotExport runs it.
    QElapsedTimer timer;
    timer.start();
    stalls.start();
    QString writeError;
    bool written = false;
    Snapshot::writeSnapshotInBackground(snapshot, path, nullptr, &loop, [&](bool ok, const QString &error) {
        written = ok;
        writeError = error;
        loop.quit();
    });
    loop.exec();
    const qint64 writeMs = timer.elapsed();
    const QString writeStalls = stalls.stop();
    if (!written) {
        out << "write failed: " << writeError << Qt::endl;
        return 1;
    }

    // Opening it, as Open Snapshot… does.
    timer.restart();
    stalls.start();
    Snapshot::SnapshotReplay *replay = nullptr;
    QString openError;
    Snapshot::SnapshotReplay::open(path, &loop, [&](Snapshot::SnapshotReplay *opened, const QString &error) {
        replay = opened;
        openError = error;
        loop.quit();
    });
    loop.exec();
    const qint64 openMs = timer.elapsed();
    const QString openStalls = stalls.stop();
    if (!replay || replay->snapshot().members.size() != Members || replay->snapshot().sampleCount() != snapshot.samples.size()
        || replay->snapshot().events.size() != snapshot.events.size() || replay->snapshot().files.size() != Members
        || replay->series()->memberCount() != Members) {
        out << "read back wrong: " << openError << Qt::endl;
        return 1;
    }
    // Moving the time shown, as the slider does.
    timer.restart();
    replay->showAt(snapshot.takenAt.addSecs(-seconds / 2));
    const qint64 seekMs = timer.elapsed();

    out << QStringLiteral("snapshot of %1 members: %2 s of one-second and %3 min of one-minute samples (%4 samples), %5 events, %6 files\n")
               .arg(Members).arg(seconds).arg(Minutes).arg(snapshot.samples.size()).arg(snapshot.events.size())
               .arg(Members * files.size());
    out << QStringLiteral("export write: %1 ms (target for the whole export < 2000 ms)\n").arg(writeMs);
    out << QStringLiteral("  application thread late meanwhile: %1 (target p99 < 16 ms)\n").arg(writeStalls);
    out << QStringLiteral("file: %1 MB\n").arg(double(QFileInfo(path).size()) / 1e6, 0, 'f', 1);
    out << QStringLiteral("open: %1 ms (target < 1000 ms)\n").arg(openMs);
    out << QStringLiteral("  application thread late meanwhile: %1\n").arg(openStalls);
    out << QStringLiteral("time slider, one move: %1 ms\n").arg(seekMs);
    return 0;
}
