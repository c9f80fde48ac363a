// Plans for a new node like an existing one, on the guide's ESB cluster: ports free on the target
// server, a local registry of its own, the diff against the template, and the findings it brings.
#include "guideclusters.h"

#include "cluster/clusterconfig.h"
#include "config/configerror.h"
#include "planner/nodeplan.h"
#include "planner/planapplier.h"
#include "planner/planfolder.h"
#include "planner/typededit.h"

#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace Tribune;
using Planner::NewNodeRequest;
using Planner::NodePlan;

namespace {

std::optional<ClusterConfig> esbCluster(const QTemporaryDir &dir)
{
    QString error;
    if (!Guides::buildEsbCluster(dir.path(), Guides::Stage::Corrected, &error))
        return std::nullopt;
    QList<Config::ConfigError> errors;
    ClusterConfig cluster = ClusterConfig::load({dir.path()}, &errors);
    return errors.isEmpty() ? std::optional<ClusterConfig>(std::move(cluster)) : std::nullopt;
}

const Planner::PlannedFile *fileOf(const NodePlan &plan, const QString &path)
{
    for (const Planner::PlannedFile &file : plan.files) {
        if (file.path == path)
            return &file;
    }
    return nullptr;
}

} // namespace

class TestNodePlan final : public QObject
{
    Q_OBJECT

private slots:
    void workerOnAServerThatRunsTwoNodes();
    void workerBesideTheLoadBalancer();
    void planThatBreaksTheClusterIsBlocked();
    void typedEditValidatedAgainstTheCluster();
    void typedEditParsing();
    void newSubDomainOnTheLoadBalancer();
    void preparedPlanOrderAndRefusals();
    void refusals_data();
    void refusals();
};

void TestNodePlan::workerOnAServerThatRunsTwoNodes()
{
    QTemporaryDir dir;
    const std::optional<ClusterConfig> cluster = esbCluster(dir);
    QVERIFY(cluster);
    QString error;
    // Server .132 runs worker 1 (offset 0, membership 4000) and worker 3 (offset 3, 4001).
    const std::optional<NodePlan> plan =
        Planner::planNodeLike(*cluster, NewNodeRequest{QStringLiteral("esb-worker1"), QLatin1String(Guides::EsbServerB), {}, {}, {}}, &error);
    QVERIFY2(plan, qPrintable(error));
    QCOMPARE(plan->node, QStringLiteral("esb-worker1-2"));
    QCOMPARE(plan->server, QLatin1String(Guides::EsbServerB));
    QVERIFY(plan->offset != 0 && plan->offset != 3);
    QVERIFY(plan->memberPort != 4000 && plan->memberPort != 4001);
    QCOMPARE(plan->subDomain, QStringLiteral("worker"));
    QCOMPARE(plan->localRegistryDatabase, QStringLiteral("REGISTRY_LOCAL5"));
    QVERIFY2(plan->newFindings.isEmpty(), qPrintable(plan->newFindings.value(0).message));
    QVERIFY(!plan->blocked());

    const Planner::PlannedFile *carbon = fileOf(*plan, QStringLiteral("carbon.xml"));
    QVERIFY(carbon && carbon->before.isEmpty());
    QVERIFY(carbon->after.contains(QStringLiteral("<Offset>%1</Offset>").arg(plan->offset).toUtf8()));
    const QString diff = plan->diff();
    QVERIFY2(diff.contains(QLatin1String("--- a/esb-worker1/carbon.xml\n+++ b/esb-worker1-2/carbon.xml\n")), qPrintable(diff));
    QVERIFY2(diff.contains(QStringLiteral("\n-        <Offset>0</Offset>\n+        <Offset>%1</Offset>\n").arg(plan->offset)),
             qPrintable(diff));
    QVERIFY(diff.contains(QLatin1String("REGISTRY_LOCAL5")));
    // Only what differs from the template: registry.xml, user-mgt.xml and catalina stay as they are.
    QVERIFY(!diff.contains(QLatin1String("registry.xml")));
    QVERIFY(!diff.contains(QLatin1String("catalina-server.xml")));
}

