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

// What changed from snapshot a to snapshot b: members added, removed or changed (membership state,
// HAProxy state, weight, incarnation), each node's files, findings new and resolved.
struct SnapshotDiff
{
    QList<MemberChange> members;
    // node -> files that differ (a side empty: absent), for the nodes both snapshots hold
    QMap<QString, QList<Planner::PlannedFile>> files;
    QList<Finding> newFindings;
    QList<Finding> resolvedFindings;

    bool isEmpty() const
    {
        return members.isEmpty() && files.isEmpty() && newFindings.isEmpty() && resolvedFindings.isEmpty();
    }
};

SnapshotDiff diffSnapshots(const Snapshot &a, const Snapshot &b);

} // namespace Tribune::Snapshot
