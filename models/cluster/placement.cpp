// Which server each node is on, and which product it runs: what needs more than the node's own
// files, or more than one of them.
#include "clusterconfig.h"
#include "hostmodel.h"
#include "nodefacts.h"

#include <QCoreApplication>

namespace Tribune {

namespace {

// The validator's translation context, as lupdate sees it.
struct PlacementText
{
    Q_DECLARE_TR_FUNCTIONS(Tribune::Validator)
};

void place(NodeFacts &facts, const ClusterConfig &cluster)
{
    const HostModel &hosts = cluster.hosts();
    if (cluster.servers()) {
        if (const ServerPlacement *placement = cluster.servers()->placementOf(facts.node->name())) {
            const QString server = hosts.serverOf(placement->server);
            // A server name that resolves nowhere is reported once (unresolved-host) and stays a
            // server of its own, apart from every address.
            facts.server = server.isEmpty() ? QStringLiteral("?") + placement->server.toLower() : server;
            facts.placement = NodeFacts::Placement::ServersFile;
            facts.placementLine = placement->line;
            return;
        }
    }
    if (!facts.host.isEmpty()) {
        const QString server = hosts.serverOf(facts.host);
        facts.placement = server.isEmpty() ? NodeFacts::Placement::Unresolved : NodeFacts::Placement::MemberHost;
        facts.server = server.isEmpty() ? QStringLiteral("?") + facts.host : server;
        return;
    }
    facts.placement = NodeFacts::Placement::Unplaced;
    facts.server = QStringLiteral("?") + facts.node->name();
}

} // namespace

std::vector<NodeFacts> deriveFacts(const ClusterConfig &cluster)
{
    std::vector<NodeFacts> facts;
    facts.reserve(cluster.nodes().size());
    for (const NodeConfig &node : cluster.nodes()) {
        facts.push_back(NodeFacts::of(node));
        place(facts.back(), cluster);
    }
    return facts;
}

QString NodeFacts::serverLabel() const
{
    switch (placement) {
    case Placement::MemberHost:
    case Placement::ServersFile: return server;
    case Placement::Unresolved: return PlacementText::tr("%1 (resolves nowhere)").arg(host);
    case Placement::Unplaced: return PlacementText::tr("(unplaced)");
    }
    return server;
}

QString NodeFacts::serverOfName(const QString &name, const HostModel &hosts) const
{
    const QString named = hosts.serverOf(name);
    // 127.0.0.1 written on a node means that node's own server, wherever it is.
    if (!named.isEmpty() && HostModel::isLoopback(named) && placement == Placement::ServersFile
        && !HostModel::isLoopback(server))
        return server;
    return named;
}

QString productName(NodeFacts::Product product)
{
    switch (product) {
    case NodeFacts::Product::Unknown: return PlacementText::tr("unknown product");
    case NodeFacts::Product::LoadBalancer: return PlacementText::tr("Elastic Load Balancer");
    case NodeFacts::Product::Esb: return PlacementText::tr("ESB");
    case NodeFacts::Product::AppServer: return PlacementText::tr("Application Server");
    case NodeFacts::Product::GovernanceRegistry: return PlacementText::tr("Governance Registry");
    case NodeFacts::Product::ApiManager: return PlacementText::tr("API Manager");
    }
    return {};
}

} // namespace Tribune
