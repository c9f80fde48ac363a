#pragma once

#include <QString>

#include <functional>

class QObject;

namespace Tribune::Snapshot {
class SnapshotReplay;
}

namespace Tribune {

// A snapshot as a PDF report for people: the summary (cluster, when, by whom, members by state,
// what is missing, a warning when it holds passwords), the tree as a table, the findings, the
// events, and each domain's traffic charts over the snapshot's window. The charts are drawn here,
// on the GUI thread (a few small pictures); the document is laid out and written on a thread of
// its own, into a temporary file renamed into place. done(ok, message) follows on the
// application's thread, if receiver is still there: the path written, or why nothing was.
void exportPdfReport(const Snapshot::SnapshotReplay *replay, const QString &path, QObject *receiver,
                     std::function<void(bool ok, const QString &message)> done);

} // namespace Tribune
