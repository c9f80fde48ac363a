#pragma once

#include "finding.h"

#include <QList>

#include <vector>

namespace Tribune {

class ClusterConfig;
struct NodeFacts;

// Checks a whole cluster's files against each other: ports, membership, load balancer,
// registry mounts and datasources. Findings come sorted by node, file and line.
QList<Finding> validateCluster(const ClusterConfig &cluster);
// The same with the facts of cluster.nodes() already derived (deriveFacts), in node order.
QList<Finding> validateCluster(const ClusterConfig &cluster, const std::vector<NodeFacts> &facts);

} // namespace Tribune
