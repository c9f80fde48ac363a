#pragma once

#include <QList>
#include <QSet>
#include <QString>

#include <vector>

namespace Tribune {

class ClusterConfig;
struct NodeFacts;

// What shares one server's ports, for the rules that find clashes and the planner that avoids them.

// A port a load balancer listens on for a domain's members to join through (group_mgt_port),
// once per port, on the load balancer's server.
struct GroupManagementPort
{
    const NodeFacts *lb = nullptr;
    QString domain;
    int port = 0;
    QString file;
    int line = 0;
};
// facts parallel to cluster.nodes(), as deriveFacts() gives them.
QList<GroupManagementPort> groupManagementPorts(const ClusterConfig &cluster, const std::vector<NodeFacts> &facts);

// Every port something on the server listens on: the nodes' ports after their offsets, the
// membership ports of nodes that cluster, and the load balancers' group_mgt_ports.
QSet<int> portsTakenOn(const QString &server, const ClusterConfig &cluster, const std::vector<NodeFacts> &facts);

constexpr int MaxPortOffset = 1000;
// The offset nearest preferred (preferred itself first) at which every port the offset moves
// stays clear of taken; -1 when none below MaxPortOffset is.
int freeOffsetNear(const NodeFacts &node, int preferred, const QSet<int> &taken);

} // namespace Tribune