void TestNodePlan::workerBesideTheLoadBalancer()
{
    QTemporaryDir dir;
    const std::optional<ClusterConfig> cluster = esbCluster(dir);
    QVERIFY(cluster);
    QString error;
    // Server .206 runs the load balancer, the manager (offset 1, 4001) and worker 2 (offset 2, 4002).
    const std::optional<NodePlan> plan = Planner::planNodeLike(
        *cluster, NewNodeRequest{QStringLiteral("esb-worker2"), QLatin1String(Guides::EsbServerA), QStringLiteral("esb-worker4"), {}, {}},
        &error);
    QVERIFY2(plan, qPrintable(error));
    QCOMPARE(plan->node, QStringLiteral("esb-worker4"));
    QVERIFY(!QSet<int>({0, 1, 2}).contains(plan->offset));
    QVERIFY(!QSet<int>({4000, 4001, 4002}).contains(plan->memberPort));
    QVERIFY2(plan->newFindings.isEmpty(), qPrintable(plan->newFindings.value(0).message));
}

void TestNodePlan::planThatBreaksTheClusterIsBlocked()
{
    QTemporaryDir dir;
    const std::optional<ClusterConfig> cluster = esbCluster(dir);
    QVERIFY(cluster);
    QString error;
    // A sub-domain the load balancer does not serve: the plan says so and may not be applied.
    const std::optional<NodePlan> plan = Planner::planNodeLike(
        *cluster, NewNodeRequest{QStringLiteral("esb-worker1"), QLatin1String(Guides::EsbServerB), {}, QStringLiteral("batch"), {}},
        &error);
    QVERIFY2(plan, qPrintable(error));
    QVERIFY(plan->blocked());
    QCOMPARE(plan->newFindings.size(), 1);
    QCOMPARE(plan->newFindings.first().rule, QStringLiteral("unserved-sub-domain"));
    QCOMPARE(plan->newFindings.first().node, QStringLiteral("esb-worker1-2"));
}

void TestNodePlan::typedEditValidatedAgainstTheCluster()
{
    QTemporaryDir dir;
    const std::optional<ClusterConfig> cluster = esbCluster(dir);
    QVERIFY(cluster);
    QString error;
    // Worker 3 on worker 1's membership port, on the same server: blocked, and said on worker 3.
    const std::optional<Planner::TypedEdit> clash = Planner::parseTypedEdit(QStringLiteral("axis2.xml:localMemberPort=4000"), &error);
    QVERIFY2(clash, qPrintable(error));
    std::optional<NodePlan> plan = Planner::planNodeEdit(*cluster, QStringLiteral("esb-worker3"), {*clash}, &error);
    QVERIFY2(plan, qPrintable(error));
    QVERIFY(plan->blocked());
    QCOMPARE(plan->files.size(), 1);
    QCOMPARE(plan->files.first().path, QStringLiteral("axis2/axis2.xml"));
    QVERIFY(!plan->files.first().before.isEmpty());
    const auto onWorker3 = std::find_if(plan->newFindings.cbegin(), plan->newFindings.cend(), [](const Finding &f) {
        return f.rule == u"member-port-collision" && f.node == u"esb-worker3" && f.severity == Severity::Error;
    });
    QVERIFY(onWorker3 != plan->newFindings.cend());
    // A free port is fine; the diff shows the one line.
    const std::optional<Planner::TypedEdit> free = Planner::parseTypedEdit(QStringLiteral("axis2.xml:localMemberPort=4010"), &error);
    plan = Planner::planNodeEdit(*cluster, QStringLiteral("esb-worker3"), {*free}, &error);
    QVERIFY2(plan && !plan->blocked(), qPrintable(error));
    QVERIFY(plan->diff().contains(QLatin1String("+        <parameter name=\"localMemberPort\">4010</parameter>")));
}

