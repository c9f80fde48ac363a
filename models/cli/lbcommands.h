#pragma once

#include <QStringList>

class QTextStream;

namespace Tribune::Cli {

// tribunectl lb status --socket PATH|HOST:PORT [--json]
// tribunectl lb drain|ready|maint BACKEND/SERVER --socket ...
// tribunectl lb weight BACKEND/SERVER N --socket ...
int runLoadBalancer(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace Tribune::Cli
