// The load balancer's agent with a real HAProxy: members that join become servers and take
// requests, a killed member leaves HAProxy within the drop time, HAProxy keeps serving while its
// agent is away and a restarted agent takes it over, a crashed HAProxy is started again, port
// mappings and tenant routing, admin changes from tribunectl, and a changed loadbalancer.conf
// applied by a seamless reload.
#include "lbcluster.h"

#include "config/axis2xml.h"
#include "config/configerror.h"
#include "config/loadbalancerconf.h"
#include "haproxy/haproxystats.h"
#include "haproxy/runtimeclient.h"

#include "../common/testsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QEventLoop>
#include <QFile>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <csignal>

using namespace Tribune;

namespace {

using namespace LbTest;

} // namespace

class TestLoadBalancer : public QObject
{
    Q_OBJECT

private slots:
    void workerJoinsAndServes();
    void managerWithPortMapping();
    void killedWorkerIsRemoved();
    void haproxyOutlivesItsAgent();
    void crashedHAProxyIsStartedAgain();
    void tenantRouting();
    void drainAndWeightFromTribunectl();
    void reloadOnConfChange();
    void attachedAgentCannotAddBackends();
};

const QPair<QString, quint16> Worker1Http{QStringLiteral("127.0.0.2"), 9763};
const QPair<QString, quint16> ManagerHttp{QStringLiteral("127.0.0.1"), 9764};
const QPair<QString, quint16> Worker2Http{QStringLiteral("127.0.0.1"), 9765};

void TestLoadBalancer::workerJoinsAndServes()
{
    REQUIRE_FREE(Worker1Http, ManagerHttp, Worker2Http);
    LbCluster lb({Manager, Worker1, Worker2});
    QString error;
    QVERIFY2(lb.prepare(&error), qPrintable(error));
    QVERIFY(lb.startLb());
    QVERIFY(lb.startMember(Manager));
    QElapsedTimer joined;
    joined.start();
    QVERIFY(lb.startMember(Worker1));
    const QString worker1 = lb.cluster.memberId(Worker1);
    Runtime runtime(lb.socket());

    QTRY_VERIFY_WITH_TIMEOUT(runtime.server(WorkerBackend, worker1).has_value(), 5000);
    qInfo("worker1 a server of %s after %lld ms", qPrintable(WorkerBackend), joined.elapsed());
    QTRY_COMPARE_WITH_TIMEOUT(runtime.status(WorkerBackend, worker1), QStringLiteral("UP"), 8000);
    qInfo("worker1 UP after %lld ms", joined.elapsed());

    const std::optional<HttpResponse> response = httpGet(lb.httpPort, QStringLiteral("worker.esb.wso2.com"),
                                                         QStringLiteral("/services/echo"));
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QCOMPARE(response->memberId(), worker1);

    QVERIFY(lb.startMember(Worker2));
    const QString worker2 = lb.cluster.memberId(Worker2);
    QTRY_COMPARE_WITH_TIMEOUT(runtime.status(WorkerBackend, worker2), QStringLiteral("UP"), 10000);
    QStringList seen;
    for (int i = 0; i < 6; ++i)
        seen.append(memberOf(lb.httpPort, QStringLiteral("worker.esb.wso2.com"), QStringLiteral("/services/echo")));
    for (int i = 0; i < seen.size(); ++i) {
        QVERIFY2(seen.at(i) == worker1 || seen.at(i) == worker2, qPrintable(seen.join(u' ')));
        if (i > 0)
            QVERIFY2(seen.at(i) != seen.at(i - 1), qPrintable(QStringLiteral("not round robin: ") + seen.join(u' ')));
    }
    QVERIFY(lb.cluster.stop(Worker2));
    QVERIFY(lb.cluster.stop(Worker1));
    QVERIFY(lb.cluster.stop(Manager));
    // Not while its agent runs: the agent would start it again.
    const Run early = lb.stopHAProxy();
    QCOMPARE(early.exitCode, 1);
    QVERIFY2(early.err.contains("stop the agent first"), early.err.constData());
    QVERIFY(lb.masterPid() > 0);
    QVERIFY(lb.cluster.stop(Lb));
    // HAProxy stops only when asked to.
    QVERIFY(!haproxyPids(lb.configPath()).isEmpty());
    const Run stopped = lb.stopHAProxy();
    QVERIFY2(stopped.exitCode == 0, QByteArray(stopped.out + stopped.err).constData());
    QVERIFY(haproxyPids(lb.configPath()).isEmpty());
    QVERIFY(!QFileInfo::exists(lb.pidFile()));
    QVERIFY(!httpGet(lb.httpPort, QStringLiteral("worker.esb.wso2.com"), QStringLiteral("/services/echo")));
    // Asking again is no error.
    QCOMPARE(lb.stopHAProxy().exitCode, 0);
}