void TestNodePlan::newSubDomainOnTheLoadBalancer()
{
    QTemporaryDir dir;
    const std::optional<ClusterConfig> cluster = esbCluster(dir);
    QVERIFY(cluster);
    QString error;
    // A batch sub-domain of the ESB domain, with its host and a tenant range.
    QList<Planner::TypedEdit> edits;
    for (const char *text : {"loadbalancer.conf:hosts.esb/wso2.esb.domain/batch=batch.esb.wso2.com, batch2.esb.wso2.com",
                             "loadbalancer.conf:tenant_range.esb/wso2.esb.domain/batch=1-100"}) {
        const std::optional<Planner::TypedEdit> edit = Planner::parseTypedEdit(QString::fromLatin1(text), &error);
        QVERIFY2(edit, qPrintable(error));
        edits.append(*edit);
    }
    std::optional<NodePlan> plan = Planner::planNodeEdit(*cluster, QStringLiteral("lb"), edits, &error);
    QVERIFY2(plan, qPrintable(error));
    QCOMPARE(plan->files.size(), 1);
    QCOMPARE(plan->files.first().path, QStringLiteral("loadbalancer.conf"));
    const QString diff = plan->diff();
    QVERIFY2(diff.contains(QLatin1String("+                sub_domain")) && diff.contains(QLatin1String("batch.esb.wso2.com, batch2.esb.wso2.com"))
                 && diff.contains(QLatin1String("1-100")),
             qPrintable(diff));
    QVERIFY2(!plan->blocked(), qPrintable(plan->diff()));
    // A value for a group that does not exist, or that is not one, is refused.
    const std::optional<Planner::TypedEdit> stray =
        Planner::parseTypedEdit(QStringLiteral("loadbalancer.conf:tenant_range.esb/wso2.esb.domain/nosuch=1-5"), &error);
    QVERIFY2(stray, qPrintable(error));
    QVERIFY(!Planner::planNodeEdit(*cluster, QStringLiteral("lb"), {*stray}, &error));
    const std::optional<Planner::TypedEdit> badRange =
        Planner::parseTypedEdit(QStringLiteral("loadbalancer.conf:tenant_range.esb/wso2.esb.domain/worker=ten"), &error);
    QVERIFY(!Planner::planNodeEdit(*cluster, QStringLiteral("lb"), {*badRange}, &error));
    QVERIFY2(error.contains(QLatin1String("ten")), qPrintable(error));
}

// A plan of a new sub-domain and a worker for it: the load balancer is pushed first, the new node
// last (it is followed into the cluster); what cannot be applied as asked is refused.
void TestNodePlan::preparedPlanOrderAndRefusals()
{
    QTemporaryDir dir;
    const std::optional<ClusterConfig> cluster = esbCluster(dir);
    QVERIFY(cluster);
    QString error;
    const std::optional<Planner::TypedEdit> batchHosts = Planner::parseTypedEdit(
        QStringLiteral("loadbalancer.conf:hosts.esb/wso2.esb.domain/batch=batch.esb.wso2.com"), &error);
    const std::optional<NodePlan> lb = Planner::planNodeEdit(*cluster, QStringLiteral("lb"), {*batchHosts}, &error);
    QVERIFY2(lb, qPrintable(error));
    const std::optional<NodePlan> worker = Planner::planNodeLike(
        *cluster, {QStringLiteral("esb-worker1"), QLatin1String(Guides::EsbServerB), QStringLiteral("esb-batch1"),
                   QStringLiteral("batch"), {}}, &error);
    QVERIFY2(worker, qPrintable(error));
    Planner::PlanFolder plan = Planner::PlanFolder::of(*worker, {{QStringLiteral("node"), worker->node}});
    for (const Planner::PlannedFile &file : lb->files)
        plan.nodes[lb->node].insert(file.path, file.after);
    QMap<QString, QString> members;
    int port = 4000;
    for (const NodeConfig &node : cluster->nodes())
        members.insert(node.name(), QStringLiteral("192.0.2.1:%1").arg(port++));
    const Protocol::AgentClient::Endpoint bare{QStringLiteral("192.0.2.132"), 4100};

    std::optional<Planner::PreparedPlan> prepared = Planner::preparePlan(*cluster, members, plan, bare, &error);
    QVERIFY2(prepared, qPrintable(error));
    QVERIFY2(!prepared->blocked(), qPrintable(prepared->brought.value(0).message));
    QCOMPARE(prepared->deliveries.size(), 2);
    QCOMPARE(prepared->deliveries.first().node, QStringLiteral("lb"));
    QVERIFY(prepared->deliveries.first().isLoadBalancer);
    QCOMPARE(prepared->deliveries.first().target.toString(), members.value(QStringLiteral("lb")));
    QCOMPARE(prepared->deliveries.last().node, QStringLiteral("esb-batch1"));
    QVERIFY(prepared->deliveries.last().isNew);
    QCOMPARE(prepared->deliveries.last().target.toString(), bare.toString());
    QCOMPARE(prepared->nodeCount, int(cluster->nodes().size()) + 1);

    // A new node and nowhere to send it; two new nodes; a node no live member is.
    QVERIFY(!Planner::preparePlan(*cluster, members, plan, std::nullopt, &error));
    QVERIFY2(error.contains(QLatin1String("--provision")), qPrintable(error));
    Planner::PlanFolder twoNew = plan;
    twoNew.nodes.insert(QStringLiteral("esb-batch2"), plan.nodes.value(QStringLiteral("esb-batch1")));
    QVERIFY(!Planner::preparePlan(*cluster, members, twoNew, bare, &error));
    QVERIFY2(error.contains(QLatin1String("2 new nodes")), qPrintable(error));
    members.remove(QStringLiteral("lb"));
    QVERIFY(!Planner::preparePlan(*cluster, members, plan, bare, &error));
    QVERIFY2(error.contains(QLatin1String("no live member")), qPrintable(error));
}

