#include "swimcore.h"

#include "protocol/messages.h"

#include <QCoreApplication>

#include <algorithm>

namespace Tribune::Agent {

using Protocol::MemberInfo;
using Protocol::MembershipEvent;
using Protocol::MemberState;
using Protocol::Message;

namespace {

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(Tribune::Agent::SwimCore)
};

// How long a failed or departed member's last description is remembered, so that news of it
// still travelling cannot bring it back.
constexpr qint64 TombstoneMs = 60000;
// Updates carried by one message at most: the rest wait for the next one.
constexpr int MaxUpdatesPerMessage = 8;

const QString KindAlive = QStringLiteral("alive");
const QString KindSuspect = QStringLiteral("suspect");
const QString KindFailed = QStringLiteral("failed");
const QString KindLeft = QStringLiteral("left");

// Is a a later life, or a later incarnation, of the same member than b?
bool newer(const MemberInfo &a, const MemberInfo &b)
{
    return a.startedAtMs > b.startedAtMs || (a.startedAtMs == b.startedAtMs && a.incarnation > b.incarnation);
}

QString text(QLatin1String key, const QJsonObject &json)
{
    return json.value(key).toString();
}

qint64 number(QLatin1String key, const QJsonObject &json)
{
    return json.value(key).toInteger();
}

} // namespace

SwimCore::SwimCore(MemberInfo self, SwimTimings timings, Hooks hooks, quint32 seed)
    : m_self(std::move(self))
    , m_timings(timings)
    , m_hooks(std::move(hooks))
    , m_random(seed)
{
}

void SwimCore::notify(MembershipEvent::Type type, const MemberInfo &member, const QString &reason,
                      const QString &previousId)
{
    if (m_hooks.changed)
        m_hooks.changed(type, member, reason, previousId);
}

void SwimCore::setSelf(const MemberInfo &self)
{
    m_self = self;
    announceAlive(m_self);
}

// ---- the view -------------------------------------------------------------------------------

bool SwimCore::buried(const MemberInfo &member, qint64 nowMs, bool heardDirectly) const
{
    const auto grave = m_tombstones.constFind(member.id);
    if (grave == m_tombstones.cend() || grave->untilMs < nowMs)
        return false;
    // A member declared failed that pings is alive after all (it will refute); one that left
    // may only come back by joining, or as a newer description: its last pings may arrive
    // after its leave.
    if (heardDirectly && !grave->left)
        return false;
    return member.startedAtMs < grave->startedAtMs
        || (member.startedAtMs == grave->startedAtMs && member.incarnation <= grave->incarnation);
}

bool SwimCore::learn(const MemberInfo &member, const QString &how, qint64 nowMs, Source source)
{
    if (member.id == m_self.id || !Protocol::visible(m_self, member))
        return false;
    if (source != Source::Itself && buried(member, nowMs, source == Source::Ping))
        return false;
    const bool passOn = source == Source::Ping || source == Source::Gossip;
    const auto found = m_peers.find(member.id);
    if (found == m_peers.end()) {
        m_tombstones.remove(member.id);
        Peer peer;
        peer.info = member;
        peer.lastHeardMs = nowMs;
        m_peers.insert(member.id, peer);
        m_probeOrder.insert(m_random.bounded(int(m_probeOrder.size()) + 1), member.id);
        notify(MembershipEvent::Type::Join, member, how);
        if (passOn)
            announceAlive(member);
        return true;
    }
    Peer &peer = *found;
    peer.lastHeardMs = nowMs;
    if (member.startedAtMs > peer.info.startedAtMs) {
        // The node was restarted before its old life was declared failed.
        const MemberInfo old = peer.info;
        peer.info = member;
        peer.state = MemberState::Alive;
        peer.suspecters.clear();
        notify(MembershipEvent::Type::Failure, old, Text::tr("replaced by a restarted incarnation"));
        notify(MembershipEvent::Type::Join, member, how);
        if (passOn)
            announceAlive(member);
        return true;
    }
    if (newer(member, peer.info)) {
        peer.info = member;
        if (passOn)
            announceAlive(member);
        if (peer.state == MemberState::Suspect) {
            peer.state = MemberState::Alive;
            peer.suspecters.clear();
            notify(MembershipEvent::Type::Refute, peer.info,
                   Text::tr("answered with incarnation %1; the suspicion was wrong").arg(member.incarnation));
        }
    }
    return true;
}