void TestLoadBalancer::managerWithPortMapping()
{
    REQUIRE_FREE(ManagerHttp);
    LbCluster lb({Manager});
    QString error;
    QVERIFY2(lb.prepare(&error), qPrintable(error));
    // The manager maps the load balancer's (ephemeral) HTTP port to its own HTTP port.
    const QString axis2Path = lb.cluster.home(Manager) + QLatin1String("/repository/conf/axis2/axis2.xml");
    Config::ConfigError configError;
    std::optional<Config::Axis2Xml> axis2 = Config::Axis2Xml::load(axis2Path, &configError);
    QVERIFY2(axis2, qPrintable(configError.toString()));
    QVERIFY2(axis2->setProperty(QStringLiteral("port.mapping.") + QString::number(lb.httpPort), QStringLiteral("9764"),
                                &configError)
                 && axis2->save(axis2Path, &configError),
             qPrintable(configError.toString()));

    QVERIFY(lb.startLb());
    QVERIFY(lb.startMember(Manager));
    const QString manager = lb.cluster.memberId(Manager);
    Runtime runtime(lb.socket());
    QTRY_VERIFY_WITH_TIMEOUT(runtime.server(ManagerBackend, manager).has_value(), 5000);
    const HAProxy::ServerState state = *runtime.server(ManagerBackend, manager);
    QCOMPARE(state.port, 9764);
    QCOMPARE(state.address, QStringLiteral("127.0.0.1"));

    // tribunectl sees it too.
    const Run status = tribunectl({QStringLiteral("lb"), QStringLiteral("status"), QStringLiteral("--json"),
                                   QStringLiteral("--socket"), lb.socket()});
    QCOMPARE(status.exitCode, 0);
    QVERIFY2(status.out.contains(manager.toUtf8()), status.out.constData());

    QTRY_COMPARE_WITH_TIMEOUT(runtime.status(ManagerBackend, manager), QStringLiteral("UP"), 8000);
    QCOMPARE(memberOf(lb.httpPort, QStringLiteral("mgt.esb.wso2.com"), QStringLiteral("/services/echo")), manager);
    // Another host does not reach it.
    QCOMPARE(statusOf(lb.httpPort, QStringLiteral("nowhere.example.com"), QStringLiteral("/services/echo")), 503);
    QVERIFY(lb.cluster.stop(Manager));
    QVERIFY(lb.cluster.stop(Lb));
}

void TestLoadBalancer::killedWorkerIsRemoved()
{
    REQUIRE_FREE(Worker1Http, Worker2Http);
    LbCluster lb({Worker1, Worker2});
    QString error;
    QVERIFY2(lb.prepare(&error), qPrintable(error));
    QVERIFY(lb.startLb());
    QVERIFY(lb.startMember(Worker1));
    QVERIFY(lb.startMember(Worker2));
    const QString worker1 = lb.cluster.memberId(Worker1);
    const QString worker2 = lb.cluster.memberId(Worker2);
    Runtime runtime(lb.socket());
    const QSet<QString> both{WorkerBackend + QLatin1Char('/') + worker1, WorkerBackend + QLatin1Char('/') + worker2};
    QTRY_COMPARE_WITH_TIMEOUT(runtime.servers({WorkerBackend}), both, 5000);

    QElapsedTimer sinceKill;
    QVERIFY(lb.cluster.kill(Worker1));
    sinceKill.start();
    const QSet<QString> survivor{WorkerBackend + QLatin1Char('/') + worker2};
    while (runtime.servers({WorkerBackend}) != survivor && sinceKill.elapsed() < 8000)
        QTest::qWait(50);
    const qint64 removedAfter = sinceKill.elapsed();
    qInfo("killed worker removed from HAProxy after %lld ms (member drop time 3000 ms)", removedAfter);
    QCOMPARE(runtime.servers({WorkerBackend}), survivor);
    QVERIFY2(removedAfter <= 3000 + 1000, qPrintable(QString::number(removedAfter)));
    QVERIFY(lb.cluster.stop(Worker2));
    QVERIFY(lb.cluster.stop(Lb));
}

