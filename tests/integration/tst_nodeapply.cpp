// Configuring the running cluster end to end, with real agents and a real HAProxy: a worker
// planned like an existing one on a server that runs two nodes already, provisioned on a bare
// agent, joins and takes requests through HAProxy; a pushed membership port makes a worker
// rejoin with no failure; a colliding plan is refused before anything is written; a sub-domain
// added to loadbalancer.conf is served once a worker moves into it.
#include "provisioning.h"

#include "protocol/member.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace LbTest;

namespace {

const QString Worker1Host = QStringLiteral("127.0.0.2");
const QPair<QString, quint16> Worker1Http{QStringLiteral("127.0.0.2"), 9763};
const QPair<QString, quint16> ManagerHttp{QStringLiteral("127.0.0.1"), 9764};
const QPair<QString, quint16> Worker2Http{QStringLiteral("127.0.0.1"), 9765};

// Every event an agent reports from now on.
struct EventRecorder
{
    explicit EventRecorder(const AgentCluster &cluster, const QString &node)
        : client(cluster.client(node))
    {
        QObject::connect(client.get(), &Protocol::AgentClient::eventReceived, client.get(),
                         [this](const Protocol::MembershipEvent &event) { events.append(event); });
        client->open();
        client->subscribe();
    }
    QList<Protocol::MembershipEvent> of(const QString &memberId) const
    {
        QList<Protocol::MembershipEvent> found;
        for (const Protocol::MembershipEvent &event : events) {
            if (event.member.id == memberId || event.previousId == memberId)
                found.append(event);
        }
        return found;
    }
    std::unique_ptr<Protocol::AgentClient> client;
    QList<Protocol::MembershipEvent> events;
};

} // namespace

class TestNodeApply : public QObject
{
    Q_OBJECT

private slots:
    void provisionedWorkerJoinsAndServes();
    void collidingPlanIsRefused();
    void membershipPortChangeRejoins();
    void newSubDomainIsServed();
};

void TestNodeApply::provisionedWorkerJoinsAndServes()
{
    REQUIRE_FREE(ManagerHttp, Worker2Http);
    LbCluster lb({Manager, Worker2});
    QString error;
    QVERIFY2(lb.prepare(&error), qPrintable(error));
    QVERIFY(lb.startLb());
    QVERIFY(lb.startMember(Manager));
    QVERIFY(lb.startMember(Worker2));

    // Planned on 127.0.0.1, where the load balancer, the manager and worker2 run.
    Provisioned worker = provisionLike(lb, Manager, Worker2, QStringLiteral("esb-worker9"), QStringLiteral("127.0.0.1"));
    if (!worker.error.isEmpty())
        QFAIL(qPrintable(worker.error));
    qInfo("%s", worker.output.constData());
    // No collision with the nodes already there (offsets 0, 1 and 2 on that server).
    QVERIFY2(worker.offset > 2, worker.output.constData());
    QVERIFY2(worker.exitCode == 0, worker.output.constData());
    for (const char *step : {"files written", "joined as the node", "seen by every member", "server added in HAProxy",
                             "first health check UP", "first request served through HAProxy"})
        QVERIFY2(worker.stepMs(QString::fromLatin1(step)) >= 0, step);
    QVERIFY2(worker.served.contains(worker.memberId), qPrintable(worker.served.join(u' ')));
    const QString home = worker.home;
    const QString newId = worker.memberId;
    // The node's files are on disk, and it is a member to everyone: the manager lists it.
    QVERIFY(QFile::exists(home + QLatin1String("/repository/conf/axis2/axis2.xml")));
    QVERIFY(QFile::exists(home + QLatin1String("/.tribune/audit.log")));
    const Run members = tribunectl({QStringLiteral("members"), QStringLiteral("--seed"), lb.cluster.memberId(Manager),
                                    QStringLiteral("--key-file"), lb.cluster.keyFile()});
    QVERIFY2(members.out.contains(newId.toUtf8()), QByteArray(members.out + members.err).constData());

    stopAgentProcesses({worker.agent.release()}, home);
    QVERIFY(lb.cluster.stop(Worker2));
    QVERIFY(lb.cluster.stop(Manager));
    QVERIFY(lb.cluster.stop(Lb));
}

