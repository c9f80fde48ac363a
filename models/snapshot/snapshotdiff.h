#pragma once

#include "snapshot.h"

#include "planner/nodeplan.h"

namespace Tribune::Snapshot {

// How one member differs between two snapshots.
struct MemberChange
{
    enum class Kind { Added, Removed, Changed };
    Kind kind = Kind::Changed;
    QString id;
    QString node;
    QStringList what; // for people: "state alive → failed", "HAProxy UP → DRAIN", "weight 100 → 0"
};

// A domain's traffic through HAProxy over the last minute before a snapshot was taken: the
// request and 5xx rates summed over its members and averaged over the seconds sampled, and the
// mean response time of the members that answered. sampled is false when no sample covers it.
struct DomainTraffic
{
    double requestRate = 0;
    double errors5xxRate = 0;
    double responseTimeMs = 0;
    bool sampled = false;
};
DomainTraffic domainTraffic(const Snapshot &snapshot, const QString &domain, int seconds = 60);
// The same, with the snapshot's samples already decoded (allSamples()).
DomainTraffic domainTraffic(const Snapshot &snapshot, const QList<MetricSample> &samples, const QString &domain, int seconds = 60);

// One domain's traffic in both snapshots, side by side.
struct DomainComparison
{
    QString domain;
    DomainTraffic before;
    DomainTraffic after;
};

// What changed from snapshot a to snapshot b: members added, removed or changed (membership state,
// HAProxy state, weight, incarnation), each node's files, findings new and resolved.
struct SnapshotDiff
{
    QList<MemberChange> members;
    // node -> files that differ (a side empty: absent), for the nodes both snapshots hold
    QMap<QString, QList<Planner::PlannedFile>> files;
    QList<Finding> newFindings;
    QList<Finding> resolvedFindings;
    // Every domain of either snapshot (traffic always moves: not a change by itself).
    QList<DomainComparison> domains;

    bool isEmpty() const
    {
        return members.isEmpty() && files.isEmpty() && newFindings.isEmpty() && resolvedFindings.isEmpty();
    }
};

SnapshotDiff diffSnapshots(const Snapshot &a, const Snapshot &b);

// The diff for people, as `tribunectl snapshot diff` prints it: "+ id node: what" lines for
// members, each domain's traffic side by side (when it moved), findings new and resolved; with withFiles, the
// unified diff of each changed file. aName and bName title the two sides.
QString diffAsText(const SnapshotDiff &diff, const QString &aName, const QString &bName, bool withFiles);

} // namespace Tribune::Snapshot
