#pragma once

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QtGlobal>

namespace Tribune::Agent {

// Samples one process's CPU use, resident memory and uptime from Linux /proc, for the agent's
// health numbers. Each sample() compares with the previous one, so call it periodically (every
// few seconds) on one instance per watched process. Elsewhere, or when /proc cannot be read (the
// process is gone, no permission), samples come back with valid == false; nothing throws or crashes.
class ProcessStats final
{
public:
    struct Sample
    {
        qint64 uptimeMs = 0;     // since the process started
        double cpuPercent = 0.0; // of one core since the previous sample (may exceed 100 with threads);
                                 // the first sample gives the average since the process started
        qint64 rssBytes = 0;     // resident set size
        bool valid = false;
    };

    explicit ProcessStats(qint64 pid = QCoreApplication::applicationPid());

    qint64 pid() const { return m_pid; }
    Sample sample();

private:
    qint64 m_pid = 0;
    // Baseline for the next sample: CPU ticks, and when they were read (monotonic clock).
    qint64 m_lastCpuTicks = -1;
    qint64 m_lastStartTicks = -1; // tells a reused pid from the process we measured before
    QElapsedTimer m_lastSampleClock;
};

} // namespace Tribune::Agent
