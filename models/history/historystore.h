#pragma once

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Tribune {

// One line of the console's event log, as kept across restarts of the console.
struct HistoryEvent
{
    QDateTime time;
    QString kind; // join, leave, failure, suspect, refute, health, admin
    QString memberId;
    QString domain;
    QString subDomain;
    QString reason;
};

// A member's traffic at one time, as the load balancer reported it. Non-finite values are kept
// as "no value": they read back as 0 and take no part in response-time maxima and averages.
struct MetricSample
{
    QDateTime time;
    QString memberId;
    double requestRate = 0;
    double sessions = 0;
    double bytesInRate = 0;
    double bytesOutRate = 0;
    double errors5xxRate = 0;
    double responseTimeMs = 0;
};

// How much a history holds and the times it spans; a time is invalid when there are no rows.
struct HistorySummary
{
    qint64 events = 0;
    QDateTime firstEvent;
    QDateTime lastEvent;
    qint64 secondSamples = 0; // one-second rows
    qint64 minuteSamples = 0; // one-minute rows
    QDateTime firstSample;
    QDateTime lastSample;
};

// The console's history: events and traffic samples kept in a database through Qt Sql, so the
// event log and the charts reach back past the console's start. An SQLite file by default; a
// MySQL/MariaDB or PostgreSQL database for a history the team shares.
//
// Samples are kept at two resolutions. One-second rows cover the last hour; compact() rolls
// older seconds up into one-minute rows (rates and sessions averaged over the minute, response
// time the minute's maximum, so slow spells stay visible on long charts) and drops minute rows
// older than 30 days. Queries return one-second rows from where the last roll-up stopped and
// one-minute rows before it. A second written twice for a member keeps the last values.
//
// Every operation reports failure through its result and lastError(), naming what failed, the
// database and the driver's text; nothing throws or waits on a lock for more than a few seconds.
// A store belongs to the thread that opened it (a Qt Sql connection cannot change threads).
class HistoryStore final
{
public:
    enum class Backend { SQLite, MySql, PostgreSql };

    static constexpr int SchemaVersion = 1;
    static constexpr int SecondsKeptFor = 3600; // seconds of one-second rows
    static constexpr int MinutesKeptForDays = 30;
    static constexpr int LockTimeoutSeconds = 3; // the longest wait on another writer's lock

    // Where the default SQLite history lives: "tribune/history.sqlite" in the user's data folder
    // (not the application's), so that the console and tribunectl share it.
    static QString defaultPath();

    // Opens (creating if need be) the history at urlOrEmpty: empty for the default SQLite file,
    // sqlite:///path/file.sqlite, mysql://user:password@host:port/database (mariadb:// alike) or
    // postgresql://user:password@host:port/database. Characters such as @ : / in the user or
    // password are written %40 %3A %2F. On failure returns nothing and sets *error.
    static std::optional<HistoryStore> open(const QString &urlOrEmpty, QString *error);

    HistoryStore(HistoryStore &&other) noexcept;
    HistoryStore &operator=(HistoryStore &&other) noexcept;
    ~HistoryStore(); // closes and removes the store's connection
    Q_DISABLE_COPY(HistoryStore)

    Backend backend() const { return m_backend; }
    // The database in words, for messages: "the SQLite database /path" (never a password).
    QString location() const { return m_location; }
    // What the last failed operation said.
    QString lastError() const { return m_lastError; }

    bool addEvent(const HistoryEvent &event);
    // Several at once, in one transaction: all or none.
    bool addEvents(const QList<HistoryEvent> &events);
    // Events with from <= time <= to (an invalid bound leaves that end open), newest first, at
    // most limit of them (all if limit <= 0). A non-empty search keeps the events whose member,
    // reason or kind contains it, ignoring case.
    QList<HistoryEvent> events(const QDateTime &from, const QDateTime &to, const QString &search = {},
                               int limit = 1000) const;

    // Adds one-second samples (times are truncated to the second) in one transaction.
    bool addSamples(const QList<MetricSample> &samples);
    // One member's samples with from <= time <= to in time order: one-second rows where they
    // exist, one-minute rows (stamped with the minute's start) before. An invalid bound is open.
    QList<MetricSample> samples(const QString &memberId, const QDateTime &from, const QDateTime &to) const;
    // The same over several members, for sub-domain, domain and cluster charts: rates and
    // sessions summed per time, response time averaged over the members that report one. The
    // samples' memberId is empty.
    QList<MetricSample> samplesSummed(const QStringList &memberIds, const QDateTime &from,
                                      const QDateTime &to) const;
    // Each member's own samples, as samples() gives them, in one query for all of them (for
    // stacked charts); members without samples are absent.
    QHash<QString, QList<MetricSample>> samplesOfEach(const QStringList &memberIds, const QDateTime &from,
                                                      const QDateTime &to) const;

    // Row counts and time spans, for a quick look at a history. Times come from indexes; the
    // counts read each table once. Nothing on failure.
    std::optional<HistorySummary> summary() const;

    // Rolls the one-second rows older than an hour before now up into one-minute rows, deletes
    // them, and deletes one-minute rows older than 30 days. Idempotent, and a single cheap query
    // when nothing is due, so it can run every minute (also from several consoles at once).
    bool compact(const QDateTime &now);

private:
    HistoryStore(const QString &connectionName, Backend backend, const QString &location);

    bool prepareSession();
    bool ensureSchema();
    bool createSchema(const QStringList &existing);
    bool readMeta(const QString &name, qint64 *value) const;
    struct SumTable;
    // grouping: summed over the members, or per member (see historysamples.cpp).
    bool readSums(const QStringList &memberIds, const QDateTime &from, const QDateTime &to, int grouping,
                  SumTable *table) const;
    bool fail(const QString &what, const QString &driverText) const;
    void close();

    QString m_connectionName; // empty once moved from
    Backend m_backend = Backend::SQLite;
    QString m_location;
    mutable QString m_lastError;
};

} // namespace Tribune
