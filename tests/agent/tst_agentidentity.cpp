// The member a node is, from its files and the cluster's hosts and servers files.
#include "agentidentity.h"

#include "cluster/hostmodel.h"
#include "cluster/nodeconfig.h"
#include "config/axis2xml.h"
#include "config/configerror.h"

#include "../common/testsupport.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Tribune;

namespace {

// A copy of one sample node with its axis2.xml changed.
std::optional<NodeConfig> editedNode(const QTemporaryDir &dir, const QString &node,
                                     const std::function<bool(Config::Axis2Xml &, Config::ConfigError *)> &edit)
{
    const QString home = dir.path() + QLatin1Char('/') + node;
    if (!TestSupport::copyTree(TestSupport::sampleCluster() + QLatin1Char('/') + node, home))
        return std::nullopt;
    const QString path = home + QLatin1String("/repository/conf/axis2/axis2.xml");
    Config::ConfigError error;
    std::optional<Config::Axis2Xml> axis2 = Config::Axis2Xml::load(path, &error);
    if (!axis2 || !edit(*axis2, &error) || !axis2->save(path, &error))
        return std::nullopt;
    QList<Config::ConfigError> errors;
    return NodeConfig::load(home, &errors);
}

HostModel hostsOf(const QByteArray &text)
{
    Config::ConfigError error;
    return HostModel::parseHostsFile(text, QStringLiteral("hosts"), &error).value_or(HostModel());
}

} // namespace

class TestAgentIdentity final : public QObject
{
    Q_OBJECT

private slots:
    void namesResolveThroughTheHostsFile();
    void nodeThatNamesNoHostIsPlacedByTheServersFile();
    void unresolvableLocalMemberHostRefusesToStart();
};

void TestAgentIdentity::namesResolveThroughTheHostsFile()
{
    QTemporaryDir dir;
    const std::optional<NodeConfig> node = editedNode(dir, QStringLiteral("esb-worker1"), [](Config::Axis2Xml &f, Config::ConfigError *e) {
        return f.setParameter(QStringLiteral("localMemberHost"), QStringLiteral("esb-b.example"), e)
            && f.setWellKnownMembers({{QStringLiteral("elb.example"), 4000, 0}, {QStringLiteral("nowhere.example"), 4001, 0}}, e);
    });
    QVERIFY(node);
    QStringList problems;
    QStringList unresolved;
    const std::optional<Agent::MembershipSettings> settings = Agent::membershipSettingsFor(
        *node, std::nullopt, false, hostsOf("127.0.0.9 esb-b.example\n127.0.0.8 elb.example\n"), nullptr, &problems,
        &unresolved);
    QVERIFY2(settings, qPrintable(problems.join(u'\n')));
    QCOMPARE(settings->self.host, QStringLiteral("127.0.0.9"));
    QCOMPARE(settings->bindAddress, QStringLiteral("127.0.0.9"));
    QCOMPARE(settings->wellKnown.size(), 2);
    QCOMPARE(settings->wellKnown.at(0).id(), QStringLiteral("127.0.0.8:4000"));
    QCOMPARE(settings->wellKnown.at(0).name, QStringLiteral("elb.example"));
    // Said once, at start; the name is left to the system resolver.
    QCOMPARE(unresolved.size(), 1);
    QVERIFY2(unresolved.first().contains(u"nowhere.example:4001"), qPrintable(unresolved.first()));
    QCOMPARE(settings->wellKnown.at(1).host, QStringLiteral("nowhere.example"));
}

void TestAgentIdentity::nodeThatNamesNoHostIsPlacedByTheServersFile()
{
    QTemporaryDir dir;
    const std::optional<NodeConfig> node = editedNode(dir, QStringLiteral("esb-worker1"), [](Config::Axis2Xml &f, Config::ConfigError *e) {
        return f.removeParameter(QStringLiteral("localMemberHost"), e);
    });
    QVERIFY(node);
    Config::ConfigError error;
    const std::optional<ServersFile> servers =
        ServersFile::parse("esb-b.example esb-worker1\n", QStringLiteral("servers"), &error);
    QVERIFY(servers);
    QStringList problems;
    QStringList unresolved;
    const std::optional<Agent::MembershipSettings> settings = Agent::membershipSettingsFor(
        *node, std::nullopt, false, hostsOf("127.0.0.9 esb-b.example\n"), &*servers, &problems, &unresolved);
    QVERIFY2(settings, qPrintable(problems.join(u'\n')));
    // It announces its server and listens on every address, reachable from the other servers.
    QCOMPARE(settings->self.host, QStringLiteral("127.0.0.9"));
    QVERIFY(settings->bindAddress.isEmpty());
}

void TestAgentIdentity::unresolvableLocalMemberHostRefusesToStart()
{
    QTemporaryDir dir;
    const std::optional<NodeConfig> node = editedNode(dir, QStringLiteral("esb-worker1"), [](Config::Axis2Xml &f, Config::ConfigError *e) {
        return f.setParameter(QStringLiteral("localMemberHost"), QStringLiteral("esb-c.example"), e);
    });
    QVERIFY(node);
    QStringList problems;
    QStringList unresolved;
    QVERIFY(!Agent::membershipSettingsFor(*node, std::nullopt, false, hostsOf("127.0.0.9 esb-b.example\n"), nullptr,
                                          &problems, &unresolved));
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems.first().contains(u"esb-c.example") && problems.first().contains(u"hosts"), qPrintable(problems.first()));
}

QTEST_GUILESS_MAIN(TestAgentIdentity)
#include "tst_agentidentity.moc"
