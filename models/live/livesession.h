#pragma once

#include "clusterconnection.h"

#include <QObject>

#include <memory>

namespace Tribune {

class EventLogModel;
class LiveCluster;
class LiveClusterModel;
class HistoryRecorder;
class LoadBalancerLink;
class MetricSeries;
namespace Snapshot {
class FlightRecorder;
}

// Everything the console's live view needs, wired together: the live cluster kept current by a
// connection, the tree model, the recent samples for charts and the event log.
class LiveSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LiveSession)

public:
    LiveSession(ConnectionSettings settings, const QString &title, QObject *parent = nullptr);
    ~LiveSession() override;

    void start();

    LiveCluster *cluster() const { return m_cluster; }
    LiveClusterModel *model() const { return m_model; }
    MetricSeries *series() const { return m_series; }
    EventLogModel *events() const { return m_events; }
    ClusterConnection *connection() const { return m_connection; }
    // The load balancer's admin socket, when one was given (else null).
    LoadBalancerLink *loadBalancer() const { return m_loadBalancer; }
    HistoryRecorder *history() const { return m_history; }
    // Snapshots taken by themselves on failures, when the settings ask for them (else null).
    Snapshot::FlightRecorder *flightRecorder() const { return m_recorder; }
    // Whether members can be drained, readied or weighted from this session, and why not.
    bool canChangeMembers(QString *why) const;

private:
    void startFlightRecorder();

    LiveCluster *m_cluster;
    LiveClusterModel *m_model;
    MetricSeries *m_series;
    EventLogModel *m_events;
    ClusterConnection *m_connection;
    LoadBalancerLink *m_loadBalancer = nullptr;
    HistoryRecorder *m_history = nullptr;
    Snapshot::FlightRecorder *m_recorder = nullptr;
};

} // namespace Tribune
