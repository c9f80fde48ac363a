#pragma once

#include "livecluster.h"

#include <QList>
#include <QStringList>

namespace Tribune {

class EventLogModel;

// What a cluster, domain or sub-domain row amounts to, for its page: its members by state, who
// carries the most traffic, and what went wrong lately.
struct GroupSummary
{
    struct Talker
    {
        QString memberId;
        QString name;
        double requestRate = 0;
        double sessions = 0;
    };

    struct Problem
    {
        LiveEvent event;
        QString name; // the member's, as displayNameOf gives it
    };

    int members = 0;
    int alive = 0;
    int suspect = 0;
    int failed = 0;
    int left = 0;
    int withoutAgent = 0;
    int frontends = 0; // the load balancer's, counted apart from the members
    // As the load balancer has them (servers only).
    int serving = 0;    // UP or no check
    int down = 0;       // DOWN
    int drained = 0;    // DRAIN, MAINT, NOLB
    double requestRate = 0;
    double sessions = 0;
    QList<Talker> topTalkers;         // busiest first, at most MaxListed, only those with traffic
    QList<Problem> recentProblems;    // newest first, at most MaxListed (EventLogModel::isProblem)

    static constexpr int MaxListed = 5;
};

// The summary of these members (a group row's MemberIdsRole), with problems from the event log.
// Frontends are counted apart; their traffic is the group's only for the load balancer's own
// group (above it, the servers behind them carry the same traffic).
GroupSummary summarizeGroup(const LiveCluster &cluster, const QStringList &memberIds, const EventLogModel &events,
                            bool frontendTraffic = false);

// The member's name as people know it (its node's name), else its id.
QString displayNameOf(const LiveCluster &cluster, const QString &memberId);

} // namespace Tribune
