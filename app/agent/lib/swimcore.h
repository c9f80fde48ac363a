#pragma once

#include "protocol/member.h"
#include "swimtimings.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QRandomGenerator>
#include <QSet>
#include <QStringList>

#include <functional>

namespace Tribune::Agent {

// The membership view and its failure detection, SWIM with the Lifeguard suspicion, as a state
// machine without sockets or clocks of its own: the agent feeds it messages, connection news and
// the time, and gives it a way to send; the simulation (tests/agent/swimsimulator.h) feeds it
// simulated ones. Each probe interval it probes one peer (in a shuffled round), asks k others to
// probe that peer when no answer comes in time, suspects it when none of them gets an answer
// either, and declares it failed when the suspicion is not refuted in time. Changes travel
// piggybacked on probes and answers, and in gossip rounds while any is pending, each a bounded
// number of times. A member refutes a suspicion of itself with a higher incarnation.
class SwimCore
{
public:
    struct Peer
    {
        Protocol::MemberInfo info;
        Protocol::MemberState state = Protocol::MemberState::Alive;
        qint64 lastHeardMs = 0;
        double roundTripMs = -1;
        // While suspect: since when, and the members that suspect it (Lifeguard confirmations).
        qint64 suspectedAtMs = 0;
        QSet<QString> suspecters;
    };

    // Where an answer goes: back on the connection the request came in on.
    using Reply = std::function<void(const QJsonObject &)>;
    struct Hooks
    {
        // A message for a member in the view (or one being probed), by id.
        std::function<void(const QString &memberId, const QJsonObject &message)> send;
        // A change of the view.
        std::function<void(Protocol::MembershipEvent::Type type, const Protocol::MemberInfo &member,
                           const QString &reason, const QString &previousId)>
            changed;
        // A member left the view: its connections may go.
        std::function<void(const QString &memberId)> forgotten;
    };

    SwimCore(Protocol::MemberInfo self, SwimTimings timings, Hooks hooks, quint32 seed);

    const Protocol::MemberInfo &self() const { return m_self; }
    const SwimTimings &timings() const { return m_timings; }
    const QHash<QString, Peer> &peers() const { return m_peers; }
    // Members in the view, this one included: the n the timings scale with.
    int memberCount() const { return int(m_peers.size()) + 1; }

    // This member became another description of itself (a newer incarnation): it is announced.
    void setSelf(const Protocol::MemberInfo &self);
    void setTimings(const SwimTimings &timings) { m_timings = timings; }

    // Probes, indirect probes, suspicion timeouts and gossip rounds that are due.
    void tick(qint64 nowMs);
    // A ping, ack, ping-req, nack or gossip from a peer; false for any other type.
    bool receive(const QJsonObject &message, const Reply &reply, qint64 nowMs);
    // How a member was heard of: from itself (its join or its members answer, which the joining
    // side spreads on its own; or its ping): alive, whatever was said of it before; from a list
    // another member keeps (a members answer, a joined announcement); or from gossip. News from
    // a ping or from gossip is passed on.
    enum class Source { Itself, Ping, List, Gossip };
    // A member heard of: added, refreshed, or its suspicion refuted by a newer incarnation. True
    // if it is (now) in the view.
    bool learn(const Protocol::MemberInfo &member, const QString &how, qint64 nowMs, Source source);
    // A member leaves the view for good (a leave, or the domain is no longer seen); announced to
    // the others with announce.
    void forget(const QString &memberId, Protocol::MembershipEvent::Type type, const QString &reason, qint64 nowMs,
                bool announce);
    // previous became next (a configuration change moved it): one rejoin, announced.
    void takeRejoin(const Protocol::MemberInfo &previous, const Protocol::MemberInfo &next, qint64 nowMs);
    // Members this one no longer sees after its own description changed leave its view.
    void forgetUnseen(const QString &reason, qint64 nowMs);
    // The transport's news: an authenticated connection with the member closed (its process may
    // have died): it is probed at once.
    void connectionLost(const QString &memberId, qint64 nowMs);

