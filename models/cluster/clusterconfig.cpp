#include "clusterconfig.h"

#include "config/configerror.h"
#include "i18n/trcontexts.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>

#include <algorithm>

namespace Tribune {

using namespace Config;

namespace {

// Node folders at or below root, in name order, not descending into a node once found.
void findNodes(const QString &root, int depth, QStringList *found)
{
    if (!NodeConfig::confFolderOf(root).isEmpty()) {
        found->append(root);
        return;
    }
    if (depth == 0)
        return;
    const QFileInfoList entries =
        QDir(root).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Readable, QDir::Name);
    for (const QFileInfo &entry : entries)
        findNodes(entry.filePath(), depth - 1, found);
}

} // namespace

void ClusterConfig::addNode(NodeConfig node)
{
    if (const auto &lb = node.loadBalancer())
        m_loadBalancers.push_back({node.filePath(NodeConfig::File::LoadBalancer), *lb, int(m_nodes.size())});
    m_nodes.push_back(std::move(node));
}

ClusterConfig ClusterConfig::withNode(NodeConfig node) const
{
    ClusterConfig copy = *this;
    const auto it = std::find_if(copy.m_nodes.begin(), copy.m_nodes.end(),
                                 [&node](const NodeConfig &existing) { return existing.name() == node.name(); });
    if (it == copy.m_nodes.end()) {
        copy.addNode(std::move(node));
        return copy;
    }
    const int index = int(it - copy.m_nodes.begin());
    // The replaced node's load balancer configuration goes with it.
    copy.m_loadBalancers.erase(std::remove_if(copy.m_loadBalancers.begin(), copy.m_loadBalancers.end(),
                                              [index](const LoadBalancerSource &source) { return source.nodeIndex == index; }),
                               copy.m_loadBalancers.end());
    if (const auto &lb = node.loadBalancer())
        copy.m_loadBalancers.push_back({node.filePath(NodeConfig::File::LoadBalancer), *lb, index});
    *it = std::move(node);
    return copy;
}

void ClusterConfig::addLoadBalancer(const QString &path, LoadBalancerConf conf)
{
    m_loadBalancers.push_back({path, std::move(conf), -1});
}

QStringList ClusterConfig::hostNames() const
{
    QStringList names;
    for (const NodeConfig &node : m_nodes) {
        if (const auto &axis2 = node.axis2()) {
            const Axis2Clustering clustering = axis2->clustering();
            names.append(clustering.localMemberHost());
            for (const WellKnownMember &member : clustering.members)
                names.append(member.host);
        }
        if (const auto &carbon = node.carbon()) {
            const CarbonSettings settings = carbon->settings();
            names << settings.hostName << settings.mgtHostName;
        }
    }
    for (const LoadBalancerSource &source : m_loadBalancers) {
        for (const LbSubDomainGroup &group : source.conf.groups())
            names.append(group.hosts);
    }
    if (m_servers) {
        for (const auto &[folder, placement] : m_servers->folders())
            names.append(placement.server);
    }
    names.removeAll(QString());
    names.removeDuplicates();
    return names;
}

ClusterConfig ClusterConfig::load(const QStringList &paths, QList<ConfigError> *errors, const QString &hostsFile)
{
    ClusterConfig cluster;
    QString folderHostsFile;
    const auto addLoadBalancerFile = [&cluster, errors](const QString &path) {
        ConfigError error;
        if (std::optional<LoadBalancerConf> conf = LoadBalancerConf::load(path, &error))
            cluster.addLoadBalancer(path, std::move(*conf));
        else
            errors->append(error);
    };
    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (!info.exists()) {
            errors->append({path, 0, 0, ClusterConfigText::tr("no such file or folder")});
            continue;
        }
        if (info.isFile()) {
            addLoadBalancerFile(path);
            continue;
        }
        // Node folders sit at most a few levels down: cluster/host/node/repository/conf.
        constexpr int SearchDepth = 3;
        QStringList nodeFolders;
        findNodes(path, SearchDepth, &nodeFolders);
        const QString looseConf = QDir(path).filePath(NodeConfig::relativePath(NodeConfig::File::LoadBalancer));
        if (nodeFolders.isEmpty() && !QFileInfo::exists(looseConf)) {
            errors->append({path, 0, 0,
                            ClusterConfigText::tr("holds no node (a folder with repository/conf/axis2/axis2.xml or carbon.xml) "
                                                  "and no loadbalancer.conf")});
            continue;
        }
        if (nodeFolders.isEmpty())
            addLoadBalancerFile(looseConf);
        // A cluster folder (not a node's own) may say where its names and nodes are.
        if (nodeFolders != QStringList{path}) {
            const QDir folder(path);
            if (folderHostsFile.isEmpty() && QFileInfo::exists(folder.filePath(QStringLiteral("hosts"))))
                folderHostsFile = folder.filePath(QStringLiteral("hosts"));
            const QString serversPath = folder.filePath(QStringLiteral("servers"));
            if (!cluster.m_servers && QFileInfo::exists(serversPath)) {
                ConfigError error;
                if (std::optional<ServersFile> servers = ServersFile::load(serversPath, &error))
                    cluster.m_servers = std::move(*servers);
                else
                    errors->append(error);
            }
        }
        for (const QString &folder : std::as_const(nodeFolders)) {
            if (std::optional<NodeConfig> node = NodeConfig::load(folder, errors))
                cluster.addNode(std::move(*node));
        }
    }
    if (const QString chosen = hostsFile.isEmpty() ? folderHostsFile : hostsFile; !chosen.isEmpty()) {
        ConfigError error;
        if (std::optional<HostModel> hosts = HostModel::loadHostsFile(chosen, &error))
            cluster.m_hosts = std::move(*hosts);
        else
            errors->append(error);
    }
    if (cluster.m_servers) {
        for (const auto &[folder, placement] : cluster.m_servers->folders()) {
            const bool known = std::any_of(cluster.m_nodes.cbegin(), cluster.m_nodes.cend(),
                                           [&folder = folder](const NodeConfig &node) { return node.name() == folder; });
            if (!known)
                errors->append({cluster.m_servers->path(), placement.line, 0,
                                ClusterConfigText::tr("folder %1 is no node of this cluster; name the folders that hold the nodes")
                                    .arg(folder)});
        }
    }
    return cluster;
}

} // namespace Tribune
