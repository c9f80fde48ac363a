#pragma once

#include "nodeconfig.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <vector>

namespace Tribune {

// A load balancer's configuration and where it came from.
struct LoadBalancerSource
{
    QString path;
    Config::LoadBalancerConf conf;
    int nodeIndex = -1; // the node whose repository/conf holds it; -1 for a file given alone
};

// Everything known about a cluster from its files: the nodes and the load balancers in front.
class ClusterConfig
{
public:
    // Reads each path: a node's folder (CARBON_HOME or repository/conf), a loadbalancer.conf, or
    // a folder holding a whole cluster (its nodes are found below it). Problems that make input
    // unusable (unreadable or malformed files, paths that are none of these) go to errors.
    static ClusterConfig load(const QStringList &paths, QList<Config::ConfigError> *errors);

    void addNode(NodeConfig node);
    void addLoadBalancer(const QString &path, Config::LoadBalancerConf conf);

    const std::vector<NodeConfig> &nodes() const { return m_nodes; }
    const std::vector<LoadBalancerSource> &loadBalancers() const { return m_loadBalancers; }
    bool isEmpty() const { return m_nodes.empty() && m_loadBalancers.empty(); }

private:
    std::vector<NodeConfig> m_nodes;
    std::vector<LoadBalancerSource> m_loadBalancers;
};

} // namespace Tribune
