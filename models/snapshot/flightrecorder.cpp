#include "flightrecorder.h"

#include "snapshotexport.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

namespace Tribune::Snapshot {

FlightRecorder::FlightRecorder(Settings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
{
}

FlightRecorder::~FlightRecorder() = default;

void FlightRecorder::observe(const HistoryEvent &event)
{
    const bool down = event.kind == u"health" && event.reason.contains(u"→ DOWN");
    if (event.kind != u"failure" && !(m_settings.onDown && down))
        return;
    if (m_running) {
        // After the one under way, one more for what came during it (several coalesce).
        m_pending = event;
        return;
    }
    if (!QDir().mkpath(m_settings.folder)) {
        emit failed(tr("cannot create %1").arg(m_settings.folder), event);
        return;
    }
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9._-]"));
    QString member = event.memberId;
    member.replace(unsafe, QStringLiteral("_"));
    const QString path = QDir(m_settings.folder)
                             .filePath(QStringLiteral("%1-%2-%3.tribune-snapshot")
                                           .arg(event.kind, event.time.toUTC().toString(QStringLiteral("yyyyMMdd-HHmmss")), member));
    // The member that failed is gone from the seed's view; the snapshot keeps it, as failed.
    SnapshotCollector::Settings snapshot = m_settings.snapshot;
    Member gone;
    gone.id = event.memberId;
    gone.domain = event.domain;
    gone.subDomain = event.subDomain;
    gone.state = event.kind == u"failure" ? QStringLiteral("failed") : QStringLiteral("alive");
    snapshot.departed.append(gone);
    m_running = new SnapshotExport(snapshot, path, this);
    connect(m_running, &SnapshotExport::finished, this, [this, path, event](bool ok, const QString &message) {
        m_running->deleteLater();
        m_running = nullptr;
        if (!ok) {
            emit failed(message, event);
            if (const std::optional<HistoryEvent> next = std::exchange(m_pending, std::nullopt))
                observe(*next);
            return;
        }
        prune();
        emit recorded(path, event);
        if (const std::optional<HistoryEvent> next = std::exchange(m_pending, std::nullopt))
            observe(*next);
    });
    m_running->start();
}

QStringList FlightRecorder::snapshots() const
{
    QStringList paths;
    const QFileInfoList files = QDir(m_settings.folder).entryInfoList({QStringLiteral("*.tribune-snapshot")}, QDir::Files,
                                                                     QDir::Time);
    for (const QFileInfo &file : files)
        paths.append(file.absoluteFilePath());
    return paths;
}

void FlightRecorder::prune()
{
    qint64 total = 0;
    int kept = 0;
    for (const QString &path : snapshots()) {
        const qint64 size = QFileInfo(path).size();
        if (kept < m_settings.keep && total + size <= m_settings.maxTotalBytes) {
            ++kept;
            total += size;
            continue;
        }
        QFile::remove(path);
    }
}

} // namespace Tribune::Snapshot
