#include "loadbalancerlink.h"

#include "livecluster.h"

#include "haproxy/haproxystats.h"
#include "haproxy/runtimeclient.h"

namespace Tribune {

LoadBalancerLink::LoadBalancerLink(HAProxy::RuntimeClient *client, LiveCluster *cluster, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_cluster(cluster)
{
}

QList<ServerTraffic> LoadBalancerLink::toTraffic(const QList<HAProxy::StatRow> &rows)
{
    const double seconds = m_sincePrevious.isValid() ? std::max(0.001, double(m_sincePrevious.restart()) / 1000.0) : 0;
    if (!m_sincePrevious.isValid())
        m_sincePrevious.start();
    const auto rate = [seconds](qint64 now, qint64 before) {
        return seconds > 0 && now >= before ? double(now - before) / seconds : 0.0;
    };
    QList<ServerTraffic> servers;
    QHash<QString, Totals> current;
    for (const HAProxy::StatRow &row : rows) {
        const bool isFrontend = row.type == HAProxy::StatRow::Type::Frontend;
        if (!row.isServer() && !isFrontend)
            continue;
        const QString key = row.proxy + QLatin1Char('/') + row.server;
        const Totals totals{row.bytesIn, row.bytesOut, row.responses5xx, row.totalSessions};
        const Totals before = m_previous.value(key, totals);
        current.insert(key, totals);
        ServerTraffic traffic;
        traffic.backend = row.proxy;
        traffic.server = row.server;
        traffic.address = row.address;
        traffic.isFrontend = isFrontend;
        traffic.status = row.status;
        traffic.checkStatus = row.checkStatus;
        traffic.lastChangeSeconds = row.lastChangeSeconds;
        traffic.weight = row.weight;
        traffic.sessions = double(row.currentSessions);
        // Servers report sessions, not requests, per second; in HTTP mode one request is one session.
        traffic.requestRate = double(isFrontend ? std::max(row.requestRate, row.sessionRate) : row.sessionRate);
        traffic.bytesInRate = rate(totals.bytesIn, before.bytesIn);
        traffic.bytesOutRate = rate(totals.bytesOut, before.bytesOut);
        traffic.errors5xxRate = rate(totals.responses5xx, before.responses5xx);
        traffic.responseTimeMs = double(row.responseTimeMs);
        servers.append(traffic);
    }
    m_previous = std::move(current);
    return servers;
}

void LoadBalancerLink::poll(const std::function<void(const QList<ServerTraffic> &, const QString &)> &done)
{
    m_client->showStat([this, done](const HAProxy::Reply &reply, const QList<HAProxy::StatRow> &rows) {
        if (!reply.ok) {
            done({}, reply.error);
            return;
        }
        done(toTraffic(rows), QString());
    });
}

const ServerTraffic *LoadBalancerLink::serverOf(const QString &memberId) const
{
    const LiveMember *member = m_cluster->member(memberId);
    return member && member->inLoadBalancer && !member->traffic.isFrontend ? &member->traffic : nullptr;
}

void LoadBalancerLink::setState(const QStringList &memberIds, Action action)
{
    const HAProxy::RuntimeClient::AdminState state = action == Action::Drain ? HAProxy::RuntimeClient::AdminState::Drain
        : action == Action::Maintenance                                        ? HAProxy::RuntimeClient::AdminState::Maint
                                                                               : HAProxy::RuntimeClient::AdminState::Ready;
    const QString word = action == Action::Drain ? tr("drain") : action == Action::Maintenance ? tr("maintenance") : tr("ready");
    for (const QString &id : memberIds) {
        const ServerTraffic *server = serverOf(id);
        if (!server) {
            m_cluster->logAdminAction(id, tr("not set to %1: the load balancer has no server for this member").arg(word));
            continue;
        }
        m_client->setServerState(server->backend, server->server, state, [this, id, word](const HAProxy::Reply &reply) {
            m_cluster->logAdminAction(id, reply.ok ? tr("set to %1").arg(word) : tr("setting %1 failed: %2").arg(word, reply.error));
        });
    }
}

void LoadBalancerLink::setWeight(const QStringList &memberIds, int weightPercent)
{
    for (const QString &id : memberIds) {
        const ServerTraffic *server = serverOf(id);
        if (!server) {
            m_cluster->logAdminAction(id, tr("weight not set: the load balancer has no server for this member"));
            continue;
        }
        // Servers are added with weight 100, so a percentage is the weight itself.
        m_client->setWeight(server->backend, server->server, weightPercent, [this, id, weightPercent](const HAProxy::Reply &reply) {
            m_cluster->logAdminAction(id, reply.ok ? tr("weight set to %1").arg(weightPercent)
                                                   : tr("setting the weight failed: %1").arg(reply.error));
        });
    }
}

} // namespace Tribune
