#include "snapshotreplay.h"

#include "cluster/liveconfigfetch.h"
#include "concurrency/background.h"
#include "haproxy/haproxyconfig.h"
#include "live/eventlogmodel.h"
#include "live/livecluster.h"
#include "live/liveclustermodel.h"
#include "live/metricseries.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <limits>

namespace Tribune::Snapshot {

using Protocol::MemberState;

namespace {

// Membership events and the state each leaves a member in; other kinds (health, admin, snapshot)
// do not change membership.
std::optional<MemberState> stateAfterKind(const QString &kind)
{
    if (kind == u"join" || kind == u"rejoin" || kind == u"refute")
        return MemberState::Alive;
    if (kind == u"suspect")
        return MemberState::Suspect;
    if (kind == u"failure")
        return MemberState::Failed;
    if (kind == u"leave")
        return MemberState::Left;
    return std::nullopt;
}

// The state a member was in just before an event of this kind.
MemberState stateBefore(const QString &kind)
{
    return kind == u"refute" ? MemberState::Suspect : MemberState::Alive;
}

// A "health" event's reason reads "load balancer: BEFORE → AFTER (CHECK)"; the arrow and the
// parentheses stay in every translation.
struct BalancerChange
{
    QString before;
    QString after;
    QString check;
};

std::optional<BalancerChange> balancerChange(const HistoryEvent &event)
{
    static const QRegularExpression pattern(QStringLiteral(R"re(: (.*) → (.*) \((.*)\)$)re"));
    if (event.kind != u"health")
        return std::nullopt;
    const QRegularExpressionMatch match = pattern.match(event.reason);
    if (!match.hasMatch())
        return std::nullopt;
    return BalancerChange{match.captured(1), match.captured(2), match.captured(3)};
}

// What the snapshot knows of a member's identity: its agent's description, else what its id and
// the events say.
Protocol::MemberInfo infoOf(const Member &member)
{
    if (const std::optional<Protocol::MemberInfo> info = Protocol::MemberInfo::fromJson(member.info))
        return *info;
    Protocol::MemberInfo info;
    info.id = member.id;
    info.name = member.node;
    info.domain = member.domain;
    info.subDomain = member.subDomain;
    info.host = member.id.section(u':', 0, -2);
    info.port = member.id.section(u':', -1).toInt();
    return info;
}

} // namespace

// The heavy part of opening, which needs no GUI thread: the snapshot in time order and its samples
// in a chart series (created without a parent, on whatever thread runs this).
SnapshotReplay::Prepared SnapshotReplay::prepare(Snapshot snapshot)
{
    std::stable_sort(snapshot.events.begin(), snapshot.events.end(),
                     [](const HistoryEvent &a, const HistoryEvent &b) { return a.time < b.time; });
    // Every member's samples, in time order, as the charts keep them.
    QHash<QString, std::vector<MetricSeries::Sample>> samplesOf;
    for (const MetricSample &sample : std::as_const(snapshot.samples))
        samplesOf[sample.memberId].push_back({double(sample.time.toMSecsSinceEpoch()) / 1000.0,
                                              {sample.requestRate, sample.sessions, sample.bytesInRate, sample.bytesOutRate,
                                               sample.errors5xxRate, sample.responseTimeMs}});
    for (auto it = snapshot.packedSamples.cbegin(); it != snapshot.packedSamples.cend(); ++it) {
        std::vector<MetricSeries::Sample> &samples = samplesOf[it.key()];
        samples.reserve(samples.size() + size_t(it->size() / PackedSampleBytes));
        forEachPackedSample(it.value(), [&samples](qint64 timeMs, const SampleValues &values) {
            samples.push_back({double(timeMs) / 1000.0, values});
        });
    }
    // Enough seconds kept to hold every sample, whichever its resolution.
    double oldest = double(snapshot.takenAt.toMSecsSinceEpoch()) / 1000.0;
    for (auto it = samplesOf.begin(); it != samplesOf.end(); ++it) {
        std::stable_sort(it->begin(), it->end(), [](const MetricSeries::Sample &a, const MetricSeries::Sample &b) {
            return a.time < b.time;
        });
        if (!it->empty())
            oldest = std::min(oldest, it->front().time);
    }
    const double span = double(snapshot.takenAt.toMSecsSinceEpoch()) / 1000.0 - oldest;
    // Deleted on the thread it belongs to, whichever thread lets go of it last.
    const std::shared_ptr<MetricSeries> series(new MetricSeries(int(std::min(span + 120, double(std::numeric_limits<int>::max())))),
                                               [](MetricSeries *unused) { unused->deleteLater(); });
    for (auto it = samplesOf.begin(); it != samplesOf.end(); ++it)
        series->recordAll(it.key(), std::move(it.value()));
    return {std::move(snapshot), std::move(series)};
}

SnapshotReplay::SnapshotReplay(Snapshot snapshot, QObject *parent)
    : SnapshotReplay(prepare(std::move(snapshot)), parent)
{
}

SnapshotReplay::SnapshotReplay(Prepared prepared, QObject *parent)
    : QObject(parent)
    , m_snapshot(std::move(prepared.snapshot))
    , m_cluster(new LiveCluster(this))
    , m_model(new LiveClusterModel(m_cluster, m_snapshot.cluster, this))
    , m_seriesOwner(std::move(prepared.series))
    , m_series(m_seriesOwner.get())
    , m_events(new EventLogModel(this, int(std::max<qsizetype>(m_snapshot.events.size(), 1))))
{
    // The log names members by their node, as the tree does.
    QHash<QString, QString> nodes;
    for (const Member &member : std::as_const(m_snapshot.members))
        nodes.insert(member.id, member.node);
    m_events->setNameOf([nodes](const QString &id) { return nodes.value(id); });
    m_events->prepend(m_snapshot.events);
    indexMembers();
    showAt(to());
}

SnapshotReplay::~SnapshotReplay() = default;

void SnapshotReplay::open(const QString &path, QObject *receiver,
                          std::function<void(SnapshotReplay *replay, const QString &error)> done)
{
    struct Read
    {
        std::optional<Prepared> prepared;
        QString error;
    };
    QThread *application = QCoreApplication::instance()->thread();
    runInBackground<Read>(
        receiver,
        [path, application] {
            Read read;
            std::optional<Snapshot> snapshot = readSnapshot(path, &read.error);
            if (snapshot) {
                read.prepared = prepare(std::move(*snapshot));
                read.prepared->series->moveToThread(application); // where the charts will read it
            }
            return read;
        },
        [receiver, done = std::move(done)](const Read &read) {
            if (!read.prepared) {
                done(nullptr, read.error);
                return;
            }
            done(new SnapshotReplay(*read.prepared, receiver), QString());
        });
}

QDateTime SnapshotReplay::from() const
{
    // The events' window: where the cluster can be rebuilt second by second (a year at most,
    // whatever the file says).
    const QDateTime start = m_snapshot.eventsFrom.isValid() ? m_snapshot.eventsFrom
                            : m_snapshot.windowFrom.isValid() ? m_snapshot.windowFrom
                                                              : m_snapshot.takenAt;
    return std::clamp(start, m_snapshot.takenAt.addDays(-366), m_snapshot.takenAt);
}

QString SnapshotReplay::title() const
{
    const QString when = QLocale().toString(m_snapshot.takenAt.toLocalTime(), QLocale::ShortFormat);
    return m_snapshot.secretsIncluded ? tr("%1 at %2 (holds passwords)").arg(m_snapshot.cluster, when)
                                      : tr("%1 at %2").arg(m_snapshot.cluster, when);
}

// Once, when opened: every member the snapshot knows of, and each member's events, which every
// moment shown reads.
void SnapshotReplay::indexMembers()
{
    // Every member the snapshot knows of: those it lists, then those only its events name.
    m_known = m_snapshot.members;
    QSet<QString> ids;
    for (const Member &member : std::as_const(m_known))
        ids.insert(member.id);
    QHash<QString, qsizetype> onlyInEvents;
    for (const HistoryEvent &event : m_snapshot.events) {
        const std::optional<MemberState> state = event.memberId.isEmpty() ? std::nullopt : stateAfterKind(event.kind);
        if (!state || (ids.contains(event.memberId) && !onlyInEvents.contains(event.memberId)))
            continue;
        // At the snapshot's time, such a member is in the state its last event left it in.
        if (!onlyInEvents.contains(event.memberId)) {
            ids.insert(event.memberId);
            onlyInEvents.insert(event.memberId, m_known.size());
            Member member;
            member.id = event.memberId;
            member.domain = event.domain;
            member.subDomain = event.subDomain;
            m_known.append(member);
        }
        m_known[onlyInEvents.value(event.memberId)].state = Protocol::stateName(*state);
    }
    // The members table is the truth at the snapshot's time: one it lacks that its events leave
    // alive (an id a member rejoined under another) had gone by then.
    for (auto it = onlyInEvents.cbegin(); it != onlyInEvents.cend(); ++it) {
        QString &state = m_known[it.value()].state;
        if (state != u"failed" && state != u"left")
            state = QStringLiteral("left");
    }
    // The events of each member, in time order.
    m_eventsOf.clear();
    for (const HistoryEvent &event : m_snapshot.events)
        m_eventsOf[event.memberId].append(&event);
}

QList<LiveMember> SnapshotReplay::membersAt(const QDateTime &time) const
{
    const bool atCapture = time >= m_snapshot.takenAt;
    QList<LiveMember> members;
    for (const Member &member : std::as_const(m_known)) {
        LiveMember live;
        live.info = infoOf(member);
        live.state = Protocol::stateFromName(member.state).value_or(MemberState::Alive);
        live.inLoadBalancer = !member.balancerState.isEmpty();
        live.traffic.server = member.id;
        live.traffic.backend = HAProxy::backendName(member.domain, member.subDomain);
        live.traffic.status = member.balancerState;
        live.traffic.checkStatus = member.checkStatus;
        live.traffic.weight = std::max(member.weight, 0);
        const QList<const HistoryEvent *> events = m_eventsOf.value(member.id);
        if (!atCapture) {
            const auto after = std::find_if(events.cbegin(), events.cend(),
                                            [&](const HistoryEvent *event) { return event->time > time; });
            // Membership: the last change until then, else the state before the first one after.
            const HistoryEvent *last = nullptr;
            for (auto it = events.cbegin(); it != after; ++it) {
                if (stateAfterKind((*it)->kind))
                    last = *it;
            }
            const auto next = std::find_if(after, events.cend(),
                                           [](const HistoryEvent *event) { return stateAfterKind(event->kind).has_value(); });
            if (last) {
                live.state = *stateAfterKind(last->kind);
                live.stateSince = last->time;
                live.reason = last->reason;
            } else if (next != events.cend()) {
                if ((*next)->kind == u"join" || (*next)->kind == u"rejoin")
                    continue; // it had not joined yet
                live.state = stateBefore((*next)->kind);
            }
            // HAProxy's view: the last change it reported until then, else what it was before the next.
            std::optional<BalancerChange> balancer;
            for (auto it = events.cbegin(); it != after; ++it) {
                if (const std::optional<BalancerChange> change = balancerChange(**it))
                    balancer = change;
            }
            bool recorded = balancer.has_value();
            if (balancer) {
                live.traffic.status = balancer->after;
                live.traffic.checkStatus = balancer->check;
            } else {
                for (auto it = after; it != events.cend() && !recorded; ++it) {
                    if (const std::optional<BalancerChange> change = balancerChange(**it)) {
                        live.traffic.status = change->before;
                        live.traffic.checkStatus = QString();
                        recorded = true;
                    }
                }
            }
            // No change of HAProxy's recorded around then, and the member's own state then was not
            // the one it was taken in: HAProxy may well have said otherwise (it takes members out
            // and back without a health event), so its state then is not known.
            const MemberState whenTaken = Protocol::stateFromName(member.state).value_or(MemberState::Alive);
            if (!recorded && live.state != whenTaken)
                live.traffic.status = tr("not captured");
            live.inLoadBalancer = !live.traffic.status.isEmpty();
        } else if (!events.isEmpty()) {
            for (auto it = events.crbegin(); it != events.crend(); ++it) {
                if (stateAfterKind((*it)->kind)) {
                    live.stateSince = (*it)->time;
                    live.reason = (*it)->reason;
                    break;
                }
            }
        }
        if (atCapture && member.cpuPercent >= 0) {
            live.hasHealth = true;
            live.cpuPercent = member.cpuPercent;
            live.rssBytes = std::max<qint64>(member.rssBytes, 0);
            live.healthAt = m_snapshot.takenAt;
        }
        members.append(live);
    }
    // Traffic: each member's last sample at or before then, while it still holds: for no longer
    // than the spacing of its samples (a second, or a minute for the older minute rows).
    const double at = double(time.toMSecsSinceEpoch()) / 1000.0;
    for (LiveMember &member : members) {
        const std::vector<MetricSeries::Sample> recent = m_series->samplesOf(member.info.id, at - 130, at);
        if (recent.empty())
            continue;
        const MetricSeries::Sample &last = recent.back();
        // (A gap in the samples is not their spacing: no sample holds for longer than a minute's.)
        const double spacing = recent.size() > 1 ? std::min(last.time - recent.at(recent.size() - 2).time, 60.0) : 1.0;
        if (at - last.time > std::max(spacing, 1.0) + 1)
            continue;
        member.traffic.requestRate = last.values[size_t(Metric::RequestRate)];
        member.traffic.sessions = last.values[size_t(Metric::Sessions)];
        member.traffic.bytesInRate = last.values[size_t(Metric::BytesInRate)];
        member.traffic.bytesOutRate = last.values[size_t(Metric::BytesOutRate)];
        member.traffic.errors5xxRate = last.values[size_t(Metric::Errors5xxRate)];
        member.traffic.responseTimeMs = last.values[size_t(Metric::ResponseTimeMs)];
    }
    return members;
}

void SnapshotReplay::showAt(const QDateTime &time)
{
    const QDateTime clamped = std::clamp(time, from(), to());
    const bool hasTraffic = !m_snapshot.haproxy.isEmpty() || m_series->memberCount() > 0;
    m_cluster->showMembers(membersAt(clamped), hasTraffic);
    m_shownAt = clamped;
    emit shownAtChanged(clamped);
}

QString SnapshotReplay::writeConfigFolder(QString *error)
{
    if (m_folder)
        return m_configFolder;
    if (m_snapshot.files.isEmpty()) {
        *error = tr("the snapshot holds no configuration files");
        return {};
    }
    auto folder = std::make_unique<QTemporaryDir>();
    if (!folder->isValid()) {
        *error = tr("cannot create a temporary folder: %1; free space there (or set TMPDIR) and try again")
                     .arg(folder->errorString());
        return {};
    }
    // Where each node is: the host its member announced, for the servers file the validator reads.
    QMap<QString, QStringList> nodesOnHost;
    for (const Member &member : std::as_const(m_snapshot.members)) {
        if (m_snapshot.files.contains(member.node))
            nodesOnHost[infoOf(member).host].append(member.node);
    }
    // Named after the snapshot's cluster, since views title a cluster by its folder.
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9._:@ -]"));
    const QString root = folder->filePath(tr("snapshot of %1").arg(m_snapshot.cluster).replace(unsafe, QStringLiteral("_")).left(120));
    if (!QDir().mkpath(root)) {
        *error = tr("cannot create %1").arg(root);
        return {};
    }
    for (auto node = m_snapshot.files.cbegin(); node != m_snapshot.files.cend(); ++node) {
        if (!LiveConfigFetch::isSafeRelativePath(node.key()) || node.key().contains(u'/')) {
            *error = tr("refused node name \"%1\"").arg(node.key().left(80));
            return {};
        }
        for (auto file = node->cbegin(); file != node->cend(); ++file) {
            if (!LiveConfigFetch::isSafeRelativePath(file.key())) {
                *error = tr("%1: refused file name \"%2\"").arg(node.key(), file.key().left(80));
                return {};
            }
            const QString path = root + QLatin1Char('/') + node.key() + QLatin1String("/repository/conf/") + file.key();
            QDir().mkpath(QFileInfo(path).path());
            QSaveFile out(path);
            if (!out.open(QIODevice::WriteOnly) || out.write(file.value()) != file.value().size() || !out.commit()) {
                *error = tr("%1: cannot write: %2").arg(path, out.errorString());
                return {};
            }
        }
    }
    QByteArray servers;
    for (auto it = nodesOnHost.cbegin(); it != nodesOnHost.cend(); ++it)
        servers += (it.key() + QLatin1Char(' ') + it.value().join(u' ') + QLatin1Char('\n')).toUtf8();
    QSaveFile out(root + QLatin1String("/servers"));
    if (!servers.isEmpty() && (!out.open(QIODevice::WriteOnly) || out.write(servers) != servers.size() || !out.commit())) {
        *error = tr("%1: cannot write: %2").arg(out.fileName(), out.errorString());
        return {};
    }
    m_folder = std::move(folder);
    m_configFolder = root;
    return root;
}

} // namespace Tribune::Snapshot
