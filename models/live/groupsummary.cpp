#include "groupsummary.h"

#include "eventlogmodel.h"

#include <QSet>

#include <algorithm>

namespace Tribune {

using Protocol::MemberState;

GroupSummary summarizeGroup(const LiveCluster &cluster, const QStringList &memberIds, const EventLogModel &events,
                            bool frontendTraffic)
{
    GroupSummary summary;
    const QSet<QString> ids(memberIds.cbegin(), memberIds.cend());
    const auto countTraffic = [&summary, &cluster](const QString &id, const ServerTraffic &traffic) {
        summary.requestRate += traffic.requestRate;
        summary.sessions += traffic.sessions;
        if (traffic.requestRate > 0 || traffic.sessions > 0)
            summary.topTalkers.append({id, displayNameOf(cluster, id), traffic.requestRate, traffic.sessions});
    };
    for (const QString &id : memberIds) {
        const LiveMember *member = cluster.member(id);
        if (!member)
            continue;
        // A frontend is the load balancer's door, not one of the members behind it.
        if (member->traffic.isFrontend) {
            ++summary.frontends;
            if (frontendTraffic)
                countTraffic(id, member->traffic);
            continue;
        }
        ++summary.members;
        if (!member->hasAgent) {
            ++summary.withoutAgent;
        } else {
            switch (member->state) {
            case MemberState::Alive: ++summary.alive; break;
            case MemberState::Suspect: ++summary.suspect; break;
            case MemberState::Failed: ++summary.failed; break;
            case MemberState::Left: ++summary.left; break;
            }
        }
        if (!member->inLoadBalancer)
            continue;
        const QString &status = member->traffic.status;
        if (status.startsWith(u"UP") || status == u"no check")
            ++summary.serving;
        else if (status.startsWith(u"DOWN"))
            ++summary.down;
        else if (status.startsWith(u"DRAIN") || status.startsWith(u"MAINT") || status.startsWith(u"NOLB"))
            ++summary.drained;
        countTraffic(id, member->traffic);
    }
    const auto busier = [](const GroupSummary::Talker &a, const GroupSummary::Talker &b) {
        return a.requestRate != b.requestRate ? a.requestRate > b.requestRate : a.sessions > b.sessions;
    };
    const qsizetype listed = std::min<qsizetype>(GroupSummary::MaxListed, summary.topTalkers.size());
    std::partial_sort(summary.topTalkers.begin(), summary.topTalkers.begin() + listed, summary.topTalkers.end(), busier);
    summary.topTalkers.resize(listed);
    // Newest first: the log is in time order, so from its end.
    for (int row = events.rowCount() - 1; row >= 0 && summary.recentProblems.size() < GroupSummary::MaxListed; --row) {
        const LiveEvent &event = events.eventAt(row);
        if (ids.contains(event.memberId) && EventLogModel::isProblem(event))
            summary.recentProblems.append({event, displayNameOf(cluster, event.memberId)});
    }
    return summary;
}

QString displayNameOf(const LiveCluster &cluster, const QString &memberId)
{
    const LiveMember *member = cluster.member(memberId);
    return member && !member->info.name.isEmpty() ? member->info.name : memberId;
}

} // namespace Tribune
