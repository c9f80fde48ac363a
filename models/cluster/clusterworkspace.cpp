#include "clusterworkspace.h"

#include "hostresolver.h"
#include "validator.h"
#include "config/configerror.h"

#include <QFileInfo>

namespace Tribune {

ClusterWorkspace::ClusterWorkspace(QObject *parent)
    : QObject(parent)
    , m_resolver(new HostResolver(this))
{
    connect(m_resolver, &HostResolver::finished, this, [this](const HostModel &hosts) {
        emit aboutToReload();
        m_cluster.setHosts(hosts);
        validate();
        emit reloaded();
    });
}

bool ClusterWorkspace::isResolving() const
{
    return m_resolver->isRunning();
}

void ClusterWorkspace::validate()
{
    m_facts = deriveFacts(m_cluster);
    m_findings = validateCluster(m_cluster, m_facts);
}

ClusterWorkspace::~ClusterWorkspace() = default;

bool ClusterWorkspace::open(const QStringList &paths)
{
    QList<Config::ConfigError> errors;
    ClusterConfig cluster = ClusterConfig::load(paths, &errors, m_hostsFile);
    if (!errors.isEmpty()) {
        emit loadFailed(errors);
        return false;
    }
    m_resolver->cancel();
    emit aboutToReload();
    m_paths = paths;
    m_cluster = std::move(cluster);
    validate();
    emit reloaded();
    if (!m_cluster.hasHostsFile())
        m_resolver->resolve(m_cluster.hostNames());
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
