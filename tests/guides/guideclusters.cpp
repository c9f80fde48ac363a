#include "guideclusters.h"

#include "cluster/nodeconfig.h"
#include "config/configerror.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <functional>

namespace Tribune::Guides {

using namespace Config;
using File = NodeConfig::File;

namespace {

const QString TribesAgent = QStringLiteral("org.apache.axis2.clustering.tribes.TribesClusteringAgent");

QString upstream(const QString &relative)
{
    return QStringLiteral(TRIBUNE_UPSTREAM_DATA "/") + relative;
}

// Applies edits to node folders one after another; after the first failure it does nothing more
// and keeps that failure's message.
class Builder
{
public:
    explicit Builder(const QString &folder) : m_root(folder) {}

    bool ok() const { return m_error.isEmpty(); }
    const QString &error() const { return m_error; }

    QString path(const QString &node, File file) const
    {
        return m_root + QLatin1Char('/') + node + QLatin1String("/repository/conf/") + NodeConfig::relativePath(file);
    }

    // The six files of carbon-kernel 4.4.x, as every Carbon product ships them.
    void copyKernel(const QString &node)
    {
        static const std::pair<File, const char *> files[] = {
            {File::Axis2, "axis2.xml"},       {File::Carbon, "carbon.xml"},
            {File::Registry, "registry.xml"}, {File::Datasources, "master-datasources.xml"},
            {File::UserMgt, "user-mgt.xml"},  {File::Catalina, "catalina-server.xml"}};
        for (const auto &[file, name] : files)
            copy(QStringLiteral("carbon-kernel-4.4.x/") + QLatin1String(name), path(node, file));
    }

    // The Elastic Load Balancer's axis2.xml and loadbalancer.conf of Apache Stratos 3.0.0.
    void copyLoadBalancer(const QString &node)
    {
        copy(QStringLiteral("stratos-3.0.0-elb/axis2.xml"), path(node, File::Axis2));
        copy(QStringLiteral("stratos-3.0.0-elb/loadbalancer.conf"), path(node, File::LoadBalancer));
    }

    template<typename Xml>
    void edit(const QString &node, File file, const std::function<bool(Xml &, ConfigError *)> &change)
    {
        if (!ok())
            return;
        ConfigError error;
        std::optional<Xml> document = Xml::load(path(node, file), &error);
        if (!document || !change(*document, &error) || !document->save(path(node, file), &error))
            m_error = error.toString();
    }

    void axis2(const QString &node, const std::function<bool(Axis2Xml &, ConfigError *)> &change)
    {
        edit<Axis2Xml>(node, File::Axis2, change);
    }
    void carbon(const QString &node, const std::function<bool(CarbonXml &, ConfigError *)> &change)
    {
        edit<CarbonXml>(node, File::Carbon, change);
    }
    void registry(const QString &node, const std::function<bool(RegistryXml &, ConfigError *)> &change)
    {
        edit<RegistryXml>(node, File::Registry, change);
    }
    void datasources(const QString &node, const std::function<bool(DatasourcesXml &, ConfigError *)> &change)
    {
        edit<DatasourcesXml>(node, File::Datasources, change);
    }
    void userMgt(const QString &node, const std::function<bool(UserMgtXml &, ConfigError *)> &change)
    {
        edit<UserMgtXml>(node, File::UserMgt, change);
    }
    void catalina(const QString &node, const std::function<bool(CatalinaXml &, ConfigError *)> &change)
    {
        edit<CatalinaXml>(node, File::Catalina, change);
    }
    void loadBalancer(const QString &node, const std::function<bool(LoadBalancerConf &, ConfigError *)> &change)
    {
        edit<LoadBalancerConf>(node, File::LoadBalancer, change);
    }

