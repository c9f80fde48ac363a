// The live tree under QAbstractItemModelTester through a scripted sequence of joins, leaves,
// failures and load balancer state changes: rows change one by one, never by a reset, and the
// user's selection stays on its member.
#include "live/livecluster.h"
#include "live/liveclustermodel.h"

#include <QAbstractItemModelTester>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QTest>

using namespace Tribune;
using namespace Tribune::Protocol;

namespace {

MemberInfo member(const QString &id, const QString &domain, const QString &subDomain, int httpPort, bool balancer = false)
{
    MemberInfo info;
    info.id = id;
    info.host = id.section(u':', 0, 0);
    info.port = id.section(u':', 1).toInt();
    info.domain = domain;
    info.subDomain = subDomain;
    info.httpPort = httpPort;
    info.httpsPort = httpPort - 320;
    info.startedAtMs = 1000;
    info.loadBalancer = balancer;
    return info;
}

MembershipEvent scripted(MembershipEvent::Type type, const MemberInfo &info, qint64 sequence)
{
    return {sequence, type, info, QStringLiteral("scripted"), QDateTime::currentDateTimeUtc(), {}};
}

ServerTraffic traffic(const QString &server, const QString &backend, const QString &status, double rate)
{
    ServerTraffic row;
    row.server = server;
    row.backend = backend;
    row.status = status;
    row.requestRate = rate;
    row.sessions = rate / 2;
    return row;
}

QModelIndex childNamed(const QAbstractItemModel &model, const QModelIndex &parent, const QString &name)
{
    for (int row = 0; row < model.rowCount(parent); ++row) {
        if (model.index(row, 0, parent).data().toString() == name)
            return model.index(row, 0, parent);
    }
    return {};
}

const QString Esb = QStringLiteral("wso2.esb.domain");

} // namespace

class TestLiveClusterModel : public QObject
{
    Q_OBJECT

private slots:
    void scriptedSequence();
    void rejoinRenamesTheRow();
    void serversWithoutAnAgent();
    void narrowerSeedKeepsWhatItCannotSee();
};