void TestNodeApply::collidingPlanIsRefused()
{
    AgentCluster cluster({Worker2});
    QString error;
    QVERIFY2(cluster.prepare(&error), qPrintable(error));
    QVERIFY(cluster.start(Worker2));
    const QStringList seed{QStringLiteral("--seed"), cluster.memberId(Worker2), QStringLiteral("--key-file"), cluster.keyFile()};
    // A new node on worker2's server asking for worker2's membership port, as an archive.
    const QString planDir = cluster.root() + QLatin1String("/plan.tar.gz");
    const Run planned = tribunectl(QStringList{QStringLiteral("node"), QStringLiteral("plan")} + seed
                                   + QStringList{QStringLiteral("--like"), Worker2, QStringLiteral("--host"),
                                                 QStringLiteral("127.0.0.1"), QStringLiteral("--name"),
                                                 QStringLiteral("esb-worker9"), QStringLiteral("--set"),
                                                 QStringLiteral("axis2.xml:localMemberPort=%1").arg(cluster.memberPort(Worker2)),
                                                 QStringLiteral("--out"), planDir});
    QCOMPARE(planned.exitCode, 1);
    QVERIFY2(planned.out.contains("member-port-collision"), QByteArray(planned.out + planned.err).constData());

    const QString home = cluster.root() + QLatin1String("/esb-worker9");
    const quint16 provisionPort = freePort();
    std::unique_ptr<QProcess> bare(startAgentProcess({QStringLiteral("--provision"), QStringLiteral("--carbon-home"), home,
                                                      QStringLiteral("--key-file"), cluster.keyFile(),
                                                      QStringLiteral("--listen"),
                                                      QStringLiteral("127.0.0.1:%1").arg(provisionPort)}));
    QVERIFY(bare);
    const Run applied = tribunectl(QStringList{QStringLiteral("node"), QStringLiteral("apply")} + seed
                                   + QStringList{QStringLiteral("--plan"), planDir, QStringLiteral("--to"),
                                                 QStringLiteral("127.0.0.1:%1").arg(provisionPort),
                                                 QStringLiteral("--timeout"), QStringLiteral("5")});
    QCOMPARE(applied.exitCode, 1);
    QVERIFY2(applied.err.contains("nothing was pushed"), QByteArray(applied.out + applied.err).constData());
    // Nothing reached the bare node.
    QVERIFY(QDir(home + QLatin1String("/repository/conf")).isEmpty());
    QVERIFY(!QFile::exists(home + QLatin1String("/.tribune")));
    stopAgentProcesses({bare.release()}, home);
    QVERIFY(cluster.stop(Worker2));
}

