// The *.tribune-snapshot file: written whole or not at all, read back as written (its events and
// samples through the history's own code), refused when it is not one, newer, or over its limits.
#include "snapshot/snapshot.h"
#include "snapshot/snapshotdiff.h"
#include "snapshot/snapshotreport.h"

#include <QDir>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Tribune;
using Tribune::Snapshot::Member;

namespace {

Snapshot::Snapshot sample()
{
    Snapshot::Snapshot snapshot;
    snapshot.takenAt = QDateTime(QDate(2026, 12, 7), QTime(3, 0), Qt::UTC);
    snapshot.windowFrom = snapshot.takenAt.addSecs(-600);
    snapshot.cluster = QStringLiteral("running cluster (127.0.0.1:4000)");
    snapshot.takenBy = QStringLiteral("alice");
    snapshot.consoleVersion = QStringLiteral("0.1.0");
    snapshot.agentVersions.insert(QStringLiteral("127.0.0.1:4001"), QStringLiteral("0.1.0"));
    snapshot.missing = {QStringLiteral("HAProxy: show info did not answer")};
    Member worker{QStringLiteral("127.0.0.1:4001"), QStringLiteral("esb-worker1"), QStringLiteral("wso2.esb.domain"),
                  QStringLiteral("worker"), QStringLiteral("alive"), 3, QStringLiteral("UP"), 100, QStringLiteral("L7OK"),
                  2.5, 123456789, 0.8,
                  QJsonObject{{QStringLiteral("id"), QStringLiteral("127.0.0.1:4001")}, {QStringLiteral("httpPort"), 9764}}};
    Member manager{QStringLiteral("127.0.0.1:4000"), QStringLiteral("esb-manager"), QStringLiteral("wso2.esb.domain"),
                   QStringLiteral("mgt"), QStringLiteral("failed"), 1, QString(), -1, QString(), -1, -1, -1, {}};
    snapshot.members = {manager, worker};
    snapshot.haproxy.insert(QStringLiteral("show stat"), "# pxname,svname\nwso2.esb.domain:worker,127.0.0.1:4001\n");
    snapshot.files[QStringLiteral("esb-worker1")].insert(QStringLiteral("carbon.xml"), "<Server><Offset>1</Offset></Server>\n");
    snapshot.files[QStringLiteral("esb-worker1")].insert(QStringLiteral("axis2/axis2.xml"), QByteArray(70000, 'x'));
    Finding finding;
    finding.severity = Severity::Warning;
    finding.rule = QStringLiteral("unresolved-host");
    finding.node = QStringLiteral("esb-worker1");
    finding.file = QStringLiteral("carbon.xml");
    finding.line = 12;
    finding.message = QStringLiteral("HostName resolves nowhere");
    finding.fix = QStringLiteral("add it to the hosts file");
    snapshot.findings = {finding};
    for (int i = 0; i < 3; ++i)
        snapshot.events.append({snapshot.takenAt.addSecs(-60 * (i + 1)), QStringLiteral("join"), worker.id, worker.domain,
                                worker.subDomain, QStringLiteral("joined %1").arg(i)});
    for (int i = 0; i < 5; ++i)
        snapshot.samples.append({snapshot.takenAt.addSecs(-i), worker.id, 10.0 + i, 2, 100, 200, 0, 12.5});
    return snapshot;
}

QStringList leftovers(const QString &folder)
{
    return QDir(folder).entryList({QStringLiteral("*.partial-*")}, QDir::Files | QDir::Hidden);
}

} // namespace

class TestSnapshotFile final : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip();
    void writtenWholeOrNotAtAll();
    void refusesWhatIsNotOne();
    void diffsTwoSnapshots();
    void reportsAsCsv();
};