void TestLiveClusterModel::scriptedSequence()
{
    LiveCluster cluster;
    LiveClusterModel model(&cluster, QStringLiteral("demo"));
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&model, &QAbstractItemModel::modelAboutToBeReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QItemSelectionModel selection(&model);

    const MemberInfo lb = member(QStringLiteral("127.0.0.1:4000"), QStringLiteral("wso2.carbon.lb.domain"), QString(), 9763, true);
    const MemberInfo manager = member(QStringLiteral("127.0.0.1:4001"), Esb, QStringLiteral("mgt"), 9764);
    const MemberInfo worker1 = member(QStringLiteral("127.0.0.2:4000"), Esb, QStringLiteral("worker"), 9763);
    const MemberInfo worker2 = member(QStringLiteral("127.0.0.1:4002"), Esb, QStringLiteral("worker"), 9765);
    const MemberInfo greg = member(QStringLiteral("127.0.0.1:4250"), QStringLiteral("wso2.governance.domain"), QString(), 9766);

    cluster.applySnapshot({{lb, MemberState::Alive}, {manager, MemberState::Alive}, {worker1, MemberState::Alive}});
    const QModelIndex root = model.index(0, 0);
    QCOMPARE(root.data().toString(), QStringLiteral("demo"));
    QCOMPARE(model.rowCount(root), 2); // load balancer, wso2.esb.domain
    const QModelIndex esb = childNamed(model, root, Esb);
    QVERIFY(esb.isValid());
    QCOMPARE(esb.siblingAtColumn(LiveClusterModel::StateColumn).data().toString(), QStringLiteral("2/2 up"));

    // The user selects worker1; everything that follows must leave it selected.
    const QModelIndex worker1Index = model.indexOfMember(worker1.id);
    selection.select(worker1Index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);

    cluster.applyEvent(scripted(MembershipEvent::Type::Join, worker2, 1));
    cluster.applyEvent(scripted(MembershipEvent::Type::Join, greg, 2));
    QCOMPARE(model.rowCount(root), 3);
    const QModelIndex workers = childNamed(model, esb, QStringLiteral("worker"));
    QCOMPARE(model.rowCount(workers), 2);
    QCOMPARE(esb.siblingAtColumn(LiveClusterModel::StateColumn).data().toString(), QStringLiteral("3/3 up"));

    cluster.applyTraffic({traffic(worker1.id, QStringLiteral("wso2.esb.domain:worker"), QStringLiteral("UP"), 4),
                          traffic(worker2.id, QStringLiteral("wso2.esb.domain:worker"), QStringLiteral("UP"), 6)});
    QCOMPARE(workers.siblingAtColumn(LiveClusterModel::RequestRateColumn).data().toDouble(), 10.0);
    QCOMPARE(model.indexOfMember(worker2.id).siblingAtColumn(LiveClusterModel::BalancerColumn).data().toString(),
             QStringLiteral("UP"));

    cluster.applyEvent(scripted(MembershipEvent::Type::Suspect, worker2, 3));
    QCOMPARE(model.indexOfMember(worker2.id).data(LiveClusterModel::MemberStateRole).toInt(), int(MemberState::Suspect));
    QVERIFY(!workers.data(LiveClusterModel::HealthyRole).toBool());
    cluster.applyEvent(scripted(MembershipEvent::Type::Refute, worker2, 4));
    QVERIFY(workers.data(LiveClusterModel::HealthyRole).toBool());

    cluster.applyTraffic({traffic(worker1.id, QStringLiteral("wso2.esb.domain:worker"), QStringLiteral("UP"), 4),
                          traffic(worker2.id, QStringLiteral("wso2.esb.domain:worker"), QStringLiteral("DRAIN"), 0)});
    QCOMPARE(model.indexOfMember(worker2.id).data(LiveClusterModel::BalancerStatusRole).toString(), QStringLiteral("DRAIN"));

    cluster.applyEvent(scripted(MembershipEvent::Type::Failure, worker2, 5));
    QCOMPARE(model.indexOfMember(worker2.id).siblingAtColumn(LiveClusterModel::StateColumn).data().toString(),
             QStringLiteral("failed"));
    QCOMPARE(esb.siblingAtColumn(LiveClusterModel::StateColumn).data().toString(), QStringLiteral("2/3 up"));
    cluster.applyEvent(scripted(MembershipEvent::Type::Leave, greg, 6));
    cluster.applyTraffic({traffic(worker1.id, QStringLiteral("wso2.esb.domain:worker"), QStringLiteral("UP"), 5)});
    QVERIFY(!model.indexOfMember(worker2.id).data(LiveClusterModel::BalancerStatusRole).toString().size());

    // Departed members can be forgotten: their rows and emptied groups go, one by one.
    QCoreApplication::processEvents(); // earlier group changes are announced
    QCOMPARE(workers.siblingAtColumn(LiveClusterModel::StateColumn).data().toString(), QStringLiteral("1/2 up"));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    cluster.forgetDeparted();
    QVERIFY(!model.indexOfMember(worker2.id).isValid());
    QVERIFY(!childNamed(model, root, QStringLiteral("wso2.governance.domain")).isValid());

    // The groups that kept members count them anew, and say so once the burst is over.
    QCOMPARE(workers.siblingAtColumn(LiveClusterModel::StateColumn).data().toString(), QStringLiteral("1/1 up"));
    QCOMPARE(workers.data(LiveClusterModel::MemberIdsRole).toStringList(), QStringList{worker1.id});
    QCOMPARE(workers.siblingAtColumn(LiveClusterModel::SessionsColumn).data().toDouble(), 2.5);
    QCOMPARE(esb.data(LiveClusterModel::MemberIdsRole).toStringList(), (QStringList{manager.id, worker1.id}));
    QCOMPARE(root.siblingAtColumn(LiveClusterModel::StateColumn).data().toString(), QStringLiteral("3/3 up"));
    const auto announced = [&changed](const QModelIndex &row) {
        for (const QList<QVariant> &arguments : changed) {
            if (arguments.at(0).value<QModelIndex>() == row)
                return true;
        }
        return false;
    };
    QTRY_VERIFY(announced(workers) && announced(esb) && announced(root));

    QCOMPARE(resets.size(), 0);
    QVERIFY(inserted.size() >= 6);
    QVERIFY(selection.isSelected(model.indexOfMember(worker1.id)));
    QCOMPARE(selection.selectedRows().size(), 1);
    QCOMPARE(selection.selectedRows().first().data(LiveClusterModel::MemberIdRole).toString(), worker1.id);
}

