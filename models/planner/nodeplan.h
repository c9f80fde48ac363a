#pragma once

#include "cluster/finding.h"
#include "planner/typededit.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace Tribune {
class ClusterConfig;
class NodeConfig;
}

namespace Tribune::Planner {


// One file of a plan: what a node has now (empty for a node that does not exist yet) and what
// it will have.
struct PlannedFile
{
    QString path; // relative to repository/conf, e.g. "axis2/axis2.xml"
    QByteArray before;
    QByteArray after;
    QByteArray templateBytes; // the template node's version, for a new node's diff
};

// A new node like an existing one, asked for by name of the template and the server it goes to.
struct NewNodeRequest
{
    QString like;      // the template node's name (its folder)
    QString host;      // the new node's localMemberHost: an address or a name the host model resolves
    QString name;      // the new node's folder name; default: <template>-<n>, unused yet
    QString subDomain; // default: the template's
    QList<TypedEdit> edits; // the user's overrides of what was allocated, applied last
};

// What a plan changes and what the whole cluster would say once it is applied. A wizard builds
// one, shows it, and hands it back; models/ writes it.
struct NodePlan
{
    QString node;       // the node the plan makes (or changes)
    QString templateNode;
    QString server;     // the server it lands on, as the host model resolves its host
    int offset = 0;
    int memberPort = 0;
    QString subDomain;
    QString localRegistryDatabase; // the database name its local registry gets, if it needed one
    QList<PlannedFile> files;
    // The whole cluster's findings with the plan applied, and those of them it brings.
    QList<Finding> findings;
    QList<Finding> newFindings;

    bool blocked() const { return countOf(newFindings, Severity::Error) > 0; }
    // Every file's diff against the template (or what the node has), unified.
    QString diff() const;
};

// Plans a new node like request.like on request.host: the template's files, with a port offset
// and membership port free on that server (per the cluster's host model), its localMemberHost,
// sub-domain, port mappings after the new offset, and a local registry database of its own when
// the template's is a shared server's. Validated against the whole cluster with it added.
// Nothing on error (unknown template, name taken, host unresolvable), with *error saying why.
// current: the cluster's findings as they are, when the caller holds them already (a console
// re-planning on every change); otherwise they are worked out again.
std::optional<NodePlan> planNodeLike(const ClusterConfig &cluster, const NewNodeRequest &request, QString *error,
                                     const QList<Finding> *current = nullptr);

// Plans typed edits of an existing node (see TypedEdit), validated against the whole cluster with
// the node changed. files holds only the files the edits change. Nothing, with *error, when the
// node is unknown or an edit cannot be made.
std::optional<NodePlan> planNodeEdit(const ClusterConfig &cluster, const QString &node, const QList<TypedEdit> &edits,
                                     QString *error);

// Plans a node's files as given (raw text, or a plan written to a folder): merged over what the
// node has (all of them for a node the cluster does not have yet), validated against the whole
// cluster with the node changed. planned, when given, gets the node as it would be, for plans
// that change several nodes. Nothing, with *error, when a file is not a known configuration
// file or does not parse.
std::optional<NodePlan> planNodeFiles(const ClusterConfig &cluster, const QString &node,
                                      const QMap<QString, QByteArray> &files, QString *error,
                                      NodeConfig *planned = nullptr);

} // namespace Tribune::Planner
