#pragma once

// What the benchmarks share: their knobs from the environment, and percentiles.

#include <QList>
#include <QtGlobal>

#include <algorithm>
#include <cmath>

namespace TestSupport {

// A positive number of seconds from the environment variable name, else fallback.
inline int envSeconds(const char *name, int fallback)
{
    bool ok = false;
    const int value = qEnvironmentVariableIntValue(name, &ok);
    return ok && value > 0 ? value : fallback;
}

// The p-th percentile (0..1) by the nearest-rank method; 0 for no values.
inline double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const qsizetype rank = qsizetype(std::ceil(p * double(values.size())));
    return values.at(std::clamp<qsizetype>(rank - 1, 0, values.size() - 1));
}

} // namespace TestSupport
