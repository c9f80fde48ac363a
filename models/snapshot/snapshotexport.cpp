#include "snapshotexport.h"


namespace Tribune::Snapshot {

SnapshotExport::SnapshotExport(SnapshotCollector::Settings settings, QString path, QObject *parent)
    : QObject(parent)
    , m_collector(new SnapshotCollector(std::move(settings), this))
    , m_path(std::move(path))
    , m_cancelled(std::make_shared<std::atomic<bool>>(false))
{
    connect(m_collector, &SnapshotCollector::progress, this, &SnapshotExport::progress);
    connect(m_collector, &SnapshotCollector::finished, this, [this](bool ok, const QString &error) {
        if (m_done)
            return;
        if (!ok) {
            m_done = true;
            emit finished(false, tr("%1; nothing was written").arg(error));
            return;
        }
        write();
    });
}

SnapshotExport::~SnapshotExport()
{
    m_cancelled->store(true); // a write still running drops its file
}

void SnapshotExport::start()
{
    m_collector->start();
}

void SnapshotExport::cancel()
{
    m_cancelled->store(true);
    if (!std::exchange(m_done, true))
        emit finished(false, tr("Cancelled; nothing was written."));
}

void SnapshotExport::write()
{
    emit progress(tr("writing %1").arg(m_path));
    const Snapshot snapshot = m_collector->snapshot();
    writeSnapshotInBackground(snapshot, m_path, m_cancelled, this, [this, snapshot](bool ok, const QString &error) {
        if (std::exchange(m_done, true))
            return;
        // Each count with its own plural form.
        QString message = ok ? tr("%1: %2, %3, %4")
                                   .arg(m_path, tr("%n member(s)", nullptr, int(snapshot.members.size())),
                                        tr("%n finding(s)", nullptr, int(snapshot.findings.size())),
                                        tr("%n event(s)", nullptr, int(snapshot.events.size())))
                             : error;
        if (ok && !snapshot.missing.isEmpty())
            message = tr("%1\nNot in it: %2").arg(message, snapshot.missing.join(QLatin1String("; ")));
        emit finished(ok, message);
    });
}

} // namespace Tribune::Snapshot