void SwimCore::remove(const QString &memberId, MembershipEvent::Type type, const QString &reason, qint64 nowMs)
{
    const auto found = m_peers.constFind(memberId);
    if (found == m_peers.cend())
        return;
    const MemberInfo member = found->info;
    m_peers.erase(found);
    m_probes.remove(memberId);
    m_probeOrder.removeOne(memberId);
    m_tombstones.insert(memberId, Tombstone{member.startedAtMs, member.incarnation, nowMs + TombstoneMs,
                                            type != MembershipEvent::Type::Failure});
    if (m_hooks.forgotten)
        m_hooks.forgotten(memberId);
    notify(type, member, reason);
}

void SwimCore::forget(const QString &memberId, MembershipEvent::Type type, const QString &reason, qint64 nowMs,
                      bool announce)
{
    const auto found = m_peers.constFind(memberId);
    if (found == m_peers.cend())
        return;
    const MemberInfo member = found->info;
    remove(memberId, type, reason, nowMs);
    if (announce)
        announceState(member, type == MembershipEvent::Type::Failure ? KindFailed : KindLeft, m_self.id);
}

void SwimCore::takeRejoin(const MemberInfo &previous, const MemberInfo &next, qint64 nowMs)
{
    if (m_peers.contains(previous.id)) {
        m_peers.remove(previous.id);
        m_probes.remove(previous.id);
        m_probeOrder.removeOne(previous.id);
        m_tombstones.insert(previous.id, Tombstone{previous.startedAtMs, previous.incarnation, nowMs + TombstoneMs, true});
        if (m_hooks.forgotten && previous.id != next.id)
            m_hooks.forgotten(previous.id);
        announceState(previous, KindLeft, m_self.id);
    }
    m_tombstones.remove(next.id);
    Peer peer;
    peer.info = next;
    peer.lastHeardMs = nowMs;
    m_peers.insert(next.id, peer);
    if (!m_probeOrder.contains(next.id))
        m_probeOrder.insert(m_random.bounded(int(m_probeOrder.size()) + 1), next.id);
    announceAlive(next);
    notify(MembershipEvent::Type::Rejoin, next, Text::tr("rejoined as %1 after a configuration change").arg(next.id),
           previous.id);
}

void SwimCore::forgetUnseen(const QString &reason, qint64 nowMs)
{
    QStringList unseen;
    for (auto it = m_peers.begin(); it != m_peers.end(); ++it) {
        it->lastHeardMs = nowMs;
        if (!Protocol::visible(m_self, it->info))
            unseen.append(it.key());
    }
    for (const QString &id : std::as_const(unseen))
        remove(id, MembershipEvent::Type::Leave, reason, nowMs);
    // News no member of the view may see any more would wait for ever.
    m_broadcasts.removeIf([this](const Broadcast &pending) {
        return std::none_of(m_peers.cbegin(), m_peers.cend(), [&pending](const Peer &peer) {
            return peer.info.id == pending.subject.id || Protocol::visible(peer.info, pending.subject);
        });
    });
}

QStringList SwimCore::leaveRecipients()
{
    QStringList recipients;
    for (const Peer &peer : std::as_const(m_peers)) {
        if (peer.info.loadBalancer)
            recipients.append(peer.info.id);
    }
    recipients += randomPeers(m_timings.gossipFanout, [](const Peer &peer) { return !peer.info.loadBalancer; });
    return recipients;
}

// ---- probing --------------------------------------------------------------------------------

QString SwimCore::nextProbeTarget()
{
    // A shuffled round over the view: every member is probed once per round, in an order
    // no one can predict, and the round is shuffled again when it ends.
    if (m_probeOrder.isEmpty())
        return {};
    if (m_probeIndex >= m_probeOrder.size()) {
        for (qsizetype i = m_probeOrder.size() - 1; i > 0; --i)
            m_probeOrder.swapItemsAt(i, m_random.bounded(int(i + 1)));
        m_probeIndex = 0;
    }
    return m_probeOrder.at(m_probeIndex++);
}

QJsonObject SwimCore::ping(quint64 sequence) const
{
    QJsonObject message = Protocol::newMessage(Message::Ping);
    message.insert(QStringLiteral("seq"), qint64(sequence));
    message.insert(QStringLiteral("member"), m_self.toJson());
    return message;
}

