#pragma once

#include <QList>
#include <QString>

namespace Tribune {

struct NodeFacts;

// A labelled value about a node, as the console's details pane and reports show it.
struct DescriptionRow
{
    QString label;
    QString value;
};

// What an administrator wants to see of a node at a glance: identity, ports after the offset,
// well-known members, registry databases and the files read.
QList<DescriptionRow> describeNode(const NodeFacts &facts);

} // namespace Tribune
