#include "nodefacts.h"

#include "clusterconfig.h"
#include "nodeconfig.h"

#include <QDir>
#include <QRegularExpression>
#include <QUrl>

namespace Tribune {

using namespace Config;

namespace {

constexpr int DefaultServletHttpPort = 9763;
constexpr int DefaultServletHttpsPort = 9443;

const QHash<QString, int> &defaultDatabasePorts()
{
    static const QHash<QString, int> ports = {{QStringLiteral("mysql"), 3306},      {QStringLiteral("mariadb"), 3306},
                                              {QStringLiteral("postgresql"), 5432}, {QStringLiteral("sqlserver"), 1433},
                                              {QStringLiteral("oracle"), 1521},     {QStringLiteral("db2"), 50000}};
    return ports;
}

NodeFacts::Product productOf(const NodeConfig &node, const QString &domain)
{
    if (node.isLoadBalancer())
        return NodeFacts::Product::LoadBalancer;
    // The guides' domains are named after the product: wso2.esb.domain, wso2.governance.domain.
    const QStringList words = domain.toLower().split(QRegularExpression(QStringLiteral("[^a-z0-9]+")), Qt::SkipEmptyParts);
    const auto has = [&words](std::initializer_list<const char *> names) {
        for (const char *name : names) {
            if (words.contains(QLatin1String(name)))
                return true;
        }
        return false;
    };
    if (has({"governance", "greg", "registry"}))
        return NodeFacts::Product::GovernanceRegistry;
    if (has({"esb"}))
        return NodeFacts::Product::Esb;
    if (has({"am", "apim", "apimanager"}))
        return NodeFacts::Product::ApiManager;
    if (has({"as", "appserver"}))
        return NodeFacts::Product::AppServer;
    // Without a telling domain, the ESB's pass-through transport gives it away.
    if (const auto &axis2 = node.axis2()) {
        for (const TransportReceiver &receiver : axis2->transportReceivers()) {
            if (receiver.className.contains(u"synapse", Qt::CaseInsensitive))
                return NodeFacts::Product::Esb;
        }
    }
    return NodeFacts::Product::Unknown;
}

NodeFacts::Role roleOf(const NodeConfig &node, NodeFacts::Product product, const QString &subDomain)
{
    if (node.isLoadBalancer())
        return NodeFacts::Role::LoadBalancer;
    if (product == NodeFacts::Product::GovernanceRegistry)
        return NodeFacts::Role::Member; // no manager/worker split: every node writes
    const QString sub = subDomain.toLower();
    if (sub == u"worker")
        return NodeFacts::Role::Worker;
    if (sub == u"mgt" || sub == u"manager" || sub == u"management")
        return NodeFacts::Role::Manager;
    return NodeFacts::Role::Member;
}

// The database identity a registry dbConfig name leads to on this node.
QString databaseOfDbConfig(const NodeConfig &node, const RegistrySettings &registry, const QString &dbConfigName,
                           const QList<Datasource> &datasources)
{
    const RegistryDbConfig *config = registry.dbConfig(dbConfigName);
    if (!config)
        return {};
    for (const Datasource &source : datasources) {
        if (source.jndiName == config->dataSource)
            return databaseIdentity(source.url, node.homePath());
    }
    return {};
}

} // namespace

QString normalizedHost(const QString &host)
{
    const QString lower = host.trimmed().toLower();
    if (lower == u"localhost" || lower == u"::1" || lower == u"[::1]")
        return QStringLiteral("127.0.0.1");
    return lower;
}

QString databaseIdentity(const QString &jdbcUrl, const QString &nodeHome)
{
    QString url = jdbcUrl.trimmed();
    if (!url.startsWith(u"jdbc:", Qt::CaseInsensitive))
        return url;
    url = url.mid(5);
    const qsizetype colon = url.indexOf(u':');
    const QString vendor = url.left(colon).toLower();
    QString rest = url.mid(colon + 1);

    if (vendor == u"h2" || vendor == u"derby" || vendor == u"hsqldb") {
        // Embedded: a file path, possibly with ;options. A tcp:// URL is a server like any other.
        QString path = rest.section(u';', 0, 0);
        if (!path.startsWith(u"tcp:", Qt::CaseInsensitive) && !path.startsWith(u"mem:", Qt::CaseInsensitive)) {
            if (path.startsWith(u"file:", Qt::CaseInsensitive))
                path = path.mid(5);
            const QString absolute = QDir::isAbsolutePath(path) ? path : QDir(nodeHome).filePath(path);
            return vendor + QLatin1String(":file:") + QDir::cleanPath(absolute);
        }
        rest = path.startsWith(u"tcp:", Qt::CaseInsensitive) ? path.mid(4) : path;
    }
    if (vendor == u"oracle") {
        // jdbc:oracle:thin:@host:port/service or :@host:port:SID
        static const QRegularExpression oracle(QStringLiteral(R"(@(?://)?([^:/]+)(?::(\d+))?[:/](.+)$)"));
        const QRegularExpressionMatch match = oracle.match(rest);
        if (match.hasMatch())
            return QStringLiteral("oracle://%1:%2/%3")
                .arg(normalizedHost(match.captured(1)), match.captured(2).isEmpty() ? QStringLiteral("1521") : match.captured(2),
                     match.captured(3).toLower());
    }
    const QUrl parsed(vendor + QLatin1Char(':') + rest.section(u';', 0, 0));
    if (!parsed.isValid() || parsed.host().isEmpty())
        return vendor + QLatin1Char(':') + rest.section(u'?', 0, 0);
    const int port = parsed.port(defaultDatabasePorts().value(vendor, 0));
    return QStringLiteral("%1://%2:%3%4").arg(vendor, normalizedHost(parsed.host()), QString::number(port),
                                             parsed.path().toLower());
}

QString databaseNameOf(const QString &jdbcUrl)
{
    return jdbcUrl.section(u'?', 0, 0).section(u';', 0, 0).section(u'/', -1).trimmed();
}

LocalRegistryNames::LocalRegistryNames(const ClusterConfig &cluster)
{
    for (const NodeConfig &node : cluster.nodes()) {
        if (node.datasources()) {
            for (const Datasource &source : node.datasources()->datasources())
                m_taken.insert(databaseNameOf(source.url).toUpper());
        }
    }
}

QString LocalRegistryNames::next()
{
    while (m_taken.contains(QStringLiteral("REGISTRY_LOCAL%1").arg(m_next)))
        ++m_next;
    const QString name = QStringLiteral("REGISTRY_LOCAL%1").arg(m_next);
    m_taken.insert(name);
    return name;
}

NodeFacts NodeFacts::of(const NodeConfig &node)
{
    NodeFacts facts;
    facts.node = &node;
    if (const auto &axis2 = node.axis2()) {
        const Axis2Clustering clustering = axis2->clustering();
        facts.host = normalizedHost(clustering.localMemberHost());
        facts.memberPort = clustering.localMemberPort();
        facts.domain = clustering.domain();
        facts.subDomain = clustering.subDomain();
        facts.clusteringEnabled = clustering.present && clustering.enabled;
        const NamedValue *portParameter = clustering.parameter(u"localMemberPort");
        facts.ports.append({QStringLiteral("membership"), facts.memberPort, node.filePath(NodeConfig::File::Axis2),
                            portParameter ? portParameter->line : clustering.line});
    }
    facts.product = productOf(node, facts.domain);
    facts.role = roleOf(node, facts.product, facts.subDomain);

    const QString carbonFile = node.filePath(NodeConfig::File::Carbon);
    if (const auto &carbon = node.carbon()) {
        const CarbonSettings settings = carbon->settings();
        facts.offset = settings.offset;
        for (const ListenPort &port : settings.ports)
            facts.ports.append({port.name, port.port + facts.offset, carbonFile, port.line});
    }
    const auto addPort = [&facts](const QString &name, int port, const QString &file, int line) {
        for (const EffectivePort &existing : std::as_const(facts.ports)) {
            if (existing.port == port)
                return; // one listener named twice (servlet transport in axis2.xml and catalina)
        }
        facts.ports.append({name, port, file, line});
    };
    facts.httpPort = DefaultServletHttpPort + facts.offset;
    facts.httpsPort = DefaultServletHttpsPort + facts.offset;
    if (const auto &catalina = node.catalina()) {
        for (const CatalinaConnector &connector : catalina->connectors()) {
            const int port = connector.port + facts.offset;
            (connector.secure ? facts.httpsPort : facts.httpPort) = port;
            addPort(connector.secure ? QStringLiteral("HTTPS") : QStringLiteral("HTTP"), port,
                    node.filePath(NodeConfig::File::Catalina), connector.line);
        }
    } else {
        // The product's default servlet ports; said of carbon.xml, whose offset moves them, when
        // the node has one, else of the file that makes it a node.
        const QString file = node.carbon() ? carbonFile : node.filePath(NodeConfig::File::Axis2);
        addPort(QStringLiteral("HTTP"), facts.httpPort, file, 0);
        addPort(QStringLiteral("HTTPS"), facts.httpsPort, file, 0);
    }
    if (const auto &axis2 = node.axis2()) {
        for (const TransportReceiver &receiver : axis2->transportReceivers()) {
            if (receiver.port)
                addPort(QStringLiteral("transport %1").arg(receiver.name), *receiver.port + facts.offset,
                        node.filePath(NodeConfig::File::Axis2), receiver.line);
        }
    }

    if (const auto &registryFile = node.registry()) {
        const RegistrySettings registry = registryFile->settings();
        const QList<Datasource> datasources = node.datasources() ? node.datasources()->datasources() : QList<Datasource>();
        facts.localRegistryDatabase = databaseOfDbConfig(node, registry, registry.currentDbConfig, datasources);
        facts.localRegistryLine = registry.currentDbConfigLine;
        for (const RegistryMount &mount : registry.mounts) {
            const RegistryRemoteInstance *instance = registry.remoteInstance(mount.instanceId);
            if (instance)
                facts.mountDatabases.insert(mount.path, databaseOfDbConfig(node, registry, instance->dbConfig, datasources));
        }
    }
    return facts;
}

} // namespace Tribune