QJsonObject SwimCore::ack(const QString &from, quint64 sequence)
{
    QJsonObject message = Protocol::newMessage(Message::Ack);
    message.insert(QStringLiteral("from"), from);
    message.insert(QStringLiteral("seq"), qint64(sequence));
    return message;
}

void SwimCore::send(const QString &to, QJsonObject message)
{
    const QJsonArray updates = piggybackFor(to);
    if (!updates.isEmpty())
        message.insert(QStringLiteral("updates"), updates);
    if (m_hooks.send)
        m_hooks.send(to, message);
}

void SwimCore::startProbe(const QString &target, qint64 nowMs)
{
    if (m_probes.contains(target) || !m_peers.contains(target))
        return;
    Probe probe;
    probe.sequence = ++m_sequence;
    probe.startedMs = nowMs;
    m_probes.insert(target, probe);
    send(target, ping(probe.sequence));
}

void SwimCore::askIndirect(const QString &target, Probe &probe)
{
    probe.indirectSent = true;
    const Peer suspect = m_peers.value(target);
    const QStringList helpers = randomPeers(m_timings.indirectProbes, [&suspect](const Peer &peer) {
        return peer.info.id != suspect.info.id && peer.state == MemberState::Alive && Protocol::visible(peer.info, suspect.info);
    });
    for (const QString &helper : helpers) {
        QJsonObject request = Protocol::newMessage(Message::PingRequest);
        request.insert(QStringLiteral("from"), m_self.id);
        request.insert(QStringLiteral("seq"), qint64(probe.sequence));
        request.insert(QStringLiteral("target"), target);
        send(helper, request);
    }
}

void SwimCore::advanceProbes(qint64 nowMs)
{
    QStringList unanswered;
    for (auto it = m_probes.begin(); it != m_probes.end(); ++it) {
        Probe &probe = *it;
        const qint64 waited = nowMs - probe.startedMs;
        if (!probe.indirectSent && waited >= m_timings.probeTimeoutMs())
            askIndirect(it.key(), probe);
        if (waited >= m_timings.probeIntervalMs)
            unanswered.append(it.key());
    }
    for (const QString &target : std::as_const(unanswered)) {
        m_probes.remove(target);
        const auto peer = m_peers.find(target);
        if (peer != m_peers.end())
            suspect(*peer, m_self.id, nowMs);
    }
}

void SwimCore::connectionLost(const QString &memberId, qint64 nowMs)
{
    // Out of turn: a connection that closes without a leave is how a killed process shows.
    startProbe(memberId, nowMs);
}

QJsonObject SwimCore::nack(quint64 requestSequence, const QString &target) const
{
    QJsonObject message = Protocol::newMessage(Message::Nack);
    message.insert(QStringLiteral("from"), m_self.id);
    message.insert(QStringLiteral("seq"), qint64(requestSequence));
    message.insert(QStringLiteral("target"), target);
    return message;
}

void SwimCore::expireRelays(qint64 nowMs)
{
    QList<quint64> late;
    for (auto it = m_relays.cbegin(); it != m_relays.cend(); ++it) {
        if (it->deadlineMs <= nowMs)
            late.append(it.key());
    }
    for (quint64 sequence : std::as_const(late)) {
        // Lifeguard's nack: the requester learns this helper is alive even though the target is not.
        const Relay relay = m_relays.take(sequence);
        QJsonObject unanswered = nack(relay.requestSequence, relay.target);
        unanswered.insert(QStringLiteral("timeout"), true);
        relay.reply(unanswered);
    }
}

// ---- suspicion ------------------------------------------------------------------------------

void SwimCore::suspect(Peer &peer, const QString &by, qint64 nowMs)
{
    if (peer.state == MemberState::Suspect) {
        if (peer.suspecters.contains(by))
            return;
        peer.suspecters.insert(by);
        // A new independent confirmation shortens the timeout; it is passed on while it still can.
        if (peer.suspecters.size() <= m_timings.expectedConfirmations(memberCount()) + 1)
            announceState(peer.info, KindSuspect, by);
        return;
    }
    peer.state = MemberState::Suspect;
    peer.suspectedAtMs = nowMs;
    peer.suspecters = {by};
    notify(MembershipEvent::Type::Suspect, peer.info,
           by == m_self.id ? Text::tr("no answer to a direct or %n indirect probe(s)", nullptr, m_timings.indirectProbes)
                           : Text::tr("suspected by %1").arg(by));
    announceState(peer.info, KindSuspect, by);
    if (by != m_self.id)
        return;
    // The suspect hears of it at once from whoever suspected it, so that it can refute.
    QJsonObject notice = Protocol::newMessage(Message::Gossip);
    notice.insert(QStringLiteral("from"), m_self.id);
    send(peer.info.id, notice);
}

