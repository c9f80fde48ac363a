#pragma once

#include "history/historystore.h"
#include "protocol/member.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QObject>

namespace Tribune {

// What the load balancer says of one of its servers, by server name (a member's id), or of one of
// its frontends (the traffic it takes in).
struct ServerTraffic
{
    QString backend; // a frontend's own name, for frontends
    QString server;  // "FRONTEND" for frontends
    QString address; // a server's "ip:port"
    bool isFrontend = false;
    QString status;      // UP, DOWN, DRAIN, MAINT, no check, ...
    QString checkStatus; // L7OK, L4CON, ...
    int lastChangeSeconds = 0;
    int weight = 0;
    double sessions = 0;
    double requestRate = 0;
    double bytesInRate = 0;
    double bytesOutRate = 0;
    double errors5xxRate = 0;
    double responseTimeMs = 0;
};

// Everything the console knows of one member, merged from the membership view, the load
// balancer and the member's own agent.
struct LiveMember
{
    Protocol::MemberInfo info;
    Protocol::MemberState state = Protocol::MemberState::Alive;
    QDateTime stateSince;
    QString reason;
    bool inLoadBalancer = false;
    ServerTraffic traffic;
    QDateTime balancerSince; // when the load balancer's status last changed (HAProxy's lastchg)
    bool hasHealth = false;
    qint64 uptimeMs = 0;
    double cpuPercent = 0;
    qint64 rssBytes = 0;
    QHash<QString, double> roundTripsMs;
    QDateTime healthAt;
    // False for what only the load balancer knows of: a server no agent stands behind (its id is
    // "<backend>/<server>"), or one of its frontends (info.loadBalancer set).
    bool hasAgent = true;
};

// Whether the traffic of one poll differs from another's in what a view shows (HAProxy's
// seconds since the last change count up by themselves).
bool sameTraffic(const ServerTraffic &a, const ServerTraffic &b);

// One line of the console's event log: the same record the history keeps.
using LiveEvent = HistoryEvent;

// The live cluster: members and their state, kept current from membership events, load
// balancer statistics and health reports. Views follow it through its meaning-bearing signals.
class LiveCluster final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LiveCluster)

public:
    enum Change { StateChanged = 0x1, TrafficChanged = 0x2, HealthChanged = 0x4, InfoChanged = 0x8 };
    Q_DECLARE_FLAGS(Changes, Change)

    explicit LiveCluster(QObject *parent = nullptr);
    ~LiveCluster() override;

    // A full view from an agent: members it lists are added or updated; members it no longer
    // lists that were alive there become left (their departure happened while we were away).
    // viewerId names the agent that sent it, when known: members outside what that agent can
    // see (another domain, from a member's well-known member) are kept as they were, not left.
    void applySnapshot(const QList<Protocol::MemberView> &members, const QString &viewerId = QString());
    void applyEvent(const Protocol::MembershipEvent &event);
    // One poll of the load balancer: every server and frontend it has. A server named after a
    // member is that member's; any other, and each frontend, is shown as its own member without an
    // agent, placed by its backend's name ("<domain>:<sub-domain>", else the backend's own name),
    // and goes when the load balancer no longer has it.
    void applyTraffic(const QList<ServerTraffic> &servers);
    void applyHealth(const QString &memberId, const QJsonObject &report);
    // Something done to a member from the console (drain, weight...), for the log.
    void logAdminAction(const QString &memberId, const QString &what);
    // Any other line for the log (e.g. "snapshot"), about a member or none.
    void logEvent(const QString &kind, const QString &memberId, const QString &what);
    // Drops members that are gone (left or failed) from the view.
    void forgetDeparted();
    // Shows exactly these members, as they were at one moment (a snapshot replayed): members not
    // listed are removed, the others added or changed, each signalled as live changes are; no
    // event is logged, since nothing happened now.
    void showMembers(const QList<LiveMember> &members, bool hasTraffic);

    // Why the load balancer's statistics do not arrive (its admin socket could not be reached
    // or answered wrongly); empty while they do.
    void setLoadBalancerProblem(const QString &problem);
    const QString &loadBalancerProblem() const { return m_loadBalancerProblem; }

    const QHash<QString, LiveMember> &members() const { return m_members; }
    // Whether any load balancer statistics have arrived yet.
    bool hasTraffic() const { return m_hasTraffic; }
    const LiveMember *member(const QString &id) const;

signals:
    void memberAdded(const QString &id);
    void memberRemoved(const QString &id);
    // A member rejoined under another id (its configuration moved it): one member, renamed.
    void memberRenamed(const QString &previousId, const QString &id);
    void memberChanged(const QString &id, Tribune::LiveCluster::Changes changes);
    void eventLogged(const Tribune::LiveEvent &event);
    void loadBalancerProblemChanged();
    // One load balancer poll was applied (after the memberChanged signals it caused).
    void trafficUpdated(const QDateTime &time);

private:
    void rename(const QString &previousId, const Protocol::MembershipEvent &event);
    void upsert(const Protocol::MemberInfo &info, Protocol::MemberState state, const QString &reason, const QDateTime &time,
                const QString &eventKind);
    // A server or frontend no agent stands behind, as the poll shows it.
    void upsertWithoutAgent(const ServerTraffic &traffic, bool firstPoll, const QDateTime &now, QSet<QString> *seen);
    void takeTraffic(LiveMember &member, const QString &id, const ServerTraffic &traffic, const QDateTime &now);

    QHash<QString, LiveMember> m_members;
    bool m_hasTraffic = false;
    QString m_loadBalancerProblem;
};

} // namespace Tribune

Q_DECLARE_OPERATORS_FOR_FLAGS(Tribune::LiveCluster::Changes)
