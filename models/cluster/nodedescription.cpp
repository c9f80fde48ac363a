#include "nodedescription.h"

#include "nodeconfig.h"
#include "nodefacts.h"

#include <QCoreApplication>

namespace Tribune {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Tribune::NodeDescription", text);
}

QString roleName(NodeFacts::Role role)
{
    switch (role) {
    case NodeFacts::Role::LoadBalancer: return tr("load balancer");
    case NodeFacts::Role::Manager: return tr("manager");
    case NodeFacts::Role::Worker: return tr("worker");
    case NodeFacts::Role::Member: return tr("member");
    }
    return {};
}

// Which server the node is on, and what says so.
QString placementText(const NodeFacts &facts)
{
    switch (facts.placement) {
    case NodeFacts::Placement::MemberHost:
        return facts.host == facts.server ? facts.server : tr("%1 (localMemberHost %2)").arg(facts.server, facts.host);
    case NodeFacts::Placement::ServersFile: return tr("%1 (servers file, line %2)").arg(facts.server).arg(facts.placementLine);
    case NodeFacts::Placement::Unresolved: return tr("%1 resolves nowhere").arg(facts.host);
    case NodeFacts::Placement::Unplaced: return tr("unplaced: the files name no host and no servers file places it");
    }
    return facts.server;
}

} // namespace

QList<DescriptionRow> describeNode(const NodeFacts &facts)
{
    const NodeConfig &node = *facts.node;
    QList<DescriptionRow> rows;
    rows.append({tr("Role"), roleName(facts.role)});
    rows.append({tr("Domain"), facts.domain});
    rows.append({tr("Sub-domain"), facts.subDomain.isEmpty() ? tr("(default)") : facts.subDomain});
    rows.append({tr("Clustering"), facts.clusteringEnabled ? tr("enabled") : tr("disabled")});
    rows.append({tr("Server"), placementText(facts)});
    rows.append({tr("Product"), productName(facts.product)});
    rows.append({tr("Membership"), QStringLiteral("%1:%2").arg(facts.host.isEmpty() ? tr("(any)") : facts.host).arg(facts.memberPort)});
    rows.append({tr("Port offset"), QString::number(facts.offset)});
    rows.append({tr("HTTP / HTTPS"), QStringLiteral("%1 / %2").arg(facts.httpPort).arg(facts.httpsPort)});
    if (const auto &axis2 = node.axis2()) {
        const Config::Axis2Clustering clustering = axis2->clustering();
        QStringList mappings;
        for (const auto &mapping : clustering.portMappings())
            mappings.append(QStringLiteral("%1 → %2").arg(mapping.loadBalancerPort).arg(mapping.memberPort));
        if (!mappings.isEmpty())
            rows.append({tr("Port mappings"), mappings.join(QLatin1String(", "))});
        QStringList members;
        for (const Config::WellKnownMember &member : clustering.members)
            members.append(QStringLiteral("%1:%2").arg(member.host).arg(member.port));
        rows.append({tr("Well-known members"), members.isEmpty() ? tr("(none)") : members.join(QLatin1String(", "))});
        rows.append({tr("Member drop time"), tr("%1 ms").arg(clustering.memberDropTimeMs())});
    }
    QStringList ports;
    for (const EffectivePort &port : facts.ports)
        ports.append(QStringLiteral("%1 %2").arg(port.name).arg(port.port));
    rows.append({tr("Listening ports"), ports.join(QLatin1String(", "))});
    if (!facts.localRegistryDatabase.isEmpty())
        rows.append({tr("Local registry"), facts.localRegistryDatabase});
    for (auto it = facts.mountDatabases.cbegin(); it != facts.mountDatabases.cend(); ++it)
        rows.append({tr("Mount %1").arg(it.key()), it.value()});
    rows.append({tr("Configuration"), node.confPath()});
    QStringList files;
    for (const NodeConfig::File file : NodeConfig::AllFiles) {
        if (node.has(file))
            files.append(NodeConfig::relativePath(file));
    }
    rows.append({tr("Files"), files.join(QLatin1String(", "))});
    return rows;
}

} // namespace Tribune
