#include "agentidentity.h"

#include "cluster/clusterconfig.h"
#include "cluster/nodefacts.h"
#include "cluster/validator.h"

#include <QCoreApplication>
#include <QDateTime>

namespace Tribune::Agent {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Tribune::Agent", text);
}

} // namespace

std::optional<MembershipSettings> membershipSettingsFor(const NodeConfig &node, std::optional<int> portOverride,
                                                        bool loadBalancer, QStringList *problems)
{
    ClusterConfig alone;
    alone.addNode(node);
    for (const Finding &finding : validateCluster(alone)) {
        if (finding.severity == Severity::Error)
            problems->append(QStringLiteral("%1:%2: %3 (fix: %4)").arg(finding.file).arg(finding.line).arg(finding.message, finding.fix));
    }
    if (!node.axis2()) {
        problems->append(tr("%1: the node has no axis2.xml to read its membership from").arg(node.confPath()));
        return std::nullopt;
    }
    if (!problems->isEmpty())
        return std::nullopt;

    const NodeFacts facts = NodeFacts::of(node);
    const Config::Axis2Clustering clustering = node.axis2()->clustering();
    MembershipSettings settings;
    Protocol::MemberInfo &self = settings.self;
    self.host = facts.host.isEmpty() ? QStringLiteral("127.0.0.1") : facts.host;
    self.port = portOverride.value_or(facts.memberPort);
    self.id = self.host + QLatin1Char(':') + QString::number(self.port);
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
    for (const Config::WellKnownMember &member : clustering.members)
        settings.wellKnown.append({normalizedHost(member.host), member.port});
    settings.dropTimeMs = clustering.memberDropTimeMs();
    bool ok = false;
    const int frequency = clustering.parameterValue(u"mcastFrequency").toInt(&ok);
    if (ok && frequency > 0)
        settings.heartbeatIntervalMs = frequency;
    return settings;
}

} // namespace Tribune::Agent
