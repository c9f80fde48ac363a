#pragma once

#include "cluster/nodeconfig.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace Tribune::Planner {

// One typed edit of a node's file, as tribunectl writes it: FILE:KEY=VALUE, e.g.
// "axis2.xml:localMemberPort=4010" or "axis2.xml:wka=127.0.0.1:4000,127.0.0.1:4001". The keys are
// listed in docs/TYPED-EDITS.md.
struct TypedEdit
{
    NodeConfig::File file = NodeConfig::File::Axis2;
    QString key;
    QString value;
};

// Parses FILE:KEY=VALUE; nothing, with *error saying why, for an unknown file or key.
std::optional<TypedEdit> parseTypedEdit(const QString &text, QString *error);

// Applies the edits to a node's files in memory (file -> bytes), each through the file's own
// lossless editor; paths name the files in errors. False, with *error, at the first that fails.
bool applyTypedEdits(QMap<NodeConfig::File, QByteArray> *files, const QList<TypedEdit> &edits,
                     const QString &confPath, QString *error);

} // namespace Tribune::Planner
