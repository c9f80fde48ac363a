#pragma once

#include "clusterconfig.h"
#include "config/configerror.h"
#include "finding.h"
#include "nodefacts.h"

#include <QObject>
#include <QStringList>

#include <vector>

namespace Tribune {

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
    // the previous cluster stays and loadFailed() says why.
    bool open(const QStringList &paths);
    // Reads the same paths again, e.g. after the files changed on disk.
    bool reload();

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

private:
    QStringList m_paths;
    ClusterConfig m_cluster;
    std::vector<NodeFacts> m_facts;
    QList<Finding> m_findings;
};

} // namespace Tribune
