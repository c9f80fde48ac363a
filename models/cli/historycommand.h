#pragma once

#include <QStringList>

class QTextStream;

namespace Tribune::Cli {

// tribunectl history check [--history URL] [--json]
// tribunectl history events [--history URL] [--from T] [--to T] [--search TEXT] [--limit N] [--json]
// tribunectl history samples --member ID [--member ID ...] [--history URL] [--from T] [--to T] [--json]
// T is ISO 8601 or an age before now (15m, 2h, 1d). Exit codes: 0 done, 1 the history failed,
// 2 bad command line.
int runHistory(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace Tribune::Cli
