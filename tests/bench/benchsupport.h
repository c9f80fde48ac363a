#pragma once

// What the benchmarks share: their knobs from the environment.

#include <QtGlobal>

namespace TestSupport {

// A positive number of seconds from the environment variable name, else fallback.
inline int envSeconds(const char *name, int fallback)
{
    bool ok = false;
    const int value = qEnvironmentVariableIntValue(name, &ok);
    return ok && value > 0 ? value : fallback;
}

} // namespace TestSupport
