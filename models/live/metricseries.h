#pragma once

#include <QHash>
#include <QObject>
#include <QStringList>
#include <QVector>

#include <array>
#include <deque>
#include <functional>

namespace Tribune {

class LiveCluster;

enum class Metric { RequestRate, Sessions, BytesInRate, BytesOutRate, Errors5xxRate, ResponseTimeMs };
constexpr int MetricCount = 6;
QString metricName(Metric metric); // translated, for chart titles

// The recent one-second samples of every member, in memory, for live charts. Older history
// lives in the history store; this keeps only what a chart's shortest windows need.
class MetricSeries final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricSeries)

public:
    using Values = std::array<double, MetricCount>;
    static constexpr int DefaultKeptSeconds = 600;

    explicit MetricSeries(const LiveCluster *cluster, int keptSeconds = DefaultKeptSeconds, QObject *parent = nullptr);

    // Older samples for windows longer than what is kept in memory: the sum over members per
    // time, from the history store.
    struct HistoryPoint
    {
        double time;
        Values values;
    };
    using HistorySource = std::function<QList<HistoryPoint>(const QStringList &memberIds, double from, double to)>;
    void setHistory(HistorySource source) { m_history = std::move(source); }

    // Adds one sample of a member at time (seconds since the epoch).
    void record(const QString &memberId, double time, const Values &values);
    // The sum over members of one metric at each sampled time in [from, to] (response time is
    // averaged, not summed), in time order.
    void series(const QStringList &memberIds, Metric metric, double from, double to, QVector<double> *times,
                QVector<double> *values) const;
    double latestTime() const { return m_latestTime; }
    int memberCount() const { return int(m_samples.size()); }

signals:
    // New samples arrived (once per poll, not once per member).
    void sampled(double time);

private:
    void recordCluster(double time);

    struct Point
    {
        double time;
        Values values;
    };
    const LiveCluster *m_cluster;
    int m_keptSeconds;
    double m_latestTime = 0;
    QHash<QString, std::deque<Point>> m_samples;
    HistorySource m_history;
};

} // namespace Tribune
