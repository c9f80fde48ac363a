#include "nodeeditflow.h"

#include "planfolder.h"
#include "plandiff.h"

#include "cluster/clusterworkspace.h"
#include "cluster/nodefacts.h"

#include <algorithm>

namespace Tribune::Planner {

namespace {

using File = NodeConfig::File;

const NodeConfig *nodeNamed(const ClusterConfig &cluster, const QString &name)
{
    const auto found = std::find_if(cluster.nodes().cbegin(), cluster.nodes().cend(),
                                    [&](const NodeConfig &node) { return node.name() == name; });
    return found == cluster.nodes().cend() ? nullptr : &*found;
}

std::optional<File> fileAt(const QString &path)
{
    const auto found = std::find_if(std::cbegin(NodeConfig::AllFiles), std::cend(NodeConfig::AllFiles),
                                    [&](File file) { return NodeConfig::relativePath(file) == path; });
    return found == std::cend(NodeConfig::AllFiles) ? std::nullopt : std::optional<File>(*found);
}

} // namespace

QString NodeEdit::diff() const
{
    QString text;
    for (auto it = files.cbegin(); it != files.cend(); ++it) {
        for (const PlannedFile &file : it.value())
            text += unifiedDiff(file.before, file.after, QStringLiteral("a/%1/%2").arg(it.key(), file.path),
                                QStringLiteral("b/%1/%2").arg(it.key(), file.path));
    }
    return text;
}

NodeEditFlow::NodeEditFlow(ClusterWorkspace *workspace, JoinWatcher::Settings connection, QObject *parent)
    : QObject(parent)
    , m_workspace(workspace)
    , m_connection(connection)
    , m_applier(new PlanApplier(std::move(connection), this))
{
    rereadAfterChanges(m_applier, m_workspace);
}

NodeEditFlow::~NodeEditFlow() = default;

bool NodeEditFlow::isLive(const QString &node) const
{
    return m_workspace->isLive() && m_workspace->liveMembers().contains(node);
}

QStringList NodeEditFlow::nodesLike(const QString &node) const
{
    const std::vector<NodeFacts> &facts = m_workspace->facts();
    const auto found = std::find_if(facts.cbegin(), facts.cend(), [&](const NodeFacts &f) { return f.node->name() == node; });
    QStringList names;
    if (found == facts.cend())
        return names;
    for (const NodeFacts &other : facts) {
        if (other.node->name() != node && other.role != NodeFacts::Role::LoadBalancer && other.domain == found->domain
            && other.subDomain == found->subDomain)
            names.append(other.node->name());
    }
    names.sort();
    return names;
}

QMap<QString, QByteArray> NodeEditFlow::filesOf(const QString &node) const
{
    QMap<QString, QByteArray> files;
    if (const NodeConfig *config = nodeNamed(m_workspace->cluster(), node)) {
        for (const File file : NodeConfig::AllFiles) {
            if (config->has(file))
                files.insert(NodeConfig::relativePath(file), config->bytes(file));
        }
    }
    return files;
}

std::optional<NodeEdit> NodeEditFlow::plan(const NodeEditRequest &request, QString *error) const
{
    NodeEdit edit;
    PlanFolder folder;
    for (const QString &name : request.nodes) {
        const NodeConfig *node = nodeNamed(m_workspace->cluster(), name);
        if (!node) {
            *error = tr("the running cluster has no node \"%1\"; read its files again").arg(name);
            return std::nullopt;
        }
        QMap<File, QByteArray> files;
        for (const File file : NodeConfig::AllFiles) {
            if (node->has(file))
                files.insert(file, node->bytes(file));
        }
        const QMap<QString, QByteArray> raw = request.rawFiles.value(name);
        for (auto it = raw.cbegin(); it != raw.cend(); ++it) {
            const std::optional<File> file = fileAt(it.key());
            if (!file) {
                *error = tr("%1: %2 is not a configuration file Tribune knows").arg(name, it.key());
                return std::nullopt;
            }
            files.insert(*file, it.value());
        }
        if (!applyTypedEdits(&files, request.edits, node->confPath(), error)) {
            *error = tr("%1: %2").arg(name, *error);
            return std::nullopt;
        }
        for (auto it = files.cbegin(); it != files.cend(); ++it) {
            const QByteArray before = node->has(it.key()) ? node->bytes(it.key()) : QByteArray();
            if (it.value() == before)
                continue;
            const QString path = NodeConfig::relativePath(it.key());
            edit.files[name].append({path, before, it.value(), {}});
            folder.nodes[name].insert(path, it.value());
        }
    }
    if (folder.nodes.isEmpty())
        return edit;
    const bool live = std::all_of(request.nodes.cbegin(), request.nodes.cend(), [this](const QString &name) { return isLive(name); });
    if (!live) {
        // Validated all the same, node after node, for what it would bring.
        ClusterConfig changed = m_workspace->cluster();
        for (auto it = folder.nodes.cbegin(); it != folder.nodes.cend(); ++it) {
            NodeConfig planned;
            const std::optional<NodePlan> step = planNodeFiles(changed, it.key(), it.value(), error, &planned);
            if (!step)
                return std::nullopt;
            edit.prepared.brought += step->newFindings;
            changed = changed.withNode(std::move(planned));
        }
        edit.notPushable = m_workspace->isLive()
            ? tr("not every node of the change is a member of the running cluster")
            : tr("these are a folder's files, not the running cluster's: connect, then read the running cluster's files");
        return edit;
    }
    std::optional<PreparedPlan> prepared =
        preparePlan(m_workspace->cluster(), m_workspace->liveMembers(), folder, std::nullopt, error);
    if (!prepared)
        return std::nullopt;
    edit.prepared = std::move(*prepared);
    return edit;
}

bool NodeEditFlow::apply(const NodeEdit &edit)
{
    return m_applier->apply(edit.prepared);
}

Protocol::AgentClient *NodeEditFlow::clientFor(const QString &node)
{
    QString error;
    const std::optional<Protocol::AgentClient::Endpoint> endpoint =
        Protocol::AgentClient::parseEndpoint(m_workspace->liveMembers().value(node), &error);
    if (!endpoint) {
        emit requestFailed(node, tr("%1 is not a member of the running cluster: %2").arg(node, error));
        return nullptr;
    }
    auto *client = new Protocol::AgentClient(*endpoint, m_connection.keys, m_connection.role, m_connection.tls, this);
    const auto fail = [this, client, node](const QString &why) {
        if (client->property("answered").toBool())
            return;
        client->setProperty("answered", true);
        client->deleteLater();
        emit requestFailed(node, tr("%1 (%2): %3").arg(node, client->endpoint().toString(), why));
    };
    connect(client, &Protocol::AgentClient::requestFailed, this,
            [fail](qint64, const QString &, const QString &message) { fail(message); });
    connect(client, &Protocol::AgentClient::refused, this, fail);
    connect(client, &Protocol::AgentClient::disconnected, this, fail);
    return client;
}

namespace {
// Marks a one-request client answered (its later disconnect is no failure) and lets it go.
void done(Protocol::AgentClient *client)
{
    client->setProperty("answered", true);
    client->deleteLater();
}
} // namespace

void NodeEditFlow::requestBackups(const QString &node)
{
    Protocol::AgentClient *client = clientFor(node);
    if (!client)
        return;
    connect(client, &Protocol::AgentClient::connected, client, [client] { client->configBackups(); });
    connect(client, &Protocol::AgentClient::backupsReceived, this,
            [this, client, node](qint64, const QList<Protocol::BackupInfo> &backups) {
        done(client);
        emit backupsReceived(node, backups);
    });
    client->open();
}

void NodeEditFlow::requestBackup(const QString &node, int number)
{
    Protocol::AgentClient *client = clientFor(node);
    if (!client)
        return;
    connect(client, &Protocol::AgentClient::connected, client, [client, number] { client->configBackup(number); });
    connect(client, &Protocol::AgentClient::backupReceived, this,
            [this, client, node, number](qint64, const QMap<QString, QByteArray> &files, const QStringList &absent) {
        done(client);
        emit backupReceived(node, number, files, absent);
    });
    client->open();
}

void NodeEditFlow::rollback(const QString &node, int number)
{
    QString error;
    const std::optional<Protocol::AgentClient::Endpoint> endpoint =
        Protocol::AgentClient::parseEndpoint(m_workspace->liveMembers().value(node), &error);
    if (!endpoint) {
        emit requestFailed(node, tr("%1 is not a member of the running cluster: %2").arg(node, error));
        return;
    }
    rollBackFiles(*endpoint, m_connection.keys, m_connection.role, m_connection.tls, number, this,
                  [this, node](bool ok, const QString &message, int) {
        emit rolledBack(node, ok, message);
        if (ok)
            m_workspace->reload();
    });
}

QList<PlannedFile> NodeEditFlow::rollbackChanges(const QString &node, const QMap<QString, QByteArray> &files,
                                                 const QStringList &absent) const
{
    const QMap<QString, QByteArray> current = filesOf(node);
    QList<PlannedFile> changes;
    for (auto it = files.cbegin(); it != files.cend(); ++it) {
        if (current.value(it.key()) != it.value())
            changes.append({it.key(), current.value(it.key()), it.value(), {}});
    }
    for (const QString &path : absent) {
        if (current.contains(path))
            changes.append({path, current.value(path), QByteArray(), {}});
    }
    return changes;
}

} // namespace Tribune::Planner
