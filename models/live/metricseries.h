#pragma once

#include <QHash>
#include <QObject>
#include <QStringList>
#include <QVector>

#include <array>
#include <functional>
#include <vector>

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
    // Samples recorded by hand only (a snapshot's): no cluster to poll, and a member's samples
    // stay when it leaves the tree.
    explicit MetricSeries(int keptSeconds, QObject *parent = nullptr);

    // One sampled time: of one member, or summed over several.
    struct Sample
    {
        double time;
        Values values;
    };
    // Older samples for windows longer than what is kept in memory, from the history store:
    // summed over the members per time (response time averaged), in time order; and each
    // member's own, asked for all of them at once.
    using HistorySource = std::function<QList<Sample>(const QStringList &memberIds, double from, double to)>;
    using MemberHistorySource =
        std::function<QHash<QString, QList<Sample>>(const QStringList &memberIds, double from, double to)>;
    void setHistory(HistorySource summed, MemberHistorySource ofEach)
    {
        m_history = std::move(summed);
        m_historyOfEach = std::move(ofEach);
    }

    // Adds one sample of a member at time (seconds since the epoch).
    void record(const QString &memberId, double time, const Values &values);
    // Adds a member's samples at once, in time order (a snapshot's).
    void recordAll(const QString &memberId, std::vector<Sample> samples);
    // A member's own samples in [from, to], in time order.
    std::vector<Sample> samplesOf(const QString &memberId, double from, double to) const;

    // Each metric's values, one per time of the axis they go with.
    using Columns = std::array<QVector<double>, MetricCount>;
    // The members summed per sampled time in [from, to], in time order, for domain and cluster
    // charts (response time is averaged over the members sampled at that time, not summed).
    struct Table
    {
        QVector<double> times;
        Columns values;
    };
    Table summed(const QStringList &memberIds, double from, double to) const;
    // Each member's own values on one time axis shared by all of them, for a sub-domain's
    // stacked charts: layers[i] is names[i]'s, in the order of memberIds. A member not sampled
    // at a time counts 0 there (it served nothing), except its response time, which is NaN so
    // that its line breaks. With more members than maxLayers (when above 0), the busiest
    // maxLayers - 1 by requests keep their own layer and the rest are summed in a last one,
    // named "N others", whose response time is their average.
    struct Layers
    {
        QVector<double> times;
        QList<Columns> layers;
        QStringList names;
    };
    Layers layered(const QStringList &memberIds, double from, double to, int maxLayers = 0) const;

    double latestTime() const { return m_latestTime; }
    // The history source has older samples now than when it was last asked (it answers later).
    void notifyHistoryArrived()
    {
        m_summedCache.valid = false;
        emit historyArrived();
    }
    int memberCount() const { return int(m_samples.size()); }

signals:
    // New samples arrived (once per poll, not once per member).
    void sampled(double time);
    // Older samples arrived: what was charted from the history may be more complete now.
    void historyArrived();

private:
    // A member's samples in time order, added at the back and dropped from the front, in one block
    // of memory: a deque's small chunks cost an allocation (and on some machines a page fault)
    // every few samples, which a snapshot's millions of samples notice.
    class Samples
    {
    public:
        Samples() = default;
        explicit Samples(std::vector<Sample> samples)
            : m_samples(std::move(samples))
        {
        }
        void append(const Sample &sample) { m_samples.push_back(sample); }
        void dropBefore(double time);
        bool empty() const { return m_front == m_samples.size(); }
        const Sample &front() const { return m_samples[m_front]; }
        const Sample &back() const { return m_samples.back(); }
        const Sample *begin() const { return m_samples.data() + m_front; }
        const Sample *end() const { return m_samples.data() + m_samples.size(); }

    private:
        std::vector<Sample> m_samples;
        size_t m_front = 0; // the samples before it are dropped
    };

    void recordCluster(double time);

    // Where the history store takes over from memory: samples before the returned time come
    // from the store; from itself when the window needs none.
    double historyUntil(double from, double to) const;
    std::pair<const Sample *, const Sample *> kept(const QString &memberId, double from, double to) const;
    // The members summed in [from, to]: from the history store before until, from memory after.
    Table sumOf(const QStringList &memberIds, double from, double to, double until) const;

    const LiveCluster *m_cluster;
    int m_keptSeconds;
    double m_latestTime = 0;
    QHash<QString, Samples> m_samples;
    HistorySource m_history;
    MemberHistorySource m_historyOfEach;
    // The last memory-only answer of summed(), extended by the times after it on the next call.
    struct SummedCache
    {
        bool valid = false;
        QStringList members;
        double from = 0;
        double to = 0;
        Table table;
    };
    mutable SummedCache m_summedCache;
};

} // namespace Tribune
