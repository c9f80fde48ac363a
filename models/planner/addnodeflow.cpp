#include "addnodeflow.h"

#include "planfolder.h"

#include "cluster/clusterworkspace.h"
#include "cluster/nodefacts.h"

#include <QJsonObject>

namespace Tribune::Planner {

AddNodeFlow::AddNodeFlow(const ClusterWorkspace *workspace, JoinWatcher::Settings connection, QObject *parent)
    : QObject(parent)
    , m_workspace(workspace)
    , m_connection(std::move(connection))
{
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

std::optional<NodePlan> AddNodeFlow::plan(const NewNodeRequest &request, QString *error) const
{
    return planNodeLike(m_workspace->cluster(), request, error, &m_workspace->findings());
}

namespace {

PlanFolder folderOf(const NodePlan &plan)
{
    return PlanFolder::of(plan, {{QStringLiteral("node"), plan.node},
                                 {QStringLiteral("like"), plan.templateNode},
                                 {QStringLiteral("server"), plan.server},
                                 {QStringLiteral("offset"), plan.offset},
                                 {QStringLiteral("memberPort"), plan.memberPort},
                                 {QStringLiteral("subDomain"), plan.subDomain}});
}

} // namespace

std::optional<PreparedPlan> AddNodeFlow::prepare(const NodePlan &plan, const QString &provisioningAgent, QString *error) const
{
    const std::optional<Protocol::AgentClient::Endpoint> agent = Protocol::AgentClient::parseEndpoint(provisioningAgent, error);
    if (!agent)
        return std::nullopt;
    return preparePlan(m_workspace->cluster(), m_workspace->liveMembers(), folderOf(plan), agent, error);
}

bool AddNodeFlow::exportPlan(const NodePlan &plan, const QString &path, QString *error) const
{
    return folderOf(plan).write(path, error);
}

void AddNodeFlow::apply(const PreparedPlan &plan)
{
    delete m_applier;
    m_applier = new PlanApplier(m_connection, this);
    connect(m_applier, &PlanApplier::pushed, this, &AddNodeFlow::pushed);
    connect(m_applier, &PlanApplier::stepReached, this, &AddNodeFlow::stepReached);
    connect(m_applier, &PlanApplier::finished, this, &AddNodeFlow::finished);
    connect(m_applier, &PlanApplier::rolledBack, this, &AddNodeFlow::rolledBack);
    connect(m_applier, &PlanApplier::rollbackFinished, this, &AddNodeFlow::rollbackFinished);
    m_applier->apply(plan);
}

QStringList AddNodeFlow::rollbackCandidates() const
{
    return m_applier ? m_applier->rollbackCandidates() : QStringList();
}

void AddNodeFlow::rollBack()
{
    if (m_applier)
        m_applier->rollBack();
    else
        emit rollbackFinished(true);
}

QString AddNodeFlow::provisionCommand(const QString &node, const QString &listen, const QString &keyFile)
{
    return QStringLiteral("tribune-agent --provision --carbon-home /opt/wso2/%1 --key-file %2 --listen %3")
        .arg(node.isEmpty() ? QStringLiteral("NODE") : node, keyFile.isEmpty() ? QStringLiteral("cluster.keys") : keyFile,
             listen.isEmpty() ? QStringLiteral("HOST:PORT") : listen);
}

} // namespace Tribune::Planner
