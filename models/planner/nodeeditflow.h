#pragma once

#include "nodeplan.h"
#include "planapplier.h"

#include <QObject>
#include <QStringList>

#include <optional>

namespace Tribune {
class ClusterWorkspace;
}

namespace Tribune::Planner {

// Changes to one or several nodes of the running cluster, as the Configure dialog makes them:
// whole files typed in a raw view, then typed edits (the form's), applied to every node named.
struct NodeEditRequest
{
    QStringList nodes;
    QMap<QString, QMap<QString, QByteArray>> rawFiles; // node -> path below repository/conf -> text
    QList<TypedEdit> edits;                            // applied to each node, after its raw files
};

// What the request changes, checked against the whole running cluster with every node changed.
struct NodeEdit
{
    QMap<QString, QList<PlannedFile>> files; // node -> the files that change, before and after
    PreparedPlan prepared;
    // Why it cannot be pushed although it validates (nodes of a folder, not of the running
    // cluster); prepared.brought still says what it would bring.
    QString notPushable;

    bool isEmpty() const { return files.isEmpty(); }
    bool blocked() const { return prepared.blocked(); }
    // Every changed file's diff, node by node, unified.
    QString diff() const;
};

// What the console's Configure dialog does, kept out of the widgets: plans edits of nodes of the
// running cluster the workspace holds (ClusterWorkspace::openLive), pushes them, lists a node's
// backups and what each saved, and rolls a node back. After a change lands, the workspace reads
// the running cluster again, so that its files and findings are the cluster's.
class NodeEditFlow final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NodeEditFlow)

public:
    NodeEditFlow(ClusterWorkspace *workspace, JoinWatcher::Settings connection, QObject *parent = nullptr);
    ~NodeEditFlow() override;

    ClusterWorkspace *workspace() const { return m_workspace; }
    // Whether the node is a member of the running cluster the workspace holds: only then can it
    // be pushed to, and has backups to show.
    bool isLive(const QString &node) const;
    // The other nodes of the node's domain and sub-domain, which can be edited with it.
    QStringList nodesLike(const QString &node) const;
    // A node's files as the workspace has them: path below repository/conf -> bytes.
    QMap<QString, QByteArray> filesOf(const QString &node) const;

    std::optional<NodeEdit> plan(const NodeEditRequest &request, QString *error) const;
    // Pushes a plan; the applier tells each push, then the end. False while a push is under way.
    bool apply(const NodeEdit &edit);
    PlanApplier *applier() const { return m_applier; }

    // Asks a node's agent; the answers come as signals, or as requestFailed().
    void requestBackups(const QString &node);
    void requestBackup(const QString &node, int number);
    void rollback(const QString &node, int number);
    // What rolling node back to a backup holding files (absent: those it removes) would change,
    // file by file, against the node's files now.
    QList<PlannedFile> rollbackChanges(const QString &node, const QMap<QString, QByteArray> &files,
                                       const QStringList &absent) const;

signals:
    void backupsReceived(const QString &node, const QList<Tribune::Protocol::BackupInfo> &backups);
    void backupReceived(const QString &node, int number, const QMap<QString, QByteArray> &files, const QStringList &absent);
    void rolledBack(const QString &node, bool ok, const QString &message);
    void requestFailed(const QString &node, const QString &message);

private:
    // A connection to the node's agent for one request; it goes away once answered or failed.
    Protocol::AgentClient *clientFor(const QString &node);

    ClusterWorkspace *m_workspace;
    JoinWatcher::Settings m_connection;
    PlanApplier *m_applier;
};

} // namespace Tribune::Planner
