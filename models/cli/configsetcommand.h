#pragma once

#include <QStringList>

class QTextStream;

namespace Tribune::Cli {

// tribunectl config set --seed S --key-file K --node NODE FILE:KEY=VALUE...: typed edits of one
// node of the running cluster, validated against the whole cluster first; pushed to the node's
// agent only when they bring no error (exit 1 and nothing written otherwise). Arguments start
// after "set".
int runConfigSet(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace Tribune::Cli