    // Whom a leaving member tells directly: load balancers first, then a few others; the rest
    // learn it from them.
    QStringList leaveRecipients();

private:
    struct Probe
    {
        quint64 sequence = 0;
        qint64 startedMs = 0;
        bool indirectSent = false;
    };
    // A ping this member sends for another one's ping-req.
    struct Relay
    {
        QString target;
        quint64 requestSequence = 0;
        qint64 deadlineMs = 0;
        Reply reply;
    };
    struct Broadcast
    {
        Protocol::MemberInfo subject;
        QJsonObject update;
        int transmissions = 0;
    };
    struct Tombstone
    {
        qint64 startedAtMs = 0;
        qint64 incarnation = 0;
        qint64 untilMs = 0;
        bool left = false; // left (or rejoined as another), not declared failed
    };

    void makeUpForStall(qint64 stalledMs);
    void startProbe(const QString &target, qint64 nowMs);
    void advanceProbes(qint64 nowMs);
    void askIndirect(const QString &target, Probe &probe);
    void expireRelays(qint64 nowMs);
    void expireSuspicions(qint64 nowMs);
    void gossip(qint64 nowMs);
    QString nextProbeTarget();
    QJsonObject ping(quint64 sequence) const;
    static QJsonObject ack(const QString &from, quint64 sequence);
    QJsonObject nack(quint64 requestSequence, const QString &target) const;
    void send(const QString &to, QJsonObject message);

    void onPing(const QJsonObject &message, const Reply &reply, qint64 nowMs);
    void onAck(const QJsonObject &message, qint64 nowMs);
    void onPingRequest(const QJsonObject &message, const Reply &reply, qint64 nowMs);

    void applyUpdates(const QJsonArray &updates, qint64 nowMs);
    // The peer an update names, if the update is about its current run and incarnation or a
    // newer one; an update about this member itself is refuted instead.
    Peer *subjectOf(const QString &id, qint64 startedAtMs, qint64 incarnation, const QString &by);
    void suspect(Peer &peer, const QString &by, qint64 nowMs);
    void refuteSuspicionOfSelf(qint64 incarnation, const QString &suspecter);
    void remove(const QString &memberId, Protocol::MembershipEvent::Type type, const QString &reason, qint64 nowMs);
    // Whether news of member is older than what was last said of it when it failed or left.
    bool buried(const Protocol::MemberInfo &member, qint64 nowMs, bool heardDirectly) const;

    void announce(const Protocol::MemberInfo &subject, const QJsonObject &update);
    void announceAlive(const Protocol::MemberInfo &member);
    void announceState(const Protocol::MemberInfo &member, const QString &kind, const QString &by);
    // Pending updates the recipient may see, least sent first; each counts as one transmission.
    QJsonArray piggybackFor(const QString &recipientId);
    void notify(Protocol::MembershipEvent::Type type, const Protocol::MemberInfo &member, const QString &reason,
                const QString &previousId = {});
    QStringList randomPeers(int count, const std::function<bool(const Peer &)> &eligible);

    Protocol::MemberInfo m_self;
    SwimTimings m_timings;
    Hooks m_hooks;
    QRandomGenerator m_random;
    QHash<QString, Peer> m_peers;
    QHash<QString, Tombstone> m_tombstones; // failed and left members, so stale news cannot revive them
    QHash<QString, Probe> m_probes;         // by target id
    QHash<quint64, Relay> m_relays;         // by the sequence of the ping sent for them
    QList<Broadcast> m_broadcasts;
    QStringList m_probeOrder;
    qsizetype m_probeIndex = 0;
    quint64 m_sequence = 0;
    qint64 m_nextProbeMs = 0;
    qint64 m_nextGossipMs = 0;
    qint64 m_lastTickMs = -1;
};

} // namespace Tribune::Agent
