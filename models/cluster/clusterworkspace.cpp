#include "clusterworkspace.h"

#include "validator.h"
#include "config/configerror.h"

#include <QFileInfo>

namespace Tribune {

ClusterWorkspace::ClusterWorkspace(QObject *parent)
    : QObject(parent)
{
}

ClusterWorkspace::~ClusterWorkspace() = default;

bool ClusterWorkspace::open(const QStringList &paths)
{
    QList<Config::ConfigError> errors;
    ClusterConfig cluster = ClusterConfig::load(paths, &errors);
    if (!errors.isEmpty()) {
        emit loadFailed(errors);
        return false;
    }
    emit aboutToReload();
    m_paths = paths;
    m_cluster = std::move(cluster);
    m_facts.clear();
    m_facts.reserve(m_cluster.nodes().size());
    for (const NodeConfig &node : m_cluster.nodes())
        m_facts.push_back(NodeFacts::of(node));
    m_findings = validateCluster(m_cluster, m_facts);
    emit reloaded();
    return true;
}

bool ClusterWorkspace::reload()
{
    return !m_paths.isEmpty() && open(m_paths);
}

QList<Finding> ClusterWorkspace::findingsFor(const QString &nodeName) const
{
    QList<Finding> result;
    for (const Finding &finding : m_findings) {
        if (finding.node == nodeName)
            result.append(finding);
    }
    return result;
}

QString ClusterWorkspace::title() const
{
    return m_paths.isEmpty() ? QString() : QFileInfo(m_paths.first()).absoluteFilePath().section(QLatin1Char('/'), -1);
}

} // namespace Tribune
