#pragma once

#include "metricseries.h"

#include <QHash>
#include <QObject>

class QThread;
class QTimer;

namespace Tribune {

class EventLogModel;
class HistoryStore;
class LiveCluster;

// Keeps the console's history: every logged event and every second's samples go to the
// history store; old seconds are rolled up into minutes once a minute; at start the event log
// gets the last day's events back, and charts reach past what is kept in memory.
//
// The store lives on a thread of its own (opened there: a Qt Sql connection cannot change
// threads), since it may be a database server across the network: nothing here waits for it on
// the application's thread. Writes are queued to it in order; the last day's events arrive when
// read; the charts' older samples are answered from what the store last sent for that chart and
// read again in the background as the window moves, the charts replotting when they arrive.
class HistoryRecorder final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryRecorder)

public:
    // Opens the history at url (see HistoryStore::open) on its thread; problem() says if it cannot.
    HistoryRecorder(const QString &url, LiveCluster *cluster, MetricSeries *series, EventLogModel *events,
                    QObject *parent = nullptr);
    // Waits (a few seconds at most) for the writes still queued.
    ~HistoryRecorder() override;

signals:
    void problem(const QString &message);
    // The store is open (ok) or could not be (the reason went to problem()).
    void opened(bool ok);

private:
    class Worker;
    struct Answer
    {
        double from = 0;
        double to = 0;
        QList<MetricSeries::Sample> summed;
        QHash<QString, QList<MetricSeries::Sample>> ofEach;
        bool pending = false;
    };

    void recordSamples(double time);
    // The charts' older samples, from the last answer for these members; asks again when the
    // window moved past it.
    const Answer &answerFor(const QStringList &members, bool summed, double from, double to);

    LiveCluster *m_cluster;
    MetricSeries *m_series;
    QThread *m_thread;
    Worker *m_worker;
    QTimer *m_compactTimer;
    QHash<QString, Answer> m_answers; // by members and kind
    bool m_reportedFailure = false;
};

} // namespace Tribune
