#include "agentruntime.h"

#include "agentidentity.h"
#include "consoleservice.h"
#include "loadbalancerrole.h"
#include "nodehttpserver.h"

#include "cluster/clusterconfig.h"
#include "cluster/hostresolver.h"
#include "cluster/nodeconfig.h"
#include "config/configerror.h"
#include "configstore/nodeconfigstore.h"

#include <QJsonObject>
#include <QTcpServer>

namespace Tribune::Agent {

AgentRuntime::AgentRuntime(AgentStartOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
}

AgentRuntime::~AgentRuntime() = default;

const Protocol::MemberInfo &AgentRuntime::self() const
{
    return m_membership->self();
}

QString AgentRuntime::adminSocket() const
{
    return m_balancer ? m_balancer->adminSocket() : QString();
}

std::optional<MembershipSettings> AgentRuntime::settingsFor(const NodeConfig &node, QStringList *problems,
                                                            const HostModel *hosts)
{
    QStringList unresolved;
    std::optional<MembershipSettings> settings = membershipSettingsFor(
        node, m_options.portOverride, m_options.loadBalancer, hosts ? *hosts : m_options.hosts,
        m_options.servers ? &*m_options.servers : nullptr, problems, &unresolved);
    if (!settings)
        return std::nullopt;
    for (const QString &notice : std::as_const(unresolved))
        emit message(notice);
    if (!m_options.name.isEmpty())
        settings->self.name = m_options.name.left(255);
    settings->keys = m_options.keys;
    settings->tls = m_options.tls;
    return settings;
}

bool AgentRuntime::start(const QString &carbonHome, QStringList *problems)
{
    // A change a stop interrupted between its renames is completed (or undone) before the
    // node's files are read: they are all old or all new, never some of each.
    {
        NodeConfigStore store(carbonHome);
        QString error;
        const QString recovered = store.recover(&error);
        if (!recovered.isEmpty())
            emit message(recovered);
        if (!error.isEmpty())
            emit message(error);
    }
    QList<Config::ConfigError> loadErrors;
    const std::optional<NodeConfig> node = NodeConfig::load(carbonHome, &loadErrors);
    if (!node) {
        for (const Config::ConfigError &loadError : std::as_const(loadErrors))
            problems->append(loadError.toString());
        return false;
    }
    std::optional<MembershipSettings> settings = settingsFor(*node, problems);
    if (!settings) {
        problems->prepend(tr("the node's files are not valid; fix them and start again:"));
        return false;
    }
    m_carbonHome = node->homePath();
    const QHostAddress bindAddress = settings->listenAddress();
    m_membership = std::make_unique<MembershipService>(std::move(*settings));
    m_store = std::make_unique<NodeConfigStore>(m_carbonHome);
    m_consoles = std::make_unique<ConsoleService>(m_membership.get(), m_store.get());
    connect(m_consoles.get(), &ConsoleService::configChanged, this, &AgentRuntime::followConfigChange);
    connect(m_membership.get(), &MembershipService::leaveFinished, this, &AgentRuntime::leaveFinished);
    connect(m_membership.get(), &MembershipService::wellKnownMemberChanged, this,
            [this](const QString &endpoint, const QString &problem) {
                emit message(problem.isEmpty() ? tr("well-known member %1 answers again").arg(endpoint)
                                               : tr("cannot reach well-known member %1: %2").arg(endpoint, problem));
            });
    m_consoles->setHealthExtras([this] {
        QJsonObject extras;
        if (m_http) {
            extras.insert(QStringLiteral("httpRequests"), qint64(m_http->requestCount()));
            extras.insert(QStringLiteral("http5xx"), qint64(m_http->requestCount(5)));
        }
        // Where a console on this machine reads the load balancer's HAProxy.
        if (m_balancer)
            extras.insert(QStringLiteral("haproxySocket"), m_balancer->adminSocket());
        return extras;
    });
    QString error;
    if (!m_membership->start(bindAddress, &error)) {
        problems->append(error);
        return false;
    }
    if (m_options.serveHttp && !startHttp(&error)) {
        problems->append(error);
        return false;
    }
    if (m_options.loadBalancer || node->isLoadBalancer()) {
        if (!m_options.loadBalancerOptions)
            return true;
        m_balancer = std::make_unique<LoadBalancerRole>(m_membership.get(), m_options.loadBalancerOptions(*node));
        connect(m_balancer.get(), &LoadBalancerRole::message, this, &AgentRuntime::message);
        if (!m_balancer->start(&error)) {
            problems->append(error);
            return false;
        }
    }
    return true;
}

bool AgentRuntime::startHttp(QString *error)
{
    const Protocol::MemberInfo &member = m_membership->self();
    auto http = std::make_unique<NodeHttpServer>(
        MemberIdentity{member.id, member.domain, member.subDomain, member.host, member.httpPort});
    if (!http->listen(m_membership->settings().listenAddress(), quint16(member.httpPort), error))
        return false;
    m_http = std::move(http);
    return true;
}

void AgentRuntime::adoptConsoles(const QList<Protocol::Connection *> &connections)
{
    for (Protocol::Connection *connection : connections)
        m_consoles->addConsole(connection);
}

void AgentRuntime::leave()
{
    m_membership->leave();
}

bool AgentRuntime::canStartFrom(const NodeConfig &node, quint16 portFreedFirst, QStringList *problems)
{
    const std::optional<MembershipSettings> settings = settingsFor(node, problems);
    if (!settings)
        return false;
    // The ports the node will listen on must be free, or it could not start once its files are
    // written. The port the caller gives up first (the provisioning port) will be.
    QList<int> ports{settings->self.port};
    if (m_options.serveHttp)
        ports.append(settings->self.httpPort);
    for (const int wanted : std::as_const(ports)) {
        QTcpServer probe;
        if (wanted != portFreedFirst && !probe.listen(settings->listenAddress(), quint16(wanted)))
            problems->append(tr("port %1 on %2 is in use here (%3); free it, or plan the node with another port")
                                 .arg(wanted)
                                 .arg(settings->listenAddress().toString(), probe.errorString()));
    }
    return problems->isEmpty();
}

void AgentRuntime::followConfigChange()
{
    QList<Config::ConfigError> loadErrors;
    std::optional<NodeConfig> node = NodeConfig::load(m_carbonHome, &loadErrors);
    // Names the node's files give are looked up without stopping probes: a slow resolver
    // must not make the node look dead to its peers.
    QStringList names;
    if (node && m_options.hosts.source() == HostModel::Source::Literal) {
        ClusterConfig alone;
        alone.addNode(*node);
        for (const QString &name : alone.hostNames()) {
            if (!HostModel::isAddress(name))
                names.append(name);
        }
    }
    if (names.isEmpty()) {
        becomeWhatTheFilesSay(node, loadErrors, m_options.hosts);
        return;
    }
    if (!m_resolver) {
        m_resolver = new HostResolver(this);
        connect(m_resolver, &HostResolver::finished, this, [this](const HostModel &hosts) {
            // The files as they are once the names answered: another push may have come since.
            QList<Config::ConfigError> errors;
            const std::optional<NodeConfig> latest = NodeConfig::load(m_carbonHome, &errors);
            becomeWhatTheFilesSay(latest, errors, hosts);
        });
    }
    m_resolver->resolve(names);
}

void AgentRuntime::becomeWhatTheFilesSay(const std::optional<NodeConfig> &node,
                                          const QList<Config::ConfigError> &loadErrors, const HostModel &hosts)
{
    QStringList problems;
    for (const Config::ConfigError &loadError : std::as_const(loadErrors))
        problems.append(loadError.toString());
    std::optional<MembershipSettings> next = node ? settingsFor(*node, &problems, &hosts) : std::nullopt;
    if (!next) {
        emit message(tr("the node's new files do not say which member it is; it stays %1: %2")
                         .arg(m_membership->self().id, problems.join(QLatin1String("; "))));
        return;
    }
    if (!m_membership->identityDiffers(*next))
        return;
    const QString previous = m_membership->self().id;
    QString error;
    if (!m_membership->rejoin(std::move(*next), &error)) {
        emit message(tr("the node's files name another member, but it stays %1: %2").arg(previous, error));
        return;
    }
    emit message(tr("rejoined as %1 (was %2)").arg(m_membership->self().id, previous));
    if (m_http) {
        // The HTTP port answers as the member it is (its id, domain and sub-domain).
        m_http.reset();
        if (!startHttp(&error))
            emit message(error);
    }
}

} // namespace Tribune::Agent
