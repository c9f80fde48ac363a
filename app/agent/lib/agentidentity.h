#pragma once

#include "membershipservice.h"

#include <QStringList>

#include <optional>

namespace Tribune {
class NodeConfig;
}

namespace Tribune::Agent {

// Builds the member a node is from its own files (axis2.xml clustering section, carbon.xml
// offset, catalina connectors, loadbalancer.conf for the load balancer), so nothing is
// configured twice. Refuses a node whose files have validation errors, listing them.
std::optional<MembershipSettings> membershipSettingsFor(const NodeConfig &node, std::optional<int> portOverride,
                                                        bool loadBalancer, QStringList *problems);

} // namespace Tribune::Agent
