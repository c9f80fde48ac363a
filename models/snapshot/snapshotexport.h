#pragma once

#include "snapshotcollector.h"

#include <QObject>

#include <atomic>
#include <memory>

namespace Tribune::Snapshot {

// Export Snapshot…, as the console runs it: collects the snapshot (SnapshotCollector), then writes
// it on a thread of its own. Cancel at any point leaves no file: a write under way finishes into
// its temporary file, which is then dropped instead of renamed.
class SnapshotExport final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SnapshotExport)

public:
    SnapshotExport(SnapshotCollector::Settings settings, QString path, QObject *parent = nullptr);
    ~SnapshotExport() override;

    void start();
    void cancel();

signals:
    void progress(const QString &step);
    // message: what was written (and what is missing from it), or why nothing was.
    void finished(bool ok, const QString &message);

private:
    void write();

    SnapshotCollector *m_collector;
    QString m_path;
    std::shared_ptr<std::atomic<bool>> m_cancelled;
    bool m_done = false;
};

} // namespace Tribune::Snapshot
