// Membership: clustering switched on, one membership port per host, well-known members that exist.
#include "validationcontext.h"

#include <QHash>
#include <QSet>

namespace Tribune::Rules {

using namespace Config;

namespace {

QString hostOrDefault(const NodeFacts &node)
{
    return node.host.isEmpty() ? tr("(default interface)") : node.host;
}

void checkClusteringEnabled(const ValidationContext &context, FindingSink &sink)
{
    for (const NodeFacts &node : context.facts) {
        if (node.clusteringEnabled)
            continue;
        const QString file = node.node->filePath(NodeConfig::File::Axis2);
        if (!node.node->axis2()) {
            sink.add(Severity::Error, QStringLiteral("clustering-disabled"), &node, file, 0,
                     tr("the node has no axis2.xml, so it cannot join the cluster"),
                     tr("copy axis2.xml from another node and set its clustering section"));
            continue;
        }
        const Axis2Clustering clustering = node.node->axis2()->clustering();
        sink.add(Severity::Error, QStringLiteral("clustering-disabled"), &node, file, clustering.line,
                 clustering.present ? tr("clustering is disabled, so this node will not join the cluster")
                                    : tr("axis2.xml has no <clustering> section"),
                 clustering.present ? tr("set enable=\"true\" on <clustering>")
                                    : tr("add a <clustering> section with membershipScheme wka"));
    }
}

void checkMemberPorts(const ValidationContext &context, FindingSink &sink)
{
    QHash<QString, const NodeFacts *> owners; // "host:port" -> first node using it
    for (const NodeFacts &node : context.facts) {
        if (!node.clusteringEnabled)
            continue;
        const QString key = node.host + QLatin1Char(':') + QString::number(node.memberPort);
        const NodeFacts *first = owners.value(key);
        if (!first) {
            owners.insert(key, &node);
            continue;
        }
        const Axis2Clustering clustering = node.node->axis2()->clustering();
        const NamedValue *parameter = clustering.parameter(u"localMemberPort");
        sink.add(Severity::Error, QStringLiteral("member-port-collision"), &node,
                 node.node->filePath(NodeConfig::File::Axis2), parameter ? parameter->line : clustering.line,
                 tr("membership port %1 on host %2 is already used by node %3")
                     .arg(node.memberPort)
                     .arg(hostOrDefault(node), first->node->name()),
                 tr("give each node on one host its own localMemberPort"));
    }
}

void checkWellKnownMembers(const ValidationContext &context, FindingSink &sink)
{
    QSet<QString> endpoints;
    for (const NodeFacts &node : context.facts)
        endpoints.insert(node.host + QLatin1Char(':') + QString::number(node.memberPort));
    for (const NodeFacts &node : context.facts) {
        if (!node.node->axis2() || !node.clusteringEnabled)
            continue;
        for (const WellKnownMember &member : node.node->axis2()->clustering().members) {
            if (endpoints.contains(normalizedHost(member.host) + QLatin1Char(':') + QString::number(member.port)))
                continue;
            sink.add(Severity::Warning, QStringLiteral("unknown-well-known-member"), &node,
                     node.node->filePath(NodeConfig::File::Axis2), member.line,
                     tr("well-known member %1:%2 is no node of this cluster").arg(member.host).arg(member.port),
                     tr("list the localMemberHost and localMemberPort of the load balancer or a manager node"));
        }
    }
}

} // namespace

void checkMembership(const ValidationContext &context, FindingSink &sink)
{
    checkClusteringEnabled(context, sink);
    checkMemberPorts(context, sink);
    checkWellKnownMembers(context, sink);
}

} // namespace Tribune::Rules
