#pragma once

#include "membershipservice.h"

#include "cluster/hostmodel.h"
#include "cluster/nodeconfig.h"
#include "protocol/keyring.h"

#include <QObject>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace Tribune {
class HostResolver;
class NodeConfig;
namespace Config {
struct ConfigError;
}
class NodeConfigStore;
}

namespace Tribune::Agent {

class ConsoleService;
class LoadBalancerRole;
class NodeHttpServer;
struct LoadBalancerOptions;

// How an agent becomes its node: what the command line adds to the node's own files.
struct AgentStartOptions
{
    std::optional<int> portOverride; // --port
    bool loadBalancer = false;       // --role lb
    QString name;                    // --name; empty: the CARBON_HOME folder's name
    HostModel hosts;
    std::optional<ServersFile> servers;
    Protocol::KeyRing keys;
    Protocol::TlsOptions tls;
    bool serveHttp = false;
    // The load balancer's options for a node (lb only).
    std::function<LoadBalancerOptions(const NodeConfig &)> loadBalancerOptions;
};

// One node's agent at run time: membership on the node's port, the console service, optionally
// the node's HTTP port and the load balancer role. It follows its own files: when a push or a
// rollback gives the node another identity (membership endpoint, domain, sub-domain, offset,
// well-known members), it rejoins as the node it now is, without a restart.
class AgentRuntime final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentRuntime)

public:
    explicit AgentRuntime(AgentStartOptions options, QObject *parent = nullptr);
    ~AgentRuntime() override;

    // What the node at carbonHome would be, from its files and the options; nothing, with the
    // reasons in problems, when its files are not valid or its host resolves nowhere.
    // hosts: what resolves the names, instead of the start options' (an asynchronous lookup's answer).
    std::optional<MembershipSettings> settingsFor(const NodeConfig &node, QStringList *problems,
                                                  const HostModel *hosts = nullptr);

    // Whether a bare node could start from these files: they say which member it is and the
    // ports it listens on are free here (but for portFreedFirst, which the caller gives up).
    bool canStartFrom(const NodeConfig &node, quint16 portFreedFirst, QStringList *problems);

    // Loads the node and starts serving it. False with the reasons in problems.
    bool start(const QString &carbonHome, QStringList *problems);
    // Console connections that authenticated elsewhere (the provisioning port) and go on here.
    void adoptConsoles(const QList<Protocol::Connection *> &connections);
    // Leaves the cluster gracefully; leaveFinished() follows.
    void leave();

    const Protocol::MemberInfo &self() const;
    QString adminSocket() const; // the load balancer's HAProxy socket, or empty

signals:
    // Something to tell whoever runs the agent (its log).
    void message(const QString &text);
    void leaveFinished();

private:
    void followConfigChange();
    void becomeWhatTheFilesSay(const std::optional<NodeConfig> &node, const QList<Config::ConfigError> &loadErrors,
                               const HostModel &hosts);
    bool startHttp(QString *error);

    AgentStartOptions m_options;
    QString m_carbonHome;
    std::unique_ptr<MembershipService> m_membership;
    std::unique_ptr<NodeConfigStore> m_store;
    std::unique_ptr<ConsoleService> m_consoles;
    std::unique_ptr<NodeHttpServer> m_http;
    std::unique_ptr<LoadBalancerRole> m_balancer;
    HostResolver *m_resolver = nullptr;
};

} // namespace Tribune::Agent
