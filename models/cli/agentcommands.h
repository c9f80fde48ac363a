#pragma once

#include <QStringList>

class QTextStream;

namespace Tribune::Cli {

// tribunectl watch --seed HOST:PORT --key-file F: the view, then every event, one JSON object
// per line, until interrupted (or until --count events when given, for scripts).
int runWatch(const QStringList &arguments, QTextStream &out, QTextStream &err);
// tribunectl members --seed HOST:PORT --key-file F [--json]: the view once.
int runMembers(const QStringList &arguments, QTextStream &out, QTextStream &err);
// tribunectl config get|push|rollback|backups --node HOST:PORT --key-file F ...
int runConfig(const QStringList &arguments, QTextStream &out, QTextStream &err);
// tribunectl health --node HOST:PORT --key-file F: the node's health report as JSON.
int runHealth(const QStringList &arguments, QTextStream &out, QTextStream &err);
// tribunectl keygen FILE: a fresh key file (mode 0600) with member, console and viewer keys.
int runKeygen(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace Tribune::Cli
