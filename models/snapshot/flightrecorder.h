#pragma once

#include "snapshotcollector.h"

#include "history/historystore.h"

#include <QObject>

#include <optional>

namespace Tribune::Snapshot {

class SnapshotExport;

// Takes a snapshot by itself when a member fails (and, if asked, when HAProxy takes one DOWN):
// the cluster as it is then and the minutes before, in its own folder, keeping the newest few
// within a size cap. One snapshot at a time; failures while one is being taken get one more after
// it, together.
class FlightRecorder final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FlightRecorder)

public:
    struct Settings
    {
        QString folder;                           // where the snapshots go
        int keep = 10;                            // the newest this many
        qint64 maxTotalBytes = 512LL * 1024 * 1024; // and no more than this together
        bool onDown = false;                      // also on HAProxy's UP → DOWN
        SnapshotCollector::Settings snapshot;
    };

    explicit FlightRecorder(Settings settings, QObject *parent = nullptr);
    ~FlightRecorder() override;

    // An event of the live cluster: a failure (or a health change to DOWN, if asked) is recorded.
    void observe(const HistoryEvent &event);
    // The recorder's snapshots, newest first.
    QStringList snapshots() const;

signals:
    void recorded(const QString &path, const Tribune::HistoryEvent &cause);
    void failed(const QString &why, const Tribune::HistoryEvent &cause);

private:
    void prune();

    Settings m_settings;
    SnapshotExport *m_running = nullptr;
    std::optional<HistoryEvent> m_pending;
};

} // namespace Tribune::Snapshot
