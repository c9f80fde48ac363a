#include "metricseries.h"

#include "livecluster.h"

#include <QCoreApplication>
#include <QMap>

#include <algorithm>

namespace Tribune {

QString metricName(Metric metric)
{
    const auto tr = [](const char *text) { return QCoreApplication::translate("Tribune::MetricSeries", text); };
    switch (metric) {
    case Metric::RequestRate: return tr("Requests per second");
    case Metric::Sessions: return tr("Current sessions");
    case Metric::BytesInRate: return tr("Bytes in per second");
    case Metric::BytesOutRate: return tr("Bytes out per second");
    case Metric::Errors5xxRate: return tr("5xx responses per second");
    case Metric::ResponseTimeMs: return tr("Response time (ms)");
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
    connect(cluster, &LiveCluster::memberRemoved, this, [this](const QString &id) { m_samples.remove(id); });
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
    emit sampled(time);
}

void MetricSeries::record(const QString &memberId, double time, const Values &values)
{
    std::deque<Point> &points = m_samples[memberId];
    points.push_back({time, values});
    while (!points.empty() && points.front().time < time - m_keptSeconds)
        points.pop_front();
    m_latestTime = std::max(m_latestTime, time);
}

void MetricSeries::series(const QStringList &memberIds, Metric metric, double from, double to, QVector<double> *times,
                          QVector<double> *values) const
{
    const int index = int(metric);
    const bool average = metric == Metric::ResponseTimeMs;
    // Members are sampled together, once per poll, so their times line up.
    QMap<double, std::pair<double, int>> sums;
    for (const QString &id : memberIds) {
        const auto found = m_samples.constFind(id);
        if (found == m_samples.cend())
            continue;
        const std::deque<Point> &points = *found;
        auto begin = std::lower_bound(points.cbegin(), points.cend(), from,
                                      [](const Point &point, double t) { return point.time < t; });
        for (auto it = begin; it != points.cend() && it->time <= to; ++it) {
            auto &[sum, count] = sums[it->time];
            sum += it->values[size_t(index)];
            ++count;
        }
    }
    times->clear();
    values->clear();
    // What memory no longer holds comes from the history store, up to the oldest kept second.
    const double keptFrom = m_latestTime - m_keptSeconds;
    if (m_history && from < keptFrom) {
        const double until = sums.isEmpty() ? to : std::min(to, sums.firstKey() - 0.5);
        for (const HistoryPoint &point : m_history(memberIds, from, until)) {
            times->append(point.time);
            values->append(point.values[size_t(index)]);
        }
    }
    times->reserve(times->size() + sums.size());
    values->reserve(values->size() + sums.size());
    for (auto it = sums.cbegin(); it != sums.cend(); ++it) {
        times->append(it.key());
        values->append(average && it->second ? it->first / it->second : it->first);
    }
}

} // namespace Tribune
