// Ports after the offset: no two nodes on one host listen on the same port, and port mappings
// point at a port the node really has.
#include "validationcontext.h"

#include <QHash>
#include <QSet>

#include <map>

namespace Tribune::Rules {

using namespace Config;

namespace {

// The smallest offset that keeps node clear of every port the other nodes on its host use.
int freeOffset(const NodeFacts &node, const QSet<int> &takenByOthers)
{
    for (int offset = 0; offset < 1000; ++offset) {
        bool clear = true;
        for (const EffectivePort &port : node.ports) {
            const int base = port.name == u"membership" ? port.port : port.port - node.offset + offset;
            if (takenByOthers.contains(base)) {
                clear = false;
                break;
            }
        }
        if (clear)
            return offset;
    }
    return -1;
}

void checkPortCollisions(const ValidationContext &context, FindingSink &sink)
{
    // host -> port -> the nodes listening there, in node order. The membership port is left to
    // the membership rule, which reports it better.
    std::map<QString, QHash<int, QList<const NodeFacts *>>> listeners;
    for (const NodeFacts &node : context.facts) {
        QHash<int, QList<const NodeFacts *>> &onHost = listeners[node.host];
        for (const EffectivePort &port : node.ports) {
            QList<const NodeFacts *> &owners = onHost[port.port];
            if (port.name != u"membership" && !owners.contains(&node))
                owners.append(&node);
        }
    }
    for (const NodeFacts &node : context.facts) {
        const QHash<int, QList<const NodeFacts *>> &onHost = listeners[node.host];
        // Each clash is reported once, on the later of the two nodes.
        QStringList clashes;
        const EffectivePort *firstClash = nullptr;
        for (const EffectivePort &port : node.ports) {
            const QList<const NodeFacts *> owners = onHost.value(port.port);
            if (port.name == u"membership" || owners.size() < 2 || owners.first() == &node)
                continue;
            clashes.append(tr("%1 %2 (also %3)").arg(port.name).arg(port.port).arg(owners.first()->node->name()));
            if (!firstClash)
                firstClash = &port;
        }
        if (!firstClash)
            continue;
        QSet<int> taken;
        for (auto it = onHost.cbegin(); it != onHost.cend(); ++it) {
            if (it.value().size() > 1 || (it.value().size() == 1 && it.value().first() != &node))
                taken.insert(it.key());
        }
        const int suggestion = freeOffset(node, taken);
        const auto &carbon = node.node->carbon();
        sink.add(Severity::Error, QStringLiteral("port-collision"), &node,
                 carbon ? node.node->filePath(NodeConfig::File::Carbon) : firstClash->file,
                 carbon ? carbon->settings().offsetLine : firstClash->line,
                 tr("ports collide on host %1 with offset %2: %3")
                     .arg(node.host.isEmpty() ? tr("(default interface)") : node.host)
                     .arg(node.offset)
                     .arg(clashes.join(QLatin1String(", "))),
                 suggestion >= 0 ? tr("set <Ports><Offset> to %1, the lowest offset free on this host").arg(suggestion)
                                 : tr("move the node to another host"));
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
                     tr("port.mapping.%1 sends traffic to port %2, which this node (offset %3) does not listen on")
                         .arg(mapping.loadBalancerPort)
                         .arg(mapping.memberPort)
                         .arg(node.offset),
                     tr("set port.mapping.%1 to %2, the node's %3 port after its offset")
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