void SwimCore::expireSuspicions(qint64 nowMs)
{
    QStringList failed;
    for (auto it = m_peers.cbegin(); it != m_peers.cend(); ++it) {
        if (it->state != MemberState::Suspect)
            continue;
        const qint64 timeout = m_timings.suspicionTimeoutMs(memberCount(), int(it->suspecters.size()) - 1);
        if (nowMs - it->suspectedAtMs >= timeout)
            failed.append(it.key());
    }
    for (const QString &id : std::as_const(failed)) {
        const Peer peer = m_peers.value(id);
        const qint64 suspected = nowMs - peer.suspectedAtMs;
        remove(id, MembershipEvent::Type::Failure,
               Text::tr("no answer to probes; suspected for %1 ms by %n member(s) without refutation "
                        "(memberDropTime %2 ms)",
                        nullptr, int(peer.suspecters.size()))
                   .arg(suspected)
                   .arg(m_timings.dropTimeMs),
               nowMs);
        announceState(peer.info, KindFailed, m_self.id);
    }
}

void SwimCore::refuteSuspicionOfSelf(qint64 incarnation, const QString &suspecter)
{

    if (incarnation >= m_self.incarnation) {
        m_self.incarnation = incarnation + 1;
        announceAlive(m_self);
    }
    // Straight to the suspecter, whose timer runs out first, and to a few others, so that the
    // refutation overtakes the suspicion.
    QJsonObject notice = Protocol::newMessage(Message::Gossip);
    notice.insert(QStringLiteral("from"), m_self.id);
    QStringList recipients = randomPeers(m_timings.gossipFanout, [](const Peer &) { return true; });
    if (m_peers.contains(suspecter) && !recipients.contains(suspecter))
        recipients.prepend(suspecter);
    for (const QString &peer : std::as_const(recipients))
        send(peer, notice);
}

SwimCore::Peer *SwimCore::subjectOf(const QString &id, qint64 startedAtMs, qint64 incarnation, const QString &by)
{
    if (id == m_self.id) {
        // About this run, or about an earlier run of this node that someone still holds.
        if ((startedAtMs == m_self.startedAtMs && incarnation >= m_self.incarnation) || startedAtMs < m_self.startedAtMs)
            refuteSuspicionOfSelf(startedAtMs == m_self.startedAtMs ? incarnation : -1, by);
        return nullptr;
    }
    const auto peer = m_peers.find(id);
    if (peer == m_peers.end() || startedAtMs != peer->info.startedAtMs || incarnation < peer->info.incarnation)
        return nullptr;
    // Said of a later incarnation than known: its description follows in an alive update.
    peer->info.incarnation = incarnation;
    return &*peer;
}

void SwimCore::applyUpdates(const QJsonArray &updates, qint64 nowMs)
{
    int applied = 0;
    for (const QJsonValue &value : updates) {
        if (++applied > MaxUpdatesPerMessage)
            break;
        const QJsonObject update = value.toObject();
        const QString kind = text(QLatin1String("kind"), update);
        if (kind == KindAlive) {
            const std::optional<MemberInfo> member = MemberInfo::fromJson(update.value(QLatin1String("member")).toObject());
            if (member && member->id != m_self.id)
                learn(*member, Text::tr("announced by a peer"), nowMs, Source::Gossip);
            continue;
        }
        if (kind != KindSuspect && kind != KindFailed && kind != KindLeft)
            continue;
        const QString by = text(QLatin1String("by"), update);
        Peer *subject = subjectOf(text(QLatin1String("id"), update), number(QLatin1String("startedAt"), update),
                                  number(QLatin1String("incarnation"), update), by);
        if (!subject)
            continue;
        if (kind == KindSuspect) {
            suspect(*subject, by.isEmpty() ? subject->info.id : by, nowMs);
            continue;
        }
        const MemberInfo member = subject->info;
        if (kind == KindFailed)
            remove(member.id, MembershipEvent::Type::Failure,
                   Text::tr("declared failed by %1: no answer to its probes (memberDropTime %2 ms)").arg(by).arg(m_timings.dropTimeMs),
                   nowMs);
        else
            remove(member.id, MembershipEvent::Type::Leave, Text::tr("left the cluster"), nowMs);
        announceState(member, kind, by);
    }
}

