#include "loadbalancerdriver.h"

#include "membershipservice.h"

#include "haproxy/haproxyconfig.h"
#include "haproxy/haproxystats.h"
#include "haproxy/runtimeclient.h"

#include <QTimer>

namespace Tribune::Agent {

using Protocol::MemberInfo;
using Protocol::MembershipEvent;

LoadBalancerDriver::LoadBalancerDriver(MembershipService *membership, HAProxy::RuntimeClient *runtime,
                                       QSet<QString> backends, int httpListenPort, QObject *parent)
    : QObject(parent)
    , m_membership(membership)
    , m_runtime(runtime)
    , m_backends(std::move(backends))
    , m_httpListenPort(httpListenPort)
    , m_timer(new QTimer(this))
{
    m_timer->setInterval(ReconcileIntervalMs);
    connect(m_timer, &QTimer::timeout, this, &LoadBalancerDriver::reconcile);
    connect(membership, &MembershipService::changed, this, &LoadBalancerDriver::onChanged);
}

LoadBalancerDriver::~LoadBalancerDriver() = default;

void LoadBalancerDriver::start()
{
    m_timer->start();
    reconcile();
}

void LoadBalancerDriver::holdRemovals(int holdMs)
{
    m_removalsHeld.setRemainingTime(holdMs);
}

std::optional<LoadBalancerDriver::Server> LoadBalancerDriver::serverFor(const MemberInfo &member) const
{
    if (member.loadBalancer)
        return std::nullopt;
    const QString backend = HAProxy::backendName(member.domain, member.subDomain);
    if (!m_backends.contains(backend))
        return std::nullopt;
    // The seeds' rule: port.mapping.<load balancer port> when the member names one, else its
    // HTTP port after the offset.
    const int port = member.portMappings.value(m_httpListenPort, member.httpPort);
    return Server{backend, member.id, member.host, port};
}

QHash<QString, QList<LoadBalancerDriver::Server>> LoadBalancerDriver::desiredServers() const
{
    QHash<QString, QList<Server>> servers;
    for (const MembershipService::Peer &peer : m_membership->peers()) {
        if (peer.state != Protocol::MemberState::Alive && peer.state != Protocol::MemberState::Suspect)
            continue;
        if (const std::optional<Server> server = serverFor(peer.info))
            servers[server->backend].append(*server);
    }
    return servers;
}

void LoadBalancerDriver::onChanged(const MembershipEvent &change)
{
    const std::optional<Server> server = serverFor(change.member);
    if (change.type == MembershipEvent::Type::Rejoin) {
        // The member moved: its old server goes from wherever it was, except where it stays
        // (same id, same backend: a healthy server keeps its sessions and its checks; a changed
        // port is put right by the next reconcile).
        for (const QString &backend : std::as_const(m_backends)) {
            if (!(server && change.previousId == change.member.id && server->backend == backend))
                removeServer(backend, change.previousId);
        }
    }
    if (!server)
        return;
    switch (change.type) {
    case MembershipEvent::Type::Join:
    case MembershipEvent::Type::Rejoin:
        addServer(*server);
        break;
    case MembershipEvent::Type::Leave:
    case MembershipEvent::Type::Failure:
        removeServer(server->backend, server->name);
        break;
    case MembershipEvent::Type::Suspect:
    case MembershipEvent::Type::Refute:
        break; // HAProxy's own health checks judge traffic; membership waits for the drop time
    }
}

void LoadBalancerDriver::addServer(const Server &server)
{
    // HAProxy 2.6 ignores default-server for servers added at run time: without these, checks run
    // at the compiled defaults (every 2 s, two to rise) and a joined member needs seconds to go
    // UP. The config's 1 s while UP; 100 ms while rising or falling, 200 ms while DOWN, so that
    // a member that just joined takes requests within a few hundred milliseconds. (A member that
    // stays down leaves HAProxy once membership declares it failed.)
    HAProxy::RuntimeClient::ServerOptions options;
    options.extraKeywords = {QStringLiteral("inter"),     QStringLiteral("1s"),    QStringLiteral("fastinter"),
                             QStringLiteral("100ms"),     QStringLiteral("downinter"), QStringLiteral("200ms"),
                             QStringLiteral("rise"),      QStringLiteral("2"),     QStringLiteral("fall"),
                             QStringLiteral("2")};
    m_runtime->addServerReady(server.backend, server.name, server.address, quint16(server.port), options,
                              [this, server](const HAProxy::Reply &reply) {
                                  // Already there (a reconcile raced the event) is fine. A backend
                                  // HAProxy lacks (until its owner reloads it) is told once.
                                  if (reply.ok || reply.text.contains(QLatin1String("already exists")))
                                      return;
                                  if (reply.text.contains(QLatin1String("No such backend"))) {
                                      if (m_missingBackends.contains(server.backend))
                                          return;
                                      m_missingBackends.insert(server.backend);
                                  }
                                  emit problem(tr("adding %1 to %2: %3").arg(server.name, server.backend, reply.error));
                              });
}

void LoadBalancerDriver::removeServer(const QString &backend, const QString &name)
{
    m_runtime->deleteServer(backend, name, [this, backend, name](const HAProxy::Reply &reply) {
        if (!reply.ok && !reply.text.contains(QLatin1String("No such server")))
            emit problem(tr("removing %1 from %2: %3").arg(name, backend, reply.error));
    });
}

void LoadBalancerDriver::reconcile()
{
    if (m_reconciling)
        return;
    m_reconciling = true;
    m_runtime->showServersState([this](const HAProxy::Reply &reply, const QList<HAProxy::ServerState> &states) {
        m_reconciling = false;
        if (!reply.ok) {
            emit problem(tr("reading HAProxy's servers: %1").arg(reply.error));
            return;
        }
        QHash<QString, QList<Server>> wanted = desiredServers();
        QSet<QString> present; // "backend/server"
        int removed = 0;
        for (const HAProxy::ServerState &state : states) {
            if (!m_backends.contains(state.backend))
                continue;
            bool keep = false;
            for (const Server &server : std::as_const(wanted[state.backend])) {
                if (server.name == state.server && server.port == state.port)
                    keep = true;
            }
            if (keep || !m_removalsHeld.hasExpired()) {
                present.insert(state.backend + QLatin1Char('/') + state.server);
            } else {
                removeServer(state.backend, state.server);
                ++removed;
            }
        }
        int added = 0;
        for (auto it = wanted.cbegin(); it != wanted.cend(); ++it) {
            for (const Server &server : it.value()) {
                if (!present.contains(server.backend + QLatin1Char('/') + server.name)) {
                    addServer(server);
                    ++added;
                }
            }
        }
        if (added || removed)
            emit reconciled(added, removed);
    });
}

} // namespace Tribune::Agent
