#include "metricseries.h"

#include "livecluster.h"
#include "i18n/trcontexts.h"

#include <QCoreApplication>
#include <QtNumeric>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace Tribune {

QString metricName(Metric metric)
{
    switch (metric) {
    case Metric::RequestRate: return MetricText::tr("Requests per second");
    case Metric::Sessions: return MetricText::tr("Current sessions");
    case Metric::BytesInRate: return MetricText::tr("Bytes in per second");
    case Metric::BytesOutRate: return MetricText::tr("Bytes out per second");
    case Metric::Errors5xxRate: return MetricText::tr("5xx responses per second");
    case Metric::ResponseTimeMs: return MetricText::tr("Response time (ms)");
    }
    return {};
}

MetricSeries::MetricSeries(const LiveCluster *cluster, int keptSeconds, QObject *parent)
    : QObject(parent)
    , m_cluster(cluster)
    , m_keptSeconds(keptSeconds)
{
    connect(cluster, &LiveCluster::trafficUpdated, this,
            [this](const QDateTime &time) { recordCluster(double(time.toMSecsSinceEpoch()) / 1000.0); });
    connect(cluster, &LiveCluster::memberRemoved, this, [this](const QString &id) {
        m_samples.remove(id);
        m_summedCache.valid = false;
    });
    // A rejoined member keeps its history under its new id.
    connect(cluster, &LiveCluster::memberRenamed, this, [this](const QString &previousId, const QString &id) {
        if (previousId != id && m_samples.contains(previousId))
            m_samples.insert(id, m_samples.take(previousId));
        m_summedCache.valid = false;
    });
}

MetricSeries::MetricSeries(int keptSeconds, QObject *parent)
    : QObject(parent)
    , m_cluster(nullptr)
    , m_keptSeconds(keptSeconds)
{
}

void MetricSeries::recordCluster(double time)
{
    for (auto it = m_cluster->members().cbegin(); it != m_cluster->members().cend(); ++it) {
        if (!it->inLoadBalancer)
            continue;
        const ServerTraffic &traffic = it->traffic;
        record(it.key(), time,
               {traffic.requestRate, traffic.sessions, traffic.bytesInRate, traffic.bytesOutRate, traffic.errors5xxRate,
                traffic.responseTimeMs});
    }
    // Members no longer sampled (failed, out of the load balancer) age out like the others, so
    // that memory spans the same window for everyone.
    for (auto it = m_samples.begin(); it != m_samples.end();) {
        it->dropBefore(time - m_keptSeconds);
        it = it->empty() ? m_samples.erase(it) : std::next(it);
    }
    emit sampled(time);
}

void MetricSeries::record(const QString &memberId, double time, const Values &values)
{
    if (time <= m_summedCache.to)
        m_summedCache.valid = false; // not after what was summed: sum again
    Samples &samples = m_samples[memberId];
    samples.append({time, values});
    samples.dropBefore(time - m_keptSeconds);
    m_latestTime = std::max(m_latestTime, time);
}

void MetricSeries::Samples::dropBefore(double time)
{
    while (m_front < m_samples.size() && m_samples[m_front].time < time)
        ++m_front;
    // Dropped samples are given back once they are most of the block (amortised: each sample is
    // moved at most once for every time it is dropped).
    if (m_front >= 64 && m_front * 2 >= m_samples.size()) {
        m_samples.erase(m_samples.begin(), m_samples.begin() + qsizetype(m_front));
        m_front = 0;
    }
}

void MetricSeries::recordAll(const QString &memberId, std::vector<Sample> samples)
{
    if (samples.empty())
        return;
    const double newest = samples.back().time;
    m_summedCache.valid = false; // older samples may come in below what was summed
    Samples &kept = m_samples[memberId];
    if (kept.empty()) {
        kept = Samples(std::move(samples)); // taken as it is, without a copy
    } else {
        for (const Sample &sample : samples)
            kept.append(sample);
    }
    kept.dropBefore(newest - m_keptSeconds);
    m_latestTime = std::max(m_latestTime, newest);
}

std::vector<MetricSeries::Sample> MetricSeries::samplesOf(const QString &memberId, double from, double to) const
{
    const auto [begin, end] = kept(memberId, from, to);
    return {begin, end};
}

