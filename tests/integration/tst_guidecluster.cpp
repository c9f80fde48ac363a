// The ESB guide's cluster, built from the upstream files and corrected, run as the guide runs it:
// its two servers moved to two unused addresses in 127.0.0.0/8 with the guide's ports kept, the
// agents resolving the guide's names through its hosts file, the load balancer's agent driving
// HAProxy. The members form the guide's topology and HAProxy routes both host names.
#include "agentcluster.h"
#include "guideclusters.h"
#include "httpprobe.h"

#include "config/axis2xml.h"
#include "config/configerror.h"
#include "protocol/keyring.h"

#include "../common/testsupport.h"
#include "../common/tribunectlrun.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QMap>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Tribune;

namespace {

const QStringList Members = {QStringLiteral("esb-manager"), QStringLiteral("esb-worker1"), QStringLiteral("esb-worker2"),
                             QStringLiteral("esb-worker3")};

// The ports the guide gives each server's nodes: membership ports and servlet ports after offsets.
const QList<quint16> ServerAPorts = {4000, 4001, 4002, 9764, 9765};
const QList<quint16> ServerBPorts = {4000, 4001, 9763, 9766};

bool portsFree(const QString &address, const QList<quint16> &ports)
{
    for (const quint16 port : ports) {
        QTcpServer probe;
        if (!probe.listen(QHostAddress(address), port))
            return false;
    }
    return true;
}

// The guide's cluster in a temporary folder, its agents, and everything they start.
class GuideCluster
{
public:
    ~GuideCluster() { stopAgentProcesses(m_processes.values(), m_dir.path()); }

    QString path(const QString &relative) const { return m_dir.path() + QLatin1Char('/') + relative; }

    // Builds the corrected cluster and moves the guide's two servers to a and b.
    bool prepare(QString *error)
    {
        if (!Guides::buildEsbCluster(path(QStringLiteral("cluster")), Guides::Stage::Corrected, error))
            return false;
        for (int attempt = 0; attempt < 50 && a.isEmpty(); ++attempt) {
            const quint32 net = QRandomGenerator::global()->bounded(16, 250);
            const QString candidateA = QStringLiteral("127.%1.0.206").arg(net);
            const QString candidateB = QStringLiteral("127.%1.0.132").arg(net);
            if (portsFree(candidateA, ServerAPorts) && portsFree(candidateB, ServerBPorts)) {
                a = candidateA;
                b = candidateB;
            }
        }
        if (a.isEmpty()) {
            *error = QStringLiteral("no two loopback addresses with the guide's ports free");
            return false;
        }
        for (const char *file : {"cluster/hosts", "cluster/servers"}) {
            QByteArray bytes = TestSupport::readAll(path(QLatin1String(file)));
            bytes.replace(Guides::EsbServerA, a.toUtf8()).replace(Guides::EsbServerB, b.toUtf8());
            QFile out(path(QLatin1String(file)));
            if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate) || out.write(bytes) != bytes.size()) {
                *error = out.fileName() + QLatin1String(": ") + out.errorString();
                return false;
            }
        }
        for (const QString &node : Members + QStringList{QStringLiteral("lb")}) {
            const QString axis2Path = path(QStringLiteral("cluster/%1/repository/conf/axis2/axis2.xml").arg(node));
            Config::ConfigError configError;
            std::optional<Config::Axis2Xml> axis2 = Config::Axis2Xml::load(axis2Path, &configError);
            const QString host = axis2 ? axis2->clustering().localMemberHost() : QString();
            const QString moved = host == QLatin1String(Guides::EsbServerA) ? a : b;
            if (!axis2 || !axis2->setParameter(QStringLiteral("localMemberHost"), moved, &configError)
                || !axis2->save(axis2Path, &configError)) {
                *error = configError.toString();
                return false;
            }
        }
        // HAProxy keeps the guide's port 80 where the machine lets it; else a flag moves it.
        QTcpServer probe;
        if (probe.listen(QHostAddress(a), 80)) {
            httpPort = 80;
        } else if (probe.listen(QHostAddress(a), 0)) {
            httpPort = probe.serverPort();
            moveHttpPort = true;
        }
        return Protocol::KeyRing::generate().save(keyFile(), error);
    }

    QString keyFile() const { return path(QStringLiteral("cluster.keys")); }

    bool start(const QString &node, const QStringList &extra)
    {
        QProcess *process = startAgentProcess(
            QStringList{QStringLiteral("--carbon-home"), path(QStringLiteral("cluster/") + node), QStringLiteral("--key-file"),
                        keyFile(), QStringLiteral("--hosts"), path(QStringLiteral("cluster/hosts")),
                        QStringLiteral("--servers"), path(QStringLiteral("cluster/servers"))}
            + extra);
        m_processes.insert(node, process);
        m_output[node] = process->property("output").toByteArray();
        if (m_output[node].contains("listening on"))
            return true;
        qWarning("%s did not start: %s", qPrintable(node), m_output[node].constData());
        return false;
    }

    QByteArray output(const QString &node)
    {
        if (QProcess *process = m_processes.value(node))
            m_output[node] += process->readAll();
        return m_output.value(node);
    }

    QString a;
    QString b;
    quint16 httpPort = 0;
    bool moveHttpPort = false;

