#include "agentidentity.h"

#include "cluster/clusterconfig.h"
#include "cluster/hostmodel.h"
#include "cluster/nodefacts.h"
#include "cluster/validator.h"
#include "i18n/trcontexts.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHostInfo>
#include <QNetworkInterface>

#include <algorithm>

namespace Tribune::Agent {

namespace {

// An address for a name: the host model's answer, else (with no hosts file) the system
// resolver's. The agent may wait for it: it is starting and serves nothing yet.
QString addressOf(const QString &name, const HostModel &hosts)
{
    const QString known = hosts.serverOf(name);
    if (hosts.source() != HostModel::Source::Literal || HostModel::isAddress(known))
        return known;
    for (const QHostAddress &address : QHostInfo::fromName(name).addresses()) {
        if (address.protocol() == QAbstractSocket::IPv4Protocol)
            return address.toString();
    }
    return {};
}

// The address other servers reach this machine by, when nothing names it: the first IPv4 address
// of an interface that is up, not the loopback and not a container or VPN bridge.
QString firstExternalAddress()
{
    static const QStringList virtualPrefixes = {QStringLiteral("docker"), QStringLiteral("br-"), QStringLiteral("veth"),
                                                QStringLiteral("virbr"), QStringLiteral("tun"), QStringLiteral("tap")};
    for (const QNetworkInterface &interface : QNetworkInterface::allInterfaces()) {
        const auto flags = interface.flags();
        const bool isVirtual = std::any_of(virtualPrefixes.cbegin(), virtualPrefixes.cend(),
                                           [&interface](const QString &prefix) { return interface.name().startsWith(prefix); });
        if (isVirtual || !flags.testFlag(QNetworkInterface::IsUp) || !flags.testFlag(QNetworkInterface::IsRunning)
            || flags.testFlag(QNetworkInterface::IsLoopBack))
            continue;
        for (const QNetworkAddressEntry &entry : interface.addressEntries()) {
            if (entry.ip().protocol() == QAbstractSocket::IPv4Protocol)
                return entry.ip().toString();
        }
    }
    return QStringLiteral("127.0.0.1");
}

} // namespace

std::optional<MembershipSettings> membershipSettingsFor(const NodeConfig &node, std::optional<int> portOverride,
                                                        bool loadBalancer, const HostModel &hosts,
                                                        const ServersFile *servers, QStringList *problems,
                                                        QStringList *unresolved)
{
    ClusterConfig alone;
    alone.addNode(node);
    for (const Finding &finding : validateCluster(alone)) {
        if (finding.severity == Severity::Error)
            problems->append(QStringLiteral("%1:%2: %3 (fix: %4)").arg(finding.file).arg(finding.line).arg(finding.message, finding.fix));
    }
    if (!node.axis2()) {
        problems->append(AgentText::tr("%1: the node has no axis2.xml to read its membership from").arg(node.confPath()));
        return std::nullopt;
    }
    if (!problems->isEmpty())
        return std::nullopt;

    const NodeFacts facts = NodeFacts::of(node);
    const Config::Axis2Clustering clustering = node.axis2()->clustering();
    MembershipSettings settings;
    Protocol::MemberInfo &self = settings.self;
    if (!facts.host.isEmpty()) {
        self.host = addressOf(facts.host, hosts);
        if (self.host.isEmpty()) {
            problems->append(AgentText::tr("%1: localMemberHost %2 resolves nowhere%3; name its address there, or write the "
                                           "address itself")
                                 .arg(node.filePath(NodeConfig::File::Axis2), facts.host,
                                      hosts.hostsFile().isEmpty() ? QString() : AgentText::tr(" in %1").arg(hosts.hostsFile())));
            return std::nullopt;
        }
        settings.bindAddress = self.host;
    } else {
        // Named by nothing in its own files: announce where the cluster says it is, listen everywhere.
        const ServerPlacement *placement = servers ? servers->placementOf(node.name()) : nullptr;
        self.host = placement ? addressOf(placement->server, hosts) : QString();
        if (self.host.isEmpty())
            self.host = firstExternalAddress();
    }
    self.port = portOverride.value_or(facts.memberPort);
    self.id = self.host + QLatin1Char(':') + QString::number(self.port);
    self.name = node.name();
    self.startedAtMs = QDateTime::currentMSecsSinceEpoch();
    self.domain = facts.domain;
    self.subDomain = facts.subDomain;
    self.httpPort = facts.httpPort;
    self.httpsPort = facts.httpsPort;
    self.offset = facts.offset;
    for (const Config::Axis2Clustering::PortMapping &mapping : clustering.portMappings())
        self.portMappings.insert(mapping.loadBalancerPort, mapping.memberPort);
    self.loadBalancer = loadBalancer || node.isLoadBalancer();
    if (const auto &conf = node.loadBalancer()) {
        for (const Config::LbSubDomainGroup &group : conf->groups()) {
            if (!self.servedDomains.contains(group.domain))
                self.servedDomains.append(group.domain);
        }
    }
    for (const Config::WellKnownMember &member : clustering.members) {
        // Resolved like the node's own name, so that ids compare: a node listed as its own
        // well-known member knows itself.
        QString address = addressOf(member.host, hosts);
        if (address.isEmpty()) {
            unresolved->append(AgentText::tr("well-known member %1:%2 resolves nowhere%3; it is left to the system resolver")
                                   .arg(member.host)
                                   .arg(member.port)
                                   .arg(hosts.hostsFile().isEmpty() ? QString() : AgentText::tr(" in %1").arg(hosts.hostsFile())));
            address = member.host;
        }
        settings.wellKnown.append({address, member.port, member.host});
    }
    settings.dropTimeMs = clustering.memberDropTimeMs();
    bool ok = false;
    const int frequency = clustering.parameterValue(u"mcastFrequency").toInt(&ok);
    if (ok && frequency > 0)
        settings.probeIntervalMs = frequency;
    return settings;
}

} // namespace Tribune::Agent