void TestSnapshotFile::roundTrip()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("cluster.tribune-snapshot"));
    const Snapshot::Snapshot written = sample();
    QString error;
    QVERIFY2(Snapshot::writeSnapshot(written, path, &error), qPrintable(error));
    QVERIFY(leftovers(dir.path()).isEmpty());
    const std::optional<Snapshot::Snapshot> read = Snapshot::readSnapshot(path, &error);
    QVERIFY2(read, qPrintable(error));
    QCOMPARE(read->takenAt, written.takenAt);
    QCOMPARE(read->windowFrom, written.windowFrom);
    QCOMPARE(read->cluster, written.cluster);
    QCOMPARE(read->takenBy, written.takenBy);
    QCOMPARE(read->agentVersions, written.agentVersions);
    QCOMPARE(read->missing, written.missing);
    QVERIFY(!read->secretsIncluded);
    QCOMPARE(read->members.size(), 2);
    const Member &worker = read->members.at(1); // ordered by domain, sub-domain, node
    QCOMPARE(worker.node, QStringLiteral("esb-worker1"));
    QCOMPARE(worker.balancerState, QStringLiteral("UP"));
    QCOMPARE(worker.incarnation, 3);
    QCOMPARE(worker.rssBytes, 123456789);
    QCOMPARE(worker.info.value(QLatin1String("httpPort")).toInt(), 9764);
    QVERIFY(read->members.at(0).info.isEmpty());
    QCOMPARE(read->members.at(0).state, QStringLiteral("failed"));
    QCOMPARE(read->haproxy, written.haproxy);
    QCOMPARE(read->files, written.files);
    QCOMPARE(read->findings.size(), 1);
    QCOMPARE(read->findings.first().severity, Severity::Warning);
    QCOMPARE(read->findings.first().line, 12);
    QCOMPARE(read->events.size(), 3);
    QCOMPARE(read->events.first().reason, QStringLiteral("joined 0")); // newest first
    // Samples come back packed, and read as written (in time order: the newest last).
    QVERIFY(read->samples.isEmpty());
    QCOMPARE(read->sampleCount(), 5);
    const QList<MetricSample> samples = read->allSamples();
    QCOMPARE(samples.size(), 5);
    QCOMPARE(samples.constLast().time, written.takenAt);
    QCOMPARE(samples.constLast().memberId, QStringLiteral("127.0.0.1:4001"));
    QCOMPARE(samples.constLast().requestRate, 10.0);
    QCOMPARE(samples.constLast().responseTimeMs, 12.5);
    QCOMPARE(samples.constFirst().requestRate, 14.0);
    // Written again from what was read, it reads back the same.
    const QString again = dir.filePath(QStringLiteral("again.tribune-snapshot"));
    QVERIFY2(Snapshot::writeSnapshot(*read, again, &error), qPrintable(error));
    const std::optional<Snapshot::Snapshot> reread = Snapshot::readSnapshot(again, &error);
    QVERIFY2(reread, qPrintable(error));
    QCOMPARE(reread->packedSamples, read->packedSamples);
    // Damaged: a packed row of the wrong length is refused, naming the member.
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("damage"));
        db.setDatabaseName(again);
        QVERIFY(db.open());
        QSqlQuery damage(db);
        QVERIFY(damage.exec(QStringLiteral("UPDATE snapshot_samples SET data = substr(data, 1, 40)")));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("damage"));
    QVERIFY(!Snapshot::readSnapshot(again, &error));
    QVERIFY2(error.contains(QLatin1String("samples of 127.0.0.1:4001 are damaged")), qPrintable(error));
    // A count that would wrap around the limits: refused, not believed.
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("damage"));
        db.setDatabaseName(again);
        QVERIFY(db.open());
        QSqlQuery damage(db);
        QVERIFY(damage.exec(QStringLiteral("UPDATE snapshot_samples SET sample_count = -576460752303423488, data = x''")));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("damage"));
    QVERIFY(!Snapshot::readSnapshot(again, &error));
    QVERIFY2(error.contains(QLatin1String("are damaged")) || error.contains(QLatin1String("more than")), qPrintable(error));
}

void TestSnapshotFile::writtenWholeOrNotAtAll()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.tribune-snapshot"));
    QString error;
    QVERIFY2(Snapshot::writeSnapshot(sample(), path, &error), qPrintable(error));
    // A second one replaces the first in one step.
    Snapshot::Snapshot second = sample();
    second.takenBy = QStringLiteral("bob");
    second.consoleVersion = QString(); // not known: stored empty
    QVERIFY2(Snapshot::writeSnapshot(second, path, &error), qPrintable(error));
    QCOMPARE(Snapshot::readSnapshot(path, &error)->takenBy, QStringLiteral("bob"));
    QVERIFY(leftovers(dir.path()).isEmpty());
    // A folder that is not there: an error naming the file, and nothing written anywhere.
    const QString nowhere = dir.filePath(QStringLiteral("gone/b.tribune-snapshot"));
    QVERIFY(!Snapshot::writeSnapshot(sample(), nowhere, &error));
    QVERIFY2(error.contains(nowhere), qPrintable(error));
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList{QStringLiteral("a.tribune-snapshot")});
}