private:
    QTemporaryDir m_dir;
    QMap<QString, QProcess *> m_processes;
    QMap<QString, QByteArray> m_output;
};

} // namespace

class TestGuideCluster final : public QObject
{
    Q_OBJECT

private slots:
    void runsAsTheGuideSays();
    void unreachableWellKnownMembersAreToldOnce();
};

void TestGuideCluster::runsAsTheGuideSays()
{
    GuideCluster cluster;
    QString error;
    QVERIFY2(cluster.prepare(&error), qPrintable(error));
    QVERIFY(cluster.httpPort);
    qInfo("servers %s and %s, HAProxy on port %d", qPrintable(cluster.a), qPrintable(cluster.b), int(cluster.httpPort));

    QStringList lbArguments{QStringLiteral("--role"), QStringLiteral("lb"), QStringLiteral("--bind"), cluster.a,
                            QStringLiteral("--runtime-dir"), cluster.path(QStringLiteral("haproxy"))};
    if (cluster.moveHttpPort)
        lbArguments << QStringLiteral("--http-port") << QString::number(cluster.httpPort);
    QVERIFY(cluster.start(QStringLiteral("lb"), lbArguments));
    for (const QString &node : Members)
        QVERIFY(cluster.start(node, {QStringLiteral("--serve-http")}));

    // The guide's topology: the load balancer sees the manager in mgt and three workers.
    const QString seed = cluster.a + QLatin1String(":4000");
    QJsonArray view;
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < 15000) {
        const TestSupport::TribunectlRun members = TestSupport::tribunectl(
            {QStringLiteral("members"), QStringLiteral("--seed"), seed, QStringLiteral("--key-file"), cluster.keyFile(),
             QStringLiteral("--json")});
        view = QJsonDocument::fromJson(members.outBytes).object().value(QLatin1String("members")).toArray();
        if (view.size() == 5)
            break;
        QTest::qWait(250);
    }
    QMap<QString, QString> subDomainOf; // member id -> sub-domain
    for (const QJsonValue &member : std::as_const(view)) {
        const QJsonObject object = member.toObject().value(QLatin1String("member")).toObject();
        subDomainOf.insert(object.value(QLatin1String("id")).toString(), object.value(QLatin1String("subDomain")).toString());
    }
    const QString manager = cluster.a + QLatin1String(":4001");
    const QStringList workers = {cluster.b + QLatin1String(":4000"), cluster.a + QLatin1String(":4002"),
                                 cluster.b + QLatin1String(":4001")};
    QVERIFY2(view.size() == 5 && subDomainOf.contains(manager), QJsonDocument(view).toJson().constData());
    QCOMPARE(subDomainOf.value(manager), QStringLiteral("mgt"));
    for (const QString &worker : workers)
        QCOMPARE(subDomainOf.value(worker), QStringLiteral("worker"));

    // HAProxy routes both of the guide's host names: the workers share worker.esb.wso2.com and
    // the manager answers mgt.esb.wso2.com on port.mapping.80's port.
    const QHostAddress lb(cluster.a);
    QSet<QString> workersSeen;
    waited.restart();
    while (waited.elapsed() < 20000 && workersSeen.size() < 3) {
        const std::optional<HttpResponse> response =
            httpGet(lb, cluster.httpPort, QStringLiteral("worker.esb.wso2.com"), QStringLiteral("/services/echo"));
        if (response && response->status == 200)
            workersSeen.insert(response->memberId());
        else
            QTest::qWait(200);
    }
    QCOMPARE(workersSeen, QSet<QString>(workers.cbegin(), workers.cend()));
    std::optional<HttpResponse> console;
    waited.restart();
    while (waited.elapsed() < 10000 && !(console && console->status == 200)) {
        console = httpGet(lb, cluster.httpPort, QStringLiteral("mgt.esb.wso2.com"), QStringLiteral("/services/echo"));
        if (!console || console->status != 200)
            QTest::qWait(200);
    }
    QVERIFY(console && console->status == 200);
    QCOMPARE(console->memberId(), manager);

    // Every well-known member was reachable: nothing to complain about.
    for (const QString &node : Members)
        QVERIFY2(!cluster.output(node).contains("cannot reach"), cluster.output(node).constData());

    // The running cluster's files, read from its agents, validate as its folders do.
    const QStringList validateLive{QStringLiteral("validate"), QStringLiteral("--seed"), seed, QStringLiteral("--key-file"),
                                   cluster.keyFile(), QStringLiteral("--hosts"), cluster.path(QStringLiteral("cluster/hosts"))};
    TestSupport::TribunectlRun validated = TestSupport::tribunectl(validateLive);
    QVERIFY2(validated.exitCode == 0, qPrintable(validated.out + validated.err));
    QVERIFY2(validated.out.contains(QLatin1String("5 nodes checked: 0 errors, 0 warnings")), qPrintable(validated.out));
    // A node's file changed on disk is what its agent answers with; the finding names the member.
    QVERIFY(TestSupport::replaceInFile(cluster.path(QStringLiteral("cluster/esb-worker3/repository/conf/registry.xml")),
                                       "REGISTRY_DB?autoReconnect=true</cacheId>", "REGISTRY_DB</cacheId>"));
    validated = TestSupport::tribunectl(validateLive);
    QCOMPARE(validated.exitCode, 0);
    QVERIFY2(validated.out.contains(QLatin1String("esb-worker3/registry.xml:"))
                 && validated.out.contains(QLatin1String("[cache-id-differs]")),
             qPrintable(validated.out));

    // A fourth worker planned from the running cluster: on server b, beside workers 1 and 3.
    const QString planFolder = cluster.path(QStringLiteral("plan"));
    const TestSupport::TribunectlRun planned = TestSupport::tribunectl(
        {QStringLiteral("node"), QStringLiteral("plan"), QStringLiteral("--seed"), seed, QStringLiteral("--key-file"),
         cluster.keyFile(), QStringLiteral("--hosts"), cluster.path(QStringLiteral("cluster/hosts")), QStringLiteral("--like"),
         QStringLiteral("esb-worker1"), QStringLiteral("--host"), cluster.b, QStringLiteral("--name"),
         QStringLiteral("esb-worker4"), QStringLiteral("--out"), planFolder, QStringLiteral("--json")});
    QVERIFY2(planned.exitCode == 0, qPrintable(planned.out + planned.err));
    const QJsonObject plan = QJsonDocument::fromJson(planned.outBytes).object();
    QCOMPARE(plan.value(QLatin1String("server")).toString(), cluster.b);
    QVERIFY(!QSet<int>({0, 3}).contains(plan.value(QLatin1String("offset")).toInt()));
    QVERIFY(!QSet<int>({4000, 4001}).contains(plan.value(QLatin1String("memberPort")).toInt()));
    QVERIFY(QFileInfo::exists(planFolder + QLatin1String("/esb-worker4/repository/conf/axis2/axis2.xml")));

    // The planned node against the template's live files: what the plan changes, and nothing else.
    const TestSupport::TribunectlRun diff = TestSupport::tribunectl(
        {QStringLiteral("config"), QStringLiteral("diff"), QStringLiteral("--node"), workers.at(0), QStringLiteral("--key-file"),
         cluster.keyFile(), QStringLiteral("--from"), planFolder + QLatin1String("/esb-worker4")});
    QCOMPARE(diff.exitCode, 1);
    QVERIFY2(diff.out.contains(QLatin1String("-        <Offset>0</Offset>")) && !diff.out.contains(QLatin1String("user-mgt.xml")),
             qPrintable(diff.out));
    const TestSupport::TribunectlRun same = TestSupport::tribunectl(
        {QStringLiteral("config"), QStringLiteral("diff"), QStringLiteral("--node"), workers.at(0), QStringLiteral("--key-file"),
         cluster.keyFile(), QStringLiteral("--from"), cluster.path(QStringLiteral("cluster/esb-worker1"))});
    QVERIFY2(same.exitCode == 0 && same.out.isEmpty(), qPrintable(same.out + same.err));
    // Typed edits, validated against the whole running cluster before anything is written: worker 3
    // on worker 1's offset is refused and its file left alone; putting its cacheId back is pushed.
    const QString registry = cluster.path(QStringLiteral("cluster/esb-worker3/repository/conf/registry.xml"));
    const QString carbon = cluster.path(QStringLiteral("cluster/esb-worker3/repository/conf/carbon.xml"));
    const QByteArray carbonBefore = TestSupport::readAll(carbon);
    const QStringList set{QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("--seed"), seed,
                          QStringLiteral("--key-file"), cluster.keyFile(), QStringLiteral("--hosts"),
                          cluster.path(QStringLiteral("cluster/hosts")), QStringLiteral("--node"), QStringLiteral("esb-worker3")};
    const TestSupport::TribunectlRun refused = TestSupport::tribunectl(set + QStringList{QStringLiteral("carbon.xml:Offset=0")});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.out.contains(QLatin1String("[port-collision]")) && refused.err.contains(QLatin1String("not written")),
             qPrintable(refused.out + refused.err));
    QCOMPARE(TestSupport::readAll(carbon), carbonBefore);
    const TestSupport::TribunectlRun fixed = TestSupport::tribunectl(
        set + QStringList{QStringLiteral("registry.xml:cacheId.instanceid=regadmin@jdbc:mysql://carbondb.mysql-wso2.com:3306/"
                                         "REGISTRY_DB?autoReconnect=true")});
    QVERIFY2(fixed.exitCode == 0, qPrintable(fixed.out + fixed.err));
    QVERIFY(TestSupport::readAll(registry).contains("REGISTRY_DB?autoReconnect=true</cacheId>"));
    validated = TestSupport::tribunectl(validateLive);
    QVERIFY2(validated.out.contains(QLatin1String("5 nodes checked: 0 errors, 0 warnings")), qPrintable(validated.out));
    // The running node's datasources, checked from its live files: the guide's database server is
    // nowhere here, and each datasource says so with its host, port, database and user.
    const TestSupport::TribunectlRun databases = TestSupport::tribunectl(
        {QStringLiteral("db"), QStringLiteral("check"), QStringLiteral("--seed"), seed, QStringLiteral("--key-file"),
         cluster.keyFile(), QStringLiteral("--hosts"), cluster.path(QStringLiteral("cluster/hosts")),
         QStringLiteral("--node"), QStringLiteral("esb-worker1")});
    QCOMPARE(databases.exitCode, 1);
    QVERIFY2(databases.out.contains(QLatin1String("REGISTRY_DB: unreachable"))
                 && databases.out.contains(QLatin1String("database REGISTRY_DB on carbondb.mysql-wso2.com:3306 as regadmin")),
             qPrintable(databases.out + databases.err));
}

