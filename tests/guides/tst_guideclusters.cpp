// The clusters of the two vendor guides, built from the upstream files as the guides say: the
// validator finds the guides' real mistakes and nothing else, the corrected clusters validate
// clean, and each classic mistake planted alone on the clean cluster is one finding at its line.
#include "guideclusters.h"

#include "cluster/clusterconfig.h"
#include "cluster/validator.h"
#include "config/configerror.h"

#include <QFile>

#include "../common/testsupport.h"
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace Tribune;
using namespace Tribune::Config;
using Guides::Stage;

namespace {

// One expected finding: rule, node, severity, the file's ending and a word its line holds.
struct Expected
{
    QString rule;
    QString node;
    Severity severity;
    QString fileEnding;
    QByteArray lineHolds; // empty: the finding names no line (line 0)
};

QByteArray lineOf(const QString &path, int line)
{
    QFile file(path);
    if (line <= 0 || !file.open(QIODevice::ReadOnly))
        return {};
    const QList<QByteArray> lines = file.readAll().split('\n');
    return line <= lines.size() ? lines.at(line - 1) : QByteArray();
}

QString describe(const QList<Finding> &findings)
{
    QStringList lines;
    for (const Finding &finding : findings)
        lines.append(QStringLiteral("%1 %2 @ %3 %4:%5: %6 | fix: %7")
                         .arg(severityName(finding.severity), finding.rule, finding.node,
                              finding.file.section(QLatin1Char('/'), -1))
                         .arg(finding.line)
                         .arg(finding.message, finding.fix));
    return lines.join(QLatin1Char('\n'));
}

QList<Finding> validateFolder(const QString &folder, QList<ConfigError> *errors)
{
    const ClusterConfig cluster = ClusterConfig::load({folder}, errors);
    return errors->isEmpty() ? validateCluster(cluster) : QList<Finding>();
}

// Every finding is expected, in any order, and every expected one is found.
void compareFindings(const QList<Finding> &findings, QList<Expected> expected)
{
    for (const Finding &finding : findings) {
        const auto match = std::find_if(expected.begin(), expected.end(), [&](const Expected &e) {
            return e.rule == finding.rule && e.node == finding.node && e.severity == finding.severity
                && finding.file.endsWith(e.fileEnding)
                && (e.lineHolds.isEmpty() ? finding.line == 0 : lineOf(finding.file, finding.line).contains(e.lineHolds));
        });
        QVERIFY2(match != expected.end(),
                 qPrintable(QStringLiteral("unexpected finding:\n%1\namong:\n%2").arg(describe({finding}), describe(findings))));
        expected.erase(match);
    }
    QStringList missing;
    for (const Expected &e : expected)
        missing.append(QStringLiteral("%1 @ %2 %3").arg(e.rule, e.node, e.fileEnding));
    QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("missing:\n%1\namong:\n%2")
                                               .arg(missing.join(QLatin1Char('\n')), describe(findings))));
}

const Finding *findingOf(const QList<Finding> &findings, const QString &rule, const QString &node)
{
    for (const Finding &finding : findings) {
        if (finding.rule == rule && finding.node == node)
            return &finding;
    }
    return nullptr;
}

using Edit = std::function<bool(const QString &folder, ConfigError *error)>;

template<typename Xml>
Edit editOf(const QString &node, const QString &relative, std::function<bool(Xml &, ConfigError *)> change)
{
    return [=](const QString &folder, ConfigError *error) {
        const QString path = folder + QLatin1Char('/') + node + QLatin1String("/repository/conf/") + relative;
        std::optional<Xml> file = Xml::load(path, error);
        return file && change(*file, error) && file->save(path, error);
    };
}

Edit axis2Edit(const QString &node, std::function<bool(Axis2Xml &, ConfigError *)> change)
{
    return editOf<Axis2Xml>(node, QStringLiteral("axis2/axis2.xml"), std::move(change));
}
Edit carbonEdit(const QString &node, std::function<bool(CarbonXml &, ConfigError *)> change)
{
    return editOf<CarbonXml>(node, QStringLiteral("carbon.xml"), std::move(change));
}
Edit registryEdit(const QString &node, std::function<bool(RegistryXml &, ConfigError *)> change)
{
    return editOf<RegistryXml>(node, QStringLiteral("registry.xml"), std::move(change));
}
Edit userMgtEdit(const QString &node, std::function<bool(UserMgtXml &, ConfigError *)> change)
{
    return editOf<UserMgtXml>(node, QStringLiteral("user-mgt.xml"), std::move(change));
}

