// The load balancer against its members: every member's domain and sub-domain is served, tenant
// ranges of different domains in one service do not overlap, what members publish is where the
// load balancer listens, and managers answer to the host the load balancer serves them under.
#include "validationcontext.h"
#include "i18n/trcontexts.h"

#include <QHash>
#include <QSet>
#include <QUrl>

namespace Tribune::Rules {

using namespace Config;

namespace {

QString subDomainLabel(const QString &subDomain)
{
    return subDomain.isEmpty() ? ValidatorText::tr("the default sub-domain") : ValidatorText::tr("sub-domain \"%1\"").arg(subDomain);
}

void checkServedDomains(const ValidationContext &context, FindingSink &sink)
{
    QSet<QString> domains;
    QSet<QString> groups;                    // "domain\nsub-domain"
    QHash<QString, QStringList> subDomainsOf; // domain -> the sub-domains served, in file order
    for (const LoadBalancerSource &source : context.cluster.loadBalancers()) {
        for (const LbSubDomainGroup &group : source.conf.groups()) {
            domains.insert(group.domain);
            groups.insert(group.domain + QLatin1Char('\n') + group.subDomain);
            QStringList &served = subDomainsOf[group.domain];
            const QString label = group.subDomain.isEmpty() ? ValidatorText::tr("(the default sub-domain)") : group.subDomain;
            if (!served.contains(label))
                served.append(label);
        }
    }
    for (const NodeFacts &node : context.facts) {
        if (!context.isMember(node) || !node.clusteringEnabled || node.domain.isEmpty())
            continue;
        const QString file = node.node->filePath(NodeConfig::File::Axis2);
        const Axis2Clustering clustering = node.node->axis2()->clustering();
        if (!domains.contains(node.domain)) {
            const NamedValue *domain = clustering.parameter(u"domain");
            sink.add(Severity::Error, QStringLiteral("unserved-domain"), &node, file,
                     domain ? domain->line : clustering.line,
                     ValidatorText::tr("the load balancer serves no domain \"%1\"").arg(node.domain),
                     ValidatorText::tr("add a block for %1 under domains { } in loadbalancer.conf, or correct the domain parameter")
                         .arg(node.domain));
        } else if (!groups.contains(node.domain + QLatin1Char('\n') + node.subDomain)) {
            const NamedValue *subDomain = clustering.property(u"subDomain");
            sink.add(Severity::Error, QStringLiteral("unserved-sub-domain"), &node, file,
                     subDomain ? subDomain->line : clustering.line,
                     ValidatorText::tr("the load balancer serves %1 of domain \"%2\" to no one")
                         .arg(subDomainLabel(node.subDomain), node.domain),
                     node.subDomain.isEmpty()
                         ? ValidatorText::tr("add the subDomain property with one of the sub-domains the load balancer serves for %1: "
                                             "%2")
                               .arg(node.domain, subDomainsOf.value(node.domain).join(QLatin1String(", ")))
                         : ValidatorText::tr("set the subDomain property to one the load balancer serves for %1 (%2), or serve "
                                             "sub-domain %3 in loadbalancer.conf")
                               .arg(node.domain, subDomainsOf.value(node.domain).join(QLatin1String(", ")),
                                    node.subDomain));
        }
    }
}

void checkTenantRanges(const ValidationContext &context, FindingSink &sink)
{
    for (const LoadBalancerSource &source : context.cluster.loadBalancers()) {
        const QList<LbSubDomainGroup> groups = source.conf.groups();
        for (qsizetype i = 0; i < groups.size(); ++i) {
            for (qsizetype j = 0; j < i; ++j) {
                const LbSubDomainGroup &later = groups.at(i);
                const LbSubDomainGroup &earlier = groups.at(j);
                // Sub-domains of one domain split its traffic by host, not by tenant.
                if (later.service != earlier.service || later.domain == earlier.domain
                    || !later.tenantRange.overlaps(earlier.tenantRange))
                    continue;
                sink.add(Severity::Error, QStringLiteral("tenant-range-overlap"), nullptr, source.path, later.line,
                         ValidatorText::tr("in service \"%1\", tenant_range %2 of %3 overlaps tenant_range %4 of %5 (line %6)")
                             .arg(later.service, later.tenantRange.toString(), later.domain,
                                  earlier.tenantRange.toString(), earlier.domain)
                             .arg(earlier.line),
                         ValidatorText::tr("give each domain of a service its own tenants, e.g. 1-100 and 101-200"));
            }
        }
    }
}

// The load balancer's own listeners: the ports of its active transport receivers, by scheme, as
// HAProxy renders them.
struct Listeners
{
    const NodeFacts *lb = nullptr;
    QList<int> http;
    QList<int> https;
};

Listeners listenersOf(const ValidationContext &context)
{
    Listeners listeners;
    for (const NodeFacts &node : context.facts) {
        if (node.role != NodeFacts::Role::LoadBalancer || !node.node->axis2())
            continue;
        listeners.lb = &node;
        if (const std::optional<int> port = node.node->axis2()->receiverPort(u"http"))
            listeners.http.append(*port);
        if (const std::optional<int> port = node.node->axis2()->receiverPort(u"https"))
            listeners.https.append(*port);
        break;
    }
    return listeners;
}

QString portList(const QList<int> &ports)
{
    QStringList parts;
    for (const int port : ports)
        parts.append(QString::number(port));
    return parts.join(QLatin1String(", "));
}

// What a node publishes as its public address must be where the load balancer listens: the ESB
// guide moves the load balancer to 80/443, then has nodes publish 8280/8243. A warning, since an
// address translation in front of the load balancer may make it right.
void checkPublishedPorts(const ValidationContext &context, FindingSink &sink)
{
    const Listeners listeners = listenersOf(context);
    if (!listeners.lb || (listeners.http.isEmpty() && listeners.https.isEmpty()))
        return;
    for (const NodeFacts &node : context.facts) {
        if (!context.isMember(node))
            continue;
        if (const auto &axis2 = node.node->axis2()) {
            for (const TransportReceiver &receiver : axis2->transportReceivers()) {
                if (receiver.wsdlEprPrefix.isEmpty())
                    continue;
                const QUrl url(receiver.wsdlEprPrefix);
                const bool secure = url.scheme().compare(u"https", Qt::CaseInsensitive) == 0;
                const QList<int> &expected = secure ? listeners.https : listeners.http;
                const int port = url.port(secure ? 443 : 80);
                if (!url.isValid() || url.host().isEmpty() || expected.isEmpty() || expected.contains(port))
                    continue;
                QUrl corrected = url;
                corrected.setPort(expected.first() == (secure ? 443 : 80) ? -1 : expected.first());
                sink.add(Severity::Warning, QStringLiteral("published-port-not-served"), &node,
                         node.node->filePath(NodeConfig::File::Axis2), receiver.wsdlEprPrefixLine,
                         ValidatorText::tr("WSDLEPRPrefix of transport %1 publishes port %2, but the load balancer %3 listens for "
                                           "%4 on %5")
                             .arg(receiver.name)
                             .arg(port)
                             .arg(listeners.lb->node->name(), url.scheme(), portList(expected)),
                         ValidatorText::tr("set WSDLEPRPrefix to %1").arg(corrected.toString()));
            }
        }
        if (const auto &catalina = node.node->catalina()) {
            for (const CatalinaConnector &connector : catalina->connectors()) {
                const QList<int> &expected = connector.secure ? listeners.https : listeners.http;
                if (!connector.proxyPort || expected.isEmpty() || expected.contains(*connector.proxyPort))
                    continue;
                sink.add(Severity::Warning, QStringLiteral("published-port-not-served"), &node,
                         node.node->filePath(NodeConfig::File::Catalina), connector.line,
                         ValidatorText::tr("the %1 connector's proxyPort %2 is no port the load balancer %3 listens on (%4)")
                             .arg(connector.secure ? QStringLiteral("HTTPS") : QStringLiteral("HTTP"))
                             .arg(*connector.proxyPort)
                             .arg(listeners.lb->node->name(), portList(expected)),
                         ValidatorText::tr("set proxyPort=\"%1\" on the connector of port %2").arg(expected.first()).arg(connector.port));
            }
        }
    }
}

// The load balancer serves a manager's console under the mgt sub-domain's host; the manager must
// answer to that name (its HostName is the worker host by design, as the ESB guide says).
void checkManagementHosts(const ValidationContext &context, FindingSink &sink)
{
    // (domain, sub-domain) -> the group that serves it with hosts, and the file that says so.
    QHash<QString, std::pair<LbSubDomainGroup, QString>> served;
    for (const LoadBalancerSource &source : context.cluster.loadBalancers()) {
        for (const LbSubDomainGroup &group : source.conf.groups()) {
            const QString key = group.domain + QLatin1Char('\n') + group.subDomain;
            if (!group.hosts.isEmpty() && !served.contains(key))
                served.insert(key, {group, source.path});
        }
    }
    for (const NodeFacts &node : context.facts) {
        if (node.role != NodeFacts::Role::Manager || !node.node->carbon())
            continue;
        const CarbonSettings settings = node.node->carbon()->settings();
        const auto it = served.constFind(node.domain + QLatin1Char('\n') + node.subDomain);
        if (!settings.mgtHostName.isEmpty() || it == served.cend())
            continue;
        const auto &[group, file] = *it;
        sink.add(Severity::Error, QStringLiteral("manager-without-mgt-host"), &node,
                 node.node->filePath(NodeConfig::File::Carbon), settings.hostNameLine,
                 ValidatorText::tr("the load balancer serves this manager's console as %1 (%2 line %3), but carbon.xml has no "
                                   "MgtHostName, so the console's links lead to %4")
                     .arg(group.hosts.first(), file)
                     .arg(group.line)
                     .arg(settings.hostName.isEmpty() ? ValidatorText::tr("the node itself") : settings.hostName),
                 ValidatorText::tr("add <MgtHostName>%1</MgtHostName> after <HostName>").arg(group.hosts.first()));
    }
}

} // namespace

void checkLoadBalancer(const ValidationContext &context, FindingSink &sink)
{
    if (!context.cluster.loadBalancers().empty())
        checkServedDomains(context, sink);
    checkTenantRanges(context, sink);
    checkPublishedPorts(context, sink);
    checkManagementHosts(context, sink);
}

} // namespace Tribune::Rules