void TestSnapshotFile::refusesWhatIsNotOne()
{
    QTemporaryDir dir;
    QString error;
    // Not a database at all.
    const QString text = dir.filePath(QStringLiteral("notes.tribune-snapshot"));
    QFile file(text);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("not a snapshot\n");
    file.close();
    QVERIFY(!Snapshot::readSnapshot(text, &error));
    QVERIFY2(error.startsWith(text), qPrintable(error));
    QVERIFY(!Snapshot::readSnapshot(dir.filePath(QStringLiteral("missing.tribune-snapshot")), &error));
    QVERIFY2(error.contains(QLatin1String("no such file")), qPrintable(error));

    // Over the limits: members, rows, bytes.
    const QString path = dir.filePath(QStringLiteral("a.tribune-snapshot"));
    QVERIFY2(Snapshot::writeSnapshot(sample(), path, &error), qPrintable(error));
    Snapshot::ReadLimits limits;
    limits.maxMembers = 1;
    QVERIFY(!Snapshot::readSnapshot(path, &error, limits));
    QVERIFY2(error.contains(QLatin1String("2 members")), qPrintable(error));
    limits = {};
    limits.maxRows = 4;
    QVERIFY(!Snapshot::readSnapshot(path, &error, limits));
    QVERIFY2(error.contains(QLatin1String("8 events and samples")), qPrintable(error));
    limits = {};
    limits.maxFileBytes = 1000;
    QVERIFY(!Snapshot::readSnapshot(path, &error, limits));
    QVERIFY2(error.contains(QLatin1String("bytes")), qPrintable(error));

    // A newer format says to use a newer Tribune.
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("newer"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY(query.exec(QStringLiteral("UPDATE snapshot_meta SET meta_value = '99' WHERE meta_key = 'format_version'")));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("newer"));
    QVERIFY(!Snapshot::readSnapshot(path, &error));
    QVERIFY2(error.contains(QLatin1String("format 99")), qPrintable(error));
}

void TestSnapshotFile::diffsTwoSnapshots()
{
    const Snapshot::Snapshot a = sample();
    Snapshot::Snapshot b = sample();
    QVERIFY(Snapshot::diffSnapshots(a, b).isEmpty());
    b.members[1].weight = 0;
    b.members[1].incarnation = 4;
    b.members.removeFirst();
    b.members.append({QStringLiteral("127.0.0.1:4002"), QStringLiteral("esb-worker2"), QStringLiteral("wso2.esb.domain"),
                      QStringLiteral("worker"), QStringLiteral("alive"), 1, QString(), -1, QString(), -1, -1, -1, {}});
    b.files[QStringLiteral("esb-worker1")][QStringLiteral("carbon.xml")] = "<Server><Offset>2</Offset></Server>\n";
    b.files.insert(QStringLiteral("esb-worker2"), {{QStringLiteral("carbon.xml"), "<Server/>\n"}});
    b.findings.first().message = QStringLiteral("something else");
    for (MetricSample &sample : b.samples) {
        sample.requestRate *= 2;
        sample.errors5xxRate = 1.5;
    }
    b.samples.append({b.takenAt.addSecs(-1), QStringLiteral("127.0.0.1:4002"), 6, 1, 0, 0, 0.5, 37.5});
    const Snapshot::SnapshotDiff diff = Snapshot::diffSnapshots(a, b);
    // The domain's traffic side by side: summed over members, averaged over the seconds sampled.
    QCOMPARE(diff.domains.size(), 1);
    QCOMPARE(diff.domains.first().domain, QStringLiteral("wso2.esb.domain"));
    QCOMPARE(diff.domains.first().before.requestRate, 12.0);                // (10 + 11 + 12 + 13 + 14) / 5
    QCOMPARE(diff.domains.first().after.requestRate, (120.0 + 6) / 5);      // doubled, and the new member's 6
    QCOMPARE(diff.domains.first().after.errors5xxRate, (5 * 1.5 + 0.5) / 5);
    QCOMPARE(diff.domains.first().after.responseTimeMs, (5 * 12.5 + 37.5) / 6);
    QVERIFY(!Snapshot::domainTraffic(a, QStringLiteral("wso2.governance.domain")).sampled);
    const QString text = Snapshot::diffAsText(diff, QStringLiteral("A"), QStringLiteral("B"), true);
    QVERIFY2(text.contains(QStringLiteral("  wso2.esb.domain: 12.0 req/s, 0.00 5xx/s, 12.5 ms → 25.2 req/s, 1.60 5xx/s, 16.7 ms")),
             qPrintable(text));
    QVERIFY(text.contains(QLatin1String("+++ b/esb-worker1/carbon.xml")));
    QVERIFY(!Snapshot::diffAsText(diff, QStringLiteral("A"), QStringLiteral("B"), false).contains(QLatin1String("+++")));
    QCOMPARE(diff.members.size(), 3);
    QCOMPARE(diff.members.at(0).kind, Snapshot::MemberChange::Kind::Removed); // the manager
    QCOMPARE(diff.members.at(1).what, (QStringList{QStringLiteral("weight 100 → 0"),
                                                   QStringLiteral("incarnation 3 → 4 (it restarted or rejoined)")}));
    QCOMPARE(diff.members.at(2).kind, Snapshot::MemberChange::Kind::Added);
    // Only the node both hold: esb-worker2's files are new with the member, not a change.
    QCOMPARE(diff.files.keys(), QStringList{QStringLiteral("esb-worker1")});
    QCOMPARE(diff.files.value(QStringLiteral("esb-worker1")).size(), 1);
    QCOMPARE(diff.newFindings.size(), 1);
    QCOMPARE(diff.resolvedFindings.size(), 1);
}

