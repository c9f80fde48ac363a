#pragma once

#include "joinwatcher.h"

#include "cluster/finding.h"
#include "protocol/agentclient.h"

#include <QMap>
#include <QObject>

#include <functional>
#include <optional>

namespace Tribune {
class ClusterConfig;
class ClusterWorkspace;
}

namespace Tribune::Planner {

struct PlanFolder;

// One node's part of a plan: where its files go and what it becomes.
struct Delivery
{
    QString node;
    QMap<QString, QByteArray> files; // paths below repository/conf
    Protocol::AgentClient::Endpoint target;
    bool isNew = false;
    bool isLoadBalancer = false;
    bool movesMember = false; // its membership endpoint, domain, sub-domain or offset changes
    QString memberId;         // the member it is (or will be), when known
};

// A plan checked against the whole running cluster, in the order it is pushed: the load balancer
// first (a new backend must exist before its members join), the new or moved node last (the one
// followed into the cluster).
struct PreparedPlan
{
    QList<Delivery> deliveries;
    QList<Finding> brought; // what the plan brings to the cluster
    int nodeCount = 0;      // of the cluster once applied
    bool blocked() const { return countOf(brought, Severity::Error) > 0; }
};

// Prepares plan against the running cluster live, whose members (node name -> member id) receive
// the files; a new node's go to provisioningAgent. Nothing, with *error, when the plan cannot be
// applied as asked: a file that does not parse, a node that is not live, a new node without a
// provisioning agent, or more than one new node.
std::optional<PreparedPlan> preparePlan(const ClusterConfig &live, const QMap<QString, QString> &members,
                                        const PlanFolder &plan,
                                        const std::optional<Protocol::AgentClient::Endpoint> &provisioningAgent,
                                        QString *error);

// What a change of one node's files (a push or a rollback) did: whether the agent made it, its
// answer (or why it could not be asked), and the backup holding what it replaced.
using ChangeDone = std::function<void(bool ok, const QString &message, int backup)>;

// Pushes files to one agent (paths below repository/conf; removed ones are deleted); done is
// called once.
void pushFiles(const Protocol::AgentClient::Endpoint &target, const Protocol::KeyRing &keys, Protocol::Role role,
               const Protocol::TlsOptions &tls, const QMap<QString, QByteArray> &files, QObject *context, ChangeDone done);
// Rolls one agent's node back to a backup; done is called once.
void rollBackFiles(const Protocol::AgentClient::Endpoint &target, const Protocol::KeyRing &keys, Protocol::Role role,
                   const Protocol::TlsOptions &tls, int backup, QObject *context, ChangeDone done);

// Applies a prepared plan: pushes each node's files in order, all or nothing per node (the agent
// checks them again), then follows the last node into the cluster with a JoinWatcher. A push that
// fails stops there; the nodes before it keep their new files, and their backups take them back.
class PlanApplier final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PlanApplier)

public:
    explicit PlanApplier(JoinWatcher::Settings settings, QObject *parent = nullptr);
    ~PlanApplier() override;

    // Starts pushing; false (and nothing done) while a plan is still being applied or rolled back.
    bool apply(const PreparedPlan &plan);
    bool isBusy() const { return m_busy; }

    // A node whose files the plan changed, and the backup that takes them back.
    struct Landed
    {
        QString node;
        Protocol::AgentClient::Endpoint target;
        int backup = 0;     // 0: the files were the node's already
        bool isNew = false; // a new node's first files: a rollback would leave it without any
    };
    const QList<Landed> &landed() const { return m_landed; }
    // The nodes rollBack() would take back: those that existed before the plan.
    QStringList rollbackCandidates() const;
    // Takes every node that existed before the plan back to its files before it, the last pushed
    // first; rolledBack() per node, then rollbackFinished().
    void rollBack();

signals:
    // One node's files were taken (or, with ok false, refused: the plan stops there).
    void pushed(const QString &node, const QString &endpoint, bool ok, const QString &message);
    void stepReached(Tribune::Planner::JoinWatcher::Step step, qint64 elapsedMs, const QString &detail);
    void finished(bool ok, const QString &message);
    void rolledBack(const QString &node, bool ok, const QString &message);
    void rollbackFinished(bool ok);

private:
    void pushNext();
    void rollBackNext(QList<Landed> remaining, bool allOk);

    JoinWatcher::Settings m_settings;
    JoinWatcher *m_watcher;
    QList<Delivery> m_deliveries;
    QList<Landed> m_landed;
    int m_next = 0;
    bool m_busy = false;
};

// After each apply or rollback of applier, the running cluster workspace holds is read again (what
// landed is the cluster's now, even half way), once those who follow applier were told.
void rereadAfterChanges(PlanApplier *applier, ClusterWorkspace *workspace);

} // namespace Tribune::Planner