// An upgrade or restart of the load balancer's agent is no outage: HAProxy serves on while the
// agent is away (killed or stopped), and the agent that starts next takes that HAProxy over,
// keeps its servers while its view fills, and then removes what left meanwhile.
void TestLoadBalancer::haproxyOutlivesItsAgent()
{
    REQUIRE_FREE(Worker1Http, ManagerHttp, Worker2Http);
    LbCluster lb({Manager, Worker1, Worker2});
    QString error;
    QVERIFY2(lb.prepare(&error), qPrintable(error));
    QVERIFY(lb.startLb());
    QVERIFY(lb.startMember(Manager));
    QVERIFY(lb.startMember(Worker1));
    QVERIFY(lb.startMember(Worker2));
    const QString manager = ManagerBackend + QLatin1Char('/') + lb.cluster.memberId(Manager);
    const QString worker1 = WorkerBackend + QLatin1Char('/') + lb.cluster.memberId(Worker1);
    const QString worker2 = WorkerBackend + QLatin1Char('/') + lb.cluster.memberId(Worker2);
    const QStringList backends{WorkerBackend, ManagerBackend};
    Runtime runtime(lb.socket());
    QTRY_COMPARE_WITH_TIMEOUT(runtime.servers(backends), (QSet<QString>{manager, worker1, worker2}), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(runtime.status(WorkerBackend, lb.cluster.memberId(Worker2)), QStringLiteral("UP"), 8000);
    const qint64 master = lb.masterPid();
    QVERIFY(master > 0);
    const QList<qint64> processes = haproxyPids(lb.configPath());

    // Killed outright: every request still answered, by the same HAProxy.
    QVERIFY(lb.cluster.kill(Lb));
    int failed = 0;
    for (int i = 0; i < 20; ++i) {
        if (statusOf(lb.httpPort, QStringLiteral("worker.esb.wso2.com"), QStringLiteral("/services/echo")) != 200)
            ++failed;
        QTest::qWait(50);
    }
    QCOMPARE(failed, 0);
    QCOMPARE(lb.masterPid(), master);
    QCOMPARE(runtime.servers(backends), (QSet<QString>{manager, worker1, worker2}));
    // A worker leaves while nobody watches.
    QVERIFY(lb.cluster.stop(Worker2));

    QVERIFY(lb.startLb());
    QElapsedTimer sinceStart;
    sinceStart.start();
    QVERIFY2(lb.cluster.output(Lb).contains(QStringLiteral("took over the running HAProxy (pid %1)").arg(master)),
             qPrintable(lb.cluster.output(Lb)));
    QCOMPARE(lb.masterPid(), master);
    QCOMPARE(haproxyPids(lb.configPath()), processes); // no second HAProxy, not even a reload
    // The live members are never taken out while the view fills; the one that left goes.
    const QSet<QString> live{manager, worker1};
    while (runtime.servers(backends) != live && sinceStart.elapsed() < 10000) {
        QVERIFY(runtime.servers(backends).contains(live));
        QTest::qWait(50);
    }
    const qint64 reconciledAfter = sinceStart.elapsed();
    qInfo("the restarted agent removed the server that left %lld ms after it listened", reconciledAfter);
    QCOMPARE(runtime.servers(backends), live);
    // At most the drop time (3 s), then one reconcile (2 s).
    QVERIFY2(reconciledAfter <= 3000 + 2000 + 1000, qPrintable(QString::number(reconciledAfter)));
    QTest::qWait(2500);
    QCOMPARE(runtime.servers(backends), live);
    QCOMPARE(statusOf(lb.httpPort, QStringLiteral("worker.esb.wso2.com"), QStringLiteral("/services/echo")), 200);

    // Stopped gracefully, the same: HAProxy serves on.
    QVERIFY(lb.cluster.stop(Lb));
    QCOMPARE(lb.masterPid(), master);
    QCOMPARE(statusOf(lb.httpPort, QStringLiteral("worker.esb.wso2.com"), QStringLiteral("/services/echo")), 200);

    // loadbalancer.conf changed while no agent ran: the next one applies it by a seamless reload
    // once its view has filled.
    const QString newHost = QStringLiteral("new.esb.wso2.com");
    Config::ConfigError configError;
    std::optional<Config::LoadBalancerConf> conf = Config::LoadBalancerConf::load(lb.lbConf(), &configError);
    QVERIFY2(conf, qPrintable(configError.toString()));
    QVERIFY2(conf->setDomainValue(QStringLiteral("esb"), QStringLiteral("wso2.esb.domain"), QStringLiteral("worker"),
                                  QStringLiteral("hosts"), QStringLiteral("worker.esb.wso2.com, ") + newHost, &configError)
                 && conf->save(lb.lbConf(), &configError),
             qPrintable(configError.toString()));
    QCOMPARE(statusOf(lb.httpPort, newHost, QStringLiteral("/services/echo")), 503);
    QVERIFY(lb.startLb());
    QElapsedTimer sinceRestart;
    sinceRestart.start();
    while (memberOf(lb.httpPort, newHost, QStringLiteral("/services/echo")) != lb.cluster.memberId(Worker1)
           && sinceRestart.elapsed() < 10000)
        QTest::qWait(100);
    qInfo("a loadbalancer.conf changed while the agent was away routes %lld ms after the agent listens",
          sinceRestart.elapsed());
    QCOMPARE(memberOf(lb.httpPort, newHost, QStringLiteral("/services/echo")), lb.cluster.memberId(Worker1));
    QCOMPARE(lb.masterPid(), master);
    QCOMPARE(runtime.servers(backends), live);
    QVERIFY(lb.cluster.stop(Lb));
    QVERIFY(lb.cluster.stop(Worker1));
    QVERIFY(lb.cluster.stop(Manager));
    const Run stopped = lb.stopHAProxy();
    QVERIFY2(stopped.exitCode == 0, QByteArray(stopped.out + stopped.err).constData());
    QVERIFY(haproxyPids(lb.configPath()).isEmpty());
}

// HAProxy's master dies under a running agent: the agent starts a new one and puts its servers
// back from the view.
void TestLoadBalancer::crashedHAProxyIsStartedAgain()
{
    REQUIRE_FREE(Worker1Http);
    LbCluster lb({Worker1});
    const QString notServing = lb.startServing(Worker1, WorkerBackend);
    QVERIFY2(notServing.isEmpty(), qPrintable(notServing));
    const QString worker1 = lb.cluster.memberId(Worker1);
    const qint64 master = lb.masterPid();
    QVERIFY(master > 0);
    for (const qint64 pid : haproxyPids(lb.configPath()))
        ::kill(pid_t(pid), SIGKILL);
    QElapsedTimer sinceKill;
    sinceKill.start();
    while (memberOf(lb.httpPort, QStringLiteral("worker.esb.wso2.com"), QStringLiteral("/services/echo")) != worker1
           && sinceKill.elapsed() < 15000)
        QTest::qWait(100);
    qInfo("a killed HAProxy serves again %lld ms later", sinceKill.elapsed());
    QCOMPARE(memberOf(lb.httpPort, QStringLiteral("worker.esb.wso2.com"), QStringLiteral("/services/echo")), worker1);
    QVERIFY(lb.masterPid() > 0);
    QVERIFY(lb.masterPid() != master);
    QTRY_VERIFY2_WITH_TIMEOUT(lb.cluster.output(Lb).contains(QStringLiteral("HAProxy's master (pid %1) is gone").arg(master)),
                              qPrintable(lb.cluster.output(Lb)), 3000);
    QVERIFY(lb.cluster.stop(Worker1));
    QVERIFY(lb.cluster.stop(Lb));
}

void TestLoadBalancer::tenantRouting()
{
    REQUIRE_FREE(Worker1Http, Worker2Http);
    LbCluster lb({Worker1, Worker2});
    QString error;
    QVERIFY2(lb.prepare(&error), qPrintable(error));
    // One service, two domains on the same host: tenants 1-10 and 11-20.
    QFile conf(lb.lbConf());
    QVERIFY(conf.open(QIODevice::WriteOnly | QIODevice::Truncate));
    conf.write("loadbalancer {\n    instances 1;\n}\n"
               "services {\n"
               "    esb {\n"
               "        domains {\n"
               "            wso2.esb.domain {\n"
               "                hosts        tenants.esb.wso2.com;\n"
               "                sub_domain   worker;\n"
               "                tenant_range 1-10;\n"
               "            }\n"
               "            wso2.esb2.domain {\n"
               "                hosts        tenants.esb.wso2.com;\n"
               "                sub_domain   worker;\n"
               "                tenant_range 11-20;\n"
               "            }\n"
               "        }\n"
               "    }\n"
               "}\n");
    conf.close();
    const QString tenantsMap = lb.cluster.root() + QLatin1String("/tenants.map");
    QFile map(tenantsMap);
    QVERIFY(map.open(QIODevice::WriteOnly | QIODevice::Truncate));
    map.write("alpha.com 5\nbeta.com 15\n");
    map.close();
    // worker2 joins the second domain.
    const QString axis2Path = lb.cluster.home(Worker2) + QLatin1String("/repository/conf/axis2/axis2.xml");
    Config::ConfigError configError;
    std::optional<Config::Axis2Xml> axis2 = Config::Axis2Xml::load(axis2Path, &configError);
    QVERIFY2(axis2, qPrintable(configError.toString()));
    QVERIFY2(axis2->setParameter(QStringLiteral("domain"), QStringLiteral("wso2.esb2.domain"), &configError)
                 && axis2->save(axis2Path, &configError),
             qPrintable(configError.toString()));

    QVERIFY(lb.startLb({QStringLiteral("--tenants-map"), tenantsMap}));
    QVERIFY(lb.startMember(Worker1));
    QVERIFY(lb.startMember(Worker2));
    const QString worker1 = lb.cluster.memberId(Worker1);
    const QString worker2 = lb.cluster.memberId(Worker2);
    const QString secondBackend = QStringLiteral("wso2.esb2.domain:worker");
    Runtime runtime(lb.socket());
    QTRY_COMPARE_WITH_TIMEOUT(runtime.status(WorkerBackend, worker1), QStringLiteral("UP"), 8000);
    QTRY_COMPARE_WITH_TIMEOUT(runtime.status(secondBackend, worker2), QStringLiteral("UP"), 8000);

    const QString host = QStringLiteral("tenants.esb.wso2.com");
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(memberOf(lb.httpPort, host, QStringLiteral("/t/alpha.com/services/x")), worker1);
        QCOMPARE(memberOf(lb.httpPort, host, QStringLiteral("/t/beta.com/services/x")), worker2);
    }
    // No tenant, or a tenant in no range: the host has no catch-all group, so 503.
    QCOMPARE(statusOf(lb.httpPort, host, QStringLiteral("/services/x")), 503);
    QCOMPARE(statusOf(lb.httpPort, host, QStringLiteral("/t/unknown.com/services/x")), 503);
    QVERIFY(lb.cluster.stop(Worker1));
    QVERIFY(lb.cluster.stop(Worker2));
    QVERIFY(lb.cluster.stop(Lb));
}

