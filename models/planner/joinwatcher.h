#pragma once

#include "protocol/agentclient.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>

#include <memory>

class QTimer;

namespace Tribune::HAProxy {
class RuntimeClient;
}

namespace Tribune::Planner {

// Follows a node into the cluster after its files were pushed, step by step with the time of
// each since watch(): the files written, the agent joined (or rejoined) as the node, every member
// that may see it seeing it, the load balancer's HAProxy having it as a server, its first health
// check UP, and (when asked) the first request HAProxy sent it.
//
// HAProxy is read through the admin socket given, or else the one the load balancer's agent
// reports in its health (when this machine can reach it); with neither, or when no load balancer
// serves the node's domain, the HAProxy steps are left out and said so.
class JoinWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JoinWatcher)

public:
    enum class Step { FilesWritten, Joined, SeenByAll, InLoadBalancer, Up, RequestServed };
    Q_ENUM(Step)
    static QString stepName(Step step);
    // How long after the join a load balancer may take to serve the node's domain.
    static constexpr int NoLoadBalancerGraceMs = 3000;

    struct Settings
    {
        Protocol::AgentClient::Endpoint seed;
        Protocol::KeyRing keys;
        Protocol::Role role = Protocol::Role::Console;
        Protocol::TlsOptions tls;
        QString loadBalancerSocket; // HAProxy's admin socket (PATH or HOST:PORT); empty: ask the agent
        bool waitForRequest = false;
        int timeoutMs = 60000;
        int pollMs = 50;
    };

    explicit JoinWatcher(Settings settings, QObject *parent = nullptr);
    ~JoinWatcher() override;

    // Starts the clock and watches for the member memberId (or, when the agent names itself so,
    // nodeName). expectJoin: the push makes a new member or moves one; otherwise the node is a
    // member already and only the load balancer steps remain.
    void watch(const QString &memberId, const QString &nodeName, bool expectJoin);
    // The push was answered: the files are on the node.
    void markFilesWritten(const QString &detail);
    // The push failed: nothing to watch.
    void fail(const QString &why);

signals:
    void stepReached(Tribune::Planner::JoinWatcher::Step step, qint64 elapsedMs, const QString &detail);
    void finished(bool ok, const QString &message);

private:
    void reach(Step step, const QString &detail);
    bool reached(Step step) const { return m_reached.contains(step); }
    void onView(const Protocol::MemberInfo &member, bool arrived);
    void poll();
    void pollMembers();
    void pollLoadBalancer();
    void findLoadBalancerSocket();
    void checkDone();
    bool seesNewMember(const Protocol::MemberInfo &other) const;

    Settings m_settings;
    QString m_memberId;
    QString m_nodeName;
    bool m_expectJoin = true;
    QElapsedTimer m_clock;
    QSet<Step> m_reached;
    Protocol::AgentClient *m_seed = nullptr;
    QHash<QString, Protocol::MemberInfo> m_view; // the seed's view, by id
    std::optional<Protocol::MemberInfo> m_member; // the node once it joined
    QHash<QString, Protocol::AgentClient *> m_observers; // members that should see it, by id
    QSet<QString> m_seenBy;
    QSet<QString> m_asking; // observers with a members request in flight
    HAProxy::RuntimeClient *m_haproxy = nullptr;
    bool m_askedForSocket = false;
    bool m_statPending = false;
    qint64 m_sessionsBefore = -1;
    QString m_noLoadBalancer; // why the HAProxy steps are left out, once known
    qint64 m_joinedAtMs = 0;
    QTimer *m_poller;
    QTimer *m_deadline;
    bool m_done = false;
};

} // namespace Tribune::Planner
