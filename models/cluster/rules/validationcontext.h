#pragma once

#include "cluster/clusterconfig.h"
#include "cluster/finding.h"
#include "cluster/nodefacts.h"
#include "cluster/portspace.h"

#include <QCoreApplication>

#include <vector>

namespace Tribune::Rules {

// What every rule reads: the cluster and the facts derived from each node, computed once.
struct ValidationContext
{
    const ClusterConfig &cluster;
    const std::vector<NodeFacts> &facts; // parallel to cluster.nodes()

    // Nodes that are members of an application domain (not the load balancer itself).
    bool isMember(const NodeFacts &node) const { return node.role != NodeFacts::Role::LoadBalancer; }
};

// Collects findings; rules describe them in the user's language.
class FindingSink
{
public:
    void add(Severity severity, const QString &rule, const NodeFacts *node, const QString &file, int line,
             const QString &message, const QString &fix)
    {
        m_findings.append({severity, rule, node ? node->node->name() : QString(), file, line, message, fix});
    }
    QList<Finding> take() { return std::move(m_findings); }

private:
    QList<Finding> m_findings;
};

// The load balancers' group_mgt_ports, with the facts of their nodes.
inline QList<GroupManagementPort> groupManagementPorts(const ValidationContext &context)
{
    return Tribune::groupManagementPorts(context.cluster, context.facts);
}

void checkMembership(const ValidationContext &context, FindingSink &sink);
void checkPorts(const ValidationContext &context, FindingSink &sink);
void checkLoadBalancer(const ValidationContext &context, FindingSink &sink);
void checkRegistry(const ValidationContext &context, FindingSink &sink);
void checkDatasources(const ValidationContext &context, FindingSink &sink);

} // namespace Tribune::Rules
