#include "clusterconfig.h"

#include "config/configerror.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>

namespace Tribune {

using namespace Config;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Tribune", text);
}

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

void ClusterConfig::addLoadBalancer(const QString &path, LoadBalancerConf conf)
{
    m_loadBalancers.push_back({path, std::move(conf), -1});
}

ClusterConfig ClusterConfig::load(const QStringList &paths, QList<ConfigError> *errors)
{
    ClusterConfig cluster;
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
            errors->append({path, 0, 0, tr("no such file or folder")});
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
                            tr("holds no node (a folder with repository/conf/axis2/axis2.xml or carbon.xml) "
                               "and no loadbalancer.conf")});
            continue;
        }
        if (nodeFolders.isEmpty())
            addLoadBalancerFile(looseConf);
        for (const QString &folder : std::as_const(nodeFolders)) {
            if (std::optional<NodeConfig> node = NodeConfig::load(folder, errors))
                cluster.addNode(std::move(*node));
        }
    }
    return cluster;
}

} // namespace Tribune
