#pragma once

#include <QStringList>

class QTextStream;

namespace Tribune::Cli {

// Exit codes of tribunectl validate.
enum ValidateExit { NoErrors = 0, ErrorsFound = 1, UnusableInput = 2 };

// tribunectl validate [--json] PATH...: arguments start after "validate".
int runValidate(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace Tribune::Cli
