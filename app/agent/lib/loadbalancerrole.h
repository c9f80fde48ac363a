#pragma once

#include "haproxy/haproxyconfig.h"

#include <QObject>
#include <QByteArray>
#include <QString>

#include <memory>

class QFileSystemWatcher;
class QLockFile;
class QTimer;

namespace Tribune::HAProxy {
class RuntimeClient;
}

namespace Tribune::Agent {

class HAProxySupervisor;
class LoadBalancerDriver;
class MembershipService;

struct LoadBalancerOptions
{
    QString confPath;         // loadbalancer.conf
    QString runtimeFolder;    // where haproxy.cfg, hosts.map and admin.sock go
    QString haproxyBinary = QStringLiteral("haproxy");
    QString attachSocket;     // a running HAProxy's admin socket: attach instead of starting one
    HAProxy::RenderOptions render;
};

// The load balancer's agent: renders loadbalancer.conf for HAProxy, starts and supervises it
// (or takes over the one it started before a restart, or attaches to someone else's), keeps its
// servers in step with membership, and applies a changed loadbalancer.conf by a seamless reload.
class LoadBalancerRole final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LoadBalancerRole)

public:
    LoadBalancerRole(MembershipService *membership, LoadBalancerOptions options, QObject *parent = nullptr);
    ~LoadBalancerRole() override;

    bool start(QString *error);
    QString adminSocket() const;

signals:
    void message(const QString &text);

private:
    // Renders the current loadbalancer.conf, with the members in the view as static servers.
    bool writeConfiguration(QString *error);
    void applyChangedConf();
    // Where the digest of what the running configuration was rendered from is kept, and the
    // digest of a configuration: an adopted HAProxy is reloaded only when they differ.
    QString sourceStampPath() const;
    QByteArray stampOf(const Config::LoadBalancerConf &conf) const;
    // Says that HAProxy now runs the configuration last written.
    void recordRunningStamp();

    MembershipService *m_membership;
    LoadBalancerOptions m_options;
    HAProxy::RuntimeClient *m_runtime = nullptr;
    LoadBalancerDriver *m_driver = nullptr;
    HAProxySupervisor *m_supervisor = nullptr;
    QFileSystemWatcher *m_watcher;
    QTimer *m_debounce;
    QByteArray m_renderedStamp; // stampOf() the configuration last written
    std::unique_ptr<QLockFile> m_agentLock;
};

} // namespace Tribune::Agent
