#pragma once

#include "hostmodel.h"
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
    //
    // A cluster folder may hold a `hosts` file (/etc/hosts format) and a `servers` file (which
    // server each node folder is on); hostsFile, when given, is read instead of the folder's.
    static ClusterConfig load(const QStringList &paths, QList<Config::ConfigError> *errors,
                              const QString &hostsFile = {});

    void addNode(NodeConfig node);
    // The same cluster with the node of that name replaced by node (added when there is none):
    // what a plan validates before anything is written.
    ClusterConfig withNode(NodeConfig node) const;
    void addLoadBalancer(const QString &path, Config::LoadBalancerConf conf);

    const std::vector<NodeConfig> &nodes() const { return m_nodes; }
    const std::vector<LoadBalancerSource> &loadBalancers() const { return m_loadBalancers; }
    bool isEmpty() const { return m_nodes.empty() && m_loadBalancers.empty(); }

    // How names become servers: the hosts file read, the resolver's answers, or the names as
    // written (HostModel::Source::Literal) until something better is known.
    const HostModel &hosts() const { return m_hosts; }
    void setHosts(HostModel hosts) { m_hosts = std::move(hosts); }
    // Whether a hosts file decided the names, so no resolver is to be asked.
    bool hasHostsFile() const { return m_hosts.source() == HostModel::Source::HostsFile; }
    const std::optional<ServersFile> &servers() const { return m_servers; }
    // Every name the nodes and load balancers are known by, for a resolver to look up.
    QStringList hostNames() const;

private:
    std::vector<NodeConfig> m_nodes;
    std::vector<LoadBalancerSource> m_loadBalancers;
    HostModel m_hosts;
    std::optional<ServersFile> m_servers;
};

} // namespace Tribune
