#pragma once

#include "typededit.h"

#include <QList>
#include <QString>

#include <optional>

namespace Tribune {
class NodeConfig;
}

namespace Tribune::Planner {

// One setting of a node that an administrator changes often, as a form shows it: its group and
// label for people, the typed edit that changes it (docs/TYPED-EDITS.md), and its value now.
struct NodeSetting
{
    enum class Kind { Text, Number, Flag, Secret };

    QString group; // "Membership", "Ports", "Hosts", "Registry", "User store", "Datasource NAME"
    QString label;
    NodeConfig::File file = NodeConfig::File::Axis2;
    QString key;
    QString value;
    Kind kind = Kind::Text;
    int line = 0; // where the value is written in its file, when it is

    TypedEdit edit(const QString &newValue) const { return {file, key, newValue}; }
};

// The settings of a node a form offers: membership (host, port, domain, sub-domain, well-known
// members), the port offset and proxy ports, host names, registry mounts (read-only, cache),
// the user store's datasource and every datasource's URL, user and password. In file order
// within each group.
QList<NodeSetting> nodeSettings(const NodeConfig &node);

// The node's file a path names, below repository/conf ("axis2/axis2.xml"), whether the path is
// that already or a file of the node's folder; empty for a file that is not the node's.
QString confRelativePath(const NodeConfig &node, const QString &path);

// The form's setting written on that line of that file (as confRelativePath takes it): what
// "Fix…" on a finding there changes. Nothing when no setting of the form is written there.
std::optional<NodeSetting> settingAt(const NodeConfig &node, const QString &path, int line);

} // namespace Tribune::Planner
