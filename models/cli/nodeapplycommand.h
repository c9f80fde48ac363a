#pragma once

#include <QStringList>

class QTextStream;

namespace Tribune::Cli {

// tribunectl node apply: pushes a plan folder to the nodes it changes, after validating the whole
// running cluster with it, and follows the node into the cluster step by step.
int runNodeApply(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace Tribune::Cli
