#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QObject>

#include <functional>

namespace Tribune::HAProxy {
class RuntimeClient;
struct StatRow;
} // namespace Tribune::HAProxy

namespace Tribune {

class LiveCluster;
struct ServerTraffic;

// The console's side of the load balancer's admin socket: polls "show stat" into per-server and
// per-frontend traffic (turning HAProxy's running totals into rates), and carries out drain,
// ready, maintenance and weight on members, logging each action, and why when there was none.
class LoadBalancerLink final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LoadBalancerLink)

public:
    enum class Action { Ready, Drain, Maintenance };

    LoadBalancerLink(HAProxy::RuntimeClient *client, LiveCluster *cluster, QObject *parent = nullptr);

    // One poll; done gets the servers, or an error.
    void poll(const std::function<void(const QList<ServerTraffic> &, const QString &error)> &done);
    // Applies to every member given that is a server; each result goes to the event log.
    void setState(const QStringList &memberIds, Action action);
    void setWeight(const QStringList &memberIds, int weightPercent);

    // Turns rows of one poll into traffic, using the previous poll's totals for rates.
    QList<ServerTraffic> toTraffic(const QList<HAProxy::StatRow> &rows);

private:
    // The member's server in the load balancer, from the last poll; null when it has none.
    const ServerTraffic *serverOf(const QString &memberId) const;

    struct Totals
    {
        qint64 bytesIn = 0;
        qint64 bytesOut = 0;
        qint64 responses5xx = 0;
        qint64 requests = 0;
    };
    HAProxy::RuntimeClient *m_client;
    LiveCluster *m_cluster;
    QHash<QString, Totals> m_previous; // by "backend/server"
    QElapsedTimer m_sincePrevious;
};

} // namespace Tribune