double MetricSeries::historyUntil(double from, double to) const
{
    if (!m_history)
        return from;
    // Where memory begins: its oldest sample among members still sampled (one that stopped long
    // ago would otherwise hold the boundary back and leave a hole in long windows).
    double oldestKept = std::numeric_limits<double>::infinity();
    for (const Samples &samples : m_samples) {
        if (!samples.empty() && samples.back().time >= m_latestTime - m_keptSeconds)
            oldestKept = std::min(oldestKept, samples.front().time);
    }
    if (from >= oldestKept)
        return from; // memory holds the whole window
    if (oldestKept > to)
        return to; // memory holds none of it
    // The store keeps whole seconds: the row of the oldest kept sample's second is in memory.
    return std::floor(oldestKept) - 0.5;
}

std::pair<const MetricSeries::Sample *, const MetricSeries::Sample *>
MetricSeries::kept(const QString &memberId, double from, double to) const
{
    static const Samples none;
    const auto found = m_samples.constFind(memberId);
    const Samples &samples = found == m_samples.cend() ? none : *found;
    const auto before = [](const Sample &sample, double time) { return sample.time < time; };
    const Sample *begin = std::lower_bound(samples.begin(), samples.end(), from, before);
    const Sample *end = std::upper_bound(begin, samples.end(), to,
                                      [](double time, const Sample &sample) { return time < sample.time; });
    return {begin, end};
}

