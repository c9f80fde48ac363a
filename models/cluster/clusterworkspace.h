#pragma once

#include "clusterconfig.h"
#include "config/configerror.h"
#include "finding.h"
#include "liveconfigfetch.h"
#include "nodefacts.h"

#include <QObject>
#include <QStringList>

#include <memory>
#include <vector>

class QTemporaryDir;

namespace Tribune {

class HostResolver;

// The cluster the console has open from disk: its files, the facts derived from them and the
// validator's findings. Views follow it through its signals.
class ClusterWorkspace final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ClusterWorkspace)

public:
    explicit ClusterWorkspace(QObject *parent = nullptr);
    ~ClusterWorkspace() override;

    // Reads the given paths (see ClusterConfig::load) and validates them. On unusable input
    // the previous cluster stays, loadFailed() says why, and the findings are the files that
    // could not be read, at file, line and column. Without a hosts file, names are
    // looked up by the system resolver in the background; the cluster is validated again, with
    // aboutToReload() and reloaded(), once it answers.
    bool open(const QStringList &paths);
    // A hosts file read instead of the cluster folder's own (--hosts FILE); empty for none.
    void setHostsFile(const QString &path) { m_hostsFile = path; }
    // Whether names are still being looked up.
    bool isResolving() const;
    // Reads the same paths again, e.g. after the files changed on disk; for the running
    // cluster, reads its files again.
    bool reload();

    // Reads the running cluster's files from its agents, in the background, and opens them as a
    // cluster folder is opened: everything that validates folders validates the running cluster.
    // liveFetchFinished() says how it went; on failure the previous cluster stays.
    void openLive(const LiveConfigFetch::Settings &settings);
    bool isLive() const { return m_live.has_value(); }
    bool isFetching() const { return m_fetch != nullptr; }
    // For the running cluster: the member each node is, by node name ("host:port").
    const QMap<QString, QString> &liveMembers() const { return m_liveMembers; }
    // The settings the running cluster was read with (empty when a folder is open).
    const std::optional<LiveConfigFetch::Settings> &liveSettings() const { return m_live; }

    const QStringList &paths() const { return m_paths; }
    const ClusterConfig &cluster() const { return m_cluster; }
    const std::vector<NodeFacts> &facts() const { return m_facts; }
    const QList<Finding> &findings() const { return m_findings; }
    // Findings about one node, by its name.
    QList<Finding> findingsFor(const QString &nodeName) const;
    // A title for the cluster: its folder's name, or the first path's.
    QString title() const;

signals:
    void aboutToReload();
    void reloaded();
    void loadFailed(const QList<Tribune::Config::ConfigError> &errors);
    // The findings changed without a new cluster: files that could not be read replace the
    // findings of the cluster read before (which are stale now), each where it broke.
    void aboutToChangeFindings();
    void findingsChanged();
    void liveFetchStarted();
    // problems: members whose files could not be read (the rest is open), or why nothing was.
    void liveFetchFinished(bool ok, const QStringList &problems);

private:
    bool load(const QStringList &paths);
    void validate();

    QStringList m_paths;
    QString m_hostsFile;
    HostResolver *m_resolver = nullptr;
    ClusterConfig m_cluster;
    std::vector<NodeFacts> m_facts;
    QList<Finding> m_findings;
    std::optional<LiveConfigFetch::Settings> m_live; // where the open cluster was read from
    std::unique_ptr<QTemporaryDir> m_liveFolder;  // the files shown
    std::unique_ptr<QTemporaryDir> m_fetchFolder; // the files being read
    std::unique_ptr<QTemporaryDir> m_unreadableFolder; // the last read whose files could not be read
    QMap<QString, QString> m_liveMembers;
    LiveConfigFetch *m_fetch = nullptr;
    std::optional<LiveConfigFetch::Settings> m_readAgain; // asked for while a read ran
};

} // namespace Tribune