    // What an administrator does by hand that no editor should: uncommenting a line, or pasting
    // text that is not well-formed XML. Exactly one occurrence must be there.
    void replaceText(const QString &node, File file, const QByteArray &from, const QByteArray &to)
    {
        if (!ok())
            return;
        QFile in(path(node, file));
        if (!in.open(QIODevice::ReadOnly)) {
            m_error = in.fileName() + QLatin1String(": ") + in.errorString();
            return;
        }
        QByteArray bytes = in.readAll();
        if (bytes.count(from) != 1) {
            m_error = QStringLiteral("%1: expected \"%2\" once, found it %3 times")
                          .arg(in.fileName(), QString::fromUtf8(from))
                          .arg(bytes.count(from));
            return;
        }
        bytes.replace(from, to);
        write(in.fileName(), bytes);
    }

    void writeFile(const QString &relative, const QByteArray &bytes) { write(m_root + QLatin1Char('/') + relative, bytes); }

private:
    void copy(const QString &fixture, const QString &target)
    {
        if (!ok())
            return;
        QFile source(upstream(fixture));
        if (!source.open(QIODevice::ReadOnly)) {
            m_error = source.fileName() + QLatin1String(": ") + source.errorString();
            return;
        }
        write(target, source.readAll());
    }

    void write(const QString &target, const QByteArray &bytes)
    {
        if (!ok())
            return;
        QDir().mkpath(QFileInfo(target).path());
        QSaveFile file(target);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
            m_error = target + QLatin1String(": ") + file.errorString();
    }