namespace {

// Rows keyed by time, in the order first seen; sorted once at the end.
template<typename Row>
class RowsByTime
{
public:
    Row &at(double time)
    {
        auto row = m_rowOfTime.constFind(time);
        if (row == m_rowOfTime.cend()) {
            row = m_rowOfTime.insert(time, m_rows.size());
            m_rows.append({time, Row{}});
        }
        return m_rows[*row].second;
    }
    QList<std::pair<double, Row>> &sorted()
    {
        std::sort(m_rows.begin(), m_rows.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
        return m_rows;
    }

private:
    QHash<double, qsizetype> m_rowOfTime;
    QList<std::pair<double, Row>> m_rows;
};

} // namespace

MetricSeries::Table MetricSeries::summed(const QStringList &memberIds, double from, double to) const
{
    // The history store sums its rows itself, in one query for all the members; its response
    // time is averaged already, so a time from it counts once.
    const double until = historyUntil(from, to);
    if (until > from) {
        m_summedCache.valid = false;
        return sumOf(memberIds, from, to, until);
    }
    // From memory alone: charts ask again each second for a window one second later, and
    // samples in memory do not change once recorded. The rows of the last answer are kept, and
    // only the times after it are summed (a thousand members' minute is 60,000 samples).
    SummedCache &cache = m_summedCache;
    // A window that moved past the last answer (charts hidden or paused a while) starts afresh.
    if (!cache.valid || cache.members != memberIds || from < cache.from || from > cache.to || to < cache.to) {
        cache.table = sumOf(memberIds, from, to, from);
        cache.members = memberIds;
    } else {
        const qsizetype stale = std::lower_bound(cache.table.times.cbegin(), cache.table.times.cend(), from) - cache.table.times.cbegin();
        cache.table.times.remove(0, stale);
        for (QVector<double> &column : cache.table.values)
            column.remove(0, stale);
        const double after = std::nextafter(cache.to, std::numeric_limits<double>::infinity());
        const Table newer = sumOf(memberIds, after, to, after);
        cache.table.times += newer.times;
        for (size_t i = 0; i < cache.table.values.size(); ++i)
            cache.table.values[i] += newer.values[i];
    }
    cache.valid = true;
    cache.from = from;
    cache.to = to;
    return cache.table;
}

MetricSeries::Table MetricSeries::sumOf(const QStringList &memberIds, double from, double to, double until) const
{
    struct Sum
    {
        Values values{};
        int count = 0;
    };
    RowsByTime<Sum> rows;
    const auto add = [&rows](const Sample &sample) {
        Sum &sum = rows.at(sample.time);
        for (size_t i = 0; i < sum.values.size(); ++i)
            sum.values[i] += sample.values[i];
        ++sum.count;
    };
    if (until > from) {
        for (const Sample &sample : m_history(memberIds, from, until))
            add(sample);
    }
    for (const QString &id : memberIds) {
        const auto [begin, end] = kept(id, std::max(from, until), to);
        std::for_each(begin, end, add);
    }

    Table table;
    const auto &sorted = rows.sorted();
    table.times.reserve(sorted.size());
    for (QVector<double> &column : table.values)
        column.reserve(sorted.size());
    const size_t responseTime = size_t(Metric::ResponseTimeMs);
    for (const auto &[time, sum] : sorted) {
        table.times.append(time);
        for (size_t i = 0; i < sum.values.size(); ++i)
            table.values[i].append(i == responseTime ? sum.values[i] / sum.count : sum.values[i]);
    }
    return table;
}

namespace {

// Folds the layers past the busiest keep - 1 into one, in place.
void keepBusiest(MetricSeries::Layers *result, int keep)
{
    const qsizetype count = result->layers.size();
    if (keep <= 0 || count <= keep)
        return;
    const size_t requests = size_t(Metric::RequestRate);
    const size_t responseTime = size_t(Metric::ResponseTimeMs);
    QList<std::pair<double, qsizetype>> load; // total requests, layer
    for (qsizetype layer = 0; layer < count; ++layer) {
        const QVector<double> &rates = result->layers.at(layer)[requests];
        load.append({std::accumulate(rates.cbegin(), rates.cend(), 0.0), layer});
    }
    std::stable_sort(load.begin(), load.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
    QList<bool> kept(count, false);
    for (qsizetype rank = 0; rank < keep - 1; ++rank)
        kept[load.at(rank).second] = true;

    MetricSeries::Layers folded;
    folded.times = result->times;
    MetricSeries::Columns others;
    for (QVector<double> &column : others)
        column.fill(0.0, result->times.size());
    QVector<int> reporting(result->times.size(), 0);
    for (qsizetype layer = 0; layer < count; ++layer) {
        const MetricSeries::Columns &columns = result->layers.at(layer);
        if (kept.at(layer)) {
            folded.layers.append(columns);
            folded.names.append(result->names.at(layer));
            continue;
        }
        for (size_t metric = 0; metric < others.size(); ++metric) {
            for (qsizetype i = 0; i < folded.times.size(); ++i) {
                const double value = columns[metric].at(i);
                if (metric == responseTime && qIsNaN(value))
                    continue;
                others[metric][i] += value;
                reporting[i] += metric == responseTime;
            }
        }
    }
    for (qsizetype i = 0; i < folded.times.size(); ++i)
        others[responseTime][i] = reporting.at(i) ? others[responseTime].at(i) / reporting.at(i) : qQNaN();
    folded.layers.append(std::move(others));
    const int folds = int(count) - keep + 1;
    folded.names.append(MetricText::tr("%n other(s)", nullptr, folds));
    *result = std::move(folded);
}

} // namespace

MetricSeries::Layers MetricSeries::layered(const QStringList &memberIds, double from, double to, int maxLayers) const
{
    // Which members were sampled at each time, and with what.
    using Present = QHash<qsizetype, Values>;
    RowsByTime<Present> rows;
    const double until = historyUntil(from, to);
    const QHash<QString, QList<Sample>> history =
        until > from && m_historyOfEach ? m_historyOfEach(memberIds, from, until) : QHash<QString, QList<Sample>>();
    for (qsizetype member = 0; member < memberIds.size(); ++member) {
        for (const Sample &sample : history.value(memberIds.at(member)))
            rows.at(sample.time).insert(member, sample.values);
        const auto [begin, end] = kept(memberIds.at(member), std::max(from, until), to);
        for (auto it = begin; it != end; ++it)
            rows.at(it->time).insert(member, it->values);
    }

    Layers result;
    result.names = memberIds;
    const auto &sorted = rows.sorted();
    result.times.reserve(sorted.size());
    result.layers.resize(memberIds.size());
    for (Columns &columns : result.layers) {
        for (QVector<double> &column : columns)
            column.reserve(sorted.size());
    }
    const size_t responseTime = size_t(Metric::ResponseTimeMs);
    for (const auto &[time, present] : sorted) {
        result.times.append(time);
        for (qsizetype member = 0; member < memberIds.size(); ++member) {
            const auto found = present.constFind(member);
            for (size_t i = 0; i < size_t(MetricCount); ++i) {
                const double missing = i == responseTime ? qQNaN() : 0.0;
                result.layers[member][i].append(found == present.cend() ? missing : (*found)[i]);
            }
        }
    }
    keepBusiest(&result, maxLayers);
    return result;
}

} // namespace Tribune
