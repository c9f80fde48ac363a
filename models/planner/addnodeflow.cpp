#include "addnodeflow.h"

#include "planfolder.h"

#include "cluster/clusterworkspace.h"
#include "cluster/nodefacts.h"

#include <QJsonObject>

#include <algorithm>

namespace Tribune::Planner {

AddNodeFlow::AddNodeFlow(ClusterWorkspace *workspace, JoinWatcher::Settings connection, QObject *parent)
    : QObject(parent)
    , m_workspace(workspace)
    , m_applier(new PlanApplier(std::move(connection), this))
{
    rereadAfterChanges(m_applier, m_workspace);
}

AddNodeFlow::~AddNodeFlow() = default;

QStringList AddNodeFlow::templates() const
{
    QStringList names;
    for (const NodeFacts &facts : m_workspace->facts()) {
        if (facts.role != NodeFacts::Role::LoadBalancer)
            names.append(facts.node->name());
    }
    names.sort();
    return names;
}

QString AddNodeFlow::subDomainOf(const QString &node) const
{
    for (const NodeFacts &facts : m_workspace->facts()) {
        if (facts.node->name() == node)
            return facts.subDomain;
    }
    return {};
}

QStringList AddNodeFlow::nodesOnServer(const QString &host) const
{
    const QString server = m_workspace->cluster().hosts().serverOf(host);
    QStringList lines;
    for (const NodeFacts &facts : m_workspace->facts()) {
        if (server.isEmpty() || facts.server != server)
            continue;
        lines.append(tr("%1: port offset %2, membership port %3").arg(facts.node->name()).arg(facts.offset).arg(facts.memberPort));
    }
    return lines;
}

QList<Finding> AddNodePlan::newFindings() const
{
    return loadBalancer ? loadBalancer->newFindings + node.newFindings : node.newFindings;
}


QList<std::pair<QString, PlannedFile>> AddNodePlan::files() const
{
    QList<std::pair<QString, PlannedFile>> all;
    for (const NodePlan *plan : {loadBalancer ? &*loadBalancer : nullptr, &node}) {
        for (const PlannedFile &file : plan ? plan->files : QList<PlannedFile>())
            all.append({plan->node, file});
    }
    return all;
}

namespace {

const NodeFacts *factsOf(const std::vector<NodeFacts> &facts, const QString &node)
{
    const auto found = std::find_if(facts.cbegin(), facts.cend(), [&](const NodeFacts &f) { return f.node->name() == node; });
    return found == facts.cend() ? nullptr : &*found;
}

// The load balancer with a loadbalancer.conf of its node's, and the service its domain is under.
struct ServingBalancer
{
    QString node;
    QString service;
};

std::optional<ServingBalancer> balancerFor(const ClusterConfig &cluster, const QString &domain)
{
    for (const LoadBalancerSource &source : cluster.loadBalancers()) {
        if (source.nodeIndex < 0)
            continue;
        for (const Config::LbSubDomainGroup &group : source.conf.groups()) {
            if (group.domain == domain)
                return ServingBalancer{cluster.nodes().at(source.nodeIndex).name(), group.service};
        }
    }
    return std::nullopt;
}

} // namespace

namespace {
QMap<QString, NodeSetting> byKey(const QList<NodeSetting> &settings)
{
    QMap<QString, NodeSetting> keyed;
    for (const NodeSetting &setting : settings)
        keyed.insert(setting.key, setting);
    return keyed;
}
} // namespace

QMap<QString, NodeSetting> AddNodeFlow::settingsOf(const NodePlan &plan)
{
    QMap<NodeConfig::File, QByteArray> files;
    for (const PlannedFile &file : plan.files) {
        for (const NodeConfig::File known : NodeConfig::AllFiles) {
            if (NodeConfig::relativePath(known) == file.path)
                files.insert(known, file.after);
        }
    }
    QList<Config::ConfigError> errors;
    const std::optional<NodeConfig> node = NodeConfig::fromFiles(plan.node, files, &errors);
    return node ? byKey(nodeSettings(*node)) : QMap<QString, NodeSetting>();
}

QMap<QString, NodeSetting> AddNodeFlow::settingsOf(const QString &node) const
{
    const NodeFacts *facts = factsOf(m_workspace->facts(), node);
    return facts ? byKey(nodeSettings(*facts->node)) : QMap<QString, NodeSetting>();
}

bool AddNodeFlow::servesSubDomain(const QString &templateNode, const QString &subDomain) const
{
    const NodeFacts *like = factsOf(m_workspace->facts(), templateNode);
    if (!like)
        return true; // nothing to say: planning says what is wrong
    const QString wanted = subDomain.isEmpty() ? like->subDomain : subDomain;
    for (const LoadBalancerSource &source : m_workspace->cluster().loadBalancers()) {
        for (const Config::LbSubDomainGroup &group : source.conf.groups()) {
            if (group.domain == like->domain && group.subDomain == wanted)
                return true;
        }
    }
    return false;
}

std::optional<AddNodePlan> AddNodeFlow::plan(const NewNodeRequest &request, const QString &subDomainHosts,
                                             QString *error) const
{
    const ClusterConfig &cluster = m_workspace->cluster();
    if (subDomainHosts.trimmed().isEmpty() || servesSubDomain(request.like, request.subDomain)) {
        std::optional<NodePlan> node = planNodeLike(cluster, request, error, &m_workspace->findings());
        return node ? std::optional<AddNodePlan>(AddNodePlan{std::move(*node), std::nullopt}) : std::nullopt;
    }
    // The load balancer's change first, then the node in the cluster it makes.
    const NodeFacts *like = factsOf(m_workspace->facts(), request.like);
    const std::optional<ServingBalancer> balancer = like ? balancerFor(cluster, like->domain) : std::nullopt;
    if (!balancer) {
        *error = tr("no load balancer of the cluster serves the domain of %1; its loadbalancer.conf must be one of the "
                    "cluster's nodes to be changed")
                     .arg(request.like);
        return std::nullopt;
    }
    // The sub-domain the node will be in: the template's when the request names none.
    const QString subDomain = request.subDomain.isEmpty() ? like->subDomain : request.subDomain;
    const TypedEdit serve{NodeConfig::File::LoadBalancer,
                          subDomain.isEmpty() ? QStringLiteral("hosts.%1/%2").arg(balancer->service, like->domain)
                                              : QStringLiteral("hosts.%1/%2/%3").arg(balancer->service, like->domain, subDomain),
                          subDomainHosts.trimmed()};
    std::optional<NodePlan> loadBalancer = planNodeEdit(cluster, balancer->node, {serve}, error);
    if (!loadBalancer)
        return std::nullopt;
    QMap<QString, QByteArray> files;
    for (const PlannedFile &file : loadBalancer->files)
        files.insert(file.path, file.after);
    NodeConfig served;
    if (!planNodeFiles(cluster, balancer->node, files, error, &served))
        return std::nullopt;
    // Judged against the cluster as it is, so that the node's findings are what both bring: a
    // group no member serves yet is what the node is for.
    std::optional<NodePlan> node = planNodeLike(cluster.withNode(std::move(served)), request, error, &m_workspace->findings());
    if (!node)
        return std::nullopt;
    loadBalancer->newFindings.clear();
    return AddNodePlan{std::move(*node), std::move(loadBalancer)};
}

namespace {

PlanFolder folderOf(const AddNodePlan &plan)
{
    PlanFolder folder = PlanFolder::of(plan.node, {{QStringLiteral("node"), plan.node.node},
                                                   {QStringLiteral("like"), plan.node.templateNode},
                                                   {QStringLiteral("server"), plan.node.server},
                                                   {QStringLiteral("offset"), plan.node.offset},
                                                   {QStringLiteral("memberPort"), plan.node.memberPort},
                                                   {QStringLiteral("subDomain"), plan.node.subDomain}});
    if (plan.loadBalancer) {
        for (const PlannedFile &file : plan.loadBalancer->files)
            folder.nodes[plan.loadBalancer->node].insert(file.path, file.after);
    }
    return folder;
}

} // namespace

std::optional<PreparedPlan> AddNodeFlow::prepare(const AddNodePlan &plan, const QString &provisioningAgent, QString *error) const
{
    const std::optional<Protocol::AgentClient::Endpoint> agent = Protocol::AgentClient::parseEndpoint(provisioningAgent, error);
    if (!agent)
        return std::nullopt;
    return preparePlan(m_workspace->cluster(), m_workspace->liveMembers(), folderOf(plan), agent, error);
}

bool AddNodeFlow::exportPlan(const AddNodePlan &plan, const QString &path, QString *error) const
{
    return folderOf(plan).write(path, error);
}

bool AddNodeFlow::apply(const PreparedPlan &plan)
{
    return m_applier->apply(plan);
}

QString AddNodeFlow::provisionCommand(const QString &node, const QString &listen, const QString &keyFile)
{
    return QStringLiteral("tribune-agent --provision --carbon-home /opt/wso2/%1 --key-file %2 --listen %3")
        .arg(node.isEmpty() ? QStringLiteral("NODE") : node, keyFile.isEmpty() ? QStringLiteral("cluster.keys") : keyFile,
             listen.isEmpty() ? QStringLiteral("HOST:PORT") : listen);
}

} // namespace Tribune::Planner
