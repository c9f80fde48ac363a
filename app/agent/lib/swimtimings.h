#pragma once

#include <QtGlobal>

namespace Tribune::Agent {

// The timings of SWIM failure detection and dissemination, derived from the two settings
// axis2.xml has always had (docs/PROTOCOL.md, "Failure detection"): mcastFrequency is the probe
// interval T, memberDropTime the time D within which a member that died is declared failed.
struct SwimTimings
{
    // Suspicion stays flat up to this many members and grows with log10 n beyond: calibrated so
    // that a killed member is declared failed within D + 500 ms at this size (bench_membership).
    static constexpr int CalibratedMembers = 200;

    int probeIntervalMs = 500;
    int dropTimeMs = 3000;
    int indirectProbes = 3;       // k: peers asked to probe when a direct probe gets no answer
    int retransmitMultiplier = 4; // lambda: each update is sent lambda * ceil(log10(n + 1)) times
    int gossipFanout = 3;         // peers a gossip round sends pending updates to

    // A direct probe's answer is due within half an interval; the indirect ones by its end.
    int probeTimeoutMs() const { return qMax(1, probeIntervalMs / 2); }
    int gossipIntervalMs() const { return qMax(1, probeIntervalMs / 2); }
    // How long a suspicion lasts before the member is declared failed (Lifeguard): from the
    // maximum with a single suspecter down to the minimum once the expected number of
    // independent confirmations has arrived.
    qint64 suspicionMinMs(int members) const;
    qint64 suspicionMaxMs(int members) const;
    qint64 suspicionTimeoutMs(int members, int confirmations) const;
    // Confirmations that bring the timeout to its minimum.
    int expectedConfirmations(int members) const;
    int retransmitLimit(int members) const;
};

} // namespace Tribune::Agent
