#include "livecluster.h"

#include <QJsonObject>
#include <QSet>

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

void LiveCluster::applySnapshot(const QList<Protocol::MemberView> &members)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QSet<QString> listed;
    for (const Protocol::MemberView &view : members) {
        listed.insert(view.info.id);
        const bool known = m_members.contains(view.info.id);
        upsert(view.info, view.state, QString(), now, known ? QString() : QStringLiteral("join"));
    }
    QList<MemberInfo> gone;
    for (auto it = m_members.cbegin(); it != m_members.cend(); ++it) {
        if (!listed.contains(it.key()) && (it->state == MemberState::Alive || it->state == MemberState::Suspect))
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

void LiveCluster::applyTraffic(const QList<ServerTraffic> &servers)
{
    m_hasTraffic = true;
    QSet<QString> seen;
    for (const ServerTraffic &traffic : servers) {
        const auto found = m_members.find(traffic.server);
        if (found == m_members.end())
            continue;
        seen.insert(traffic.server);
        const bool statusChanged = !found->inLoadBalancer || found->traffic.status != traffic.status;
        // "UP 1/3" to "UP 2/3" is HAProxy counting checks, not news for the event log.
        const bool stateWordChanged = found->traffic.status.section(u' ', 0, 0) != traffic.status.section(u' ', 0, 0);
        if (statusChanged && stateWordChanged && found->inLoadBalancer)
            emit eventLogged({QDateTime::currentDateTimeUtc(), QStringLiteral("health"), traffic.server,
                              found->info.domain, found->info.subDomain,
                              tr("load balancer: %1 → %2 (%3)").arg(found->traffic.status, traffic.status, traffic.checkStatus)});
        found->inLoadBalancer = true;
        found->traffic = traffic;
        emit memberChanged(traffic.server, statusChanged ? Changes(TrafficChanged | StateChanged) : Changes(TrafficChanged));
    }
    for (auto it = m_members.begin(); it != m_members.end(); ++it) {
        if (it->inLoadBalancer && !seen.contains(it.key())) {
            it->inLoadBalancer = false;
            it->traffic = ServerTraffic{};
            emit memberChanged(it.key(), Changes(TrafficChanged | StateChanged));
        }
    }
    emit trafficUpdated(QDateTime::currentDateTimeUtc());
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