const QString Manager = QStringLiteral("esb-manager");
const QString Worker1 = QStringLiteral("esb-worker1");
const QString Worker2 = QStringLiteral("esb-worker2");
const QString Worker3 = QStringLiteral("esb-worker3");

} // namespace

Q_DECLARE_METATYPE(Edit)

class TestGuideClusters final : public QObject
{
    Q_OBJECT

private slots:
    void esbAsWritten();
    void esbCorrectedIsClean();
    void governanceAsWrittenIsMalformed();
    void governanceEscaped();
    void governanceCorrectedIsClean();
    void plantedMistake_data();
    void plantedMistake();
};

void TestGuideClusters::esbAsWritten()
{
    QTemporaryDir dir;
    QString error;
    QVERIFY2(Guides::buildEsbCluster(dir.path(), Stage::AsWritten, &error), qPrintable(error));
    QList<ConfigError> errors;
    const QList<Finding> findings = validateFolder(dir.path(), &errors);
    QVERIFY(errors.isEmpty());

    const auto E = Severity::Error;
    const auto W = Severity::Warning;
    QList<Expected> expected = {
        // The manager publishes the ELB's old ports, which the guide moved to 80/443.
        {QStringLiteral("published-port-not-served"), Manager, W, QStringLiteral("axis2.xml"), "http://worker.esb.wso2.com:8280"},
        {QStringLiteral("published-port-not-served"), Manager, W, QStringLiteral("axis2.xml"), "https://worker.esb.wso2.com:8243"},
        // The ELB serves the manager's console as mgt.esb.wso2.com; the guide sets HostName only.
        {QStringLiteral("manager-without-mgt-host"), Manager, E, QStringLiteral("carbon.xml"), "<HostName>worker.esb.wso2.com"},
    };
    // The kernel's localMemberHost 127.0.0.1, which the guide never changes, on two servers.
    for (const QString &node : {Manager, Worker1, Worker2, Worker3}) {
        expected.append({QStringLiteral("member-host-loopback"), node, E, QStringLiteral("axis2.xml"), "localMemberHost"});
        // cacheId "REGISTRY_DB@...REGISTRY_LOCALn": the datasource's name and the local database.
        expected.append({QStringLiteral("cache-id-mismatch"), node, W, QStringLiteral("registry.xml"), "<cacheId>REGISTRY_DB@"});
    }
    for (const QString &node : {Worker1, Worker2, Worker3})
        expected.append({QStringLiteral("worker-user-store-not-shared"), node, E, QStringLiteral("user-mgt.xml"), "jdbc/WSO2CarbonDB"});
    // Every worker gets REGISTRY_LOCAL2 as its local registry.
    for (const QString &node : {Worker2, Worker3})
        expected.append({QStringLiteral("local-registry-shared"), node, E, QStringLiteral("registry.xml"), "currentDBConfig"});
    compareFindings(findings, expected);

    // Fixes that work: two nodes are never told the same new database, nor the ports the ELB left.
    const Finding *shared2 = findingOf(findings, QStringLiteral("local-registry-shared"), Worker2);
    const Finding *shared3 = findingOf(findings, QStringLiteral("local-registry-shared"), Worker3);
    QVERIFY(shared2 && shared3);
    QVERIFY2(shared2->fix.contains(u"REGISTRY_LOCAL3"), qPrintable(shared2->fix));
    QVERIFY2(shared3->fix.contains(u"REGISTRY_LOCAL4"), qPrintable(shared3->fix));
    for (const Finding &finding : findings) {
        if (finding.rule == u"published-port-not-served")
            QVERIFY2(!finding.fix.contains(u":8280") && !finding.fix.contains(u":8243"), qPrintable(finding.fix));
    }
    const Finding *loopback = findingOf(findings, QStringLiteral("member-host-loopback"), Worker1);
    QVERIFY(loopback && loopback->fix.contains(QLatin1String(Guides::EsbServerB)));
    const Finding *cache = findingOf(findings, QStringLiteral("cache-id-mismatch"), Worker1);
    QVERIFY(cache && cache->fix.contains(u"regadmin@jdbc:mysql://carbondb.mysql-wso2.com:3306/REGISTRY_DB"));
}

void TestGuideClusters::esbCorrectedIsClean()
{
    QTemporaryDir dir;
    QString error;
    QVERIFY2(Guides::buildEsbCluster(dir.path(), Stage::Corrected, &error), qPrintable(error));
    QList<ConfigError> errors;
    const QList<Finding> findings = validateFolder(dir.path(), &errors);
    QVERIFY(errors.isEmpty());
    QVERIFY2(findings.isEmpty(), qPrintable(describe(findings)));
}

