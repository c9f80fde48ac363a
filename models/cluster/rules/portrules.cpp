// Ports per server: nodes on one server share one port space, whatever names their files use for
// it. Every port after its offset, the membership ports and the load balancer's group_mgt_ports
// and listeners are checked together; a clash is told on both nodes, and the fix is given to the
// node whose change is smallest, never to the load balancer while a member can move instead.
#include "validationcontext.h"
#include "i18n/trcontexts.h"

#include <QHash>
#include <QSet>

#include <map>

namespace Tribune::Rules {

using namespace Config;

namespace {

const QString MembershipPort = QStringLiteral("membership");

struct Listener
{
    const NodeFacts *node = nullptr;
    QString name;
    int port = 0;
    QString file;
    int line = 0;
    bool shiftedByOffset = false;
};

// Everything listening on one server, by port.
using ServerPorts = QHash<int, QList<Listener>>;

std::map<QString, ServerPorts> listenersByServer(const ValidationContext &context)
{
    std::map<QString, ServerPorts> servers;
    for (const NodeFacts &node : context.facts) {
        ServerPorts &ports = servers[node.server];
        for (const EffectivePort &port : node.ports) {
            const bool membership = port.name == MembershipPort;
            if (membership && !node.clusteringEnabled)
                continue;
            ports[port.port].append({&node, port.name, port.port, port.file, port.line, !membership});
        }
    }
    for (const GroupManagementPort &group : groupManagementPorts(context))
        servers[group.lb->server][group.port].append(
            {group.lb, QStringLiteral("group_mgt_port of %1").arg(group.domain), group.port, group.file, group.line, false});
    return servers;
}

bool isGroupManagement(const Listener &listener)
{
    return listener.name.startsWith(u"group_mgt_port");
}

// The ports other nodes take on the server, for finding a free offset or membership port.
QSet<int> takenByOthers(const ServerPorts &ports, const NodeFacts *node)
{
    QSet<int> taken;
    for (auto it = ports.cbegin(); it != ports.cend(); ++it) {
        for (const Listener &listener : it.value()) {
            if (listener.node != node) {
                taken.insert(it.key());
                break;
            }
        }
    }
    return taken;
}

int nextFreePort(int from, const QSet<int> &taken, const QSet<int> &own)
{
    for (int port = from + 1; port < 65536; ++port) {
        if (!taken.contains(port) && !own.contains(port))
            return port;
    }
    return -1;
}

// What one node would change to clear its clashes with another, and what that costs.
struct Remedy
{
    int cost = 0;
    int offset = -1;     // a new offset, when a shifted port clashes
    int memberPort = -1; // a new localMemberPort, when the membership port clashes
};

Remedy remedyFor(const NodeFacts &node, const QList<std::pair<Listener, Listener>> &clashes, const ServerPorts &ports)
{
    constexpr int LoadBalancerCost = 1 << 20; // the load balancer moves only when nothing else can
    Remedy remedy;
    bool shifted = false;
    bool membership = false;
    bool groupManagement = false;
    for (const auto &[mine, theirs] : clashes) {
        shifted |= mine.shiftedByOffset;
        membership |= mine.name == MembershipPort;
        groupManagement |= isGroupManagement(mine);
    }
    const QSet<int> taken = takenByOthers(ports, &node);
    if (shifted) {
        remedy.offset = freeOffsetNear(node, node.offset, taken);
        remedy.cost += remedy.offset < 0 ? LoadBalancerCost : qAbs(remedy.offset - node.offset);
    }
    if (membership) {
        QSet<int> own;
        for (const EffectivePort &port : node.ports)
            own.insert(port.name == MembershipPort ? -1
                                                   : port.port - node.offset + (remedy.offset >= 0 ? remedy.offset : node.offset));
        remedy.memberPort = nextFreePort(node.memberPort, taken, own);
        remedy.cost += 1;
    }
    if (groupManagement || node.role == NodeFacts::Role::LoadBalancer)
        remedy.cost += LoadBalancerCost;
    return remedy;
}

QString describeClashes(const QList<std::pair<Listener, Listener>> &clashes)
{
    QStringList parts;
    for (const auto &[mine, theirs] : clashes) {
        parts.append(mine.name == theirs.name ? ValidatorText::tr("%1 %2").arg(mine.name).arg(mine.port)
                                              : ValidatorText::tr("%1 %2 (its %3)").arg(mine.name).arg(mine.port).arg(theirs.name));
    }
    return parts.join(QLatin1String(", "));
}

QString ruleOf(const QList<std::pair<Listener, Listener>> &clashes)
{
    bool allMembership = true;
    for (const auto &[mine, theirs] : clashes) {
        if (isGroupManagement(mine) || isGroupManagement(theirs))
            return QStringLiteral("group-mgt-port-collision");
        allMembership &= mine.name == MembershipPort && theirs.name == MembershipPort;
    }
    return allMembership ? QStringLiteral("member-port-collision") : QStringLiteral("port-collision");
}

QString remedyText(const Remedy &remedy, const NodeFacts &node)
{
    QStringList changes;
    if (remedy.offset >= 0)
        changes.append(ValidatorText::tr("set <Ports><Offset> to %1 in carbon.xml, the nearest offset free on server %2")
                           .arg(remedy.offset)
                           .arg(node.serverLabel()));
    if (remedy.memberPort >= 0)
        changes.append(ValidatorText::tr("set localMemberPort to %1 in axis2.xml, a port free on server %2")
                           .arg(remedy.memberPort)
                           .arg(node.serverLabel()));
    if (changes.isEmpty())
        return ValidatorText::tr("move the node to another server");
    return changes.join(ValidatorText::tr("; and "));
}

// Where the finding points: the setting the fix changes, else the first clashing line.
std::pair<QString, int> locationOf(const NodeFacts &node, const Remedy &remedy, const Listener &firstClash)
{
    if (remedy.offset >= 0 && node.node->carbon())
        return {node.node->filePath(NodeConfig::File::Carbon), node.node->carbon()->settings().offsetLine};
    return {firstClash.file, firstClash.line};
}

void checkPortCollisions(const ValidationContext &context, FindingSink &sink)
{
    const std::map<QString, ServerPorts> servers = listenersByServer(context);
    for (const auto &[server, ports] : servers) {
        // node -> the other node -> the clashing (mine, theirs) listeners, in port order.
        std::map<const NodeFacts *, std::map<const NodeFacts *, QList<std::pair<Listener, Listener>>>> clashes;
        QList<int> sortedPorts = ports.keys();
        std::sort(sortedPorts.begin(), sortedPorts.end());
        for (const int port : std::as_const(sortedPorts)) {
            const QList<Listener> &owners = ports[port];
            for (const Listener &a : owners) {
                for (const Listener &b : owners) {
                    if (a.node != b.node)
                        clashes[a.node][b.node].append({a, b});
                }
            }
        }
        for (const auto &[node, others] : clashes) {
            for (const auto &[other, pairs] : others) {
                const Remedy mine = remedyFor(*node, pairs, ports);
                QList<std::pair<Listener, Listener>> reversed;
                for (const auto &[a, b] : pairs)
                    reversed.append({b, a});
                const Remedy theirs = remedyFor(*other, reversed, ports);
                // The smaller change moves; on a tie, the later node, so the first one stays put.
                const bool iMove = mine.cost < theirs.cost || (mine.cost == theirs.cost && node > other);
                const auto [file, line] = locationOf(*node, iMove ? mine : Remedy{}, pairs.first().first);
                const QString message = ValidatorText::tr("on server %1, node %2 listens on the same ports: %3")
                                            .arg(node->serverLabel(), other->node->name(), describeClashes(pairs));
                if (iMove) {
                    sink.add(Severity::Error, ruleOf(pairs), node, file, line, message, remedyText(mine, *node));
                    continue;
                }
                // The other end is told too, as a note: the fix is on the node that moves.
                const bool groupManagement = isGroupManagement(pairs.first().first);
                sink.add(Severity::Info, ruleOf(pairs), node, file, line, message,
                         groupManagement ? ValidatorText::tr("keep group_mgt_port %1 as it is; on %2, %3")
                                               .arg(pairs.first().first.port)
                                               .arg(other->node->name(), remedyText(theirs, *other))
                                         : ValidatorText::tr("keep this node as it is; on %1, %2")
                                               .arg(other->node->name(), remedyText(theirs, *other)));
            }
        }
    }
}

void checkPortMappings(const ValidationContext &context, FindingSink &sink)
{
    for (const NodeFacts &node : context.facts) {
        if (!node.node->axis2())
            continue;
        QSet<int> own;
        for (const EffectivePort &port : node.ports)
            own.insert(port.port);
        for (const Axis2Clustering::PortMapping &mapping : node.node->axis2()->clustering().portMappings()) {
            if (own.contains(mapping.memberPort))
                continue;
            // Suggest the node's own port of the kind the load balancer port stands for.
            const bool secure = mapping.loadBalancerPort == 443 || mapping.loadBalancerPort == 8243;
            const int expected = secure ? node.httpsPort : node.httpPort;
            sink.add(Severity::Error, QStringLiteral("port-mapping-mismatch"), &node,
                     node.node->filePath(NodeConfig::File::Axis2), mapping.line,
                     ValidatorText::tr("port.mapping.%1 sends traffic to port %2, which this node (offset %3) does not listen on")
                         .arg(mapping.loadBalancerPort)
                         .arg(mapping.memberPort)
                         .arg(node.offset),
                     ValidatorText::tr("set port.mapping.%1 to %2, the node's %3 port after its offset")
                         .arg(mapping.loadBalancerPort)
                         .arg(expected)
                         .arg(secure ? QStringLiteral("HTTPS") : QStringLiteral("HTTP")));
        }
    }
}

} // namespace

void checkPorts(const ValidationContext &context, FindingSink &sink)
{
    checkPortCollisions(context, sink);
    checkPortMappings(context, sink);
}

} // namespace Tribune::Rules
