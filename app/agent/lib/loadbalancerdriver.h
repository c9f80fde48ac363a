#pragma once

#include "protocol/member.h"

#include <QDeadlineTimer>
#include <QHash>
#include <QObject>
#include <QSet>

class QTimer;

namespace Tribune::HAProxy {
class RuntimeClient;
}

namespace Tribune::Agent {

class MembershipService;

// Drives HAProxy from live membership through its runtime API: a member that joins becomes a
// server of its (domain, sub-domain) backend, on the port its port.mapping names for the
// load balancer's HTTP port or else its HTTP port, with health checks, made ready; a member
// that leaves or fails is put in maintenance, its sessions shut, and deleted. Every two seconds
// (and at once after HAProxy or the agent restarts) it reconciles HAProxy's servers with the
// view: no stale server, no missing one. Admin states set by people are left alone.
class LoadBalancerDriver final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LoadBalancerDriver)

public:
    static constexpr int ReconcileIntervalMs = 2000;

    struct Server
    {
        QString backend;
        QString name; // the member id
        QString address;
        int port = 0;
    };

    LoadBalancerDriver(MembershipService *membership, HAProxy::RuntimeClient *runtime, QSet<QString> backends,
                       int httpListenPort, QObject *parent = nullptr);
    ~LoadBalancerDriver() override;

    // The servers the membership view calls for, by backend: what the configuration renders
    // statically so a reload keeps them.
    QHash<QString, QList<Server>> desiredServers() const;
    void setBackends(QSet<QString> backends) { m_backends = std::move(backends); }
    const QSet<QString> &backends() const { return m_backends; }
    void start();
    // For the next holdMs, reconciling adds missing servers but removes none: after the agent
    // restarts, HAProxy's servers are right and the view is what is still filling.
    void holdRemovals(int holdMs);
    // Compares HAProxy's servers with the view and fixes the difference.
    void reconcile();

signals:
    void reconciled(int added, int removed);
    void problem(const QString &message);

private:
    std::optional<Server> serverFor(const Protocol::MemberInfo &member) const;
    void onChanged(const Protocol::MembershipEvent &change);
    void addServer(const Server &server);
    void removeServer(const QString &backend, const QString &name);

    MembershipService *m_membership;
    HAProxy::RuntimeClient *m_runtime;
    QSet<QString> m_backends;
    QSet<QString> m_missingBackends; // told already: HAProxy has no such backend
    int m_httpListenPort;
    QTimer *m_timer;
    QDeadlineTimer m_removalsHeld{0};
    bool m_reconciling = false;
};

} // namespace Tribune::Agent
