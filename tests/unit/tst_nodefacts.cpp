// What the rules compare: database identities behind JDBC URLs, hosts, and a node's ports.
#include "cluster/nodeconfig.h"
#include "cluster/nodefacts.h"
#include "config/configerror.h"

#include "../common/testsupport.h"

#include <QTest>

using namespace Tribune;

class TestNodeFacts : public QObject
{
    Q_OBJECT

private slots:
    void databaseIdentity_data();
    void databaseIdentity();
    void hosts();
    void workerFacts();
};

void TestNodeFacts::databaseIdentity_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("identity");
    QTest::newRow("mysql with options") << "jdbc:mysql://carbondb.mysql-wso2.com:3306/REGISTRY_DB?autoReconnect=true"
                                        << "mysql://carbondb.mysql-wso2.com:3306/registry_db";
    QTest::newRow("mysql default port, localhost") << "jdbc:mysql://localhost/WSO2_USER_DB"
                                                   << "mysql://127.0.0.1:3306/wso2_user_db";
    QTest::newRow("postgresql") << "jdbc:postgresql://db.example:5433/reg" << "postgresql://db.example:5433/reg";
    QTest::newRow("oracle thin") << "jdbc:oracle:thin:@dbhost:1521/ORCL" << "oracle://dbhost:1521/orcl";
    QTest::newRow("h2 relative file is the node's own")
        << "jdbc:h2:repository/database/WSO2CARBON_DB;DB_CLOSE_ON_EXIT=FALSE" << "h2:file:/opt/node1/repository/database/WSO2CARBON_DB";
    QTest::newRow("h2 ./ path") << "jdbc:h2:./repository/database/WSO2CARBON_DB" << "h2:file:/opt/node1/repository/database/WSO2CARBON_DB";
    QTest::newRow("h2 over tcp is a server") << "jdbc:h2:tcp://dbhost:9092/~/registry" << "h2://dbhost:9092/~/registry";
}

void TestNodeFacts::databaseIdentity()
{
    QFETCH(QString, url);
    QFETCH(QString, identity);
    QCOMPARE(Tribune::databaseIdentity(url, QStringLiteral("/opt/node1")), identity);
}

void TestNodeFacts::hosts()
{
    QCOMPARE(normalizedHost(QStringLiteral(" LocalHost ")), QStringLiteral("127.0.0.1"));
    QCOMPARE(normalizedHost(QStringLiteral("ELB.wso2.com")), QStringLiteral("elb.wso2.com"));
}

void TestNodeFacts::workerFacts()
{
    QList<Config::ConfigError> errors;
    const std::optional<NodeConfig> node = NodeConfig::load(TestSupport::sampleCluster() + QLatin1String("/esb-worker3"), &errors);
    QVERIFY(node);
    const NodeFacts facts = NodeFacts::of(*node);
    QCOMPARE(facts.role, NodeFacts::Role::Worker);
    QCOMPARE(facts.host, QStringLiteral("127.0.0.2"));
    QCOMPARE(facts.memberPort, 4001);
    QCOMPARE(facts.offset, 3);
    QCOMPARE(facts.httpPort, 9766);
    QCOMPARE(facts.httpsPort, 9446);
    QStringList ports;
    for (const EffectivePort &port : facts.ports)
        ports.append(QStringLiteral("%1=%2").arg(port.name).arg(port.port));
    QVERIFY2(ports.contains(QStringLiteral("JMX/RMIRegistryPort=10002")), qPrintable(ports.join(u' ')));
    QVERIFY2(ports.contains(QStringLiteral("transport http=8283")), qPrintable(ports.join(u' ')));
    QVERIFY2(ports.contains(QStringLiteral("membership=4001")), qPrintable(ports.join(u' ')));
    QCOMPARE(ports.filter(QStringLiteral("=9766")).size(), 1); // one servlet port, named once
    QCOMPARE(facts.localRegistryDatabase, QStringLiteral("mysql://127.0.0.1:3306/registry_local4"));
    QCOMPARE(facts.mountDatabases.value(QStringLiteral("/_system/config")), QStringLiteral("mysql://127.0.0.1:3306/registry_db"));
}

QTEST_GUILESS_MAIN(TestNodeFacts)
#include "tst_nodefacts.moc"
