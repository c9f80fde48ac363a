#include "swimtimings.h"

#include <QtMath>

#include <algorithm>

namespace Tribune::Agent {

namespace {

// 1 up to the calibrated size, then growing with log10 n: the rounds a change needs to reach
// everyone grow that way, and confirmations need them to arrive.
double growth(int members)
{
    return std::max(1.0, std::log10(double(std::max(members, 1))) / std::log10(double(SwimTimings::CalibratedMembers)));
}

} // namespace

qint64 SwimTimings::suspicionMinMs(int members) const
{
    return qint64(std::llround(dropTimeMs / 2.0 * growth(members)));
}

qint64 SwimTimings::suspicionMaxMs(int members) const
{
    // A member nobody else confirms still falls within D in a small cluster: its first failed
    // probe comes within two intervals, the suspicion takes the rest.
    const double longest = std::max(dropTimeMs / 2.0, double(dropTimeMs - 2 * probeIntervalMs));
    return qint64(std::llround(longest * growth(members)));
}

int SwimTimings::expectedConfirmations(int members) const
{
    // Besides the first suspecter, at most the other members but the suspect itself.
    return std::clamp(members - 2, 0, indirectProbes);
}

qint64 SwimTimings::suspicionTimeoutMs(int members, int confirmations) const
{
    const qint64 lowest = suspicionMinMs(members);
    const qint64 highest = suspicionMaxMs(members);
    const int expected = expectedConfirmations(members);
    if (expected <= 0 || highest <= lowest)
        return lowest;
    const double share = std::log(double(std::min(confirmations, expected) + 1)) / std::log(double(expected + 1));
    return std::max(lowest, qint64(std::llround(double(highest) - double(highest - lowest) * share)));
}

int SwimTimings::retransmitLimit(int members) const
{
    return retransmitMultiplier * std::max(1, int(std::ceil(std::log10(double(members + 1)))));
}

} // namespace Tribune::Agent
