#include "livecluster.h"

#include "haproxy/haproxyconfig.h"

#include <QJsonObject>
#include <QSet>

#include <tuple>

namespace Tribune {

using Protocol::MemberInfo;
using Protocol::MembershipEvent;
using Protocol::MemberState;

LiveCluster::LiveCluster(QObject *parent)
    : QObject(parent)
{
}

LiveCluster::~LiveCluster() = default;

const LiveMember *LiveCluster::member(const QString &id) const
{
    const auto found = m_members.constFind(id);
    return found == m_members.cend() ? nullptr : &*found;
}

void LiveCluster::upsert(const MemberInfo &info, MemberState state, const QString &reason, const QDateTime &time,
                         const QString &eventKind)
{
    const auto found = m_members.find(info.id);
    if (found == m_members.end()) {
        // HAProxy may have had the node's server (in its sub-domain's backend, named after the
        // member) before its join reached us: the row shown for it without an agent is this
        // member's, and goes without a word.
        if (!info.loadBalancer) {
            const QString stood = HAProxy::backendName(info.domain, info.subDomain) + u'/' + info.id;
            if (m_members.remove(stood))
                emit memberRemoved(stood);
        }
        LiveMember member;
        member.info = info;
        member.state = state;
        member.stateSince = time;
        member.reason = reason;
        m_members.insert(info.id, member);
        emit memberAdded(info.id);
    } else {
        Changes changes;
        if (found->state != state) {
            found->state = state;
            found->stateSince = time;
            found->reason = reason;
            changes |= StateChanged;
        }
        if (found->info.startedAtMs != info.startedAtMs || found->info.incarnation != info.incarnation
            || found->info.httpPort != info.httpPort) {
            found->info = info;
            changes |= InfoChanged;
        }
        if (!changes)
            return;
        emit memberChanged(info.id, changes);
    }
    if (!eventKind.isEmpty())
        emit eventLogged({time, eventKind, info.id, info.domain, info.subDomain, reason});
}

void LiveCluster::applySnapshot(const QList<Protocol::MemberView> &members, const QString &viewerId)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QSet<QString> listed;
    std::optional<MemberInfo> viewer;
    for (const Protocol::MemberView &view : members) {
        listed.insert(view.info.id);
        if (view.info.id == viewerId)
            viewer = view.info;
        const bool known = m_members.contains(view.info.id);
        upsert(view.info, view.state, QString(), now, known ? QString() : QStringLiteral("join"));
    }
    QList<MemberInfo> gone;
    for (auto it = m_members.cbegin(); it != m_members.cend(); ++it) {
        if (listed.contains(it.key()) || !it->hasAgent || (it->state != MemberState::Alive && it->state != MemberState::Suspect))
            continue;
        // Not listed because the sender cannot see it, not because it went.
        if (viewer && !Protocol::visible(*viewer, it->info))
            continue;
        gone.append(it->info);
    }
    for (const MemberInfo &info : std::as_const(gone))
        upsert(info, MemberState::Left, tr("no longer in the view"), now, QStringLiteral("leave"));
}

void LiveCluster::applyEvent(const MembershipEvent &event)
{
    if (event.type == MembershipEvent::Type::Rejoin && m_members.contains(event.previousId)) {
        if (event.previousId != event.member.id && m_members.contains(event.member.id)) {
            // The new id was heard of first (a join through another member): the old one is gone.
            m_members.remove(event.previousId);
            emit memberRemoved(event.previousId);
        } else {
            rename(event.previousId, event); // also for the same id: its domain or sub-domain may differ
            return;
        }
    }
    upsert(event.member, Protocol::stateAfter(event.type), event.reason, event.time, eventTypeName(event.type));
}

void LiveCluster::rename(const QString &previousId, const MembershipEvent &event)
{
    LiveMember member = m_members.take(previousId);
    member.info = event.member;
    member.state = MemberState::Alive;
    member.stateSince = event.time;
    member.reason = event.reason;
    member.inLoadBalancer = false; // the load balancer knows it under its new id from its next poll
    member.traffic = ServerTraffic{};
    m_members.insert(event.member.id, member);
    emit memberRenamed(previousId, event.member.id);
    emit eventLogged({event.time, eventTypeName(event.type), event.member.id, event.member.domain,
                      event.member.subDomain, tr("%1 (was %2)").arg(event.reason, previousId)});
}

bool sameTraffic(const ServerTraffic &a, const ServerTraffic &b)
{
    return a.backend == b.backend && a.server == b.server && a.address == b.address && a.status == b.status
        && a.checkStatus == b.checkStatus && a.weight == b.weight && a.sessions == b.sessions && a.requestRate == b.requestRate
        && a.bytesInRate == b.bytesInRate && a.bytesOutRate == b.bytesOutRate && a.errors5xxRate == b.errors5xxRate
        && a.responseTimeMs == b.responseTimeMs;
}