void TestNodeApply::membershipPortChangeRejoins()
{
    // The workers join through the manager, their well-known member.
    AgentCluster cluster({Manager, Worker1});
    QString error;
    QVERIFY2(cluster.prepare(&error), qPrintable(error));
    QVERIFY(cluster.start(Manager));
    QVERIFY(cluster.start(Worker1));
    const QString before = cluster.memberId(Worker1);
    const QStringList listManager{QStringLiteral("members"), QStringLiteral("--seed"), cluster.memberId(Manager),
                                  QStringLiteral("--key-file"), cluster.keyFile()};
    QTRY_VERIFY_WITH_TIMEOUT(tribunectl(listManager).out.contains(before.toUtf8()), 8000);
    EventRecorder recorder(cluster, Manager);
    QTRY_VERIFY_WITH_TIMEOUT(recorder.client->isConnected(), 5000);

    const quint16 newPort = freePort();
    const QString after = Worker1Host + QLatin1Char(':') + QString::number(newPort);
    const Run set = tribunectl({QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("--seed"),
                                cluster.memberId(Manager), QStringLiteral("--key-file"), cluster.keyFile(),
                                QStringLiteral("--node"), Worker1,
                                QStringLiteral("axis2.xml:localMemberPort=%1").arg(newPort)});
    QVERIFY2(set.exitCode == 0, QByteArray(set.out + set.err).constData());
    QTRY_VERIFY_WITH_TIMEOUT(!recorder.of(before).isEmpty(), 5000);
    const Protocol::MembershipEvent rejoin = recorder.of(before).first();
    QCOMPARE(rejoin.type, Protocol::MembershipEvent::Type::Rejoin);
    QCOMPARE(rejoin.previousId, before);
    QCOMPARE(rejoin.member.id, after);
    // Past the drop time: still no leave, no failure, of either id; heartbeats flow on the new port.
    QTest::qWait(3500);
    for (const Protocol::MembershipEvent &event : recorder.events)
        QVERIFY2(event.type != Protocol::MembershipEvent::Type::Failure && event.type != Protocol::MembershipEvent::Type::Leave,
                 qPrintable(eventTypeName(event.type) + QLatin1Char(' ') + event.member.id));
    const Run members = tribunectl({QStringLiteral("members"), QStringLiteral("--seed"), after, QStringLiteral("--key-file"),
                                    cluster.keyFile()});
    QVERIFY2(members.exitCode == 0 && members.out.contains(cluster.memberId(Manager).toUtf8()), QByteArray(members.out + members.err).constData());
    QVERIFY(cluster.stop(Worker1));
    QVERIFY(cluster.stop(Manager));
}

void TestNodeApply::newSubDomainIsServed()
{
    REQUIRE_FREE(Worker1Http);
    LbCluster lb({Worker1});
    const QString notServing = lb.startServing(Worker1, WorkerBackend);
    QVERIFY2(notServing.isEmpty(), qPrintable(notServing));
    const QString worker1 = lb.cluster.memberId(Worker1);
    Runtime runtime(lb.socket());

    // A "batch" sub-domain planned on loadbalancer.conf, validated and pushed to its agent.
    const Run added = tribunectl({QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("--seed"),
                                  lb.cluster.memberId(Lb), QStringLiteral("--key-file"), lb.cluster.keyFile(),
                                  QStringLiteral("--node"), Lb,
                                  QStringLiteral("loadbalancer.conf:hosts.esb/wso2.esb.domain/batch=batch.esb.wso2.com")});
    QVERIFY2(added.exitCode == 0, QByteArray(added.out + added.err).constData());
    QVERIFY2(added.out.contains("sub_domain"), added.out.constData());
    const QString batchBackend = QStringLiteral("wso2.esb.domain:batch");
    const auto hasBackend = [&runtime](const QString &backend) {
        const std::optional<QList<HAProxy::StatRow>> rows = runtime.stat();
        return rows && std::any_of(rows->cbegin(), rows->cend(), [&](const HAProxy::StatRow &row) { return row.proxy == backend; });
    };
    QTRY_VERIFY_WITH_TIMEOUT(hasBackend(batchBackend), 8000);

    // The worker moves into it: it rejoins, and the load balancer serves it there.
    const Run set = tribunectl({QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("--seed"),
                                lb.cluster.memberId(Lb), QStringLiteral("--key-file"), lb.cluster.keyFile(),
                                QStringLiteral("--node"), Worker1, QStringLiteral("axis2.xml:subDomain=batch")});
    QVERIFY2(set.exitCode == 0, QByteArray(set.out + set.err).constData());
    QTRY_COMPARE_WITH_TIMEOUT(runtime.status(batchBackend, worker1), QStringLiteral("UP"), 8000);
    QCOMPARE(memberOf(lb.httpPort, QStringLiteral("batch.esb.wso2.com"), QStringLiteral("/services/echo")), worker1);
    QTRY_VERIFY_WITH_TIMEOUT(!runtime.server(WorkerBackend, worker1).has_value(), 5000);
    QVERIFY(lb.cluster.stop(Worker1));
    QVERIFY(lb.cluster.stop(Lb));
}

QTEST_GUILESS_MAIN(TestNodeApply)
#include "tst_nodeapply.moc"
