#pragma once

#include <QStringList>

class QTextStream;

namespace Tribune::Cli {

// tribunectl snapshot export|show: a snapshot of the running cluster to one file, and what one
// holds (docs/SNAPSHOT.md has its JSON).
int runSnapshot(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace Tribune::Cli
