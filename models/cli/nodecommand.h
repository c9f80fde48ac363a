#pragma once

#include <QStringList>

class QTextStream;

namespace Tribune::Cli {

// tribunectl node plan [PATH... | --seed S --key-file K] --like NODE --host HOST [--name NAME]
// [--sub-domain SUB] [--hosts FILE] [--json] [--out DIR]: plans a new node like an existing one,
// prints the allocated values, the diff against the template and what the whole cluster would
// say; exit 1 when the plan brings errors. Arguments start after "node".
int runNode(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace Tribune::Cli