// ---- dissemination --------------------------------------------------------------------------

void SwimCore::announce(const MemberInfo &subject, const QJsonObject &update)
{
    for (Broadcast &pending : m_broadcasts) {
        if (pending.subject.id == subject.id) {
            pending = Broadcast{subject, update, 0};
            return;
        }
    }
    m_broadcasts.append(Broadcast{subject, update, 0});
}

void SwimCore::announceAlive(const MemberInfo &member)
{
    announce(member, {{QStringLiteral("kind"), KindAlive}, {QStringLiteral("member"), member.toJson()}});
}

void SwimCore::announceState(const MemberInfo &member, const QString &kind, const QString &by)
{
    announce(member, {{QStringLiteral("kind"), kind},
                      {QStringLiteral("id"), member.id},
                      {QStringLiteral("startedAt"), member.startedAtMs},
                      {QStringLiteral("incarnation"), member.incarnation},
                      {QStringLiteral("by"), by}});
}

QJsonArray SwimCore::piggybackFor(const QString &recipientId)
{
    QJsonArray updates;
    if (m_broadcasts.isEmpty())
        return updates;
    const auto recipient = m_peers.constFind(recipientId);
    if (recipient == m_peers.cend())
        return updates;
    // What is said of the recipient itself first (a suspicion it must refute), then the least sent.
    std::stable_sort(m_broadcasts.begin(), m_broadcasts.end(), [&recipientId](const Broadcast &a, const Broadcast &b) {
        const bool aboutA = a.subject.id == recipientId;
        const bool aboutB = b.subject.id == recipientId;
        return aboutA != aboutB ? aboutA : a.transmissions < b.transmissions;
    });
    const int limit = m_timings.retransmitLimit(memberCount());
    for (Broadcast &pending : m_broadcasts) {
        if (updates.size() >= MaxUpdatesPerMessage)
            break;
        if (pending.subject.id != recipientId && !Protocol::visible(recipient->info, pending.subject))
            continue;
        updates.append(pending.update);
        ++pending.transmissions;
    }
    m_broadcasts.removeIf([limit](const Broadcast &pending) { return pending.transmissions >= limit; });
    return updates;
}

QStringList SwimCore::randomPeers(int count, const std::function<bool(const Peer &)> &eligible)
{
    QStringList candidates;
    for (auto it = m_peers.cbegin(); it != m_peers.cend(); ++it) {
        if (eligible(*it))
            candidates.append(it.key());
    }
    // A partial Fisher-Yates: the first count places are a uniform sample.
    const qsizetype wanted = std::min<qsizetype>(count, candidates.size());
    for (qsizetype i = 0; i < wanted; ++i)
        candidates.swapItemsAt(i, i + m_random.bounded(int(candidates.size() - i)));
    candidates.resize(wanted);
    return candidates;
}

void SwimCore::gossip(qint64 nowMs)
{
    if (nowMs < m_nextGossipMs)
        return;
    m_nextGossipMs = nowMs + m_timings.gossipIntervalMs();
    if (m_peers.isEmpty())
        m_broadcasts.clear(); // no one to tell
    if (m_broadcasts.isEmpty())
        return;
    for (const QString &peer : randomPeers(m_timings.gossipFanout, [](const Peer &) { return true; })) {
        QJsonObject message = Protocol::newMessage(Message::Gossip);
        message.insert(QStringLiteral("from"), m_self.id);
        send(peer, message);
    }
}

// ---- messages -------------------------------------------------------------------------------

void SwimCore::makeUpForStall(qint64 stalledMs)
{
    // Time this process did not run is no evidence against anyone: what was waiting for an
    // answer waits that much longer (Lifeguard's local health, in its simplest form).
    for (Probe &probe : m_probes)
        probe.startedMs += stalledMs;
    for (Relay &relay : m_relays)
        relay.deadlineMs += stalledMs;
    for (Peer &peer : m_peers) {
        if (peer.state == MemberState::Suspect)
            peer.suspectedAtMs += stalledMs;
    }
}