    QString m_root;
    QString m_error;
};

Datasource mysqlDatasource(const QString &name, const QString &description, const QString &jndiName,
                           const QString &url, const QString &user, const QString &password)
{
    Datasource source;
    source.name = name;
    source.description = description;
    source.jndiName = jndiName;
    source.url = url;
    source.username = user;
    source.password = password;
    source.driverClassName = QStringLiteral("com.mysql.jdbc.Driver");
    source.pool = {{QStringLiteral("maxActive"), QStringLiteral("50")},
                   {QStringLiteral("maxWait"), QStringLiteral("60000")},
                   {QStringLiteral("testOnBorrow"), QStringLiteral("true")},
                   {QStringLiteral("validationQuery"), QStringLiteral("SELECT 1")},
                   {QStringLiteral("validationInterval"), QStringLiteral("30000")}};
    return source;
}

// "Configuring the ELB to listen on default ports": the port change goes to the ELB's active
// receivers (its PassThrough receivers are commented out in the shipped file).
void moveLoadBalancerToDefaultPorts(Builder &build, const QString &lb)
{
    build.axis2(lb, [](Axis2Xml &f, ConfigError *e) {
        return f.setTransportReceiverParameter(QStringLiteral("http"), QStringLiteral("port"), QStringLiteral("80"), e)
            && f.setTransportReceiverParameter(QStringLiteral("https"), QStringLiteral("port"), QStringLiteral("443"), e);
    });
}

struct EsbNode
{
    QString name;
    QString subDomain;
    int memberPort = 0;
    int offset = 0;
    QString server;
    int localRegistry = 0; // REGISTRY_LOCALn
};

// Clustering as the ESB guide sets it on the manager and the workers.
void clusterEsbNode(Builder &build, const EsbNode &node, Stage stage)
{
    const bool manager = node.subDomain == u"mgt";
    build.axis2(node.name, [&](Axis2Xml &f, ConfigError *e) {
        QList<WellKnownMember> members{{QStringLiteral("elb.wso2.com"), 4000, 0}};
        if (!manager)
            members.append({QStringLiteral("mgt.esb.wso2.com"), 4001, 0});
        bool ok = f.setClusteringAgentClass(TribesAgent, e) && f.setClusteringEnabled(true, e)
            && f.setParameter(QStringLiteral("membershipScheme"), QStringLiteral("wka"), e)
            && f.setParameter(QStringLiteral("domain"), QStringLiteral("wso2.esb.domain"), e)
            && f.setParameter(QStringLiteral("localMemberPort"), QString::number(node.memberPort), e)
            && f.setProperty(QStringLiteral("subDomain"), node.subDomain, e) && f.setWellKnownMembers(members, e);
        // The guide leaves the kernel's localMemberHost 127.0.0.1 as it is.
        if (ok && stage == Stage::Corrected)
            ok = f.setParameter(QStringLiteral("localMemberHost"), node.server, e);
        if (ok && manager)
            ok = f.setProperty(QStringLiteral("port.mapping.80"), QString::number(9763 + node.offset), e)
                && f.setProperty(QStringLiteral("port.mapping.443"), QString::number(9443 + node.offset), e);
        // The ESB's PassThrough receivers, which the kernel's axis2.xml lacks; the manager's publish
        // the worker host on the ELB's ports: 8280/8243 as the guide writes, 80/443 where it
        // moved the ELB.
        QList<std::pair<QString, QString>> http{{QStringLiteral("port"), QStringLiteral("8280")}};
        QList<std::pair<QString, QString>> https{{QStringLiteral("port"), QStringLiteral("8243")}};
        if (manager) {
            const bool published = stage == Stage::Corrected;
            http.append({QStringLiteral("WSDLEPRPrefix"), published ? QStringLiteral("http://worker.esb.wso2.com")
                                                                    : QStringLiteral("http://worker.esb.wso2.com:8280")});
            https.append({QStringLiteral("WSDLEPRPrefix"), published ? QStringLiteral("https://worker.esb.wso2.com")
                                                                     : QStringLiteral("https://worker.esb.wso2.com:8243")});
        }
        return ok
            && f.addTransportReceiver(QStringLiteral("http"),
                                      QStringLiteral("org.apache.synapse.transport.passthru.PassThroughHttpListener"),
                                      http, e)
            && f.addTransportReceiver(QStringLiteral("https"),
                                      QStringLiteral("org.apache.synapse.transport.passthru.PassThroughHttpSSLListener"),
                                      https, e);
    });
    build.carbon(node.name, [&](CarbonXml &f, ConfigError *e) {
        bool ok = f.setOffset(node.offset, e);
        if (ok && manager)
            ok = f.setHostName(QStringLiteral("worker.esb.wso2.com"), e);
        if (ok && manager && stage == Stage::Corrected)
            ok = f.setMgtHostName(QStringLiteral("mgt.esb.wso2.com"), e);
        return ok;
    });
}

// "Setting up the central database" and "Mounting the registry".
void shareEsbDatabases(Builder &build, const EsbNode &node, Stage stage)
{
    const bool manager = node.subDomain == u"mgt";
    const QString server = QStringLiteral("jdbc:mysql://carbondb.mysql-wso2.com:3306/");
    const QString local = QStringLiteral("REGISTRY_LOCAL%1").arg(node.localRegistry);
    build.datasources(node.name, [&](DatasourcesXml &f, ConfigError *e) {
        return f.removeDatasource(QStringLiteral("WSO2_CARBON_DB"), e)
            && f.addDatasource(mysqlDatasource(local, QStringLiteral("The datasource used for registry- local"),
                                               QStringLiteral("jdbc/WSO2CarbonDB"),
                                               server + local + QLatin1String("?autoReconnect=true"),
                                               QStringLiteral("regadmin"), QStringLiteral("regadmin")),
                               e)
            && f.addDatasource(mysqlDatasource(QStringLiteral("REGISTRY_DB"),
                                               QStringLiteral("The datasource used for registry- config/governance"),
                                               QStringLiteral("jdbc/WSO2RegistryDB"),
                                               server + QLatin1String("REGISTRY_DB?autoReconnect=true"),
                                               QStringLiteral("regadmin"), QStringLiteral("regadmin")),
                               e)
            && f.addDatasource(mysqlDatasource(QStringLiteral("WSO2_USER_DB"),
                                               QStringLiteral("The datasource used for registry and user manager"),
                                               QStringLiteral("jdbc/WSO2UMDB"), server + QLatin1String("WSO2_USER_DB"),
                                               QStringLiteral("regadmin"), QStringLiteral("regadmin")),
                               e);
    });
    // The guide points only the manager's user store at WSO2_USER_DB.
    if (manager || stage == Stage::Corrected)
        build.userMgt(node.name, [](UserMgtXml &f, ConfigError *e) { return f.setDataSource(QStringLiteral("jdbc/WSO2UMDB"), e); });
    build.registry(node.name, [&](RegistryXml &f, ConfigError *e) {
        RegistryRemoteInstance instance;
        instance.url = QStringLiteral("https://localhost:9443/registry");
        instance.id = QStringLiteral("instanceid");
        instance.dbConfig = QStringLiteral("sharedregistry");
        instance.readOnly = !manager;
        instance.enableCache = true;
        instance.registryRoot = QStringLiteral("/");
        // The guide's cacheId names the registry's datasource and the node's local database.
        instance.cacheId = stage == Stage::Corrected
            ? QString(QLatin1String("regadmin@") + server + QLatin1String("REGISTRY_DB?autoReconnect=true"))
            : QString(QLatin1String("REGISTRY_DB@") + server + local + QLatin1String("?autoReconnect=true"));
        return f.addDbConfig(QStringLiteral("sharedregistry"), QStringLiteral("jdbc/WSO2RegistryDB"), e)
            && f.addRemoteInstance(instance, e)
            && f.addMount({QStringLiteral("/_system/config"), true, QStringLiteral("instanceid"),
                           QStringLiteral("/_system/asNodes"), 0},
                          e)
            && f.addMount({QStringLiteral("/_system/governance"), true, QStringLiteral("instanceid"),
                           QStringLiteral("/_system/governance"), 0},
                          e);
    });
}

} // namespace

bool buildEsbCluster(const QString &folder, Stage stage, QString *error)
{
    Builder build(folder);
    const QString lb = QStringLiteral("lb");
    const QString a = QLatin1String(EsbServerA);
    const QString b = QLatin1String(EsbServerB);

    // "Configuring the load balancer".
    build.copyLoadBalancer(lb);
    build.loadBalancer(lb, [](LoadBalancerConf &f, ConfigError *e) {
        const LbConfNode *services = f.root().block(u"services");
        if (!services) {
            *e = {QString(), 0, 0, QStringLiteral("loadbalancer.conf has no services block")};
            return false;
        }
        return f.addBlock(*services, QStringLiteral("esb"),
                          {QStringLiteral("domains {"), QStringLiteral("    wso2.esb.domain {"),
                           QStringLiteral("        hosts mgt.esb.wso2.com;"), QStringLiteral("        sub_domain mgt;"),
                           QStringLiteral("        tenant_range *;"), QStringLiteral("    }"),
                           QStringLiteral("    wso2.esb.domain {"), QStringLiteral("        hosts worker.esb.wso2.com;"),
                           QStringLiteral("        sub_domain worker;"), QStringLiteral("        tenant_range *;"),
                           QStringLiteral("    }"), QStringLiteral("}")},
                          e);
    });
    build.axis2(lb, [](Axis2Xml &f, ConfigError *e) {
        return f.setClusteringEnabled(true, e)
            && f.setParameter(QStringLiteral("membershipScheme"), QStringLiteral("wka"), e)
            && f.setParameter(QStringLiteral("domain"), QStringLiteral("wso2.carbon.lb.domain"), e)
            && f.setParameter(QStringLiteral("localMemberPort"), QStringLiteral("4000"), e);
    });
    moveLoadBalancerToDefaultPorts(build, lb);
    if (stage == Stage::Corrected)
        build.axis2(lb, [&a](Axis2Xml &f, ConfigError *e) { return f.setParameter(QStringLiteral("localMemberHost"), a, e); });

    // The manager on .206 and the workers: worker 2 beside it, workers 1 and 3 on .132. The guide
    // gives every worker REGISTRY_LOCAL2; each gets its own once corrected.
    const bool corrected = stage == Stage::Corrected;
    const QList<EsbNode> nodes = {
        {QStringLiteral("esb-manager"), QStringLiteral("mgt"), 4001, 1, a, 1},
        {QStringLiteral("esb-worker1"), QStringLiteral("worker"), 4000, 0, b, 2},
        {QStringLiteral("esb-worker2"), QStringLiteral("worker"), 4002, 2, a, corrected ? 3 : 2},
        {QStringLiteral("esb-worker3"), QStringLiteral("worker"), 4001, 3, b, corrected ? 4 : 2},
    };
    for (const EsbNode &node : nodes) {
        build.copyKernel(node.name);
        clusterEsbNode(build, node, stage);
        shareEsbDatabases(build, node, stage);
    }

    // "Mapping the host name to the IP", on every server; and where each folder runs.
    build.writeFile(QStringLiteral("hosts"), QStringLiteral("%1 carbondb.mysql-wso2.com\n%1 worker.esb.wso2.com\n"
                                                           "%1 mgt.esb.wso2.com\n%1 elb.wso2.com\n")
                                                 .arg(a)
                                                 .toUtf8());
    build.writeFile(QStringLiteral("servers"),
                    QStringLiteral("%1 lb esb-manager esb-worker2\n%2 esb-worker1 esb-worker3\n").arg(a, b).toUtf8());
    if (!build.ok())
        *error = build.error();
    return build.ok();
}

bool buildGovernanceCluster(const QString &folder, Stage stage, QString *error)
{
    Builder build(folder);
    const QString lb = QStringLiteral("lb");
    const bool corrected = stage == Stage::Corrected;

    // "Configure the load balancer".
    build.copyLoadBalancer(lb);
    build.loadBalancer(lb, [](LoadBalancerConf &f, ConfigError *e) {
        const LbConfNode *services = f.root().block(u"services");
        if (!services) {
            *e = {QString(), 0, 0, QStringLiteral("loadbalancer.conf has no services block")};
            return false;
        }
        return f.addBlock(*services, QStringLiteral("governance"),
                          {QStringLiteral("hosts governance.cloud-test.wso2.com;"), QStringLiteral("domains {"),
                           QStringLiteral("    wso2.governance.domain {"), QStringLiteral("        tenant_range *;"),
                           QStringLiteral("        group_mgt_port 4000;"), QStringLiteral("        mgt {"),
                           QStringLiteral("            hosts governance.cluster.wso2.com;"),
                           QStringLiteral("        }"), QStringLiteral("    }"), QStringLiteral("}")},
                          e);
    });
    build.replaceText(lb, File::Axis2, "<!--parameter name=\"localMemberHost\">127.0.0.1</parameter-->",
                      "<parameter name=\"localMemberHost\">127.0.0.1</parameter>");
    build.axis2(lb, [](Axis2Xml &f, ConfigError *e) {
        return f.setParameter(QStringLiteral("localMemberPort"), QStringLiteral("5000"), e);
    });

    // "Configure the Governance Registry nodes"; offsets 0, 1, 2 as the guide suggests for one
    // server, which leaves the first on the load balancer's own ports.
    for (int i = 0; i < 3; ++i) {
        const QString node = QStringLiteral("greg%1").arg(i + 1);
        build.copyKernel(node);
        build.datasources(node, [](DatasourcesXml &f, ConfigError *e) {
            return f.addDatasource(mysqlDatasource(QStringLiteral("WSO2_CARBON_DB_mount"),
                                                   QStringLiteral("The datasource used for registry and user manager"),
                                                   QStringLiteral("jdbc/WSO2CarbonDB_mount"),
                                                   QStringLiteral("jdbc:mysql://localhost:3306/governancedb"),
                                                   QStringLiteral("root"), QStringLiteral("root123")),
                                   e)
                // The kernel has no WSO2AM_DB for the guide to update: it is added as the guide shows it.
                && f.addDatasource(mysqlDatasource(QStringLiteral("WSO2AM_DB"),
                                                   QStringLiteral("The datasource used for API Manager database"),
                                                   QStringLiteral("jdbc/WSO2AM_DB"),
                                                   QStringLiteral("jdbc:mysql://localhost:3306/wso2apim?autoReconnect=true"
                                                                  "&relaxAutoCommit=true"),
                                                   QStringLiteral("root"), QStringLiteral("root")),
                                   e);
        });
        // The guide pastes the URL with a bare '&', which no XML parser accepts.
        if (stage == Stage::AsWritten)
            build.replaceText(node, File::Datasources, "autoReconnect=true&amp;relaxAutoCommit",
                              "autoReconnect=true&relaxAutoCommit");
        build.registry(node, [](RegistryXml &f, ConfigError *e) {
            RegistryRemoteInstance instance;
            instance.url = QStringLiteral("https://localhost:9443/registry");
            instance.id = QStringLiteral("instanceid");
            instance.dbConfig = QStringLiteral("wso2registry_mount");
            instance.enableCache = true;
            instance.registryRoot = QStringLiteral("/");
            instance.cacheId = QStringLiteral("root@jdbc:mysql://localhost:3306/governancedb");
            return f.addDbConfig(QStringLiteral("wso2registry_mount"), QStringLiteral("jdbc/WSO2CarbonDB_mount"), e)
                && f.addRemoteInstance(instance, e)
                && f.addMount({QStringLiteral("/_system/config"), true, QStringLiteral("instanceid"),
                               QStringLiteral("/_system/config"), 0},
                              e)
                && f.addMount({QStringLiteral("/_system/governance"), true, QStringLiteral("instanceid"),
                               QStringLiteral("/_system/governance"), 0},
                              e);
        });
        build.axis2(node, [i, corrected](Axis2Xml &f, ConfigError *e) {
            // The guide lists the ELB's group_mgt_port and "the Governance Registry node (port 4001)",
            // which no node of its cluster has; corrected, the second entry is the first node.
            bool ok = f.setClusteringEnabled(true, e)
                && f.setParameter(QStringLiteral("membershipScheme"), QStringLiteral("wka"), e)
                && f.setParameter(QStringLiteral("domain"), QStringLiteral("wso2.governance.domain"), e)
                && f.setParameter(QStringLiteral("localMemberHost"), QStringLiteral("governance.cluster.wso2.com"), e)
                && f.setParameter(QStringLiteral("localMemberPort"), QString::number(4250 + i), e)
                && f.setWellKnownMembers({{QStringLiteral("127.0.0.1"), 4000, 0},
                                          {QStringLiteral("127.0.0.1"), corrected ? 4250 : 4001, 0}},
                                         e);
            // The kernel's member properties put every node in sub-domain "worker", which the load
            // balancer does not serve; and its Hazelcast agent cannot join the Tribes ELB.
            if (ok && corrected)
                ok = f.setProperty(QStringLiteral("subDomain"), QStringLiteral("mgt"), e)
                    && f.setClusteringAgentClass(TribesAgent, e);
            return ok;
        });
        build.catalina(node, [](CatalinaXml &f, ConfigError *e) {
            return f.setProxyPort(9763, 8280, e) && f.setProxyPort(9443, 8243, e);
        });
        build.carbon(node, [i, corrected](CarbonXml &f, ConfigError *e) {
            return f.setOffset(corrected ? i + 1 : i, e)
                && f.setHostName(QStringLiteral("governance.cluster.wso2.com"), e)
                && f.setMgtHostName(QStringLiteral("governance.cluster.wso2.com"), e);
        });
        build.userMgt(node, [](UserMgtXml &f, ConfigError *e) {
            return f.setDataSource(QStringLiteral("jdbc/WSO2CarbonDB_mount"), e);
        });
    }
    build.writeFile(QStringLiteral("hosts"), "127.0.0.1 governance.cluster.wso2.com\n");
    if (!build.ok())
        *error = build.error();
    return build.ok();
}

} // namespace Tribune::Guides