void TestLoadBalancer::drainAndWeightFromTribunectl()
{
    REQUIRE_FREE(Worker1Http);
    LbCluster lb({Worker1});
    const QString notServing = lb.startServing(Worker1, WorkerBackend);
    QVERIFY2(notServing.isEmpty(), qPrintable(notServing));
    const QString worker1 = lb.cluster.memberId(Worker1);
    Runtime runtime(lb.socket());
    const QString target = WorkerBackend + QLatin1Char('/') + worker1;
    const QStringList socket{QStringLiteral("--socket"), lb.socket()};

    const Run drain = tribunectl(QStringList{QStringLiteral("lb"), QStringLiteral("drain"), target} + socket);
    QVERIFY2(drain.exitCode == 0, drain.err.constData());
    QVERIFY2(drain.out.contains("DRAIN"), drain.out.constData());
    QCOMPARE(runtime.status(WorkerBackend, worker1), QStringLiteral("DRAIN"));
    // The driver's reconcile leaves an admin state set by people alone.
    QTest::qWait(2500);
    QCOMPARE(runtime.status(WorkerBackend, worker1), QStringLiteral("DRAIN"));

    const Run weight = tribunectl(QStringList{QStringLiteral("lb"), QStringLiteral("weight"), target,
                                              QStringLiteral("50")} + socket);
    QVERIFY2(weight.exitCode == 0, weight.err.constData());
    QVERIFY2(weight.out.contains("50"), weight.out.constData());
    QCOMPARE(runtime.statRow(WorkerBackend, worker1).weight, 50);
    QCOMPARE(runtime.server(WorkerBackend, worker1)->weight, 50);

    const Run ready = tribunectl(QStringList{QStringLiteral("lb"), QStringLiteral("ready"), target} + socket);
    QVERIFY2(ready.exitCode == 0, ready.err.constData());
    QVERIFY2(ready.out.contains("UP"), ready.out.constData());
    QCOMPARE(runtime.status(WorkerBackend, worker1), QStringLiteral("UP"));

    // A server HAProxy does not have is an error.
    const Run missing = tribunectl(QStringList{QStringLiteral("lb"), QStringLiteral("drain"),
                                               WorkerBackend + QLatin1String("/127.0.0.9:1")} + socket);
    QVERIFY(missing.exitCode != 0);
    QVERIFY(lb.cluster.stop(Worker1));
    QVERIFY(lb.cluster.stop(Lb));
}

