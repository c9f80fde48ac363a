#include "historyrecorder.h"

#include "eventlogmodel.h"
#include "livecluster.h"
#include "metricseries.h"

#include "history/historystore.h"

#include <QTimer>

namespace Tribune {

HistoryRecorder::HistoryRecorder(std::unique_ptr<HistoryStore> store, LiveCluster *cluster, MetricSeries *series,
                                 EventLogModel *events, QObject *parent)
    : QObject(parent)
    , m_store(std::move(store))
    , m_cluster(cluster)
    , m_compactTimer(new QTimer(this))
{
    // The last day's events, so the log reads on across restarts of the console.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QList<HistoryEvent> earlier = m_store->events(now.addDays(-1), now, QString(), EventLogModel::DefaultLimit / 2);
    QList<LiveEvent> restored(earlier.crbegin(), earlier.crend()); // newest first -> oldest first
    events->prepend(restored);

    connect(cluster, &LiveCluster::eventLogged, this, [this](const LiveEvent &event) {
        if (!m_store->addEvent(event))
            emit problem(m_store->lastError());
    });
    connect(series, &MetricSeries::sampled, this, &HistoryRecorder::recordSamples);
    const auto toSample = [](const MetricSample &sample) {
        return MetricSeries::Sample{double(sample.time.toMSecsSinceEpoch()) / 1000.0,
                                    {sample.requestRate, sample.sessions, sample.bytesInRate, sample.bytesOutRate,
                                     sample.errors5xxRate, sample.responseTimeMs}};
    };
    const auto at = [](double seconds) { return QDateTime::fromMSecsSinceEpoch(qint64(seconds * 1000), Qt::UTC); };
    series->setHistory(
        [this, toSample, at](const QStringList &members, double from, double to) {
            QList<MetricSeries::Sample> samples;
            for (const MetricSample &sample : m_store->samplesSummed(members, at(from), at(to)))
                samples.append(toSample(sample));
            return samples;
        },
        [this, toSample, at](const QStringList &members, double from, double to) {
            QHash<QString, QList<MetricSeries::Sample>> samples;
            const QHash<QString, QList<MetricSample>> each = m_store->samplesOfEach(members, at(from), at(to));
            for (auto it = each.cbegin(); it != each.cend(); ++it) {
                QList<MetricSeries::Sample> &converted = samples[it.key()];
                for (const MetricSample &sample : it.value())
                    converted.append(toSample(sample));
            }
            return samples;
        });
    connect(m_compactTimer, &QTimer::timeout, this, [this] { m_store->compact(QDateTime::currentDateTimeUtc()); });
    m_compactTimer->start(60 * 1000);
}

HistoryRecorder::~HistoryRecorder() = default;

void HistoryRecorder::recordSamples(double time)
{
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(qint64(time * 1000), Qt::UTC);
    QList<MetricSample> samples;
    for (auto it = m_cluster->members().cbegin(); it != m_cluster->members().cend(); ++it) {
        if (!it->inLoadBalancer)
            continue;
        const ServerTraffic &traffic = it->traffic;
        samples.append({at, it.key(), traffic.requestRate, traffic.sessions, traffic.bytesInRate, traffic.bytesOutRate,
                        traffic.errors5xxRate, traffic.responseTimeMs});
    }
    if (samples.isEmpty())
        return;
    // One failure is worth a message; a failing disk every second is not worth thousands.
    if (!m_store->addSamples(samples) && !m_reportedFailure) {
        m_reportedFailure = true;
        emit problem(m_store->lastError());
    }
}

} // namespace Tribune
