#pragma once

#include "membershipservice.h"

#include <QStringList>

#include <optional>

namespace Tribune {
class HostModel;
class NodeConfig;
class ServersFile;
}

namespace Tribune::Agent {

// Builds the member a node is from its own files (axis2.xml clustering section, carbon.xml
// offset, catalina connectors, loadbalancer.conf for the load balancer), so nothing is
// configured twice. Refuses a node whose files have validation errors, listing them.
//
// Names (localMemberHost, well-known members) resolve through hosts; a node that names no host
// announces the server the cluster's servers file places it on (or this machine's first
// non-loopback address) and listens on every address. Well-known members that resolve nowhere
// are listed in unresolved, once, and left to the system resolver.
std::optional<MembershipSettings> membershipSettingsFor(const NodeConfig &node, std::optional<int> portOverride,
                                                        bool loadBalancer, const HostModel &hosts,
                                                        const ServersFile *servers, QStringList *problems,
                                                        QStringList *unresolved);

} // namespace Tribune::Agent
