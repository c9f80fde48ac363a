#include "nodedescription.h"

#include "nodeconfig.h"
#include "nodefacts.h"
#include "i18n/trcontexts.h"

#include <QCoreApplication>

namespace Tribune {

namespace {

QString roleName(NodeFacts::Role role)
{
    switch (role) {
    case NodeFacts::Role::LoadBalancer: return NodeDescriptionText::tr("load balancer");
    case NodeFacts::Role::Manager: return NodeDescriptionText::tr("manager");
    case NodeFacts::Role::Worker: return NodeDescriptionText::tr("worker");
    case NodeFacts::Role::Member: return NodeDescriptionText::tr("member");
    }
    return {};
}

// Which server the node is on, and what says so.
QString placementText(const NodeFacts &facts)
{
    switch (facts.placement) {
    case NodeFacts::Placement::MemberHost:
        return facts.host == facts.server ? facts.server : NodeDescriptionText::tr("%1 (localMemberHost %2)").arg(facts.server, facts.host);
    case NodeFacts::Placement::ServersFile: return NodeDescriptionText::tr("%1 (servers file, line %2)").arg(facts.server).arg(facts.placementLine);
    case NodeFacts::Placement::Unresolved: return NodeDescriptionText::tr("%1 resolves nowhere").arg(facts.host);
    case NodeFacts::Placement::Unplaced: return NodeDescriptionText::tr("unplaced: the files name no host and no servers file places it");
    }
    return facts.server;
}

} // namespace

QList<DescriptionRow> describeNode(const NodeFacts &facts)
{
    const NodeConfig &node = *facts.node;
    QList<DescriptionRow> rows;
    rows.append({NodeDescriptionText::tr("Role"), roleName(facts.role)});
    rows.append({NodeDescriptionText::tr("Domain"), facts.domain});
    rows.append({NodeDescriptionText::tr("Sub-domain"), facts.subDomain.isEmpty() ? NodeDescriptionText::tr("(default)") : facts.subDomain});
    rows.append({NodeDescriptionText::tr("Clustering"), facts.clusteringEnabled ? NodeDescriptionText::tr("enabled") : NodeDescriptionText::tr("disabled")});
    rows.append({NodeDescriptionText::tr("Server"), placementText(facts)});
    rows.append({NodeDescriptionText::tr("Product"), productName(facts.product)});
    rows.append({NodeDescriptionText::tr("Membership"), QStringLiteral("%1:%2").arg(facts.host.isEmpty() ? NodeDescriptionText::tr("(any)") : facts.host).arg(facts.memberPort)});
    rows.append({NodeDescriptionText::tr("Port offset"), QString::number(facts.offset)});
    rows.append({NodeDescriptionText::tr("HTTP / HTTPS"), QStringLiteral("%1 / %2").arg(facts.httpPort).arg(facts.httpsPort)});
    if (const auto &axis2 = node.axis2()) {
        const Config::Axis2Clustering clustering = axis2->clustering();
        QStringList mappings;
        for (const auto &mapping : clustering.portMappings())
            mappings.append(QStringLiteral("%1 → %2").arg(mapping.loadBalancerPort).arg(mapping.memberPort));
        if (!mappings.isEmpty())
            rows.append({NodeDescriptionText::tr("Port mappings"), mappings.join(QLatin1String(", "))});
        QStringList members;
        for (const Config::WellKnownMember &member : clustering.members)
            members.append(QStringLiteral("%1:%2").arg(member.host).arg(member.port));
        rows.append({NodeDescriptionText::tr("Well-known members"), members.isEmpty() ? NodeDescriptionText::tr("(none)") : members.join(QLatin1String(", "))});
        rows.append({NodeDescriptionText::tr("Member drop time"), NodeDescriptionText::tr("%1 ms").arg(clustering.memberDropTimeMs())});
    }
    QStringList ports;
    for (const EffectivePort &port : facts.ports)
        ports.append(QStringLiteral("%1 %2").arg(port.name).arg(port.port));
    rows.append({NodeDescriptionText::tr("Listening ports"), ports.join(QLatin1String(", "))});
    if (!facts.localRegistryDatabase.isEmpty())
        rows.append({NodeDescriptionText::tr("Local registry"), facts.localRegistryDatabase});
    for (auto it = facts.mountDatabases.cbegin(); it != facts.mountDatabases.cend(); ++it)
        rows.append({NodeDescriptionText::tr("Mount %1").arg(it.key()), it.value()});
    rows.append({NodeDescriptionText::tr("Configuration"), node.confPath()});
    QStringList files;
    for (const NodeConfig::File file : NodeConfig::AllFiles) {
        if (node.has(file))
            files.append(NodeConfig::relativePath(file));
    }
    rows.append({NodeDescriptionText::tr("Files"), files.join(QLatin1String(", "))});
    return rows;
}

} // namespace Tribune
