// A snapshot opened offline: the cluster at any second of its window, rebuilt from its events,
// through the same tree model the live console uses (granular changes only), and its files laid
// out as a cluster folder the workspace validates.
#include "cluster/clusterworkspace.h"
#include "live/eventlogmodel.h"
#include "live/livecluster.h"
#include "live/liveclustermodel.h"
#include "live/metricseries.h"
#include "snapshot/snapshotreplay.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTest>

using namespace Tribune;
using Protocol::MemberState;
using Snapshot::Member;

namespace {

const QDateTime TakenAt(QDate(2026, 12, 7), QTime(3, 0), Qt::UTC);
const QString Worker1 = QStringLiteral("127.0.0.1:4101");
const QString Worker2 = QStringLiteral("127.0.0.1:4102");
const QString Batch = QStringLiteral("127.0.0.1:4103");
const QString Domain = QStringLiteral("wso2.esb.domain");

Member member(const QString &id, const QString &node, const QString &subDomain, const QString &state,
              const QString &balancer)
{
    Member result;
    result.id = id;
    result.node = node;
    result.domain = Domain;
    result.subDomain = subDomain;
    result.state = state;
    result.balancerState = balancer;
    result.weight = balancer.isEmpty() ? -1 : 100;
    return result;
}

HistoryEvent event(int secondsBefore, const QString &kind, const QString &id, const QString &subDomain, const QString &reason = {})
{
    return {TakenAt.addSecs(-secondsBefore), kind, id, Domain, subDomain, reason};
}

// Worker 1 joined, then failed (HAProxy took it DOWN); worker 2 joined later; a batch member
// joined and left before the snapshot was taken, so only the events know it.
Snapshot::Snapshot history()
{
    Snapshot::Snapshot snapshot;
    snapshot.takenAt = TakenAt;
    snapshot.windowFrom = TakenAt.addSecs(-600);
    snapshot.cluster = QStringLiteral("prod");
    Member failed = member(Worker1, QStringLiteral("esb-worker1"), QStringLiteral("worker"), QStringLiteral("failed"),
                           QStringLiteral("DOWN"));
    failed.info = QJsonObject{{QStringLiteral("id"), Worker1}, {QStringLiteral("name"), QStringLiteral("esb-worker1")},
                              {QStringLiteral("domain"), Domain}, {QStringLiteral("subDomain"), QStringLiteral("worker")},
                              {QStringLiteral("host"), QStringLiteral("127.0.0.1")}, {QStringLiteral("port"), 4101},
                              {QStringLiteral("httpPort"), 9764}};
    Member alive = member(Worker2, QStringLiteral("esb-worker2"), QStringLiteral("worker"), QStringLiteral("alive"),
                          QStringLiteral("UP"));
    alive.cpuPercent = 1.5;
    alive.rssBytes = 20'000'000;
    // Failed at 150 s and taken out of HAProxy by the load balancer's agent: no health event.
    Member removed = member(QStringLiteral("127.0.0.1:4104"), QStringLiteral("esb-worker4"), QStringLiteral("worker"),
                            QStringLiteral("failed"), QString());
    snapshot.members = {failed, alive, removed};
    snapshot.events = {
        event(500, QStringLiteral("join"), Worker1, QStringLiteral("worker")),
        event(400, QStringLiteral("join"), Batch, QStringLiteral("batch")),
        event(300, QStringLiteral("join"), Worker2, QStringLiteral("worker")),
        event(200, QStringLiteral("failure"), Worker1, QStringLiteral("worker"), QStringLiteral("no heartbeat for 3 s")),
        event(195, QStringLiteral("health"), Worker1, QStringLiteral("worker"),
              QStringLiteral("load balancer: UP → DOWN (L4CON)")),
        event(100, QStringLiteral("leave"), Batch, QStringLiteral("batch"), QStringLiteral("shut down")),
        event(450, QStringLiteral("join"), QStringLiteral("127.0.0.1:4104"), QStringLiteral("worker")),
        event(150, QStringLiteral("failure"), QStringLiteral("127.0.0.1:4104"), QStringLiteral("worker")),
        // An id only the events know, left alive by them: it rejoined under another before the snapshot.
        event(420, QStringLiteral("join"), QStringLiteral("127.0.0.1:4199"), QStringLiteral("worker")),
    };
    for (int second = 0; second < 600; ++second) {
        snapshot.samples.append({TakenAt.addSecs(-second), Worker2, double(second), 1, 0, 0, 0, 10});
        if (second > 200)
            snapshot.samples.append({TakenAt.addSecs(-second), Worker1, 7, 1, 0, 0, 0, 20});
    }
    return snapshot;
}

const LiveMember *find(const QList<LiveMember> &members, const QString &id)
{
    for (const LiveMember &member : members) {
        if (member.info.id == id)
            return &member;
    }
    return nullptr;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestSnapshotReplay : public QObject
{
    Q_OBJECT

private slots:
    void atItsTimeShowsWhatWasCaptured()
    {
        Snapshot::SnapshotReplay replay(history());
        QCOMPARE(replay.shownAt(), TakenAt);
        QCOMPARE(replay.from(), TakenAt.addSecs(-600));
        const LiveMember *failed = replay.cluster()->member(Worker1);
        QVERIFY(failed);
        QCOMPARE(failed->state, MemberState::Failed);
        QCOMPARE(failed->reason, QStringLiteral("no heartbeat for 3 s"));
        QCOMPARE(failed->traffic.status, QStringLiteral("DOWN"));
        QCOMPARE(failed->info.httpPort, 9764);
        const LiveMember *alive = replay.cluster()->member(Worker2);
        QVERIFY(alive && alive->hasHealth);
        QCOMPARE(alive->cpuPercent, 1.5);
        QCOMPARE(alive->traffic.requestRate, 0.0); // the sample of the snapshot's own second
        // The batch member had left: the events keep it, as the live console keeps it until forgotten.
        QCOMPARE(replay.cluster()->member(Batch)->state, MemberState::Left);
        QCOMPARE(replay.events()->rowCount(), 9);
        QCOMPARE(replay.cluster()->member(QStringLiteral("127.0.0.1:4199"))->state, MemberState::Left);
        QCOMPARE(replay.series()->latestTime(), double(TakenAt.toSecsSinceEpoch()));
    }

    void earlierMomentsAreRebuiltFromTheEvents()
    {
        Snapshot::SnapshotReplay replay(history());
        // Before worker 2 joined: worker 1 alive and UP, the batch member alive.
        QList<LiveMember> members = replay.membersAt(TakenAt.addSecs(-350));
        QCOMPARE(members.size(), 4); // worker 1, the batch member, worker 4 and the id that rejoined
        QVERIFY(!find(members, Worker2));
        QCOMPARE(find(members, Worker1)->state, MemberState::Alive);
        QCOMPARE(find(members, Worker1)->traffic.status, QStringLiteral("UP"));
        QCOMPARE(find(members, Worker1)->traffic.requestRate, 7.0);
        QCOMPARE(find(members, Worker1)->hasHealth, false); // health is known only at the snapshot's time
        QCOMPARE(find(members, Batch)->state, MemberState::Alive);
        QCOMPARE(find(members, Batch)->info.subDomain, QStringLiteral("batch"));
        QCOMPARE(find(members, Worker2), nullptr);
        // Between the failure and HAProxy noticing: failed, still UP there.
        members = replay.membersAt(TakenAt.addSecs(-198));
        QCOMPARE(find(members, Worker1)->state, MemberState::Failed);
        QCOMPARE(find(members, Worker1)->stateSince, TakenAt.addSecs(-200));
        QCOMPARE(find(members, Worker1)->traffic.status, QStringLiteral("UP"));
        QCOMPARE(find(members, Worker2)->traffic.requestRate, 198.0);
        // Alive then, and nothing recorded of HAProxy's: what it said is not known.
        QCOMPARE(find(members, QStringLiteral("127.0.0.1:4104"))->state, MemberState::Alive);
        QCOMPARE(find(members, QStringLiteral("127.0.0.1:4104"))->traffic.status, QStringLiteral("not captured"));
        // Failed, as when taken: out of HAProxy, as when taken.
        QCOMPARE(replay.membersAt(TakenAt.addSecs(-100)).size(), 5);
        QCOMPARE(find(replay.membersAt(TakenAt.addSecs(-100)), QStringLiteral("127.0.0.1:4104"))->traffic.status, QString());
        // After HAProxy took it out.
        members = replay.membersAt(TakenAt.addSecs(-150));
        QCOMPARE(find(members, Worker1)->traffic.status, QStringLiteral("DOWN"));
        QCOMPARE(find(members, Worker1)->traffic.checkStatus, QStringLiteral("L4CON"));
        QCOMPARE(find(members, Worker1)->traffic.requestRate, 0.0); // its last sample is too old to hold
        // Before anything: nobody had joined.
        QVERIFY(replay.membersAt(TakenAt.addSecs(-590)).isEmpty());
    }

    void movingInTimeChangesTheTreeRowByRow()
    {
        Snapshot::SnapshotReplay replay(history());
        QAbstractItemModelTester tester(replay.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy resets(replay.model(), &QAbstractItemModel::modelReset);
        QSignalSpy removed(replay.model(), &QAbstractItemModel::rowsRemoved);
        QSignalSpy shown(&replay, &Snapshot::SnapshotReplay::shownAtChanged);
        const QPersistentModelIndex worker1 = replay.model()->indexOfMember(Worker1);
        QVERIFY(worker1.isValid());
        replay.showAt(TakenAt.addSecs(-350));
        QVERIFY(!replay.model()->indexOfMember(Worker2).isValid());
        QCOMPARE(replay.cluster()->member(Worker1)->state, MemberState::Alive);
        QVERIFY(worker1.isValid()); // the same row, changed in place
        QVERIFY(!removed.isEmpty());
        replay.showAt(TakenAt.addSecs(3600)); // clamped to the window
        QCOMPARE(replay.shownAt(), TakenAt);
        QVERIFY(replay.model()->indexOfMember(Worker2).isValid());
        QCOMPARE(replay.cluster()->member(Worker1)->state, MemberState::Failed);
        QCOMPARE(resets.size(), 0);
        QCOMPARE(shown.size(), 2);
        // The charts' samples stay whatever the tree shows.
        QCOMPARE(replay.series()->memberCount(), 2); // (worker 4 has no samples)
    }

    void filesAreLaidOutAsAClusterFolder()
    {
        Snapshot::Snapshot snapshot = history();
        const QString sample = QStringLiteral(TRIBUNE_SAMPLE_CLUSTER);
        const QDir conf(sample + QLatin1String("/esb-worker1/repository/conf"));
        for (const QString &file : {QStringLiteral("carbon.xml"), QStringLiteral("axis2/axis2.xml")}) {
            const QByteArray bytes = readFile(conf.filePath(file));
            QVERIFY2(!bytes.isEmpty(), qPrintable(conf.filePath(file)));
            snapshot.files[QStringLiteral("esb-worker1")].insert(file, bytes);
        }
        Snapshot::SnapshotReplay replay(snapshot);
        QString error;
        const QString folder = replay.writeConfigFolder(&error);
        QVERIFY2(!folder.isEmpty(), qPrintable(error));
        QCOMPARE(readFile(folder + QLatin1String("/esb-worker1/repository/conf/carbon.xml")), readFile(conf.filePath(QStringLiteral("carbon.xml"))));
        QCOMPARE(readFile(folder + QLatin1String("/servers")), QByteArray("127.0.0.1 esb-worker1\n"));
        ClusterWorkspace workspace;
        QVERIFY(workspace.open({folder}));
        QCOMPARE(int(workspace.cluster().nodes().size()), 1);

        Snapshot::Snapshot hostile = history();
        hostile.files[QStringLiteral("esb-worker1")].insert(QStringLiteral("../../escape.xml"), "x");
        Snapshot::SnapshotReplay refused(hostile);
        QVERIFY(refused.writeConfigFolder(&error).isEmpty());
        QVERIFY2(error.contains(QLatin1String("refused file name")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestSnapshotReplay)
#include "tst_snapshotreplay.moc"
