// Every validation rule against a failing fixture (the sample cluster with one targeted edit made
// through the configuration library) and a passing one (the sample cluster as shipped).
#include "cluster/clusterconfig.h"
#include "cluster/validator.h"
#include "config/configerror.h"

#include "../common/testsupport.h"

#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace Tribune;
using namespace Tribune::Config;

namespace {

using Edit = std::function<void(const QString &root)>;

QString confFile(const QString &root, const QString &node, NodeConfig::File file)
{
    return root + QLatin1Char('/') + node + QLatin1String("/repository/conf/") + NodeConfig::relativePath(file);
}

// Loads a typed file, applies an edit, saves it; fails the test on any error.
template<typename File>
void editFile(const QString &path, const std::function<bool(File &, ConfigError *)> &edit)
{
    ConfigError error;
    std::optional<File> file = File::load(path, &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY2(edit(*file, &error), qPrintable(error.toString()));
    QVERIFY2(file->save(path, &error), qPrintable(error.toString()));
}

Edit axis2Edit(const QString &node, std::function<bool(Axis2Xml &, ConfigError *)> edit)
{
    return [=](const QString &root) { editFile<Axis2Xml>(confFile(root, node, NodeConfig::File::Axis2), edit); };
}

Edit carbonEdit(const QString &node, std::function<bool(CarbonXml &, ConfigError *)> edit)
{
    return [=](const QString &root) { editFile<CarbonXml>(confFile(root, node, NodeConfig::File::Carbon), edit); };
}

Edit registryEdit(const QString &node, std::function<bool(RegistryXml &, ConfigError *)> edit)
{
    return [=](const QString &root) { editFile<RegistryXml>(confFile(root, node, NodeConfig::File::Registry), edit); };
}

Edit datasourcesEdit(const QString &node, std::function<bool(DatasourcesXml &, ConfigError *)> edit)
{
    return [=](const QString &root) {
        editFile<DatasourcesXml>(confFile(root, node, NodeConfig::File::Datasources), edit);
    };
}

Edit loadBalancerEdit(std::function<bool(LoadBalancerConf &, ConfigError *)> edit)
{
    return [=](const QString &root) {
        editFile<LoadBalancerConf>(confFile(root, QStringLiteral("lb"), NodeConfig::File::LoadBalancer), edit);
    };
}

Edit both(Edit first, Edit second)
{
    return [=](const QString &root) {
        first(root);
        second(root);
    };
}

QList<Finding> validate(const QString &root)
{
    QList<ConfigError> errors;
    const ClusterConfig cluster = ClusterConfig::load({root}, &errors);
    if (!errors.isEmpty())
        qWarning() << errors.first().toString();
    return validateCluster(cluster);
}

QString describe(const QList<Finding> &findings)
{
    QStringList lines;
    for (const Finding &finding : findings)
        lines.append(finding.rule + QLatin1String(" @ ") + finding.node + QLatin1Char(':') + QString::number(finding.line)
                     + QLatin1String(" ") + finding.message);
    return lines.join(QLatin1Char('\n'));
}

// The first finding of a rule, or of a rule on one node when node is given.
const Finding *findRule(const QList<Finding> &findings, const QString &rule, const QString &node = QString())
{
    for (const Finding &finding : findings) {
        if (finding.rule == rule && (node.isNull() || finding.node == node))
            return &finding;
    }
    return nullptr;
}

const QString RegistryDbUrl = QStringLiteral("jdbc:mysql://127.0.0.1:3306/REGISTRY_DB?autoReconnect=true");

} // namespace

class TestValidator : public QObject
{
    Q_OBJECT

private slots:
    void sampleClusterIsClean();
    void ruleFires_data();
    void ruleFires();
    void cacheIdCollisionAcrossDomainsOnly();
    void findingsAreSortedAndLocated();
};

void TestValidator::sampleClusterIsClean()
{
    const QList<Finding> findings = validate(TestSupport::sampleCluster());
    QVERIFY2(findings.isEmpty(), qPrintable(describe(findings)));
}

void TestValidator::ruleFires_data()
{
    QTest::addColumn<Edit>("edit");
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("node");
    QTest::addColumn<QString>("fileEnding");
    QTest::addColumn<QString>("fixMentions");

    const QString worker1 = QStringLiteral("esb-worker1");
    const QString worker2 = QStringLiteral("esb-worker2");
    const QString worker3 = QStringLiteral("esb-worker3");
    const QString manager = QStringLiteral("esb-manager");

    QTest::newRow("clustering disabled")
        << axis2Edit(worker2, [](Axis2Xml &f, ConfigError *e) { return f.setClusteringEnabled(false, e); })
        << "clustering-disabled" << worker2 << "axis2.xml" << "enable=\"true\"";
    QTest::newRow("membership port taken on host")
        << axis2Edit(worker2, [](Axis2Xml &f, ConfigError *e) { return f.setParameter(QStringLiteral("localMemberPort"), QStringLiteral("4001"), e); })
        << "member-port-collision" << worker2 << "axis2.xml" << "localMemberPort";
    QTest::newRow("offset ports collide")
        << carbonEdit(worker2, [](CarbonXml &f, ConfigError *e) { return f.setOffset(1, e); })
        << "port-collision" << worker2 << "carbon.xml" << "Offset> to 2";
    QTest::newRow("port mapping off by one")
        << axis2Edit(manager, [](Axis2Xml &f, ConfigError *e) { return f.setProperty(QStringLiteral("port.mapping.80"), QStringLiteral("9765"), e); })
        << "port-mapping-mismatch" << manager << "axis2.xml" << "9764";
    QTest::newRow("worker writes shared registry")
        << registryEdit(worker1, [](RegistryXml &f, ConfigError *e) { return f.setRemoteInstanceValue(QStringLiteral("instanceid"), QStringLiteral("readOnly"), QStringLiteral("false"), e); })
        << "worker-registry-writable" << worker1 << "registry.xml" << "<readOnly>true";
    QTest::newRow("manager cannot write shared registry")
        << registryEdit(manager, [](RegistryXml &f, ConfigError *e) { return f.setRemoteInstanceValue(QStringLiteral("instanceid"), QStringLiteral("readOnly"), QStringLiteral("true"), e); })
        << "manager-registry-read-only" << manager << "registry.xml" << "<readOnly>false";
    QTest::newRow("domain not served")
        << axis2Edit(QStringLiteral("greg2"), [](Axis2Xml &f, ConfigError *e) { return f.setParameter(QStringLiteral("domain"), QStringLiteral("wso2.unknown.domain"), e); })
        << "unserved-domain" << "greg2" << "axis2.xml" << "wso2.unknown.domain";
    QTest::newRow("sub-domain not served")
        << axis2Edit(worker3, [](Axis2Xml &f, ConfigError *e) { return f.setProperty(QStringLiteral("subDomain"), QStringLiteral("batch"), e); })
        << "unserved-sub-domain" << worker3 << "axis2.xml" << "batch";
    QTest::newRow("well-known member is no node")
        << axis2Edit(worker1, [](Axis2Xml &f, ConfigError *e) {
               return f.setWellKnownMembers({{QStringLiteral("127.0.0.1"), 4000, 0}, {QStringLiteral("127.0.0.1"), 4999, 0}}, e);
           })
        << "unknown-well-known-member" << worker1 << "axis2.xml" << "localMemberPort";
    QTest::newRow("shared registry on another database")
        << datasourcesEdit(worker3, [](DatasourcesXml &f, ConfigError *e) { return f.setValue(QStringLiteral("REGISTRY_DB"), QStringLiteral("url"), QStringLiteral("jdbc:mysql://127.0.0.1:3306/REGISTRY_DB2"), e); })
        << "shared-registry-diverges" << worker3 << "registry.xml" << "mysql://127.0.0.1:3306/registry_db";
    QTest::newRow("local registry shared by two nodes")
        << datasourcesEdit(worker2, [](DatasourcesXml &f, ConfigError *e) { return f.setValue(QStringLiteral("WSO2_CARBON_DB"), QStringLiteral("url"), QStringLiteral("jdbc:mysql://localhost/REGISTRY_LOCAL2?autoReconnect=true"), e); })
        << "local-registry-shared" << worker2 << "registry.xml" << "database of its own";
    QTest::newRow("tenant ranges overlap in a service")
        << loadBalancerEdit([](LoadBalancerConf &f, ConfigError *e) {
               LbSubDomainGroup group;
               group.domain = QStringLiteral("wso2.esb2.domain");
               group.subDomain = QStringLiteral("worker");
               group.hosts = {QStringLiteral("esb2.wso2.com")};
               group.tenantRange = *TenantRange::parse(u"1-10", nullptr);
               return f.addDomain(QStringLiteral("esb"), group, e);
           })
        << "tenant-range-overlap" << "" << "loadbalancer.conf" << "own tenants";
    // The member moves, not the load balancer: one localMemberPort against a port every member
    // of the domain joins through.
    QTest::newRow("group_mgt_port is a membership port")
        << loadBalancerEdit([](LoadBalancerConf &f, ConfigError *e) {
               return f.setDomainValue(QStringLiteral("governance"), QStringLiteral("wso2.governance.domain"), QString(),
                                       QStringLiteral("group_mgt_port"), QStringLiteral("4001"), e);
           })
        << "group-mgt-port-collision" << manager << "axis2.xml" << "localMemberPort";
    QTest::newRow("governance mount missing")
        << registryEdit(QStringLiteral("greg3"), [](RegistryXml &f, ConfigError *e) { return f.removeMount(QStringLiteral("/_system/governance"), e); })
        << "missing-mount" << "greg3" << "registry.xml" << "/_system/governance";
    QTest::newRow("mount through an undefined instance")
        << registryEdit(QStringLiteral("greg3"), [](RegistryXml &f, ConfigError *e) { return f.setMountTarget(QStringLiteral("/_system/config"), QStringLiteral("nosuch"), QStringLiteral("/_system/config"), e); })
        << "unknown-remote-instance" << "greg3" << "registry.xml" << "nosuch";
    QTest::newRow("instance with an undefined dbConfig")
        << registryEdit(worker1, [](RegistryXml &f, ConfigError *e) { return f.setRemoteInstanceValue(QStringLiteral("instanceid"), QStringLiteral("dbConfig"), QStringLiteral("nosuchconfig"), e); })
        << "unknown-db-config" << worker1 << "registry.xml" << "nosuchconfig";
    QTest::newRow("reference to a missing datasource")
        << registryEdit(worker1, [](RegistryXml &f, ConfigError *e) { return f.setDbConfigDataSource(QStringLiteral("sharedregistry"), QStringLiteral("jdbc/Missing"), e); })
        << "unknown-datasource" << worker1 << "registry.xml" << "jdbc/Missing";
    QTest::newRow("datasource nothing refers to")
        << datasourcesEdit(worker1, [](DatasourcesXml &f, ConfigError *e) {
               Datasource source;
               source.name = QStringLiteral("REPORTS_DB");
               source.jndiName = QStringLiteral("jdbc/ReportsDB");
               source.url = QStringLiteral("jdbc:mysql://127.0.0.1:3306/reports");
               return f.addDatasource(source, e);
           })
        << "unused-datasource" << worker1 << "master-datasources.xml" << "remove it";
    // API Manager's datasource: its users are in files Tribune does not read, so not "unused".
    QTest::newRow("datasource of a product not read")
        << datasourcesEdit(worker1, [](DatasourcesXml &f, ConfigError *e) {
               Datasource source;
               source.name = QStringLiteral("WSO2AM_DB");
               source.jndiName = QStringLiteral("jdbc/WSO2AM_DB");
               source.url = QStringLiteral("jdbc:mysql://127.0.0.1:3306/wso2apim");
               return f.addDatasource(source, e);
           })
        << "datasource-use-unknown" << worker1 << "master-datasources.xml" << "API Manager";
    QTest::newRow("cache id names two databases")
        << both(datasourcesEdit(QStringLiteral("greg1"), [](DatasourcesXml &f, ConfigError *e) { return f.setValue(QStringLiteral("REGISTRY_DB"), QStringLiteral("url"), QStringLiteral("jdbc:mysql://127.0.0.1:3306/GOVERNANCE_DB"), e); }),
                both(datasourcesEdit(QStringLiteral("greg2"), [](DatasourcesXml &f, ConfigError *e) { return f.setValue(QStringLiteral("REGISTRY_DB"), QStringLiteral("url"), QStringLiteral("jdbc:mysql://127.0.0.1:3306/GOVERNANCE_DB"), e); }),
                     datasourcesEdit(QStringLiteral("greg3"), [](DatasourcesXml &f, ConfigError *e) { return f.setValue(QStringLiteral("REGISTRY_DB"), QStringLiteral("url"), QStringLiteral("jdbc:mysql://127.0.0.1:3306/GOVERNANCE_DB"), e); })))
        << "cache-id-collision" << "greg1" << "registry.xml" << "user@jdbc-url";
}

void TestValidator::ruleFires()
{
    QFETCH(Edit, edit);
    QFETCH(QString, rule);
    QFETCH(QString, node);
    QFETCH(QString, fileEnding);
    QFETCH(QString, fixMentions);

    // Passing fixture: the sample as shipped does not trip the rule.
    QVERIFY(!findRule(validate(TestSupport::sampleCluster()), rule));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(TestSupport::copyTree(TestSupport::sampleCluster(), dir.path()));
    edit(dir.path());
    if (QTest::currentTestFailed())
        return;
    const QList<Finding> findings = validate(dir.path());
    // A clash is told on both nodes; the finding that carries the fix is the expected node's.
    const Finding *finding = findRule(findings, rule, node);
    QVERIFY2(finding, qPrintable(QStringLiteral("no %1 among:\n%2").arg(rule, describe(findings))));
    // The node told to change is the one expected; its clash partner only gets a note.
    if (rule.endsWith(u"collision"))
        QVERIFY2(finding->severity == Severity::Error, qPrintable(describe(findings)));
    QVERIFY2(finding->file.endsWith(fileEnding), qPrintable(finding->file));
    QVERIFY2(finding->file.startsWith(dir.path()), qPrintable(finding->file));
    QVERIFY2(finding->fix.contains(fixMentions), qPrintable(finding->fix));
    QVERIFY(!finding->message.isEmpty());
    if (rule != u"missing-mount")
        QVERIFY2(finding->line > 0, qPrintable(describe(findings)));
}

void TestValidator::cacheIdCollisionAcrossDomainsOnly()
{
    // The governance nodes moved together to their own database stay consistent within their domain.
    QTemporaryDir dir;
    QVERIFY(TestSupport::copyTree(TestSupport::sampleCluster(), dir.path()));
    for (const char *node : {"greg1", "greg2", "greg3"}) {
        datasourcesEdit(QString::fromLatin1(node), [](DatasourcesXml &f, ConfigError *e) {
            return f.setValue(QStringLiteral("REGISTRY_DB"), QStringLiteral("url"),
                              QStringLiteral("jdbc:mysql://127.0.0.1:3306/GOVERNANCE_DB"), e);
        })(dir.path());
    }
    const QList<Finding> findings = validate(dir.path());
    QVERIFY2(!findRule(findings, QStringLiteral("shared-registry-diverges")), qPrintable(describe(findings)));
    QCOMPARE(countOf(findings, Severity::Error), 3); // each governance node's cacheId
}

void TestValidator::findingsAreSortedAndLocated()
{
    QTemporaryDir dir;
    QVERIFY(TestSupport::copyTree(TestSupport::sampleCluster(), dir.path()));
    carbonEdit(QStringLiteral("esb-worker2"), [](CarbonXml &f, ConfigError *e) { return f.setOffset(1, e); })(dir.path());
    axis2Edit(QStringLiteral("esb-manager"), [](Axis2Xml &f, ConfigError *e) { return f.setClusteringEnabled(false, e); })(dir.path());
    const QList<Finding> findings = validate(dir.path());
    QVERIFY(findings.size() >= 2);
    for (qsizetype i = 1; i < findings.size(); ++i)
        QVERIFY(findings.at(i - 1).node <= findings.at(i).node);
    const Finding *collision = findRule(findings, QStringLiteral("port-collision"), QStringLiteral("esb-worker2"));
    QVERIFY(collision);
    // The offset line of the edited carbon.xml.
    const QList<QByteArray> lines = TestSupport::readAll(collision->file).split('\n');
    QVERIFY(collision->line > 0 && collision->line <= lines.size());
    QVERIFY2(lines.at(collision->line - 1).contains("<Offset>1</Offset>"), lines.at(collision->line - 1).constData());
}

QTEST_GUILESS_MAIN(TestValidator)
#include "tst_validator.moc"
