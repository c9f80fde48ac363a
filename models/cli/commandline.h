#pragma once

#include <QStringList>

class QCommandLineParser;
class QTextStream;

namespace Tribune::Cli {

// Parses "tribunectl COMMAND ARGUMENTS..." with --help added. Returns false when the command
// ends here: after printing help (*exitCode 0) or the parse error (*exitCode 2).
bool parseCommandLine(QCommandLineParser &parser, const QString &command, const QStringList &arguments,
                      QTextStream &out, QTextStream &err, int *exitCode);

} // namespace Tribune::Cli