// A member whose pushed files moved it rejoins under its new id: the same row, renamed, still
// selected, and one "rejoin" line in the log; moved to another sub-domain, the row moves there.
void TestLiveClusterModel::rejoinRenamesTheRow()
{
    LiveCluster cluster;
    LiveClusterModel model(&cluster, QStringLiteral("demo"));
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QItemSelectionModel selection(&model);
    const MemberInfo worker = member(QStringLiteral("127.0.0.2:4000"), Esb, QStringLiteral("worker"), 9763);
    cluster.applySnapshot({{worker, MemberState::Alive}});
    selection.select(model.indexOfMember(worker.id), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy logged(&cluster, &LiveCluster::eventLogged);

    MemberInfo moved = worker;
    moved.id = QStringLiteral("127.0.0.2:4010");
    moved.port = 4010;
    MembershipEvent rejoin = scripted(MembershipEvent::Type::Rejoin, moved, 1);
    rejoin.previousId = worker.id;
    cluster.applyEvent(rejoin);
    QVERIFY(!model.indexOfMember(worker.id).isValid());
    QVERIFY(model.indexOfMember(moved.id).isValid());
    QCOMPARE(removed.size(), 0);
    QVERIFY(selection.isSelected(model.indexOfMember(moved.id)));
    QCOMPARE(cluster.members().size(), 1);
    QCOMPARE(logged.size(), 1);
    QCOMPARE(logged.first().first().value<LiveEvent>().kind, QStringLiteral("rejoin"));

    MemberInfo batch = moved;
    batch.id = QStringLiteral("127.0.0.2:4011");
    batch.subDomain = QStringLiteral("batch");
    rejoin = scripted(MembershipEvent::Type::Rejoin, batch, 2);
    rejoin.previousId = moved.id;
    cluster.applyEvent(rejoin);
    const QModelIndex esb = childNamed(model, model.index(0, 0), Esb);
    QVERIFY(childNamed(model, esb, QStringLiteral("batch")).isValid());
    QVERIFY(!childNamed(model, esb, QStringLiteral("worker")).isValid());
    QCOMPARE(model.indexOfMember(batch.id).parent().data().toString(), QStringLiteral("batch"));

    // The same id in another sub-domain (only the sub-domain was pushed): the row moves back,
    // and the domain it stays in is the same row all along.
    const QPersistentModelIndex esbRow(esb);
    MemberInfo back = batch;
    back.subDomain = QStringLiteral("worker");
    rejoin = scripted(MembershipEvent::Type::Rejoin, back, 3);
    rejoin.previousId = back.id;
    cluster.applyEvent(rejoin);
    QCOMPARE(model.indexOfMember(back.id).parent().data().toString(), QStringLiteral("worker"));
    QVERIFY(esbRow.isValid());
    QVERIFY(!childNamed(model, esbRow, QStringLiteral("batch")).isValid());
    QCOMPARE(cluster.members().size(), 1);
}

void TestLiveClusterModel::serversWithoutAnAgent()
{
    LiveCluster cluster;
    LiveClusterModel model(&cluster, QStringLiteral("mixed"));
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&model, &QAbstractItemModel::modelAboutToBeReset);
    QSignalSpy logged(&cluster, &LiveCluster::eventLogged);
    QSignalSpy changed(&cluster, &LiveCluster::memberChanged);
    const MemberInfo worker1 = member(QStringLiteral("127.0.0.2:4000"), Esb, QStringLiteral("worker"), 9763);
    cluster.applySnapshot({{worker1, MemberState::Alive}});
    logged.clear();

    ServerTraffic frontend = traffic(QStringLiteral("FRONTEND"), QStringLiteral("http-in"), QStringLiteral("OPEN"), 12);
    frontend.isFrontend = true;
    ServerTraffic legacy = traffic(QStringLiteral("box-7"), QStringLiteral("wso2.esb.domain:worker"), QStringLiteral("UP"), 2);
    legacy.address = QStringLiteral("10.0.0.7:9763");
    ServerTraffic other = traffic(QStringLiteral("app-1"), QStringLiteral("legacy-app"), QStringLiteral("DOWN"), 0);
    const QList<ServerTraffic> poll{traffic(worker1.id, QStringLiteral("wso2.esb.domain:worker"), QStringLiteral("UP"), 4), frontend,
                                    legacy, other};
    cluster.applyTraffic(poll);
    QCOMPARE(logged.count(), 0); // what was there when the console came is not news

    // The member's server stays the member's; the others are rows of their own, placed by backend.
    const QModelIndex box = model.indexOfMember(QStringLiteral("wso2.esb.domain:worker/box-7"));
    QVERIFY(box.isValid());
    QCOMPARE(box.data().toString(), QStringLiteral("box-7"));
    QCOMPARE(box.parent().data().toString(), QStringLiteral("worker"));
    QCOMPARE(box.siblingAtColumn(LiveClusterModel::StateColumn).data().toString(), QStringLiteral("no agent"));
    QCOMPARE(box.siblingAtColumn(LiveClusterModel::AddressColumn).data().toString(), QStringLiteral("10.0.0.7:9763"));
    QCOMPARE(cluster.member(box.data(LiveClusterModel::MemberIdRole).toString())->info.httpPort, 9763);
    const QModelIndex app = model.indexOfMember(QStringLiteral("legacy-app/app-1"));
    QCOMPARE(app.parent().data().toString(), QStringLiteral("legacy-app"));
    QCOMPARE(app.data(LiveClusterModel::ToneRole).toInt(), int(LiveClusterModel::Tone::Bad));
    const QModelIndex door = model.indexOfMember(QStringLiteral("http-in/FRONTEND"));
    QCOMPARE(door.parent().data(LiveClusterModel::KindRole).toInt(), int(LiveClusterModel::Kind::LoadBalancer));
    QCOMPARE(door.siblingAtColumn(LiveClusterModel::StateColumn).data().toString(), QStringLiteral("frontend"));
    const QModelIndex root = model.index(0, 0);
    QCoreApplication::processEvents();
    // The frontend's traffic is the servers': the cluster counts it once.
    QCOMPARE(root.siblingAtColumn(LiveClusterModel::RequestRateColumn).data().toDouble(), 6.0);
    QCOMPARE(root.data(LiveClusterModel::TrafficIdsRole).toStringList().size(), 3);
    QCOMPARE(root.data(LiveClusterModel::MemberIdsRole).toStringList().size(), 4);
    QCOMPARE(door.parent().siblingAtColumn(LiveClusterModel::RequestRateColumn).data().toDouble(), 12.0);
    // A member whose agent has gone (never joined) is no reason to call the others left.
    cluster.applySnapshot({{worker1, MemberState::Alive}});
    QCOMPARE(cluster.member(QStringLiteral("legacy-app/app-1"))->state, MemberState::Alive);

    // The same poll again changes nothing: no row is repainted.
    changed.clear();
    cluster.applyTraffic(poll);
    QCOMPARE(changed.count(), 0);

    // A server added later is news; one gone leaves the tree and the log says so.
    ServerTraffic added = traffic(QStringLiteral("box-8"), QStringLiteral("wso2.esb.domain:worker"), QStringLiteral("UP"), 0);
    cluster.applyTraffic({poll.at(0), frontend, legacy, added});
    QVERIFY(!model.indexOfMember(QStringLiteral("legacy-app/app-1")).isValid());
    QVERIFY(model.indexOfMember(QStringLiteral("wso2.esb.domain:worker/box-8")).isValid());
    QCOMPARE(logged.count(), 2);
    QVERIFY(logged.at(0).first().value<LiveEvent>().reason.contains(QLatin1String("added")));
    QVERIFY(logged.at(1).first().value<LiveEvent>().reason.contains(QLatin1String("removed from legacy-app")));
    QVERIFY(!childNamed(model, root, QStringLiteral("legacy-app")).isValid()); // its group went with it

    // When the agent of a server's node joins under the server's name, the member takes it over.
    MemberInfo box8 = member(QStringLiteral("127.0.0.8:4000"), Esb, QStringLiteral("worker"), 9763);
    cluster.applyEvent(scripted(MembershipEvent::Type::Join, box8, 1));
    added.server = box8.id;
    cluster.applyTraffic({poll.at(0), frontend, legacy, added});
    QVERIFY(!model.indexOfMember(QStringLiteral("wso2.esb.domain:worker/box-8")).isValid());
    QCOMPARE(model.indexOfMember(box8.id).data(LiveClusterModel::BalancerStatusRole).toString(), QStringLiteral("UP"));

    // HAProxy had a node's server before its join arrived: the join takes the row over, silently.
    const MemberInfo box9 = member(QStringLiteral("127.0.0.9:4000"), Esb, QStringLiteral("worker"), 9763);
    ServerTraffic early = traffic(box9.id, QStringLiteral("wso2.esb.domain:worker"), QStringLiteral("UP"), 1);
    cluster.applyTraffic({poll.at(0), frontend, legacy, added, early});
    QVERIFY(model.indexOfMember(QStringLiteral("wso2.esb.domain:worker/") + box9.id).isValid());
    logged.clear();
    cluster.applyEvent(scripted(MembershipEvent::Type::Join, box9, 2));
    QVERIFY(!model.indexOfMember(QStringLiteral("wso2.esb.domain:worker/") + box9.id).isValid());
    cluster.applyTraffic({poll.at(0), frontend, legacy, added, early});
    QCOMPARE(model.indexOfMember(box9.id).data(LiveClusterModel::BalancerStatusRole).toString(), QStringLiteral("UP"));
    for (const QList<QVariant> &arguments : std::as_const(logged))
        QVERIFY2(!arguments.first().value<LiveEvent>().reason.contains(QLatin1String("removed")),
                 qPrintable(arguments.first().value<LiveEvent>().reason));
    QCOMPARE(resets.count(), 0);
}

