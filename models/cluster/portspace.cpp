#include "portspace.h"

#include "clusterconfig.h"
#include "nodefacts.h"

namespace Tribune {

namespace {

bool isMembership(const EffectivePort &port)
{
    return port.name == u"membership";
}

} // namespace

QList<GroupManagementPort> groupManagementPorts(const ClusterConfig &cluster, const std::vector<NodeFacts> &facts)
{
    QList<GroupManagementPort> ports;
    for (const LoadBalancerSource &source : cluster.loadBalancers()) {
        if (source.nodeIndex < 0)
            continue; // a loadbalancer.conf given alone is on no known server
        QSet<int> listed; // nested sub-domains share their domain's group_mgt_port
        for (const Config::LbSubDomainGroup &group : source.conf.groups()) {
            if (!group.groupMgtPort || listed.contains(*group.groupMgtPort))
                continue;
            listed.insert(*group.groupMgtPort);
            ports.append({&facts[size_t(source.nodeIndex)], group.domain, *group.groupMgtPort, source.path, group.line});
        }
    }
    return ports;
}

QSet<int> portsTakenOn(const QString &server, const ClusterConfig &cluster, const std::vector<NodeFacts> &facts)
{
    QSet<int> taken;
    for (const NodeFacts &node : facts) {
        if (node.server != server)
            continue;
        for (const EffectivePort &port : node.ports) {
            if (!isMembership(port) || node.clusteringEnabled)
                taken.insert(port.port);
        }
    }
    for (const GroupManagementPort &group : groupManagementPorts(cluster, facts)) {
        if (group.lb->server == server)
            taken.insert(group.port);
    }
    return taken;
}

int freeOffsetNear(const NodeFacts &node, int preferred, const QSet<int> &taken)
{
    const auto clearAt = [&](int offset) {
        return std::none_of(node.ports.cbegin(), node.ports.cend(), [&](const EffectivePort &port) {
            return !isMembership(port) && taken.contains(port.port - node.offset + offset);
        });
    };
    for (int distance = 0; distance < MaxPortOffset; ++distance) {
        for (const int offset : {preferred - distance, preferred + distance}) {
            if (offset >= 0 && offset < MaxPortOffset && clearAt(offset))
                return offset;
        }
    }
    return -1;
}

} // namespace Tribune
