#pragma once

#include "snapshot.h"

#include "cluster/liveconfigfetch.h"

#include <QObject>

#include <memory>

class QTemporaryDir;

namespace Tribune::Snapshot {

// Takes a snapshot of the running cluster, in the background: the members as the seed sees them,
// each live member's health and files (redacted unless asked otherwise), the whole cluster's
// findings, HAProxy's own view, and the events and samples of a window from a history. What
// cannot be had is noted in the snapshot as missing rather than waited for.
class SnapshotCollector final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SnapshotCollector)

public:
    struct Settings
    {
        LiveConfigFetch::Settings cluster;
        QString loadBalancerSocket; // HAProxy's admin socket; empty: none is asked
        QString historyUrl;         // empty: the console's default history
        bool withHistory = true;
        int secondsWindow = 600;    // of one-second samples and events
        int minutesWindow = 24 * 60; // of one-minute samples
        bool includeSecrets = false;
        QString takenBy;
        // Members the asker knows of that the seed no longer lists (a member that just failed),
        // kept in the snapshot with the state given.
        QList<Member> departed;
    };

    explicit SnapshotCollector(Settings settings, QObject *parent = nullptr);
    ~SnapshotCollector() override;

    void start();
    const Snapshot &snapshot() const { return m_snapshot; }

signals:
    void progress(const QString &step);
    // ok false: nothing usable was captured (the seed could not be asked), with why.
    void finished(bool ok, const QString &error);

private:
    void collectMembers(const QList<Protocol::MemberView> &members);
    void collectHealth();
    void collectFiles();
    void collectHaproxy();
    void collectHistory();
    void stepDone();
    void fail(const QString &why);

    Settings m_settings;
    Snapshot m_snapshot;
    std::unique_ptr<QTemporaryDir> m_folder;
    int m_waiting = 0; // steps under way
    bool m_done = false;
};

} // namespace Tribune::Snapshot