void TestGuideClusters::governanceAsWrittenIsMalformed()
{
    QTemporaryDir dir;
    QString error;
    QVERIFY2(Guides::buildGovernanceCluster(dir.path(), Stage::AsWritten, &error), qPrintable(error));
    QList<ConfigError> errors;
    validateFolder(dir.path(), &errors);
    // The guide's WSO2AM_DB URL with its bare '&', once per node, at the '&'.
    QCOMPARE(errors.size(), 3);
    for (const ConfigError &e : std::as_const(errors)) {
        QVERIFY2(e.file.endsWith(u"master-datasources.xml"), qPrintable(e.toString()));
        QVERIFY2(e.message.contains(u"&amp;"), qPrintable(e.toString()));
        const QByteArray line = lineOf(e.file, e.line);
        QVERIFY2(line.mid(e.column - 1).startsWith("&relaxAutoCommit"), line.constData());
    }
}

void TestGuideClusters::governanceEscaped()
{
    QTemporaryDir dir;
    QString error;
    QVERIFY2(Guides::buildGovernanceCluster(dir.path(), Stage::Escaped, &error), qPrintable(error));
    QList<ConfigError> errors;
    const QList<Finding> findings = validateFolder(dir.path(), &errors);
    QVERIFY(errors.isEmpty());

    const QString lb = QStringLiteral("lb");
    const QString greg1 = QStringLiteral("greg1");
    QList<Expected> expected = {
        // Offsets 0, 1, 2 as the guide suggests leave greg1 on the ELB's own servlet ports; the
        // fix goes to greg1, never to the load balancer, and the ELB is told as a note.
        {QStringLiteral("port-collision"), greg1, Severity::Error, QStringLiteral("carbon.xml"), "<Offset>0</Offset>"},
        {QStringLiteral("port-collision"), lb, Severity::Info, QStringLiteral("axis2.xml"), {}},
    };
    for (const QString &node : {greg1, QStringLiteral("greg2"), QStringLiteral("greg3")}) {
        // The kernel's Hazelcast agent against the ELB's Tribes.
        expected.append({QStringLiteral("clustering-agent-mismatch"), node, Severity::Error, QStringLiteral("axis2.xml"), "<clustering"});
        // The kernel's subDomain "worker"; the ELB serves the nested "mgt" only.
        expected.append({QStringLiteral("unserved-sub-domain"), node, Severity::Error, QStringLiteral("axis2.xml"), "subDomain"});
        // "the Governance Registry node (port 4001)", which no node has; 127.0.0.1:4000 is the
        // ELB's group_mgt_port, through which members join, and is known.
        expected.append({QStringLiteral("unknown-well-known-member"), node, Severity::Warning, QStringLiteral("axis2.xml"), "<member>"});
        // WSO2AM_DB belongs to API Manager: not known, not "unused".
        expected.append({QStringLiteral("datasource-use-unknown"), node, Severity::Info, QStringLiteral("master-datasources.xml"), "jdbc/WSO2AM_DB"});
    }
    compareFindings(findings, expected);

    const Finding *collision = findingOf(findings, QStringLiteral("port-collision"), greg1);
    QVERIFY(collision && collision->fix.contains(u"Offset> to 3"));
    const Finding *subDomain = findingOf(findings, QStringLiteral("unserved-sub-domain"), greg1);
    QVERIFY(subDomain && subDomain->fix.contains(u"(mgt)") && !subDomain->fix.contains(u"(none)"));
    // A governance registry writes its registry by design: nothing may say otherwise.
    for (const Finding &finding : findings)
        QVERIFY2(!finding.fix.contains(u"<readOnly>true"), qPrintable(describe({finding})));
}

void TestGuideClusters::governanceCorrectedIsClean()
{
    QTemporaryDir dir;
    QString error;
    QVERIFY2(Guides::buildGovernanceCluster(dir.path(), Stage::Corrected, &error), qPrintable(error));
    QList<ConfigError> errors;
    const QList<Finding> findings = validateFolder(dir.path(), &errors);
    QVERIFY(errors.isEmpty());
    QList<Expected> expected;
    for (const char *node : {"greg1", "greg2", "greg3"})
        expected.append({QStringLiteral("datasource-use-unknown"), QLatin1String(node), Severity::Info,
                         QStringLiteral("master-datasources.xml"), "jdbc/WSO2AM_DB"});
    compareFindings(findings, expected);
}