void TestGuideCluster::unreachableWellKnownMembersAreToldOnce()
{
    GuideCluster cluster;
    QString error;
    QVERIFY2(cluster.prepare(&error), qPrintable(error));
    // A worker alone: neither the load balancer nor the manager answers. Each is told once,
    // however often the agent tries again.
    const QString worker = QStringLiteral("esb-worker1");
    QVERIFY(cluster.start(worker, {}));
    QTest::qWait(3000);
    QByteArray output = cluster.output(worker);
    QCOMPARE(output.count("cannot reach well-known member elb.wso2.com:4000"), 1);
    QCOMPARE(output.count("cannot reach well-known member mgt.esb.wso2.com:4001"), 1);
    // The load balancer comes up: told once more, that it answers again.
    QVERIFY(cluster.start(QStringLiteral("lb"), {QStringLiteral("--role"), QStringLiteral("lb"), QStringLiteral("--bind"),
                                                  cluster.a, QStringLiteral("--runtime-dir"),
                                                  cluster.path(QStringLiteral("haproxy")), QStringLiteral("--http-port"),
                                                  QString::number(cluster.httpPort)}));
    const QByteArray answers = QByteArray("well-known member elb.wso2.com:4000 (") + cluster.a.toUtf8()
        + QByteArray(") answers again");
    QTRY_VERIFY_WITH_TIMEOUT(cluster.output(worker).contains(answers), 5000);
    QTest::qWait(1000);
    output = cluster.output(worker);
    QCOMPARE(output.count("cannot reach well-known member elb.wso2.com:4000"), 1);
    QCOMPARE(output.count("cannot reach well-known member mgt.esb.wso2.com:4001"), 1);
}

QTEST_GUILESS_MAIN(TestGuideCluster)
#include "tst_guidecluster.moc"