void TestNodePlan::typedEditParsing()
{
    QString error;
    const std::optional<Planner::TypedEdit> wka =
        Planner::parseTypedEdit(QStringLiteral("axis2.xml:wka=127.0.0.1:4000,elb.wso2.com:4001"), &error);
    QVERIFY(wka);
    QCOMPARE(wka->key, QStringLiteral("wka"));
    QCOMPARE(wka->value, QStringLiteral("127.0.0.1:4000,elb.wso2.com:4001"));
    QVERIFY(Planner::parseTypedEdit(QStringLiteral("master-datasources.xml:url.REGISTRY_DB=jdbc:mysql://h/db?a=b"), &error));
    QVERIFY(!Planner::parseTypedEdit(QStringLiteral("axis2.xml"), &error));
    QVERIFY2(error.contains(u"FILE:KEY=VALUE"), qPrintable(error));
    QVERIFY(!Planner::parseTypedEdit(QStringLiteral("nosuch.xml:a=b"), &error));
    QVERIFY2(error.contains(u"axis2.xml"), qPrintable(error));
    QVERIFY(!Planner::parseTypedEdit(QStringLiteral("carbon.xml:Nope=1"), &error));
    QVERIFY2(error.contains(u"Offset"), qPrintable(error));
}

void TestNodePlan::refusals_data()
{
    QTest::addColumn<QString>("like");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("no such template") << "esb-worker9" << Guides::EsbServerB << "" << "esb-manager, esb-worker1";
    QTest::newRow("the load balancer") << "lb" << Guides::EsbServerB << "" << "no node \"lb\"";
    QTest::newRow("host resolves nowhere") << "esb-worker1" << "esb-c.example" << "" << "esb-c.example";
    QTest::newRow("name taken") << "esb-worker1" << Guides::EsbServerB << "esb-worker3" << "exists already";
}

void TestNodePlan::refusals()
{
    QFETCH(QString, like);
    QFETCH(QString, host);
    QFETCH(QString, name);
    QFETCH(QString, mentions);
    QTemporaryDir dir;
    const std::optional<ClusterConfig> cluster = esbCluster(dir);
    QVERIFY(cluster);
    QString error;
    QVERIFY(!Planner::planNodeLike(*cluster, NewNodeRequest{like, host, name, {}, {}}, &error));
    QVERIFY2(error.contains(mentions), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestNodePlan)
#include "tst_nodeplan.moc"
