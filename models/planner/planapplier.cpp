#include "planapplier.h"

#include "cluster/clusterworkspace.h"

#include "nodeplan.h"
#include "planfolder.h"

#include "cluster/clusterconfig.h"
#include "cluster/nodefacts.h"

#include <QCoreApplication>

#include <algorithm>
#include <memory>

namespace Tribune::Planner {

namespace {

struct ApplyText
{
    Q_DECLARE_TR_FUNCTIONS(Tribune::Planner)
};

QString expectedMemberId(const ClusterConfig &cluster, const NodeConfig &node)
{
    const NodeFacts facts = NodeFacts::of(node);
    const QString server = facts.host.isEmpty() ? QString() : cluster.hosts().serverOf(facts.host);
    return server.isEmpty() ? QString() : server + QLatin1Char(':') + QString::number(facts.memberPort);
}

} // namespace

std::optional<PreparedPlan> preparePlan(const ClusterConfig &live, const QMap<QString, QString> &members,
                                        const PlanFolder &plan,
                                        const std::optional<Protocol::AgentClient::Endpoint> &provisioningAgent,
                                        QString *error)
{
    // The whole cluster with every node of the plan changed, one after the other.
    ClusterConfig cluster = live;
    PreparedPlan prepared;
    // Judged in the order they are pushed: a load balancer's new group first, then the nodes
    // that join it.
    QStringList order;
    for (auto it = plan.nodes.cbegin(); it != plan.nodes.cend(); ++it) {
        if (it.value().contains(NodeConfig::relativePath(NodeConfig::File::LoadBalancer)))
            order.prepend(it.key());
        else
            order.append(it.key());
    }
    for (const QString &name : std::as_const(order)) {
        const auto it = plan.nodes.constFind(name);
        const auto before = std::find_if(cluster.nodes().cbegin(), cluster.nodes().cend(),
                                         [&](const NodeConfig &node) { return node.name() == name; });
        const bool exists = before != cluster.nodes().cend();
        const std::optional<NodeFacts> was = exists ? std::optional<NodeFacts>(NodeFacts::of(*before)) : std::nullopt;
        NodeConfig planned;
        const std::optional<NodePlan> nodePlan = planNodeFiles(cluster, name, it.value(), error, &planned);
        if (!nodePlan)
            return std::nullopt;
        Delivery delivery{name, it.value(), {}, !exists, planned.isLoadBalancer(), false, expectedMemberId(cluster, planned)};
        if (exists) {
            const NodeFacts will = NodeFacts::of(planned);
            delivery.movesMember = was->memberPort != will.memberPort || was->host != will.host
                || was->domain != will.domain || was->subDomain != will.subDomain || was->offset != will.offset;
            // A node that stays where it is keeps the id it has: the one its agent announces (its
            // files may name no host, or its agent may have been given --port).
            if (!delivery.movesMember || delivery.memberId.isEmpty())
                delivery.memberId = members.value(name);
            const auto endpoint = Protocol::AgentClient::parseEndpoint(members.value(name), error);
            if (!endpoint) {
                *error = ApplyText::tr("%1 is in the plan but no live member is that node; start its agent, or "
                                       "take it out of the plan")
                             .arg(name);
                return std::nullopt;
            }
            delivery.target = *endpoint;
        } else if (provisioningAgent) {
            delivery.target = *provisioningAgent;
        }
        prepared.brought += nodePlan->newFindings;
        cluster = cluster.withNode(std::move(planned));
        prepared.deliveries.append(delivery);
    }
    const qsizetype newNodes = std::count_if(prepared.deliveries.cbegin(), prepared.deliveries.cend(),
                                             [](const Delivery &delivery) { return delivery.isNew; });
    if (newNodes > 1) {
        *error = ApplyText::tr("the plan makes %1 new nodes; apply one at a time, each to its own provisioning agent")
                     .arg(newNodes);
        return std::nullopt;
    }
    if (newNodes == 1 && !provisioningAgent) {
        *error = ApplyText::tr("the plan makes a new node, which has no agent yet: start `tribune-agent --provision "
                               "--carbon-home DIR --key-file K --listen HOST:PORT` on its server and give that "
                               "HOST:PORT (--to)");
        return std::nullopt;
    }
    std::stable_sort(prepared.deliveries.begin(), prepared.deliveries.end(), [](const Delivery &a, const Delivery &b) {
        const auto rank = [](const Delivery &d) { return d.isLoadBalancer ? 0 : (d.isNew || d.movesMember) ? 2 : 1; };
        return rank(a) < rank(b);
    });
    prepared.nodeCount = int(cluster.nodes().size());
    return prepared;
}

namespace {

// One request that changes a node's files, on a connection of its own.
void changeFiles(const Protocol::AgentClient::Endpoint &target, const Protocol::KeyRing &keys, Protocol::Role role,
                 const Protocol::TlsOptions &tls, QObject *context, std::function<void(Protocol::AgentClient *)> send,
                 ChangeDone done)
{
    auto *client = new Protocol::AgentClient(target, keys, role, tls, context);
    // Told once: a dropped connection fails the request and then reports the drop.
    auto finished = std::make_shared<bool>(false);
    auto finish = [client, done, finished](bool ok, const QString &message, int backup) {
        if (std::exchange(*finished, true))
            return;
        client->deleteLater();
        done(ok, message, backup);
    };
    QObject::connect(client, &Protocol::AgentClient::connected, client, [client, send] { send(client); });
    QObject::connect(client, &Protocol::AgentClient::configResultReceived, client,
                     [finish](qint64, const Protocol::ConfigResult &result) { finish(result.ok, result.message, result.backup); });
    QObject::connect(client, &Protocol::AgentClient::requestFailed, client,
                     [finish](qint64, const QString &, const QString &message) { finish(false, message, 0); });
    QObject::connect(client, &Protocol::AgentClient::refused, client,
                     [finish](const QString &reason) { finish(false, reason, 0); });
    QObject::connect(client, &Protocol::AgentClient::disconnected, client, [finish, client](const QString &reason) {
        if (!client->isConnected())
            finish(false, reason, 0);
    });
    client->open();
}

} // namespace

void pushFiles(const Protocol::AgentClient::Endpoint &target, const Protocol::KeyRing &keys, Protocol::Role role,
               const Protocol::TlsOptions &tls, const QMap<QString, QByteArray> &files, QObject *context, ChangeDone done)
{
    changeFiles(target, keys, role, tls, context, [files](Protocol::AgentClient *client) { client->configPush(files); },
                std::move(done));
}

void rollBackFiles(const Protocol::AgentClient::Endpoint &target, const Protocol::KeyRing &keys, Protocol::Role role,
                   const Protocol::TlsOptions &tls, int backup, QObject *context, ChangeDone done)
{
    changeFiles(target, keys, role, tls, context, [backup](Protocol::AgentClient *client) { client->rollback(backup); },
                std::move(done));
}

PlanApplier::PlanApplier(JoinWatcher::Settings settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_watcher(new JoinWatcher(std::move(settings), this))
{
    connect(m_watcher, &JoinWatcher::stepReached, this, &PlanApplier::stepReached);
    connect(m_watcher, &JoinWatcher::finished, this, &PlanApplier::finished);
    connect(this, &PlanApplier::finished, this, [this] { m_busy = false; });
    connect(this, &PlanApplier::rollbackFinished, this, [this] { m_busy = false; });
}

PlanApplier::~PlanApplier() = default;

bool PlanApplier::apply(const PreparedPlan &plan)
{
    if (m_busy)
        return false;
    m_deliveries = plan.deliveries;
    m_landed.clear();
    m_next = 0;
    if (m_deliveries.isEmpty()) {
        emit finished(true, tr("the plan changes nothing"));
        return true;
    }
    m_busy = true;
    pushNext();
    return true;
}

void PlanApplier::pushNext()
{
    const int index = m_next++;
    const Delivery &delivery = m_deliveries.at(index);
    // The load balancer is not followed into the cluster: it applies its loadbalancer.conf by a
    // reload and stays the member it is.
    const bool followed = index == m_deliveries.size() - 1 && !delivery.isLoadBalancer;
    if (followed)
        m_watcher->watch(delivery.memberId, delivery.node, delivery.isNew || delivery.movesMember);
    pushFiles(delivery.target, m_settings.keys, m_settings.role, m_settings.tls, delivery.files, this,
              [this, index, followed](bool ok, const QString &message, int backup) {
        const Delivery &pushedTo = m_deliveries.at(index);
        if (ok)
            m_landed.append({pushedTo.node, pushedTo.target, backup, pushedTo.isNew});
        emit pushed(pushedTo.node, pushedTo.target.toString(), ok, message);
        if (!ok) {
            QString why = tr("%1 (%2) did not take the files: %3").arg(pushedTo.node, pushedTo.target.toString(), message);
            if (index > 0)
                why += QLatin1Char('\n') + tr("the nodes before it have their new files; rolling back takes each back "
                                              "(`tribunectl config rollback`)");
            if (followed)
                m_watcher->fail(why); // says finished() itself
            else
                emit finished(false, why);
            return;
        }
        if (followed)
            m_watcher->markFilesWritten(tr("%1 (%2): %3").arg(pushedTo.node, pushedTo.target.toString(), message));
        else if (m_next < m_deliveries.size())
            pushNext();
        else
            emit finished(true, tr("every node of the plan has its files; nothing to follow into the cluster"));
    });
}

void rereadAfterChanges(PlanApplier *applier, ClusterWorkspace *workspace)
{
    const auto reread = [workspace] {
        if (workspace->isLive())
            workspace->reload();
    };
    QObject::connect(applier, &PlanApplier::finished, workspace, reread, Qt::QueuedConnection);
    QObject::connect(applier, &PlanApplier::rollbackFinished, workspace, reread, Qt::QueuedConnection);
}

QStringList PlanApplier::rollbackCandidates() const
{
    QStringList nodes;
    for (const Landed &landed : m_landed) {
        if (!landed.isNew && landed.backup > 0)
            nodes.append(landed.node);
    }
    return nodes;
}

void PlanApplier::rollBack()
{
    if (m_busy)
        return;
    m_busy = true;
    QList<Landed> remaining;
    for (const Landed &landed : std::as_const(m_landed)) {
        if (!landed.isNew && landed.backup > 0)
            remaining.prepend(landed); // the last pushed first
    }
    rollBackNext(remaining, true);
}

void PlanApplier::rollBackNext(QList<Landed> remaining, bool allOk)
{
    if (remaining.isEmpty()) {
        emit rollbackFinished(allOk);
        return;
    }
    const Landed next = remaining.takeFirst();
    rollBackFiles(next.target, m_settings.keys, m_settings.role, m_settings.tls, next.backup, this,
                  [this, next, remaining, allOk](bool ok, const QString &message, int) {
        if (ok)
            m_landed.removeIf([&next](const Landed &landed) { return landed.node == next.node; });
        emit rolledBack(next.node, ok, tr("%1 (%2): %3").arg(next.node, next.target.toString(), message));
        rollBackNext(remaining, allOk && ok);
    });
}

} // namespace Tribune::Planner
