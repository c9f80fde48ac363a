// The load balancer against its members: every member's domain and sub-domain is served, tenant
// ranges of different domains in one service do not overlap, and group_mgt_port is free.
#include "validationcontext.h"

#include <QSet>

namespace Tribune::Rules {

using namespace Config;

namespace {

QString subDomainLabel(const QString &subDomain)
{
    return subDomain.isEmpty() ? tr("the default sub-domain") : tr("sub-domain \"%1\"").arg(subDomain);
}

void checkServedDomains(const ValidationContext &context, FindingSink &sink)
{
    QSet<QString> domains;
    QSet<QString> groups; // "domain\nsub-domain"
    for (const LoadBalancerSource &source : context.cluster.loadBalancers()) {
        for (const LbSubDomainGroup &group : source.conf.groups()) {
            domains.insert(group.domain);
            groups.insert(group.domain + QLatin1Char('\n') + group.subDomain);
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
                     tr("the load balancer serves no domain \"%1\"").arg(node.domain),
                     tr("add a block for %1 under domains { } in loadbalancer.conf, or correct the domain parameter")
                         .arg(node.domain));
        } else if (!groups.contains(node.domain + QLatin1Char('\n') + node.subDomain)) {
            const NamedValue *subDomain = clustering.property(u"subDomain");
            sink.add(Severity::Error, QStringLiteral("unserved-sub-domain"), &node, file,
                     subDomain ? subDomain->line : clustering.line,
                     tr("the load balancer serves %1 of domain \"%2\" to no one")
                         .arg(subDomainLabel(node.subDomain), node.domain),
                     tr("add a sub_domain %1 block for %2 in loadbalancer.conf, or set the subDomain property to "
                        "one it serves")
                         .arg(node.subDomain.isEmpty() ? QStringLiteral("(none)") : node.subDomain, node.domain));
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
                         tr("in service \"%1\", tenant_range %2 of %3 overlaps tenant_range %4 of %5 (line %6)")
                             .arg(later.service, later.tenantRange.toString(), later.domain,
                                  earlier.tenantRange.toString(), earlier.domain)
                             .arg(earlier.line),
                         tr("give each domain of a service its own tenants, e.g. 1-100 and 101-200"));
            }
        }
    }
}

void checkGroupManagementPorts(const ValidationContext &context, FindingSink &sink)
{
    for (const LoadBalancerSource &source : context.cluster.loadBalancers()) {
        // The load balancer's own host when its conf came with its node; otherwise any host.
        const NodeFacts *lbNode = source.nodeIndex >= 0 ? &context.facts[size_t(source.nodeIndex)] : nullptr;
        QSet<QString> reported; // nested sub-domains share their domain's group_mgt_port
        for (const LbSubDomainGroup &group : source.conf.groups()) {
            if (!group.groupMgtPort || reported.contains(group.domain))
                continue;
            reported.insert(group.domain);
            for (const NodeFacts &node : context.facts) {
                if (node.memberPort != *group.groupMgtPort || (lbNode && node.host != lbNode->host))
                    continue;
                sink.add(Severity::Error, QStringLiteral("group-mgt-port-collision"), lbNode, source.path, group.line,
                         tr("group_mgt_port %1 of %2 is the membership port of node %3 on the load balancer's host")
                             .arg(*group.groupMgtPort)
                             .arg(group.domain, node.node->name()),
                         tr("choose a group_mgt_port no node on that host uses as localMemberPort"));
            }
        }
    }
}

} // namespace

void checkLoadBalancer(const ValidationContext &context, FindingSink &sink)
{
    if (!context.cluster.loadBalancers().empty())
        checkServedDomains(context, sink);
    checkTenantRanges(context, sink);
    checkGroupManagementPorts(context, sink);
}

} // namespace Tribune::Rules
