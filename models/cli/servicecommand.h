#pragma once

#include <QStringList>

class QTextStream;

namespace Tribune::Cli {

// A path as "systemd-escape --path" writes it: the name of a template unit's instance whose %I
// is that path without its leading slash.
QString systemdEscapePath(const QString &path);

// tribunectl service install CARBON_HOME [--key-file FILE] [--lb] [--root DIR]: writes the
// drop-in of tribune-agent@INSTANCE.service that runs the node's agent as the user owning
// CARBON_HOME. Arguments start after "service".
int runService(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace Tribune::Cli