// The console falls over from the load balancer to a member of one domain: that member's view
// lacks the other domain, which has not left for that; what it can see and does not list has.
void TestLiveClusterModel::narrowerSeedKeepsWhatItCannotSee()
{
    LiveCluster cluster;
    LiveClusterModel model(&cluster, QStringLiteral("demo"));
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    MemberInfo lb = member(QStringLiteral("127.0.0.1:4000"), QStringLiteral("wso2.carbon.lb.domain"), QString(), 8280, true);
    const QString governance = QStringLiteral("wso2.governance.domain");
    lb.servedDomains = {Esb, governance};
    const MemberInfo manager = member(QStringLiteral("127.0.0.1:4001"), Esb, QStringLiteral("mgt"), 9764);
    const MemberInfo worker = member(QStringLiteral("127.0.0.2:4002"), Esb, QStringLiteral("worker"), 9763);
    const MemberInfo greg = member(QStringLiteral("127.0.0.1:4250"), governance, QStringLiteral("mgt"), 9766);
    cluster.applySnapshot({{lb, MemberState::Alive}, {manager, MemberState::Alive}, {worker, MemberState::Alive},
                           {greg, MemberState::Alive}},
                          lb.id);

    // The manager's view: the load balancer failed, the worker went while nobody watched.
    cluster.applySnapshot({{lb, MemberState::Failed}, {manager, MemberState::Alive}}, manager.id);
    QCOMPARE(cluster.member(greg.id)->state, MemberState::Alive);
    QCOMPARE(cluster.member(worker.id)->state, MemberState::Left);
    QCOMPARE(cluster.member(lb.id)->state, MemberState::Failed);

    // Without knowing who sent it, a view is taken whole, as before.
    cluster.applySnapshot({{manager, MemberState::Alive}});
    QCOMPARE(cluster.member(greg.id)->state, MemberState::Left);
}

QTEST_GUILESS_MAIN(TestLiveClusterModel)
#include "tst_liveclustermodel.moc"
