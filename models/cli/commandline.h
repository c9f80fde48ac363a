#pragma once

#include <QCoreApplication>
#include <QStringList>

class QCommandLineParser;
class QJsonObject;
class QTextStream;

namespace Tribune::Cli {

// Every command's exit codes: done, failed, or the command line was wrong.
enum Exit { Ok = 0, Failed = 1, Usage = 2 };

// Parses "tribunectl COMMAND ARGUMENTS..." with --help added. Returns false when the command
// ends here: after printing help (*exitCode 0) or the parse error (*exitCode 2).
bool parseCommandLine(QCommandLineParser &parser, const QString &command, const QStringList &arguments,
                      QTextStream &out, QTextStream &err, int *exitCode);

// Prints one JSON document, indented.
void printJson(QTextStream &out, const QJsonObject &object);

} // namespace Tribune::Cli
