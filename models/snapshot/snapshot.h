#pragma once

#include "cluster/finding.h"
#include "history/historystore.h"
#include "protocol/member.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QObject>
#include <QtEndian>
#include <QString>

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace Tribune::Snapshot {

// One member as the console saw it when the snapshot was taken.
struct Member
{
    QString id; // host:port of its membership
    QString node;
    QString domain;
    QString subDomain;
    QString state;         // alive, suspect, failed, left
    qint64 incarnation = 0;
    QString balancerState; // UP, DOWN, DRAIN, MAINT, or empty when HAProxy does not know it
    int weight = -1;       // -1: not known
    QString checkStatus;
    double cpuPercent = -1;
    qint64 rssBytes = -1;
    double heartbeatRttMs = -1;
    // The member as its agent described itself (Protocol::MemberInfo's JSON: host, ports, whether
    // it is the load balancer...); empty when not known (a member known only from an event).
    QJsonObject info;
};

// A member as the membership protocol describes it, in the snapshot's terms.
Member memberOf(const Protocol::MemberInfo &info, Protocol::MemberState state);

// A cluster as it was at one moment, and what led up to it: what a *.tribune-snapshot file holds.
struct Snapshot
{
    // 2: samples in snapshot_samples, one packed row per member (1 kept them in the history's
    // one-row-per-sample tables, still read).
    static constexpr int FormatVersion = 2;

    QDateTime takenAt; // UTC
    QString cluster;   // the cluster's title (its seed, or the folder)
    QString takenBy;
    QString consoleVersion;
    QMap<QString, QString> agentVersions; // member id -> version
    bool secretsIncluded = false;         // otherwise every file was passed through redactSecrets()
    QDateTime windowFrom;                 // the samples cover [windowFrom, takenAt]
    QDateTime eventsFrom;                 // the events cover [eventsFrom, takenAt]; invalid: as the samples
    QStringList missing;                  // what could not be captured, one line each, for people

    QList<Member> members;
    QMap<QString, QByteArray> haproxy;            // "show info", "show stat", "show servers state"
    QMap<QString, QMap<QString, QByteArray>> files; // node -> path below repository/conf -> bytes
    QList<Finding> findings;
    QList<HistoryEvent> events;
    // The samples as collected; a snapshot read from a file holds them packed instead (member id
    // -> its samples as the file keeps them), since two million objects cost a second to make.
    // allSamples() and sampleCount() read either.
    QList<MetricSample> samples;
    QMap<QString, QByteArray> packedSamples;

    QList<MetricSample> allSamples() const;
    qsizetype sampleCount() const;
};

// The values of one packed sample, in MetricSample's order: request rate, sessions, bytes in and
// out per second, 5xx rate, response time.
using SampleValues = std::array<double, 6>;

// How the file packs a member's samples, in time order, PackedSampleBytes each, little-endian: the
// time in milliseconds since the epoch (int64), then the six values (float32 each). A million rows
// of a second each cost SQLite seconds to write and read one by one; a thousand packed rows cost
// milliseconds.
constexpr int PackedSampleBytes = 8 + 6 * 4;

// Calls each(timeMs, values) with every sample packed in data, in time order (inline: it runs
// millions of times when a snapshot opens); false when data is damaged.
template<typename Each>
bool forEachPackedSample(const QByteArray &data, Each &&each)
{
    if (data.size() % PackedSampleBytes != 0)
        return false;
    const uchar *in = reinterpret_cast<const uchar *>(data.constData());
    const uchar *end = in + data.size();
    SampleValues values;
    for (; in < end; in += PackedSampleBytes) {
        for (size_t i = 0; i < values.size(); ++i)
            values[i] = double(qFromLittleEndian<float>(in + 8 + 4 * i));
        each(qFromLittleEndian<qint64>(in), values);
    }
    return true;
}

// Limits on what a snapshot file may hold when it is read.
struct ReadLimits
{
    qint64 maxFileBytes = 512LL * 1024 * 1024;
    int maxMembers = 20000;
    qint64 maxRows = 5'000'000; // events and samples together
};

// Writes the snapshot as one SQLite file (the history's schema for its events and samples, so the
// console's history code and sqlite3 both read it, and tables of its own for the rest). The file
// appears whole or not at all: it is written beside its final name and renamed into place.
// cancelled, when given, is asked before the rename: true drops the file written so far.
bool writeSnapshot(const Snapshot &snapshot, const QString &path, QString *error,
                   const std::function<bool()> &cancelled = {});

// writeSnapshot() on a thread of its own; done(ok, error) follows on the application's thread if
// receiver is still there. cancelled, set at any time, drops the file.
void writeSnapshotInBackground(const Snapshot &snapshot, const QString &path, std::shared_ptr<std::atomic<bool>> cancelled,
                               QObject *receiver, std::function<void(bool ok, const QString &error)> done);

// Reads a snapshot file, within limits; nothing, with *error naming the file and what is wrong,
// for a file that is not a snapshot, is of a newer format, or holds more than the limits.
std::optional<Snapshot> readSnapshot(const QString &path, QString *error, const ReadLimits &limits = {});

} // namespace Tribune::Snapshot
