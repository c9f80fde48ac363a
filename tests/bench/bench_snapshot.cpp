// Writes and reads a snapshot of 1,000 members with the default window: ten minutes of one-second
// samples and events, every member's six configuration files (the sample cluster's worker's,
// redacted). Prints the time to write (target < 2 s for the whole export), the file's size, and
// the time to read it back (target < 1 s). TRIBUNE_BENCH_SECONDS shortens the window. Exits
// non-zero only if what it reads back is wrong.
#include "config/secretredaction.h"
#include "protocol/member.h"
#include "snapshot/snapshot.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTextStream>

using namespace Tribune;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    constexpr int Members = 1000;
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
    snapshot.windowFrom = snapshot.takenAt.addSecs(-seconds);
    snapshot.cluster = QStringLiteral("bench");
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
        snapshot.files.insert(QStringLiteral("node%1").arg(m), files);
        for (int s = 0; s < seconds; ++s)
            snapshot.samples.append({snapshot.takenAt.addSecs(-s), id, double(m % 10 + s % 7), 3, 100, 200, 0, 12});
        snapshot.events.append({snapshot.takenAt.addSecs(-(m % seconds)), QStringLiteral("join"), id,
                                QStringLiteral("wso2.esb.domain"), QStringLiteral("worker"), QStringLiteral("joined")});
    }
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bench.tribune-snapshot"));
    QString error;
    QElapsedTimer timer;
    timer.start();
    if (!Snapshot::writeSnapshot(snapshot, path, &error)) {
        out << "write failed: " << error << Qt::endl;
        return 1;
    }
    const qint64 writeMs = timer.elapsed();
    timer.restart();
    const std::optional<Snapshot::Snapshot> read = Snapshot::readSnapshot(path, &error);
    const qint64 readMs = timer.elapsed();
    if (!read || read->members.size() != Members || read->samples.size() != snapshot.samples.size()
        || read->events.size() != snapshot.events.size() || read->files.size() != Members) {
        out << "read back wrong: " << error << Qt::endl;
        return 1;
    }
    out << QStringLiteral("snapshot of %1 members, %2 s window: %3 samples, %4 events, %5 files\n")
               .arg(Members).arg(seconds).arg(snapshot.samples.size()).arg(snapshot.events.size())
               .arg(Members * files.size());
    out << QStringLiteral("write: %1 ms (target for the whole export < 2000 ms)\n").arg(writeMs);
    out << QStringLiteral("file: %1 MB\n").arg(double(QFileInfo(path).size()) / 1e6, 0, 'f', 1);
    out << QStringLiteral("read: %1 ms (target < 1000 ms)\n").arg(readMs);
    return 0;
}
