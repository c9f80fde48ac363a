// The host model: hosts files as /etc/hosts has them, servers files, and what names stand for.
#include "cluster/clusterworkspace.h"
#include "cluster/hostmodel.h"
#include "cluster/hostresolver.h"
#include "config/carbonxml.h"
#include "config/configerror.h"

#include "../common/testsupport.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Tribune;
using Tribune::Config::ConfigError;


class TestHostModel final : public QObject
{
    Q_OBJECT

private slots:
    void hostsFileResolvesItsNamesAlone();
    void literalModelTakesNamesAsWritten();
    void badHostsLines_data();
    void badHostsLines();
    void oversizedFileIsRefused();
    void serversFilePlacesFolders();
    void badServersLines_data();
    void badServersLines();
    void workspaceAsksTheResolverInTheBackground();
};

void TestHostModel::hostsFileResolvesItsNamesAlone()
{
    ConfigError error;
    const std::optional<HostModel> hosts = HostModel::parseHostsFile(
        "# the guide's lines\n"
        "192.0.2.206 carbondb.mysql-wso2.com   Worker.ESB.wso2.com # trailing comment\n"
        "\n"
        "192.0.2.132\tesb-b.example\n"
        "192.0.2.99 carbondb.mysql-wso2.com\n" // a later line does not win, as in /etc/hosts
        "::1 ip6-localhost\n",
        QStringLiteral("hosts"), &error);
    QVERIFY2(hosts, qPrintable(error.toString()));
    QCOMPARE(hosts->source(), HostModel::Source::HostsFile);
    QCOMPARE(hosts->serverOf(QStringLiteral("carbondb.mysql-wso2.com")), QStringLiteral("192.0.2.206"));
    QCOMPARE(hosts->serverOf(QStringLiteral("worker.esb.wso2.com")), QStringLiteral("192.0.2.206"));
    QCOMPARE(hosts->lineOf(QStringLiteral("worker.esb.wso2.com")), 2);
    QCOMPARE(hosts->serverOf(QStringLiteral("esb-b.example")), QStringLiteral("192.0.2.132"));
    QCOMPARE(hosts->serverOf(QStringLiteral("ip6-localhost")), QStringLiteral("127.0.0.1"));
    // Addresses stand for themselves and localhost is this server; other names resolve nowhere.
    QCOMPARE(hosts->serverOf(QStringLiteral("10.0.0.7")), QStringLiteral("10.0.0.7"));
    QCOMPARE(hosts->serverOf(QStringLiteral("localhost")), QStringLiteral("127.0.0.1"));
    QVERIFY(!hosts->resolves(QStringLiteral("elb.wso2.com")));
    QVERIFY(HostModel::isLoopback(QStringLiteral("127.0.0.2")));
    QVERIFY(!HostModel::isLoopback(QStringLiteral("192.0.2.206")));
}

void TestHostModel::literalModelTakesNamesAsWritten()
{
    const HostModel hosts;
    QCOMPARE(hosts.source(), HostModel::Source::Literal);
    QCOMPARE(hosts.serverOf(QStringLiteral("Elb.WSO2.com")), QStringLiteral("elb.wso2.com"));
    QCOMPARE(hosts.serverOf(QStringLiteral("localhost")), QStringLiteral("127.0.0.1"));
    const HostModel resolved = HostModel::fromResolver({{QStringLiteral("elb.wso2.com"), QStringLiteral("192.0.2.1")}});
    QCOMPARE(resolved.serverOf(QStringLiteral("ELB.wso2.com")), QStringLiteral("192.0.2.1"));
    QVERIFY(!resolved.resolves(QStringLiteral("mgt.esb.wso2.com")));
}

void TestHostModel::badHostsLines_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("name first") << QByteArray("127.0.0.1 a\nelb.wso2.com 192.0.2.1\n") << 2 << 1 << "not an IPv4 or IPv6 address";
    QTest::newRow("address alone") << QByteArray("192.0.2.1\n") << 1 << 10 << "names no host";
    QTest::newRow("bad name") << QByteArray("192.0.2.1 good.example bad/name\n") << 1 << 24 << "bad/name";
    QTest::newRow("too many names") << QByteArray("192.0.2.1" + QByteArray(" n").repeated(65) + "\n") << 1 << 139
                                    << "more than 64";
}