namespace {

// Where a backend's servers go in the tree: Tribune's own backends are "<domain>:<sub-domain>",
// with "default" for the domain's own members; any other backend is a domain of its own name.
std::pair<QString, QString> placementOf(const QString &backend)
{
    const qsizetype colon = backend.indexOf(u':');
    if (colon <= 0)
        return {backend, QString()};
    const QString subDomain = backend.mid(colon + 1);
    return {backend.left(colon), subDomain == u"default" ? QString() : subDomain};
}

} // namespace

void LiveCluster::takeTraffic(LiveMember &member, const QString &id, const ServerTraffic &traffic, const QDateTime &now)
{
    const bool statusChanged = !member.inLoadBalancer || member.traffic.status != traffic.status;
    // An idle load balancer of a thousand servers changes nothing from one poll to the next:
    // nothing is copied, compared again or repainted for it.
    if (!statusChanged && sameTraffic(member.traffic, traffic)) {
        member.traffic.lastChangeSeconds = traffic.lastChangeSeconds;
        return;
    }
    // "UP 1/3" to "UP 2/3" is HAProxy counting checks, not news for the event log.
    const bool stateWordChanged = statusChanged
        && member.traffic.status.section(u' ', 0, 0) != traffic.status.section(u' ', 0, 0);
    if (stateWordChanged && member.inLoadBalancer)
        emit eventLogged({now, QStringLiteral("health"), id, member.info.domain, member.info.subDomain,
                          tr("load balancer: %1 → %2 (%3)").arg(member.traffic.status, traffic.status, traffic.checkStatus)});
    if (statusChanged) {
        member.balancerSince = traffic.lastChangeSeconds >= 0 ? now.addSecs(-traffic.lastChangeSeconds) : now;
        if (!member.hasAgent)
            member.stateSince = member.balancerSince;
    }
    member.inLoadBalancer = true;
    member.traffic = traffic;
    emit memberChanged(id, statusChanged ? Changes(TrafficChanged | StateChanged) : Changes(TrafficChanged));
}

void LiveCluster::upsertWithoutAgent(const ServerTraffic &traffic, bool firstPoll, const QDateTime &now, QSet<QString> *seen)
{
    const QString id = traffic.backend + u'/' + traffic.server;
    seen->insert(id);
    if (const auto found = m_members.find(id); found != m_members.end()) {
        takeTraffic(*found, id, traffic, now);
        return;
    }
    LiveMember member;
    member.hasAgent = false;
    member.info.id = id;
    member.info.name = traffic.isFrontend ? traffic.backend : traffic.server;
    member.info.loadBalancer = traffic.isFrontend;
    if (!traffic.isFrontend) {
        std::tie(member.info.domain, member.info.subDomain) = placementOf(traffic.backend);
        const qsizetype colon = traffic.address.lastIndexOf(u':');
        member.info.host = colon > 0 ? traffic.address.left(colon) : traffic.address;
        member.info.httpPort = colon > 0 ? traffic.address.mid(colon + 1).toInt() : 0;
    }
    member.stateSince = traffic.lastChangeSeconds >= 0 ? now.addSecs(-traffic.lastChangeSeconds) : now;
    member.balancerSince = member.stateSince;
    member.inLoadBalancer = true;
    member.traffic = traffic;
    m_members.insert(id, member);
    emit memberAdded(id);
    // What the load balancer had when the console started is not news; a server added later is.
    if (!firstPoll && !traffic.isFrontend)
        emit eventLogged({now, QStringLiteral("health"), id, member.info.domain, member.info.subDomain,
                          tr("load balancer: server %1 added to %2 (%3), no agent behind it")
                              .arg(traffic.server, traffic.backend, traffic.status)});
}

void LiveCluster::applyTraffic(const QList<ServerTraffic> &servers)
{
    const bool firstPoll = !m_hasTraffic;
    m_hasTraffic = true;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QSet<QString> seen;
    seen.reserve(servers.size());
    for (const ServerTraffic &traffic : servers) {
        // Server names are member ids where the load balancer's agent added them; agentless ids
        // hold a '/', which HAProxy names never do, so the two cannot meet.
        const auto found = traffic.isFrontend ? m_members.end() : m_members.find(traffic.server);
        if (found == m_members.end()) {
            upsertWithoutAgent(traffic, firstPoll, now, &seen);
            continue;
        }
        seen.insert(traffic.server);
        takeTraffic(*found, traffic.server, traffic, now);
    }
    QStringList goneWithoutAgent;
    for (auto it = m_members.begin(); it != m_members.end(); ++it) {
        if (seen.contains(it.key()))
            continue;
        if (!it->hasAgent) {
            goneWithoutAgent.append(it.key());
        } else if (it->inLoadBalancer) {
            it->inLoadBalancer = false;
            it->traffic = ServerTraffic{};
            emit memberChanged(it.key(), Changes(TrafficChanged | StateChanged));
        }
    }
    for (const QString &id : std::as_const(goneWithoutAgent)) {
        const LiveMember gone = m_members.take(id);
        emit memberRemoved(id);
        if (!gone.info.loadBalancer)
            emit eventLogged({now, QStringLiteral("health"), id, gone.info.domain, gone.info.subDomain,
                              tr("load balancer: server %1 removed from %2").arg(gone.traffic.server, gone.traffic.backend)});
    }
    emit trafficUpdated(now);
}