void SwimCore::tick(qint64 nowMs)
{
    // Ticks come every 100 ms or so; a gap of a whole probe interval means this process was
    // stopped or starved.
    if (m_lastTickMs >= 0 && nowMs - m_lastTickMs > m_timings.probeIntervalMs)
        makeUpForStall(nowMs - m_lastTickMs);
    m_lastTickMs = nowMs;
    advanceProbes(nowMs);
    expireRelays(nowMs);
    expireSuspicions(nowMs);
    if (nowMs >= m_nextProbeMs) {
        m_nextProbeMs = nowMs + m_timings.probeIntervalMs;
        const QString target = nextProbeTarget();
        if (!target.isEmpty())
            startProbe(target, nowMs);
    }
    gossip(nowMs);
    m_tombstones.removeIf([nowMs](const QHash<QString, Tombstone>::iterator it) { return it->untilMs < nowMs; });
}

bool SwimCore::receive(const QJsonObject &message, const Reply &reply, qint64 nowMs)
{
    const std::optional<Message> kind = Protocol::messageOf(message);
    if (!kind)
        return false;
    switch (*kind) {
    case Message::Ping:
        onPing(message, reply, nowMs);
        break;
    case Message::Ack:
        onAck(message, nowMs);
        break;
    case Message::PingRequest:
        onPingRequest(message, reply, nowMs);
        break;
    case Message::Nack:
        // The relay is alive; the target did not answer it either: the probe's own timeout
        // decides. (Lifeguard weighs nacks into its local health; the stall rule stands for that.)
    case Message::Gossip:
        break;
    default:
        return false;
    }
    applyUpdates(message.value(QLatin1String("updates")).toArray(), nowMs);
    if (*kind != Message::Ping) {
        const auto sender = m_peers.find(text(QLatin1String("from"), message));
        if (sender != m_peers.end())
            sender->lastHeardMs = nowMs;
    }
    return true;
}

void SwimCore::onPing(const QJsonObject &message, const Reply &reply, qint64 nowMs)
{
    const std::optional<MemberInfo> sender = MemberInfo::fromJson(message.value(QLatin1String("member")).toObject());
    if (!sender || !learn(*sender, Text::tr("heard from directly"), nowMs, Source::Ping))
        return; // a member this one may not see gets no answer, as before it could not join
    QJsonObject answer = ack(m_self.id, quint64(number(QLatin1String("seq"), message)));
    const QJsonArray updates = piggybackFor(sender->id);
    if (!updates.isEmpty())
        answer.insert(QStringLiteral("updates"), updates);
    reply(answer);
}

void SwimCore::onAck(const QJsonObject &message, qint64 nowMs)
{
    const quint64 sequence = quint64(number(QLatin1String("seq"), message));
    // An answer to a ping sent for another member's request goes back to it.
    const auto relay = m_relays.find(sequence);
    if (relay != m_relays.end()) {
        const Relay answered = *relay;
        m_relays.erase(relay);
        QJsonObject forwarded = ack(answered.target, answered.requestSequence);
        forwarded.insert(QStringLiteral("via"), m_self.id);
        answered.reply(forwarded);
        return;
    }
    const QString target = text(QLatin1String("from"), message);
    const auto probe = m_probes.constFind(target);
    if (probe == m_probes.cend() || probe->sequence != sequence)
        return;
    const auto peer = m_peers.find(target);
    if (peer != m_peers.end()) {
        peer->lastHeardMs = nowMs;
        if (!message.contains(QLatin1String("via")))
            peer->roundTripMs = double(nowMs - probe->startedMs);
    }
    m_probes.erase(probe);
}

void SwimCore::onPingRequest(const QJsonObject &message, const Reply &reply, qint64 nowMs)
{
    const QString requester = text(QLatin1String("from"), message);
    const QString target = text(QLatin1String("target"), message);
    const quint64 requestSequence = quint64(number(QLatin1String("seq"), message));
    if (!m_peers.contains(requester))
        return;
    if (!m_peers.contains(target)) {
        reply(nack(requestSequence, target));
        return;
    }
    const quint64 sequence = ++m_sequence;
    m_relays.insert(sequence, Relay{target, requestSequence, nowMs + m_timings.probeTimeoutMs(), reply});
    send(target, ping(sequence));
}

} // namespace Tribune::Agent
