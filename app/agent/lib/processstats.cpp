#include "processstats.h"

#include <QByteArray>
#include <QByteArrayList>
#include <QFile>
#include <QString>

#include <optional>

#ifdef Q_OS_LINUX
#include <unistd.h>
#endif

namespace Tribune::Agent {

#ifdef Q_OS_LINUX
namespace {

// /proc files report a size of 0, so read them until end of file rather than by size.
std::optional<QByteArray> readProcFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    QByteArray bytes = file.readAll();
    if (bytes.isEmpty())
        return std::nullopt;
    return bytes;
}

// The fields of /proc/<pid>/stat after "(comm)", so that the first entry is field 3 (state).
// comm may itself hold spaces and parentheses; only the last ')' ends it.
std::optional<QByteArrayList> statFieldsAfterComm(const QByteArray &stat)
{
    const qsizetype close = stat.lastIndexOf(')');
    if (close < 0)
        return std::nullopt;
    QByteArrayList fields = stat.mid(close + 1).simplified().split(' ');
    if (fields.size() < 20) // starttime is field 22, the 20th after comm
        return std::nullopt;
    return fields;
}

std::optional<qint64> toInt64(const QByteArray &text)
{
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    return ok && value >= 0 ? std::optional<qint64>(value) : std::nullopt;
}

// Resident memory from statm (pages), falling back to the VmRSS line of status (kB).
std::optional<qint64> residentBytes(const QString &procDir)
{
    if (const std::optional<QByteArray> statm = readProcFile(procDir + QLatin1String("/statm"))) {
        const QByteArrayList fields = statm->simplified().split(' ');
        const long pageSize = sysconf(_SC_PAGESIZE);
        if (fields.size() >= 2 && pageSize > 0) {
            if (const std::optional<qint64> pages = toInt64(fields.at(1)))
                return *pages * pageSize;
        }
    }
    if (const std::optional<QByteArray> status = readProcFile(procDir + QLatin1String("/status"))) {
        for (const QByteArray &line : status->split('\n')) {
            if (!line.startsWith("VmRSS:"))
                continue;
            const QByteArrayList parts = line.mid(6).simplified().split(' '); // "1234 kB"
            if (const std::optional<qint64> kib = toInt64(parts.value(0)))
                return *kib * 1024;
        }
    }
    return std::nullopt;
}

} // namespace
#endif

ProcessStats::ProcessStats(qint64 pid)
    : m_pid(pid)
{
}

ProcessStats::Sample ProcessStats::sample()
{
    Sample result;
#ifdef Q_OS_LINUX
    if (m_pid <= 0)
        return result;
    const long ticksPerSecond = sysconf(_SC_CLK_TCK);
    if (ticksPerSecond <= 0)
        return result;

    const QString procDir = QLatin1String("/proc/") + QString::number(m_pid);
    const std::optional<QByteArray> stat = readProcFile(procDir + QLatin1String("/stat"));
    const std::optional<QByteArray> uptime = readProcFile(QStringLiteral("/proc/uptime"));
    if (!stat || !uptime)
        return result;
    const std::optional<QByteArrayList> fields = statFieldsAfterComm(*stat);
    if (!fields)
        return result;
    // Fields 14 (utime), 15 (stime) and 22 (starttime), all in clock ticks.
    const std::optional<qint64> utime = toInt64(fields->at(11));
    const std::optional<qint64> stime = toInt64(fields->at(12));
    const std::optional<qint64> startTicks = toInt64(fields->at(19));
    bool uptimeOk = false;
    const double systemUptimeSeconds = uptime->simplified().split(' ').value(0).toDouble(&uptimeOk);
    const std::optional<qint64> rss = residentBytes(procDir);
    if (!utime || !stime || !startTicks || !uptimeOk || !rss)
        return result;

    const qint64 cpuTicks = *utime + *stime;
    const double startSeconds = double(*startTicks) / double(ticksPerSecond);
    result.uptimeMs = qMax<qint64>(0, qint64((systemUptimeSeconds - startSeconds) * 1000.0));
    result.rssBytes = *rss;

    // CPU share of one core over the wall time since the baseline. A different start time means
    // the pid now names another process: start over from its own start.
    const bool sameProcess = m_lastCpuTicks >= 0 && m_lastStartTicks == *startTicks && m_lastSampleClock.isValid();
    const double cpuSeconds = double(cpuTicks - (sameProcess ? m_lastCpuTicks : 0)) / double(ticksPerSecond);
    const double wallSeconds = sameProcess ? double(m_lastSampleClock.nsecsElapsed()) / 1e9 : double(result.uptimeMs) / 1000.0;
    result.cpuPercent = wallSeconds > 0.0 ? qMax(0.0, 100.0 * cpuSeconds / wallSeconds) : 0.0;

    m_lastCpuTicks = cpuTicks;
    m_lastStartTicks = *startTicks;
    m_lastSampleClock.start();
    result.valid = true;
#endif
    return result;
}

} // namespace Tribune::Agent
