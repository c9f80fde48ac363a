#include "historyrecorder.h"

#include "eventlogmodel.h"
#include "livecluster.h"

#include "history/historystore.h"

#include <QThread>
#include <QTimer>

#include <optional>

namespace Tribune {

namespace {

// Answers kept for the charts' older samples; a chart asks for one set of members at a time.
constexpr int MaxAnswers = 32;
// How far the window may move past an answer before it is asked for again, in seconds: older
// samples are a minute's each, and what memory holds overlaps the newest of them.
constexpr double AskAgainAfterSeconds = 5;

MetricSeries::Sample toSample(const MetricSample &sample)
{
    return {double(sample.time.toMSecsSinceEpoch()) / 1000.0,
            {sample.requestRate, sample.sessions, sample.bytesInRate, sample.bytesOutRate, sample.errors5xxRate,
             sample.responseTimeMs}};
}

QDateTime at(double seconds)
{
    return QDateTime::fromMSecsSinceEpoch(qint64(seconds * 1000), Qt::UTC);
}

QList<MetricSeries::Sample> within(const QList<MetricSeries::Sample> &samples, double from, double to)
{
    QList<MetricSeries::Sample> result;
    for (const MetricSeries::Sample &sample : samples) {
        if (sample.time >= from && sample.time <= to)
            result.append(sample);
    }
    return result;
}

} // namespace

// Lives on the history's thread and owns the store there.
class HistoryRecorder::Worker final : public QObject
{
public:
    std::optional<HistoryStore> store;
};

HistoryRecorder::HistoryRecorder(const QString &url, LiveCluster *cluster, MetricSeries *series, EventLogModel *events,
                                 QObject *parent)
    : QObject(parent)
    , m_cluster(cluster)
    , m_series(series)
    , m_thread(new QThread(this))
    , m_worker(new Worker)
    , m_compactTimer(new QTimer(this))
{
    m_thread->setObjectName(QStringLiteral("history"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start();

    // Opened there, then the last day's events, so the log reads on across restarts of the console.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    Worker *worker = m_worker;
    QMetaObject::invokeMethod(
        m_worker,
        [this, worker, url, now, events] {
            QString error;
            worker->store = HistoryStore::open(url, &error);
            if (!worker->store) {
                QMetaObject::invokeMethod(this, [this, error] {
                    emit problem(tr("no history is kept: %1").arg(error));
                    emit opened(false);
                });
                return;
            }
            const QList<HistoryEvent> earlier = worker->store->events(now.addDays(-1), now, QString(), EventLogModel::DefaultLimit / 2);
            QMetaObject::invokeMethod(this, [this, events, earlier] {
                events->prepend(QList<LiveEvent>(earlier.crbegin(), earlier.crend())); // newest first -> oldest first
                emit opened(true);
            });
        },
        Qt::QueuedConnection);

    connect(cluster, &LiveCluster::eventLogged, this, [this](const LiveEvent &event) {
        QMetaObject::invokeMethod(
            m_worker,
            [this, worker = m_worker, event] {
                if (worker->store && !worker->store->addEvent(event))
                    QMetaObject::invokeMethod(this, [this, error = worker->store->lastError()] { emit problem(error); });
            },
            Qt::QueuedConnection);
    });
    connect(series, &MetricSeries::sampled, this, &HistoryRecorder::recordSamples);
    series->setHistory(
        [this](const QStringList &members, double from, double to) { return within(answerFor(members, true, from, to).summed, from, to); },
        [this](const QStringList &members, double from, double to) {
            QHash<QString, QList<MetricSeries::Sample>> result;
            const Answer &answer = answerFor(members, false, from, to);
            for (auto it = answer.ofEach.cbegin(); it != answer.ofEach.cend(); ++it)
                result.insert(it.key(), within(it.value(), from, to));
            return result;
        });
    connect(m_compactTimer, &QTimer::timeout, this, [this] {
        QMetaObject::invokeMethod(
            m_worker,
            [worker = m_worker, now = QDateTime::currentDateTimeUtc()] {
                if (worker->store)
                    worker->store->compact(now);
            },
            Qt::QueuedConnection);
    });
    m_compactTimer->start(60 * 1000);
}

HistoryRecorder::~HistoryRecorder()
{
    // Queued after every write, so that those are done before the thread ends.
    QMetaObject::invokeMethod(m_worker, [] { QThread::currentThread()->quit(); }, Qt::QueuedConnection);
    if (!m_thread->wait(10000)) {
        // A database that does not answer: the thread ends on its own, and deletes itself then.
        m_thread->setParent(nullptr);
        connect(m_thread, &QThread::finished, m_thread, &QObject::deleteLater);
    }
}

void HistoryRecorder::recordSamples(double time)
{
    const QDateTime when = at(time);
    QList<MetricSample> samples;
    for (auto it = m_cluster->members().cbegin(); it != m_cluster->members().cend(); ++it) {
        if (!it->inLoadBalancer)
            continue;
        const ServerTraffic &traffic = it->traffic;
        samples.append({when, it.key(), traffic.requestRate, traffic.sessions, traffic.bytesInRate, traffic.bytesOutRate,
                        traffic.errors5xxRate, traffic.responseTimeMs});
    }
    if (samples.isEmpty())
        return;
    QMetaObject::invokeMethod(
        m_worker,
        [this, worker = m_worker, samples] {
            if (!worker->store || worker->store->addSamples(samples))
                return;
            QMetaObject::invokeMethod(this, [this, error = worker->store->lastError()] {
                // One failure is worth a message; a failing disk every second is not worth thousands.
                if (!std::exchange(m_reportedFailure, true))
                    emit problem(error);
            });
        },
        Qt::QueuedConnection);
}

const HistoryRecorder::Answer &HistoryRecorder::answerFor(const QStringList &members, bool summed, double from, double to)
{
    const QString key = (summed ? QLatin1String("sum:") : QLatin1String("each:")) + members.join(u',');
    if (!m_answers.contains(key) && m_answers.size() >= MaxAnswers)
        m_answers.clear();
    Answer &answer = m_answers[key];
    const bool covered = answer.to > 0 && answer.from <= from + 1 && answer.to >= to - AskAgainAfterSeconds;
    if (covered || answer.pending)
        return answer;
    answer.pending = true;
    QMetaObject::invokeMethod(
        m_worker,
        [this, worker = m_worker, key, members, summed, from, to] {
            Answer read;
            read.from = from;
            read.to = to;
            if (worker->store && summed) {
                for (const MetricSample &sample : worker->store->samplesSummed(members, at(from), at(to)))
                    read.summed.append(toSample(sample));
            } else if (worker->store) {
                const QHash<QString, QList<MetricSample>> each = worker->store->samplesOfEach(members, at(from), at(to));
                for (auto it = each.cbegin(); it != each.cend(); ++it) {
                    QList<MetricSeries::Sample> &converted = read.ofEach[it.key()];
                    for (const MetricSample &sample : it.value())
                        converted.append(toSample(sample));
                }
            }
            QMetaObject::invokeMethod(this, [this, key, read] {
                m_answers.insert(key, read);
                m_series->notifyHistoryArrived();
            });
        },
        Qt::QueuedConnection);
    return answer;
}

} // namespace Tribune
