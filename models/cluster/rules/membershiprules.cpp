// Membership: clustering switched on, every name resolving to a server, every node placed where
// the others can reach it, well-known members that exist (or what they probably meant), and one
// clustering agent per cluster.
#include "validationcontext.h"
#include "i18n/trcontexts.h"

#include <QHash>
#include <QSet>

namespace Tribune::Rules {

using namespace Config;

namespace {

void checkClusteringEnabled(const ValidationContext &context, FindingSink &sink)
{
    for (const NodeFacts &node : context.facts) {
        if (node.clusteringEnabled)
            continue;
        const QString file = node.node->filePath(NodeConfig::File::Axis2);
        if (!node.node->axis2()) {
            sink.add(Severity::Error, QStringLiteral("clustering-disabled"), &node, file, 0,
                     ValidatorText::tr("the node has no axis2.xml, so it cannot join the cluster"),
                     ValidatorText::tr("copy axis2.xml from another node and set its clustering section"));
            continue;
        }
        const Axis2Clustering clustering = node.node->axis2()->clustering();
        sink.add(Severity::Error, QStringLiteral("clustering-disabled"), &node, file, clustering.line,
                 clustering.present ? ValidatorText::tr("clustering is disabled, so this node will not join the cluster")
                                    : ValidatorText::tr("axis2.xml has no <clustering> section"),
                 clustering.present ? ValidatorText::tr("set enable=\"true\" on <clustering>")
                                    : ValidatorText::tr("add a <clustering> section with membershipScheme wka"));
    }
}

// A name that resolves nowhere is one finding, where it is first written, naming the other places
// that write it; nothing else is concluded from it.
void checkNamesResolve(const ValidationContext &context, FindingSink &sink)
{
    const HostModel &hosts = context.cluster.hosts();
    if (hosts.source() == HostModel::Source::Literal)
        return;
    struct Place
    {
        const NodeFacts *node;
        QString what;
        QString file;
        int line;
        Severity severity; // a name members connect to is an error; a name in links, a warning
    };
    QStringList order; // lower-case names, as first written
    QHash<QString, QList<Place>> places;
    const auto note = [&](const QString &name, const Place &place) {
        const QString key = name.toLower();
        if (name.isEmpty() || hosts.resolves(name))
            return;
        if (!places.contains(key))
            order.append(key);
        places[key].append(place);
    };
    for (const NodeFacts &node : context.facts) {
        if (const auto &axis2 = node.node->axis2()) {
            const Axis2Clustering clustering = axis2->clustering();
            const QString file = node.node->filePath(NodeConfig::File::Axis2);
            if (node.placement == NodeFacts::Placement::Unresolved) {
                const NamedValue *parameter = clustering.parameter(u"localMemberHost");
                note(node.host, {&node, ValidatorText::tr("localMemberHost"), file, parameter ? parameter->line : clustering.line, Severity::Error});
            }
            if (node.clusteringEnabled) {
                for (const WellKnownMember &member : clustering.members)
                    note(member.host, {&node, ValidatorText::tr("well-known member"), file, member.line, Severity::Error});
            }
        }
        if (const auto &carbon = node.node->carbon()) {
            const CarbonSettings settings = carbon->settings();
            const QString file = node.node->filePath(NodeConfig::File::Carbon);
            note(settings.hostName, {&node, ValidatorText::tr("HostName"), file, settings.hostNameLine, Severity::Warning});
            note(settings.mgtHostName, {&node, ValidatorText::tr("MgtHostName"), file, settings.mgtHostNameLine, Severity::Warning});
        }
    }
    if (const auto &servers = context.cluster.servers()) {
        for (const auto &[folder, placement] : servers->folders()) {
            for (const NodeFacts &node : context.facts) {
                if (node.node->name() == folder)
                    note(placement.server, {&node, ValidatorText::tr("server"), servers->path(), placement.line, Severity::Error});
            }
        }
    }
    const QString where = hosts.source() == HostModel::Source::HostsFile
                              ? ValidatorText::tr("the hosts file %1").arg(hosts.hostsFile())
                              : ValidatorText::tr("the system resolver");
    for (const QString &key : std::as_const(order)) {
        const QList<Place> &written = places[key];
        const Place &first = written.first();
        Severity severity = Severity::Warning;
        QStringList others;
        for (const Place &place : written) {
            if (place.severity == Severity::Error)
                severity = Severity::Error;
            if (&place != &first && !others.contains(place.node->node->name()))
                others.append(place.node->node->name());
        }
        const QString name = key;
        QString message = ValidatorText::tr("%1 \"%2\" resolves nowhere: %3 does not name it").arg(first.what, name, where);
        if (!others.isEmpty())
            message += ValidatorText::tr(" (written on %1 too)").arg(others.join(QLatin1String(", ")));
        sink.add(severity, QStringLiteral("unresolved-host"), first.node, first.file, first.line, message,
                 hosts.source() == HostModel::Source::HostsFile
                     ? ValidatorText::tr("add \"ADDRESS %1\" to %2, with the address of the server it names").arg(name, hosts.hostsFile())
                     : ValidatorText::tr("add \"ADDRESS %1\" to the cluster's hosts file (or to the servers' DNS), with the "
                                         "address of the server it names")
                           .arg(name));
    }
}

// Where each node is, as far as the others are concerned.
void checkPlacement(const ValidationContext &context, FindingSink &sink)
{
    QSet<QString> knownServers;
    for (const NodeFacts &node : context.facts) {
        if (node.placement == NodeFacts::Placement::MemberHost || node.placement == NodeFacts::Placement::ServersFile)
            knownServers.insert(node.server);
    }
    const HostModel &hosts = context.cluster.hosts();
    for (const NodeFacts &node : context.facts) {
        if (!node.node->axis2())
            continue;
        const Axis2Clustering clustering = node.node->axis2()->clustering();
        const QString file = node.node->filePath(NodeConfig::File::Axis2);
        const NamedValue *hostParameter = clustering.parameter(u"localMemberHost");
        const int hostLine = hostParameter ? hostParameter->line : clustering.line;
        if (node.placement == NodeFacts::Placement::Unplaced && node.clusteringEnabled && context.facts.size() > 1) {
            sink.add(Severity::Warning, QStringLiteral("unplaced-node"), &node, file, clustering.line,
                     ValidatorText::tr("the node names no localMemberHost and no servers file places it, so nothing tells which "
                                       "server it is on; port clashes with its neighbours go unseen"),
                     ValidatorText::tr("add \"ADDRESS %1\" to the cluster's servers file, or set localMemberHost")
                         .arg(node.node->name()));
            continue;
        }
        if (node.placement != NodeFacts::Placement::ServersFile || node.host.isEmpty())
            continue;
        const QString announced = hosts.serverOf(node.host);
        if (HostModel::isLoopback(announced) && !HostModel::isLoopback(node.server) && knownServers.size() > 1) {
            sink.add(Severity::Error, QStringLiteral("member-host-loopback"), &node, file, hostLine,
                     ValidatorText::tr("localMemberHost %1 is this server's loopback address, but the cluster spans %2 servers: "
                                       "members on the others would reach themselves, not this node")
                         .arg(node.host)
                         .arg(knownServers.size()),
                     ValidatorText::tr("set localMemberHost to %1, this node's server in the servers file").arg(node.server));
        } else if (!announced.isEmpty() && !HostModel::isLoopback(announced) && announced != node.server) {
            sink.add(Severity::Error, QStringLiteral("member-host-elsewhere"), &node, file, hostLine,
                     ValidatorText::tr("localMemberHost %1 is server %2, but the servers file (line %3) places the node on %4")
                         .arg(node.host, announced)
                         .arg(node.placementLine)
                         .arg(node.server),
                     ValidatorText::tr("set localMemberHost to %1, or correct the servers file").arg(node.server));
        }
    }
}

struct Endpoint
{
    const NodeFacts *node = nullptr;
    QString what; // "membership port" or "group_mgt_port of <domain>"
    int port = 0;
};

QString endpointKey(const QString &server, int port)
{
    return server + QLatin1Char(':') + QString::number(port);
}

// Every endpoint a well-known member entry may name: membership ports, and the load balancer's
// group_mgt_ports, through which the guides' members join.
QHash<QString, Endpoint> wellKnownEndpoints(const ValidationContext &context)
{
    QHash<QString, Endpoint> endpoints;
    for (const NodeFacts &node : context.facts) {
        endpoints.insert(endpointKey(node.server, node.memberPort), {&node, ValidatorText::tr("membership port"), node.memberPort});
        // Where an unplaced node is, is not known: an entry with its port may well name it.
        if (node.placement == NodeFacts::Placement::Unplaced)
            endpoints.insert(endpointKey(QStringLiteral("*"), node.memberPort), {&node, ValidatorText::tr("membership port"), node.memberPort});
    }
    for (const GroupManagementPort &group : groupManagementPorts(context)) {
        const QString key = endpointKey(group.lb->server, group.port);
        if (!endpoints.contains(key))
            endpoints.insert(key, {group.lb, ValidatorText::tr("group_mgt_port of %1").arg(group.domain), group.port});
    }
    return endpoints;
}

// What an entry that names nothing probably meant: an endpoint on the same server a few ports
// away, or the node whose HTTP port was written instead of its membership port.
const Endpoint *nearMiss(const QHash<QString, Endpoint> &endpoints, const ValidationContext &context,
                         const QString &server, int port, const QSet<QString> &listed, const NodeFacts &self)
{
    constexpr int NearPorts = 10;
    const Endpoint *best = nullptr;
    for (auto it = endpoints.cbegin(); it != endpoints.cend(); ++it) {
        if (it->node == &self || it->node->server != server || listed.contains(it.key()))
            continue;
        const int distance = qAbs(it->port - port);
        if (distance <= NearPorts && (!best || distance < qAbs(best->port - port)))
            best = &it.value();
    }
    if (best)
        return best;
    for (const NodeFacts &node : context.facts) {
        if (&node == &self || node.server != server || (node.httpPort != port && node.httpsPort != port))
            continue;
        if (const auto it = endpoints.constFind(endpointKey(node.server, node.memberPort)); it != endpoints.cend())
            return &it.value();
    }
    return nullptr;
}

void checkWellKnownMembers(const ValidationContext &context, FindingSink &sink)
{
    const QHash<QString, Endpoint> endpoints = wellKnownEndpoints(context);
    const HostModel &hosts = context.cluster.hosts();
    for (const NodeFacts &node : context.facts) {
        if (!node.node->axis2() || !node.clusteringEnabled)
            continue;
        const QList<WellKnownMember> members = node.node->axis2()->clustering().members;
        QSet<QString> listed;
        for (const WellKnownMember &member : members)
            listed.insert(endpointKey(node.serverOfName(member.host, hosts), member.port));
        for (const WellKnownMember &member : members) {
            const QString server = node.serverOfName(member.host, hosts);
            if (server.isEmpty() || endpoints.contains(endpointKey(server, member.port))
                || endpoints.contains(endpointKey(QStringLiteral("*"), member.port)))
                continue; // a name that resolves nowhere, or an unplaced node, is reported once elsewhere
            const Endpoint *meant = nearMiss(endpoints, context, server, member.port, listed, node);
            const QString file = node.node->filePath(NodeConfig::File::Axis2);
            if (meant) {
                sink.add(Severity::Warning, QStringLiteral("unknown-well-known-member"), &node, file, member.line,
                         ValidatorText::tr("well-known member %1:%2 is no node of this cluster; it is near %3's %4 %5")
                             .arg(member.host)
                             .arg(member.port)
                             .arg(meant->node->node->name(), meant->what)
                             .arg(meant->port),
                         ValidatorText::tr("set <port> to %1 if %2's %3 was meant").arg(meant->port).arg(meant->node->node->name(), meant->what));
            } else {
                // Name a neighbour of the same domain that could stand there instead.
                const NodeFacts *peer = nullptr;
                for (const NodeFacts &candidate : context.facts) {
                    if (&candidate != &node && candidate.domain == node.domain && candidate.clusteringEnabled) {
                        peer = &candidate;
                        break;
                    }
                }
                sink.add(Severity::Warning, QStringLiteral("unknown-well-known-member"), &node, file, member.line,
                         ValidatorText::tr("well-known member %1:%2 (server %3) is no node of this cluster")
                             .arg(member.host)
                             .arg(member.port)
                             .arg(server),
                         peer ? ValidatorText::tr("list the localMemberHost and localMemberPort of a node of %1 (e.g. %2 at %3:%4) or "
                                                  "of the load balancer, or remove the entry")
                                    .arg(node.domain, peer->node->name(), peer->host.isEmpty() ? peer->server : peer->host)
                                    .arg(peer->memberPort)
                              : ValidatorText::tr("list the localMemberHost and localMemberPort of the load balancer or a manager "
                                                  "node, or remove the entry"));
            }
        }
    }
}

QString agentName(const QString &agentClass)
{
    if (agentClass.contains(u"hazelcast", Qt::CaseInsensitive))
        return QStringLiteral("Hazelcast");
    if (agentClass.contains(u"tribes", Qt::CaseInsensitive))
        return QStringLiteral("Tribes");
    return agentClass.section(u'.', -1);
}

// Members speak one clustering protocol with each other and with the load balancer: a Hazelcast
// member never joins a Tribes load balancer.
void checkClusteringAgents(const ValidationContext &context, FindingSink &sink)
{
    const NodeFacts *lb = nullptr;
    for (const NodeFacts &node : context.facts) {
        if (node.role == NodeFacts::Role::LoadBalancer && node.clusteringEnabled) {
            lb = &node;
            break;
        }
    }
    const QString lbClass = lb ? lb->node->axis2()->clustering().agentClass : QString();
    // Without a load balancer to follow, the first node of each domain sets the class.
    QHash<QString, const NodeFacts *> firstOfDomain;
    for (const NodeFacts &node : context.facts) {
        if (node.clusteringEnabled && node.role != NodeFacts::Role::LoadBalancer && !firstOfDomain.contains(node.domain))
            firstOfDomain.insert(node.domain, &node);
    }
    for (const NodeFacts &node : context.facts) {
        if (!node.clusteringEnabled || node.role == NodeFacts::Role::LoadBalancer)
            continue;
        const Axis2Clustering clustering = node.node->axis2()->clustering();
        const QString mine = clustering.agentClass;
        const QString file = node.node->filePath(NodeConfig::File::Axis2);
        if (!lbClass.isEmpty()) {
            if (agentName(mine) != agentName(lbClass))
                sink.add(Severity::Error, QStringLiteral("clustering-agent-mismatch"), &node, file, clustering.line,
                         ValidatorText::tr("this node clusters with %1 (%2), the load balancer %3 with %4 (%5): they cannot form one "
                                           "cluster")
                             .arg(agentName(mine), mine, lb->node->name(), agentName(lbClass), lbClass),
                         ValidatorText::tr("set class=\"%1\" on <clustering>, as the load balancer has it").arg(lbClass));
            continue;
        }
        const NodeFacts *first = firstOfDomain.value(node.domain);
        const QString firstClass = first->node->axis2()->clustering().agentClass;
        if (agentName(mine) == agentName(firstClass))
            continue;
        sink.add(Severity::Error, QStringLiteral("clustering-agent-mismatch"), &node, file, clustering.line,
                 ValidatorText::tr("this node clusters with %1, node %2 of the same domain with %3: they cannot form one cluster")
                     .arg(agentName(mine), first->node->name(), agentName(firstClass)),
                 ValidatorText::tr("set class=\"%1\" on <clustering>").arg(firstClass));
    }
}

} // namespace

void checkMembership(const ValidationContext &context, FindingSink &sink)
{
    checkClusteringEnabled(context, sink);
    checkNamesResolve(context, sink);
    checkPlacement(context, sink);
    checkWellKnownMembers(context, sink);
    checkClusteringAgents(context, sink);
}

} // namespace Tribune::Rules