void LiveCluster::setLoadBalancerProblem(const QString &problem)
{
    if (problem == m_loadBalancerProblem)
        return;
    m_loadBalancerProblem = problem;
    emit loadBalancerProblemChanged();
}

void LiveCluster::applyHealth(const QString &memberId, const QJsonObject &report)
{
    const auto found = m_members.find(memberId);
    if (found == m_members.end())
        return;
    found->hasHealth = true;
    found->uptimeMs = report.value(QLatin1String("uptimeMs")).toInteger();
    found->cpuPercent = report.value(QLatin1String("cpuPercent")).toDouble();
    found->rssBytes = report.value(QLatin1String("rssBytes")).toInteger();
    found->roundTripsMs.clear();
    const QJsonObject roundTrips = report.value(QLatin1String("roundTripMs")).toObject();
    for (auto it = roundTrips.constBegin(); it != roundTrips.constEnd(); ++it)
        found->roundTripsMs.insert(it.key(), it.value().toDouble());
    found->healthAt = QDateTime::currentDateTimeUtc();
    emit memberChanged(memberId, HealthChanged);
}

void LiveCluster::logAdminAction(const QString &memberId, const QString &what)
{
    logEvent(QStringLiteral("admin"), memberId, what);
}

void LiveCluster::logEvent(const QString &kind, const QString &memberId, const QString &what)
{
    const LiveMember *target = member(memberId);
    emit eventLogged({QDateTime::currentDateTimeUtc(), kind, memberId, target ? target->info.domain : QString(),
                      target ? target->info.subDomain : QString(), what});
}

void LiveCluster::forgetDeparted()
{
    QStringList departed;
    for (auto it = m_members.cbegin(); it != m_members.cend(); ++it) {
        if (it->state == MemberState::Left || it->state == MemberState::Failed)
            departed.append(it.key());
    }
    for (const QString &id : std::as_const(departed)) {
        m_members.remove(id);
        emit memberRemoved(id);
    }
}

void LiveCluster::showMembers(const QList<LiveMember> &members, bool hasTraffic)
{
    m_hasTraffic = hasTraffic;
    QHash<QString, const LiveMember *> byId;
    for (const LiveMember &member : members)
        byId.insert(member.info.id, &member);
    // Gone, or placed elsewhere in the tree (its domain or sub-domain differed then): removed,
    // and a moved one added again where it was.
    QStringList gone;
    for (auto it = m_members.cbegin(); it != m_members.cend(); ++it) {
        const LiveMember *then = byId.value(it.key());
        if (!then || then->info.domain != it->info.domain || then->info.subDomain != it->info.subDomain
            || then->info.loadBalancer != it->info.loadBalancer)
            gone.append(it.key());
    }
    for (const QString &id : std::as_const(gone)) {
        m_members.remove(id);
        emit memberRemoved(id);
    }
    for (const LiveMember &member : members) {
        const auto found = m_members.find(member.info.id);
        if (found == m_members.end()) {
            m_members.insert(member.info.id, member);
            emit memberAdded(member.info.id);
            continue;
        }
        Changes changes;
        if (found->state != member.state || found->reason != member.reason
            || found->traffic.status != member.traffic.status || found->inLoadBalancer != member.inLoadBalancer)
            changes |= StateChanged;
        if (found->info.toJson() != member.info.toJson())
            changes |= InfoChanged;
        if (found->traffic.requestRate != member.traffic.requestRate || found->traffic.sessions != member.traffic.sessions
            || found->traffic.responseTimeMs != member.traffic.responseTimeMs || found->traffic.weight != member.traffic.weight
            || found->traffic.errors5xxRate != member.traffic.errors5xxRate)
            changes |= TrafficChanged;
        if (found->hasHealth != member.hasHealth || found->cpuPercent != member.cpuPercent || found->rssBytes != member.rssBytes)
            changes |= HealthChanged;
        *found = member;
        if (changes)
            emit memberChanged(member.info.id, changes);
    }
}

} // namespace Tribune