void TestGuideClusters::plantedMistake_data()
{
    QTest::addColumn<Edit>("edit");
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("node");
    QTest::addColumn<QString>("fileEnding");
    QTest::addColumn<QByteArray>("lineHolds");
    QTest::addColumn<QString>("fixMentions");

    QTest::newRow("worker writes the shared registry")
        << registryEdit(Worker1, [](RegistryXml &f, ConfigError *e) {
               return f.setRemoteInstanceValue(QStringLiteral("instanceid"), QStringLiteral("readOnly"), QStringLiteral("false"), e);
           })
        << "worker-registry-writable" << Worker1 << "registry.xml" << QByteArray("<readOnly>false") << "<readOnly>true";
    QTest::newRow("two workers on one server with one offset")
        << carbonEdit(Worker3, [](CarbonXml &f, ConfigError *e) { return f.setOffset(0, e); })
        << "port-collision" << Worker3 << "carbon.xml" << QByteArray("<Offset>0") << "Offset>";
    QTest::newRow("membership port taken on the server")
        << axis2Edit(Worker2, [](Axis2Xml &f, ConfigError *e) {
               return f.setParameter(QStringLiteral("localMemberPort"), QStringLiteral("4001"), e);
           })
        << "member-port-collision" << Worker2 << "axis2.xml" << QByteArray("localMemberPort") << "localMemberPort to 4002";
    QTest::newRow("port mapping off by one")
        << axis2Edit(Manager, [](Axis2Xml &f, ConfigError *e) {
               return f.setProperty(QStringLiteral("port.mapping.80"), QStringLiteral("9765"), e);
           })
        << "port-mapping-mismatch" << Manager << "axis2.xml" << QByteArray("port.mapping.80") << "9764";
    QTest::newRow("sub-domain the load balancer does not serve")
        << axis2Edit(Worker1, [](Axis2Xml &f, ConfigError *e) { return f.setProperty(QStringLiteral("subDomain"), QStringLiteral("workers"), e); })
        << "unserved-sub-domain" << Worker1 << "axis2.xml" << QByteArray("subDomain") << "mgt, worker";
    QTest::newRow("well-known member on the manager's HTTP port")
        << axis2Edit(Worker3, [](Axis2Xml &f, ConfigError *e) {
               return f.setWellKnownMembers({{QStringLiteral("elb.wso2.com"), 4000, 0}, {QStringLiteral("mgt.esb.wso2.com"), 9764, 0}}, e);
           })
        << "unknown-well-known-member" << Worker3 << "axis2.xml" << QByteArray("<member>") << "<port> to 4001";
    QTest::newRow("well-known member whose name resolves nowhere")
        << axis2Edit(Worker1, [](Axis2Xml &f, ConfigError *e) {
               return f.setWellKnownMembers({{QStringLiteral("elb.wso2.cm"), 4000, 0}, {QStringLiteral("mgt.esb.wso2.com"), 4001, 0}}, e);
           })
        << "unresolved-host" << Worker1 << "axis2.xml" << QByteArray("<member>") << "elb.wso2.cm";
    QTest::newRow("host name typed wrong")
        << carbonEdit(Worker3, [](CarbonXml &f, ConfigError *e) { return f.setHostName(QStringLiteral("worker.esb.wso2.cm"), e); })
        << "unresolved-host" << Worker3 << "carbon.xml" << QByteArray("<HostName>") << "worker.esb.wso2.cm";
    QTest::newRow("localMemberHost of another server")
        << axis2Edit(Worker1, [](Axis2Xml &f, ConfigError *e) {
               return f.setParameter(QStringLiteral("localMemberHost"), QLatin1String(Guides::EsbServerA), e);
           })
        << "member-host-elsewhere" << Worker1 << "axis2.xml" << QByteArray("localMemberHost") << Guides::EsbServerB;
    QTest::newRow("cacheId of another database")
        << registryEdit(Worker2, [](RegistryXml &f, ConfigError *e) {
               return f.setRemoteInstanceValue(QStringLiteral("instanceid"), QStringLiteral("cacheId"),
                                               QStringLiteral("regadmin@jdbc:mysql://carbondb.mysql-wso2.com:3306/REGISTRY_LOCAL3"), e);
           })
        << "cache-id-mismatch" << Worker2 << "registry.xml" << QByteArray("<cacheId>") << "REGISTRY_DB";
    QTest::newRow("cacheId of the same database written otherwise")
        << registryEdit(Worker3, [](RegistryXml &f, ConfigError *e) {
               return f.setRemoteInstanceValue(QStringLiteral("instanceid"), QStringLiteral("cacheId"),
                                               QStringLiteral("regadmin@jdbc:mysql://carbondb.mysql-wso2.com:3306/REGISTRY_DB"), e);
           })
        << "cache-id-differs" << Worker3 << "registry.xml" << QByteArray("<cacheId>") << "REGISTRY_DB?autoReconnect=true";
    QTest::newRow("worker keeps users on its own database")
        << userMgtEdit(Worker1, [](UserMgtXml &f, ConfigError *e) { return f.setDataSource(QStringLiteral("jdbc/WSO2CarbonDB"), e); })
        << "worker-user-store-not-shared" << Worker1 << "user-mgt.xml" << QByteArray("dataSource") << "jdbc/WSO2UMDB";
    QTest::newRow("Hazelcast member of a Tribes cluster")
        << axis2Edit(Worker2, [](Axis2Xml &f, ConfigError *e) {
               return f.setClusteringAgentClass(QStringLiteral("org.wso2.carbon.core.clustering.hazelcast.HazelcastClusteringAgent"), e);
           })
        << "clustering-agent-mismatch" << Worker2 << "axis2.xml" << QByteArray("<clustering") << "Tribes";
    QTest::newRow("WSDLEPRPrefix on the port the load balancer left")
        << axis2Edit(Manager, [](Axis2Xml &f, ConfigError *e) {
               return f.setTransportReceiverParameter(QStringLiteral("http"), QStringLiteral("WSDLEPRPrefix"),
                                                      QStringLiteral("http://worker.esb.wso2.com:8280"), e);
           })
        << "published-port-not-served" << Manager << "axis2.xml" << QByteArray("WSDLEPRPrefix") << "http://worker.esb.wso2.com";
    // The ELB as shipped names no localMemberHost; without its servers line nothing places it.
    QTest::newRow("load balancer no file places")
        << Edit([](const QString &folder, ConfigError *error) {
               const QString servers = folder + QLatin1String("/servers");
               QByteArray bytes = TestSupport::readAll(servers);
               bytes.replace(" lb ", " ");
               QFile file(servers);
               if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size())
                   return false;
               file.close();
               return axis2Edit(QStringLiteral("lb"), [](Axis2Xml &f, ConfigError *e) {
                   return f.removeParameter(QStringLiteral("localMemberHost"), e);
               })(folder, error);
           })
        << "unplaced-node" << "lb" << "axis2.xml" << QByteArray("<clustering") << "servers file";
    QTest::newRow("shared registry's datasource undefined")
        << registryEdit(Worker2, [](RegistryXml &f, ConfigError *e) {
               return f.setDbConfigDataSource(QStringLiteral("sharedregistry"), QStringLiteral("jdbc/Missing"), e);
           })
        << "unknown-datasource" << Worker2 << "registry.xml" << QByteArray("\"sharedregistry\"") << "jdbc/WSO2RegistryDB";
}

