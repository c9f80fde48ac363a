#pragma once

#include <QStringList>

class QTextStream;

namespace Tribune::Cli {

// tribunectl config diff DIR_A DIR_B, or config diff --node HOST:PORT --key-file K --from DIR:
// the unified diff of two nodes' configuration files (CARBON_HOME or repository/conf folders),
// or of a folder against a node's live files. Exit 0 when they are the same, 1 when they differ,
// 2 when they cannot be read. Arguments start after "diff".
int runConfigDiff(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace Tribune::Cli