void TestLoadBalancer::reloadOnConfChange()
{
    REQUIRE_FREE(Worker1Http);
    LbCluster lb({Worker1});
    const QString notServing = lb.startServing(Worker1, WorkerBackend);
    QVERIFY2(notServing.isEmpty(), qPrintable(notServing));
    const QString worker1 = lb.cluster.memberId(Worker1);
    Runtime runtime(lb.socket());
    const qint64 master = lb.masterPid();
    QVERIFY(master > 0);
    const QString newHost = QStringLiteral("new.esb.wso2.com");
    QCOMPARE(statusOf(lb.httpPort, newHost, QStringLiteral("/services/echo")), 503);

    // A keep-alive connection, open across the reload.
    QTcpSocket keepAlive;
    keepAlive.connectToHost(QHostAddress::LocalHost, lb.httpPort);
    QVERIFY(keepAlive.waitForConnected(3000));
    keepAlive.write(requestText(QStringLiteral("worker.esb.wso2.com"), QStringLiteral("/services/echo"), true));
    std::optional<HttpResponse> first = readResponse(keepAlive);
    QVERIFY(first);
    QCOMPARE(first->status, 200);
    QCOMPARE(first->memberId(), worker1);

    Config::ConfigError configError;
    std::optional<Config::LoadBalancerConf> conf = Config::LoadBalancerConf::load(lb.lbConf(), &configError);
    QVERIFY2(conf, qPrintable(configError.toString()));
    QVERIFY2(conf->setDomainValue(QStringLiteral("esb"), QStringLiteral("wso2.esb.domain"), QStringLiteral("worker"),
                                  QStringLiteral("hosts"), QStringLiteral("worker.esb.wso2.com, ") + newHost,
                                  &configError)
                 && conf->save(lb.lbConf(), &configError),
             qPrintable(configError.toString()));
    QElapsedTimer sinceSave;
    sinceSave.start();
    while (memberOf(lb.httpPort, newHost, QStringLiteral("/services/echo")) != worker1 && sinceSave.elapsed() < 8000)
        QTest::qWait(50);
    const qint64 routedAfter = sinceSave.elapsed();
    qInfo("new host routes %lld ms after loadbalancer.conf was saved", routedAfter);
    QCOMPARE(memberOf(lb.httpPort, newHost, QStringLiteral("/services/echo")), worker1);
    QVERIFY2(routedAfter <= 3000, qPrintable(QString::number(routedAfter)));

    // The established connection still answers, and the master is the same process.
    std::optional<HttpResponse> second;
    if (keepAlive.state() == QAbstractSocket::ConnectedState) {
        keepAlive.write(requestText(QStringLiteral("worker.esb.wso2.com"), QStringLiteral("/services/echo"), true));
        second = readResponse(keepAlive, 3000);
    }
    // The rendered "option idle-close-on-response" makes the old worker answer the next request
    // on a kept-alive connection (with "Connection: close") rather than drop it.
    QVERIFY2(second && second->status == 200 && second->memberId() == worker1,
             second ? second->headers.constData() : "the load balancer closed the keep-alive connection");
    QCOMPARE(lb.masterPid(), master);
    // The member stays a server after the reload (it is rendered into the new configuration).
    QTRY_COMPARE_WITH_TIMEOUT(runtime.status(WorkerBackend, worker1), QStringLiteral("UP"), 5000);
    QVERIFY(lb.cluster.stop(Worker1));
    QVERIFY(lb.cluster.stop(Lb));
}

