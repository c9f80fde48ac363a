#pragma once

#include "snapshot.h"

#include <QHash>
#include <QObject>

#include <functional>
#include <memory>

class QTemporaryDir;

namespace Tribune {

class EventLogModel;
class LiveCluster;
class LiveClusterModel;
struct LiveMember;
class MetricSeries;

namespace Snapshot {

// A snapshot opened again, offline: the same live cluster, tree model, chart samples and event log
// the console shows for a running cluster, filled from the file, and its nodes' files laid out as a
// cluster folder for the Configuration tab. showAt() rebuilds the cluster as it was at any second of
// the snapshot's window from its events; nothing here talks to the cluster.
class SnapshotReplay final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SnapshotReplay)

public:
    explicit SnapshotReplay(Snapshot snapshot, QObject *parent = nullptr);
    ~SnapshotReplay() override;

    // Reads the file on a thread of its own and hands the replay (parented to receiver) or why
    // there is none to done, on the application's thread; nothing if receiver went meanwhile.
    static void open(const QString &path, QObject *receiver,
                     std::function<void(Tribune::Snapshot::SnapshotReplay *replay, const QString &error)> done);

    const Snapshot &snapshot() const { return m_snapshot; }
    LiveCluster *cluster() const { return m_cluster; }
    LiveClusterModel *model() const { return m_model; }
    MetricSeries *series() const { return m_series; }
    EventLogModel *events() const { return m_events; }

    // The nodes' files as a cluster folder (one CARBON_HOME per node and a servers file), for the
    // Configuration tab; empty when the snapshot holds no files or they could not be written, and
    // then *error says why.
    QString writeConfigFolder(QString *error);

    // The window of events the snapshot covers (its samples may reach further back) and the
    // moment shown (at first, when it was taken).
    QDateTime from() const;
    QDateTime to() const { return m_snapshot.takenAt; }
    QDateTime shownAt() const { return m_shownAt; }
    // The cluster as it was at time (clamped to the window), rebuilt from the events.
    void showAt(const QDateTime &time);
    // The members at time, each in the state its last event before then left it; traffic from
    // the last sample at or before time. HAProxy's state, weight and health are the snapshot's
    // own only at its time; before, HAProxy's state follows its "health" events.
    QList<LiveMember> membersAt(const QDateTime &time) const;

    // "CLUSTER at TIME", for titles and banners; says so when the snapshot holds passwords.
    QString title() const;

signals:
    void shownAtChanged(const QDateTime &time);

private:
    struct Prepared
    {
        Snapshot snapshot;
        std::shared_ptr<MetricSeries> series;
    };
    static Prepared prepare(Snapshot snapshot);
    void indexMembers();
    SnapshotReplay(Prepared prepared, QObject *parent);

    Snapshot m_snapshot;
    LiveCluster *m_cluster;
    LiveClusterModel *m_model;
    std::shared_ptr<MetricSeries> m_seriesOwner; // made where the file was read
    MetricSeries *m_series;
    EventLogModel *m_events;
    QDateTime m_shownAt;
    QList<Member> m_known; // the members listed, then those only the events name
    QHash<QString, QList<const HistoryEvent *>> m_eventsOf; // into m_snapshot.events, in time order
    std::unique_ptr<QTemporaryDir> m_folder;
    QString m_configFolder; // inside m_folder
};

} // namespace Snapshot
} // namespace Tribune
