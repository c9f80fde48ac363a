#pragma once

#include "finding.h"

#include <QList>

namespace Tribune {

class ClusterConfig;

// Checks a whole cluster's files against each other: ports, membership, load balancer,
// registry mounts and datasources. Findings come sorted by node, file and line.
QList<Finding> validateCluster(const ClusterConfig &cluster);

} // namespace Tribune
