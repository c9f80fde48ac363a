#pragma once

#include <QObject>

#include <memory>

class QTimer;

namespace Tribune {

class EventLogModel;
class HistoryStore;
class LiveCluster;
class MetricSeries;

// Keeps the console's history: every logged event and every second's samples go to the
// history store; old seconds are rolled up into minutes once a minute; at start the event log
// gets the last day's events back, and charts reach past what is kept in memory.
class HistoryRecorder final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryRecorder)

public:
    HistoryRecorder(std::unique_ptr<HistoryStore> store, LiveCluster *cluster, MetricSeries *series, EventLogModel *events,
                    QObject *parent = nullptr);
    ~HistoryRecorder() override;

    HistoryStore *store() const { return m_store.get(); }

signals:
    void problem(const QString &message);

private:
    void recordSamples(double time);

    std::unique_ptr<HistoryStore> m_store;
    LiveCluster *m_cluster;
    QTimer *m_compactTimer;
    bool m_reportedFailure = false;
};

} // namespace Tribune