void TestGuideClusters::plantedMistake()
{
    QFETCH(Edit, edit);
    QFETCH(QString, rule);
    QFETCH(QString, node);
    QFETCH(QString, fileEnding);
    QFETCH(QByteArray, lineHolds);
    QFETCH(QString, fixMentions);

    QTemporaryDir dir;
    QString error;
    QVERIFY2(Guides::buildEsbCluster(dir.path(), Stage::Corrected, &error), qPrintable(error));
    ConfigError editError;
    QVERIFY2(edit(dir.path(), &editError), qPrintable(editError.toString()));
    QList<ConfigError> errors;
    const QList<Finding> findings = validateFolder(dir.path(), &errors);
    QVERIFY(errors.isEmpty());

    // Exactly one finding to act on; a clash's other end may be told as a note.
    QList<Finding> actionable;
    for (const Finding &finding : findings) {
        if (finding.severity != Severity::Info)
            actionable.append(finding);
        else
            QVERIFY2(finding.rule == rule, qPrintable(describe(findings)));
    }
    QVERIFY2(actionable.size() == 1, qPrintable(describe(findings)));
    const Finding &finding = actionable.first();
    QCOMPARE(finding.rule, rule);
    QCOMPARE(finding.node, node);
    QVERIFY2(finding.file.endsWith(fileEnding), qPrintable(finding.file));
    QVERIFY2(lineOf(finding.file, finding.line).contains(lineHolds),
             qPrintable(describe(findings) + QLatin1Char('\n') + QString::fromUtf8(lineOf(finding.file, finding.line))));
    QVERIFY2(finding.fix.contains(fixMentions), qPrintable(finding.fix));
}

QTEST_GUILESS_MAIN(TestGuideClusters)
#include "tst_guideclusters.moc"
