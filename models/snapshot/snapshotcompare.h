#pragma once

#include "snapshotdiff.h"

#include <QObject>

#include <functional>

namespace Tribune::Snapshot {

// Two snapshots compared, the earlier first, with names for their sides.
struct Comparison
{
    QString error; // why there is no comparison; empty when there is one
    Snapshot earlier;
    Snapshot later;
    QString earlierName;
    QString laterName;
    SnapshotDiff diff;
};

// Reads the snapshot at path on a thread of its own and compares it with one already at hand
// (named ownName) there; done gets the comparison on the application's thread, if receiver is
// still there. The one taken first is the earlier side, whichever was given.
void compareWithFile(const Snapshot &own, const QString &ownName, const QString &path, QObject *receiver,
                     std::function<void(const Comparison &)> done);

} // namespace Tribune::Snapshot
