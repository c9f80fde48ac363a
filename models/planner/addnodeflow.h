#pragma once

#include "nodeplan.h"
#include "nodesettings.h"
#include "planapplier.h"

#include <QObject>
#include <QStringList>

#include <optional>

namespace Tribune {
class ClusterWorkspace;
}

namespace Tribune::Planner {

// A new node, and for a sub-domain the load balancer does not serve yet, the load balancer's
// change that serves it: one plan, validated as a whole.
struct AddNodePlan
{
    NodePlan node; // its newFindings are what the whole plan brings
    std::optional<NodePlan> loadBalancer;

    QList<Finding> newFindings() const;
    bool blocked() const { return countOf(newFindings(), Severity::Error) > 0; }
    // Every changed file of both, load balancer first.
    QList<std::pair<QString, PlannedFile>> files() const; // node name, file
};

// What the console's Add Node wizard does, kept out of the widgets: on the running cluster a
// workspace holds (ClusterWorkspace::openLive), it plans a new node like a template node (with
// the cluster's findings known, so that re-planning on every change is quick), prepares it for
// the bare agent on the new server, and applies it, following the node into the cluster.
class AddNodeFlow final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AddNodeFlow)

public:
    // connection: how to reach the cluster's agents, and how long to follow the join.
    // After an apply, the workspace reads the running cluster again, so that its files and
    // findings are the cluster's.
    AddNodeFlow(ClusterWorkspace *workspace, JoinWatcher::Settings connection, QObject *parent = nullptr);
    ~AddNodeFlow() override;

    // Nodes a new one can be like (not the load balancer), by name.
    QStringList templates() const;
    // The nodes already on the server a host names, one line each for people.
    QStringList nodesOnServer(const QString &host) const;
    QString subDomainOf(const QString &node) const;
    // The form's settings (see nodeSettings) of a planned node, and of a node of the cluster, by key.
    static QMap<QString, NodeSetting> settingsOf(const NodePlan &plan);
    QMap<QString, NodeSetting> settingsOf(const QString &node) const;
    // Whether the load balancer serves the template's domain under that sub-domain already.
    bool servesSubDomain(const QString &templateNode, const QString &subDomain) const;

    // A new node as asked. For a sub-domain the load balancer does not serve yet, subDomainHosts
    // (comma-separated host names) makes the load balancer serve it; without them the plan says
    // the sub-domain is unserved.
    std::optional<AddNodePlan> plan(const NewNodeRequest &request, const QString &subDomainHosts, QString *error) const;
    // The plan for the bare agent at provisioningAgent (HOST:PORT), checked against the whole
    // running cluster. Nothing, with *error, when it cannot be applied as asked.
    std::optional<PreparedPlan> prepare(const AddNodePlan &plan, const QString &provisioningAgent, QString *error) const;
    // Pushes the plan and follows the new node in; false while a plan is still being applied.
    bool apply(const PreparedPlan &plan);
    // What applies the plans, whose signals tell each push, each step of the join, the end, and
    // after a failure rolls back the nodes that took the plan (PlanApplier::rollBack).
    PlanApplier *applier() const { return m_applier; }
    // Writes the plan for a server reached by other means: a folder, or a .tar.gz when path ends
    // so (see PlanFolder); `tribunectl node apply --plan` takes it later.
    bool exportPlan(const AddNodePlan &plan, const QString &path, QString *error) const;

    // The command that starts the bare agent the node's files go to, for its server.
    static QString provisionCommand(const QString &node, const QString &listen, const QString &keyFile);

private:
    ClusterWorkspace *m_workspace;
    PlanApplier *m_applier;
};

} // namespace Tribune::Planner