// Attached to an HAProxy someone else runs: members become its servers through the runtime API,
// and a loadbalancer.conf with a new backend is rendered for that HAProxy's owner to reload, said
// once, since the runtime API adds servers, not backends.
void TestLoadBalancer::attachedAgentCannotAddBackends()
{
    REQUIRE_FREE(Worker1Http);
    LbCluster lb({Worker1});
    QString error;
    QVERIFY2(lb.prepare(&error), qPrintable(error));
    const QString owned = lb.cluster.root() + QLatin1String("/owned");
    QVERIFY(QDir().mkpath(owned));
    const QString socket = owned + QLatin1String("/admin.sock");
    const QString config = owned + QLatin1String("/haproxy.cfg");
    const Run rendered = tribunectl({QStringLiteral("render-haproxy"), lb.lbConf(), QStringLiteral("-o"), config,
                                     QStringLiteral("--bind"), QStringLiteral("127.0.0.1"), QStringLiteral("--http-port"),
                                     QString::number(lb.httpPort), QStringLiteral("--https-port"), QString::number(lb.httpsPort),
                                     QStringLiteral("--admin-socket"), socket, QStringLiteral("--hosts-map"),
                                     owned + QLatin1String("/hosts.map")});
    QVERIFY2(rendered.exitCode == 0, QByteArray(rendered.out + rendered.err).constData());
    QProcess haproxy;
    haproxy.start(QStringLiteral("haproxy"), {QStringLiteral("-W"), QStringLiteral("-db"), QStringLiteral("-f"), config});
    QVERIFY(haproxy.waitForStarted(5000));
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(socket), 5000);

    QVERIFY(lb.cluster.start(Lb, {QStringLiteral("--role"), QStringLiteral("lb"), QStringLiteral("--haproxy-socket"), socket,
                                  QStringLiteral("--runtime-dir"), lb.runtimeDir()}));
    QVERIFY(lb.startMember(Worker1));
    const QString worker1 = lb.cluster.memberId(Worker1);
    Runtime runtime(socket);
    QTRY_COMPARE_WITH_TIMEOUT(runtime.status(WorkerBackend, worker1), QStringLiteral("UP"), 8000);

    const Run added = tribunectl({QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("--seed"),
                                  lb.cluster.memberId(Lb), QStringLiteral("--key-file"), lb.cluster.keyFile(),
                                  QStringLiteral("--node"), Lb,
                                  QStringLiteral("loadbalancer.conf:hosts.esb/wso2.esb.domain/batch=batch.esb.wso2.com")});
    QVERIFY2(added.exitCode == 0, QByteArray(added.out + added.err).constData());
    const QString pending = lb.runtimeDir() + QLatin1String("/haproxy.cfg.pending");
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(pending), 5000);
    QFile pendingFile(pending);
    QVERIFY(pendingFile.open(QIODevice::ReadOnly));
    QVERIFY(pendingFile.readAll().contains("backend wso2.esb.domain:batch"));
    QTRY_VERIFY_WITH_TIMEOUT(lb.cluster.output(Lb).contains(QLatin1String("its owner's job")), 5000);
    // The HAProxy it does not own is left as it was, still serving the worker.
    QCOMPARE(runtime.status(WorkerBackend, worker1), QStringLiteral("UP"));
    QVERIFY(lb.cluster.stop(Worker1));
    QVERIFY(lb.cluster.stop(Lb));
    QVERIFY(haproxy.state() == QProcess::Running);
    haproxy.terminate();
    QVERIFY(haproxy.waitForFinished(5000));
}

QTEST_GUILESS_MAIN(TestLoadBalancer)
#include "tst_loadbalancer.moc"