void TestHostModel::badHostsLines()
{
    QFETCH(QByteArray, text);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, mentions);
    ConfigError error;
    QVERIFY(!HostModel::parseHostsFile(text, QStringLiteral("hosts"), &error));
    QCOMPARE(error.file, QStringLiteral("hosts"));
    QCOMPARE(error.line, line);
    QCOMPARE(error.column, column);
    QVERIFY2(error.message.contains(mentions), qPrintable(error.message));
}

void TestHostModel::oversizedFileIsRefused()
{
    ConfigError error;
    const QByteArray huge = QByteArray("192.0.2.1 a.example\n").repeated(int(HostModel::MaxFileBytes / 20) + 1);
    QVERIFY(!HostModel::parseHostsFile(huge, QStringLiteral("hosts"), &error));
    QVERIFY2(error.message.contains(QString::number(HostModel::MaxFileBytes)), qPrintable(error.message));
}

void TestHostModel::serversFilePlacesFolders()
{
    ConfigError error;
    const std::optional<ServersFile> servers =
        ServersFile::parse("# server  folders on it\n192.0.2.206 lb esb-manager esb-worker2\nesb-b.example esb-worker1\n",
                           QStringLiteral("servers"), &error);
    QVERIFY2(servers, qPrintable(error.toString()));
    QCOMPARE(servers->folders().size(), 4);
    QCOMPARE(servers->placementOf(QStringLiteral("esb-manager"))->server, QStringLiteral("192.0.2.206"));
    QCOMPARE(servers->placementOf(QStringLiteral("esb-manager"))->line, 2);
    QCOMPARE(servers->placementOf(QStringLiteral("esb-worker1"))->server, QStringLiteral("esb-b.example"));
    QVERIFY(!servers->placementOf(QStringLiteral("esb-worker3")));
}

void TestHostModel::badServersLines_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("folder twice") << QByteArray("192.0.2.1 a b\n192.0.2.2 b\n") << 2 << "already placed on line 1";
    QTest::newRow("no folder") << QByteArray("192.0.2.1\n") << 1 << "names no node folder";
    QTest::newRow("bad server") << QByteArray("192.0.2.1 a\n-x- b\n") << 2 << "neither an address nor a host name";
    QTest::newRow("a path, not a folder") << QByteArray("192.0.2.1 nodes/a\n") << 1 << "without a path";
}

void TestHostModel::badServersLines()
{
    QFETCH(QByteArray, text);
    QFETCH(int, line);
    QFETCH(QString, mentions);
    ConfigError error;
    QVERIFY(!ServersFile::parse(text, QStringLiteral("servers"), &error));
    QCOMPARE(error.line, line);
    QVERIFY2(error.message.contains(mentions), qPrintable(error.message));
}

void TestHostModel::workspaceAsksTheResolverInTheBackground()
{
    // Without a hosts file the workspace validates at once, then again when the resolver answers.
    QTemporaryDir dir;
    QVERIFY(TestSupport::copyTree(TestSupport::sampleCluster(), dir.path()));
    QVERIFY(QFile::remove(dir.filePath(QStringLiteral("hosts"))));
    const QString carbon = dir.filePath(QStringLiteral("esb-worker1/repository/conf/carbon.xml"));
    ConfigError error;
    std::optional<Config::CarbonXml> file = Config::CarbonXml::load(carbon, &error);
    // RFC 6761: no resolver answers for .invalid.
    QVERIFY(file && file->setHostName(QStringLiteral("worker.tribune.invalid"), &error) && file->save(carbon, &error));

    ClusterWorkspace workspace;
    QSignalSpy reloaded(&workspace, &ClusterWorkspace::reloaded);
    QVERIFY(workspace.open({dir.path()}));
    QCOMPARE(reloaded.size(), 1);
    QVERIFY(workspace.isResolving());
    QVERIFY(workspace.cluster().hosts().source() == HostModel::Source::Literal);
    QTRY_COMPARE_WITH_TIMEOUT(reloaded.size(), 2, HostResolver::DefaultTimeoutMs + 3000);
    QVERIFY(!workspace.isResolving());
    QVERIFY(workspace.cluster().hosts().source() == HostModel::Source::Resolver);
    const auto unresolved = std::find_if(workspace.findings().cbegin(), workspace.findings().cend(), [](const Finding &f) {
        return f.rule == u"unresolved-host" && f.message.contains(u"worker.tribune.invalid");
    });
    QVERIFY(unresolved != workspace.findings().cend());
    QCOMPARE(unresolved->node, QStringLiteral("esb-worker1"));
    QVERIFY(unresolved->file.endsWith(u"carbon.xml"));
}

QTEST_GUILESS_MAIN(TestHostModel)
#include "tst_hostmodel.moc"