void TestSnapshotFile::reportsAsCsv()
{
    Snapshot::Snapshot snapshot = sample();
    snapshot.events.append({snapshot.takenAt, QStringLiteral("admin"), snapshot.members.at(1).id, QStringLiteral("wso2.esb.domain"),
                            QStringLiteral("worker"), QStringLiteral("drained, said \"later\"\nby alice")});
    QTemporaryDir dir;
    QStringList written;
    QString error;
    QVERIFY2(Snapshot::writeCsvReport(snapshot, dir.filePath(QStringLiteral("report")), &written, &error), qPrintable(error));
    QCOMPARE(written.size(), 3);
    const auto lines = [&](const QString &name) {
        QFile file(dir.filePath(QStringLiteral("report/") + name));
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()).split(QStringLiteral("\r\n"), Qt::SkipEmptyParts)
                                              : QStringList();
    };
    const QStringList members = lines(QStringLiteral("members.csv"));
    QCOMPARE(members.size(), 3);
    QVERIFY(members.at(0).startsWith(QLatin1String("id,node,domain,sub_domain,state,incarnation,balancer_state")));
    QCOMPARE(members.at(2), QStringLiteral("127.0.0.1:4001,esb-worker1,wso2.esb.domain,worker,alive,3,UP,100,L7OK,2.5,123456789,0.8"));
    const QStringList events = lines(QStringLiteral("events.csv"));
    QCOMPARE(events.size(), 5);
    QCOMPARE(events.last(), QStringLiteral("2026-12-07T03:00:00.000Z,admin,127.0.0.1:4001,wso2.esb.domain,worker,"
                                           "\"drained, said \"\"later\"\"\nby alice\""));
    const QStringList samples = lines(QStringLiteral("samples.csv"));
    QCOMPARE(samples.size(), 6);
    QCOMPARE(samples.at(1), QStringLiteral("2026-12-07T03:00:00.000Z,127.0.0.1:4001,10,2,100,200,0,12.5"));
    QCOMPARE(Snapshot::csvField(QStringLiteral("plain")), QStringLiteral("plain"));

    // A folder that cannot be made: said, with where.
    QFile blocker(dir.filePath(QStringLiteral("blocker")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    written.clear();
    QVERIFY(!Snapshot::writeCsvReport(snapshot, dir.filePath(QStringLiteral("blocker/report")), &written, &error));
    QVERIFY2(error.contains(QLatin1String("blocker/report")), qPrintable(error));
    QVERIFY(written.isEmpty());
}

QTEST_GUILESS_MAIN(TestSnapshotFile)
#include "tst_snapshotfile.moc"
