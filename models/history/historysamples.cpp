// Traffic samples: inserting one-second rows, reading them back at two resolutions, rolling
// seconds up into minutes. On SQLite one-second rows are keyed by ten-second bucket first (see
// historyschema.cpp), so queries there name the buckets they read.
#include "historystore.h"

#include "historysql.h"
#include "i18n/trcontexts.h"

#include <QCoreApplication>
#include <QHash>
#include <QMap>
#include <QSqlError>
#include <QSqlQuery>

#include <array>
#include <functional>
#include <limits>

namespace Tribune {

using namespace HistorySql;

namespace {

constexpr int ColumnsPerRow = 9;
// Rows per insert statement. The servers want few round trips. Qt's SQLite driver asks SQLite
// for every placeholder's name, a linear search, so there the cost grows with the square of a
// statement's placeholders: ten rows a statement insert three times faster than a hundred.
constexpr int rowsPerInsert(HistoryStore::Backend backend)
{
    return backend == HistoryStore::Backend::SQLite ? 10 : 100; // 900 placeholders at most
}
constexpr int MembersPerQuery = 500;
constexpr qint64 ListedBucketsAtMost = 1000; // more only when roll-ups lag hours behind
constexpr qint64 MsPerSecond = 1000;
constexpr qint64 MsPerBucket = 10 * MsPerSecond;
constexpr qint64 MsPerMinute = 60 * MsPerSecond;
constexpr qint64 MsPerDay = 24 * 60 * MsPerMinute;
const QLatin1String CompactedUntil("compacted_until_ms");

constexpr qint64 bucketOf(qint64 timeMs)
{
    return floorTo(timeMs, MsPerBucket) / MsPerBucket;
}

// What the members' rows add up to at one time.
struct Sum
{
    std::array<double, 5> totals{}; // request rate, sessions, bytes in, bytes out, 5xx rate
    double responseSum = 0;
    qint64 responseCount = 0; // members that reported a response time
};

// The buckets of one-second rows a query reads: listed (an index seek each) or, when there are
// very many, as a range. Numbers the store computed, so they go into the SQL as text.
QString bucketCondition(qint64 first, qint64 last)
{
    if (last - first + 1 > ListedBucketsAtMost)
        return QLatin1String("time_bucket >= ") + QString::number(first) + QLatin1String(" AND time_bucket <= ")
            + QString::number(last);
    QStringList buckets;
    for (qint64 bucket = first; bucket <= last; ++bucket)
        buckets << QString::number(bucket);
    return QLatin1String("time_bucket IN (") + buckets.join(QLatin1String(", ")) + QLatin1Char(')');
}

// What a query groups by: each time over all the members, or each member's times.
enum class Grouping { Summed, PerMember };

QString groupColumns(Grouping grouping)
{
    return grouping == Grouping::PerMember ? QStringLiteral("member_id, time_ms") : QStringLiteral("time_ms");
}

// Per-time sums over memberCount members, bound as the members, then first and last time;
// buckets is empty or a condition followed by AND.
QString secondsSql(const QString &buckets, int memberCount, Grouping grouping)
{
    return QLatin1String("SELECT ") + groupColumns(grouping)
        + QLatin1String(", SUM(request_rate), SUM(sessions), SUM(bytes_in_rate), SUM(bytes_out_rate), "
                        "SUM(errors_5xx_rate), SUM(response_time_ms), COUNT(response_time_ms) "
                        "FROM tribune_samples_second WHERE ")
        + buckets + QLatin1String("member_id IN (") + placeholders(memberCount)
        + QLatin1String(") AND time_ms >= ? AND time_ms <= ? GROUP BY ") + groupColumns(grouping)
        + QLatin1String(" ORDER BY ") + groupColumns(grouping);
}

// The same for minutes, where the inner query first recombines a minute rolled up in parts.
QString minutesSql(int memberCount, Grouping grouping)
{
    return QLatin1String("SELECT ") + groupColumns(grouping)
        + QLatin1String(", SUM(rr), SUM(ss), SUM(bi), SUM(bo), SUM(er), SUM(rt), COUNT(rt) FROM "
                        "(SELECT member_id, time_ms, SUM(sum_request_rate) / SUM(sample_count) AS rr, "
                        "SUM(sum_sessions) / SUM(sample_count) AS ss, "
                        "SUM(sum_bytes_in_rate) / SUM(sample_count) AS bi, "
                        "SUM(sum_bytes_out_rate) / SUM(sample_count) AS bo, "
                        "SUM(sum_errors_5xx_rate) / SUM(sample_count) AS er, MAX(max_response_time_ms) AS rt "
                        "FROM tribune_samples_minute WHERE member_id IN (")
        + placeholders(memberCount)
        + QLatin1String(") AND time_ms >= ? AND time_ms <= ? GROUP BY member_id, time_ms) per_member "
                        "GROUP BY ")
        + groupColumns(grouping) + QLatin1String(" ORDER BY ") + groupColumns(grouping);
}

// Sums by member (an empty name when summed over members), then by time.
using SumsByMember = QHash<QString, QMap<qint64, Sum>>;

// Adds the rows that sqlFor(number of members) selects to sums, a chunk of members at a time.
bool sumRows(const QString &connectionName, const std::function<QString(int)> &sqlFor, Grouping grouping,
             const QStringList &memberIds, qint64 first, qint64 last, SumsByMember *sums, QString *error)
{
    const int timeColumn = grouping == Grouping::PerMember ? 1 : 0;
    for (qsizetype start = 0; start < memberIds.size(); start += MembersPerQuery) {
        const QStringList chunk = memberIds.mid(start, MembersPerQuery);
        QSqlQuery query(database(connectionName));
        query.setForwardOnly(true);
        if (!query.prepare(sqlFor(int(chunk.size())))) {
            *error = errorText(query.lastError());
            return false;
        }
        for (const QString &id : chunk)
            query.addBindValue(text(id));
        query.addBindValue(first);
        query.addBindValue(last);
        if (!query.exec()) {
            *error = errorText(query.lastError());
            return false;
        }
        while (query.next()) {
            const QString member = timeColumn > 0 ? query.value(0).toString() : QString();
            Sum &sum = (*sums)[member][query.value(timeColumn).toLongLong()];
            for (size_t i = 0; i < sum.totals.size(); ++i)
                sum.totals[i] += query.value(timeColumn + int(i) + 1).toDouble();
            sum.responseSum += query.value(timeColumn + 6).toDouble();
            sum.responseCount += query.value(timeColumn + 7).toLongLong();
        }
        if (query.lastError().isValid()) {
            *error = errorText(query.lastError());
            return false;
        }
    }
    return true;
}

QList<MetricSample> toSamples(const QMap<qint64, Sum> &sums, const QString &memberId)
{
    QList<MetricSample> result;
    result.reserve(sums.size());
    for (auto it = sums.cbegin(); it != sums.cend(); ++it) {
        MetricSample sample;
        sample.time = QDateTime::fromMSecsSinceEpoch(it.key());
        sample.memberId = memberId;
        sample.requestRate = it->totals[0];
        sample.sessions = it->totals[1];
        sample.bytesInRate = it->totals[2];
        sample.bytesOutRate = it->totals[3];
        sample.errors5xxRate = it->totals[4];
        sample.responseTimeMs = it->responseCount > 0 ? it->responseSum / double(it->responseCount) : 0.0;
        result.append(sample);
    }
    return result;
}

// The buckets that hold one-second rows, as *first and *last (last < first when there are none).
bool storedBuckets(const QString &connectionName, qint64 *first, qint64 *last, QString *error)
{
    QSqlQuery query(database(connectionName));
    if (!query.exec(QStringLiteral("SELECT (SELECT MIN(time_bucket) FROM tribune_samples_second), "
                                   "(SELECT MAX(time_bucket) FROM tribune_samples_second)"))
        || !query.next()) {
        *error = errorText(query.lastError());
        return false;
    }
    const bool empty = query.value(0).isNull();
    *first = empty ? 0 : query.value(0).toLongLong();
    *last = empty ? -1 : query.value(1).toLongLong();
    return true;
}

// A multi-row insert in which a second already stored is replaced: the one place where the
// dialects differ (SQLite and PostgreSQL share ON CONFLICT; MySQL has ON DUPLICATE KEY).
QString insertSql(HistoryStore::Backend backend, int rows)
{
    QString sql = QStringLiteral("INSERT INTO tribune_samples_second (time_bucket, member_id, time_ms, request_rate, "
                                 "sessions, bytes_in_rate, bytes_out_rate, errors_5xx_rate, response_time_ms) VALUES ");
    const QString row = QLatin1Char('(') + placeholders(ColumnsPerRow) + QLatin1Char(')');
    for (int i = 0; i < rows; ++i) {
        if (i > 0)
            sql += QLatin1String(", ");
        sql += row;
    }
    const bool mysql = backend == HistoryStore::Backend::MySql;
    if (mysql)
        sql += QLatin1String(" ON DUPLICATE KEY UPDATE ");
    else if (backend == HistoryStore::Backend::SQLite)
        sql += QLatin1String(" ON CONFLICT (time_bucket, member_id, time_ms) DO UPDATE SET ");
    else
        sql += QLatin1String(" ON CONFLICT (member_id, time_ms) DO UPDATE SET ");
    const char *const columns[] = {"request_rate", "sessions", "bytes_in_rate", "bytes_out_rate", "errors_5xx_rate",
                                   "response_time_ms"};
    for (const char *column : columns) {
        const QLatin1String name(column);
        if (column != columns[0])
            sql += QLatin1String(", ");
        if (mysql)
            sql += name + QLatin1String(" = VALUES(") + name + QLatin1Char(')');
        else
            sql += name + QLatin1String(" = excluded.") + name;
    }
    return sql;
}

// The samples to write: one per member and second, the last given winning (one statement may
// not write a row twice).
QList<const MetricSample *> distinctSeconds(const QList<MetricSample> &samples)
{
    QList<const MetricSample *> rows;
    rows.reserve(samples.size());
    QHash<QPair<QString, qint64>, qsizetype> seen;
    seen.reserve(samples.size());
    for (const MetricSample &sample : samples) {
        const QPair<QString, qint64> key{sample.memberId, floorTo(sample.time.toMSecsSinceEpoch(), MsPerSecond)};
        const auto found = seen.constFind(key);
        if (found == seen.cend()) {
            seen.insert(key, rows.size());
            rows.append(&sample);
        } else {
            rows[*found] = &sample;
        }
    }
    return rows;
}

} // namespace

bool HistoryStore::addSamples(const QList<MetricSample> &samples)
{
    const QString what = HistoryText::tr("Could not add samples to the history");
    for (const MetricSample &sample : samples) {
        if (!sample.time.isValid())
            return fail(what,
                        HistoryText::tr("a sample of member '%1' has no time")
                            .arg(sample.memberId));
    }
    if (samples.isEmpty())
        return true;
    QString error;
    Transaction transaction(m_connectionName, m_backend);
    if (!transaction.begin(&error))
        return fail(what, error);
    {
        // Multi-row inserts: one prepared statement for full chunks, one for the remainder.
        QSqlQuery full(database(m_connectionName));
        QSqlQuery rest(database(m_connectionName));
        bool fullPrepared = false;
        const QList<const MetricSample *> distinct = distinctSeconds(samples);
        const int fullRows = rowsPerInsert(m_backend);
        for (qsizetype start = 0; start < distinct.size(); start += fullRows) {
            const int rows = int(qMin<qsizetype>(fullRows, distinct.size() - start));
            QSqlQuery &query = rows == fullRows ? full : rest;
            if (rows != fullRows || !fullPrepared) {
                if (!query.prepare(insertSql(m_backend, rows)))
                    return fail(what, errorText(query.lastError()));
                fullPrepared = fullPrepared || rows == fullRows;
            }
            for (int row = 0; row < rows; ++row) {
                const MetricSample &sample = *distinct.at(start + row);
                const qint64 time = floorTo(sample.time.toMSecsSinceEpoch(), MsPerSecond);
                const int at = row * ColumnsPerRow;
                query.bindValue(at, bucketOf(time));
                query.bindValue(at + 1, text(sample.memberId));
                query.bindValue(at + 2, time);
                query.bindValue(at + 3, number(sample.requestRate));
                query.bindValue(at + 4, number(sample.sessions));
                query.bindValue(at + 5, number(sample.bytesInRate));
                query.bindValue(at + 6, number(sample.bytesOutRate));
                query.bindValue(at + 7, number(sample.errors5xxRate));
                query.bindValue(at + 8, number(sample.responseTimeMs));
            }
            if (!query.exec())
                return fail(what, errorText(query.lastError()));
        }
    }
    if (!transaction.commit(&error))
        return fail(what, error);
    return true;
}

struct HistoryStore::SumTable
{
    SumsByMember sums;
};

QList<MetricSample> HistoryStore::samples(const QString &memberId, const QDateTime &from, const QDateTime &to) const
{
    return samplesOfEach({memberId}, from, to).value(memberId);
}

QList<MetricSample> HistoryStore::samplesSummed(const QStringList &memberIds, const QDateTime &from,
                                                const QDateTime &to) const
{
    SumTable table;
    if (!readSums(memberIds, from, to, int(Grouping::Summed), &table))
        return {};
    return toSamples(table.sums.value(QString()), QString());
}

QHash<QString, QList<MetricSample>> HistoryStore::samplesOfEach(const QStringList &memberIds, const QDateTime &from,
                                                                const QDateTime &to) const
{
    SumTable table;
    QHash<QString, QList<MetricSample>> result;
    if (!readSums(memberIds, from, to, int(Grouping::PerMember), &table))
        return result;
    for (auto it = table.sums.cbegin(); it != table.sums.cend(); ++it)
        result.insert(it.key(), toSamples(it.value(), it.key()));
    return result;
}

bool HistoryStore::readSums(const QStringList &memberIds, const QDateTime &from, const QDateTime &to, int grouping,
                            SumTable *table) const
{
    SumsByMember *sums = &table->sums;
    const auto groupBy = Grouping(grouping);
    QStringList ids = memberIds;
    ids.removeDuplicates(); // a member counted twice would double the sums
    qint64 boundary = 0; // where the roll-up has reached: minute rows before it, seconds from it on
    if (ids.isEmpty())
        return true;
    if (!readMeta(CompactedUntil, &boundary))
        return false;
    const qint64 first = from.isValid() ? from.toMSecsSinceEpoch() : std::numeric_limits<qint64>::min();
    const qint64 last = to.isValid() ? to.toMSecsSinceEpoch() : std::numeric_limits<qint64>::max();
    QString error;
    bool ok = first >= boundary
        || sumRows(
               m_connectionName, [groupBy](int members) { return minutesSql(members, groupBy); }, groupBy, ids, first,
               qMin(last, boundary - 1), sums, &error);
    if (ok && last >= boundary) {
        const qint64 secondsFrom = qMax(first, boundary);
        QString buckets;
        bool any = true;
        if (m_backend == Backend::SQLite) {
            qint64 firstBucket = 0;
            qint64 lastBucket = -1;
            ok = storedBuckets(m_connectionName, &firstBucket, &lastBucket, &error);
            firstBucket = qMax(firstBucket, bucketOf(secondsFrom));
            lastBucket = qMin(lastBucket, bucketOf(last));
            any = firstBucket <= lastBucket;
            if (any)
                buckets = bucketCondition(firstBucket, lastBucket) + QLatin1String(" AND ");
        }
        if (ok && any)
            ok = sumRows(
                m_connectionName, [&buckets, groupBy](int members) { return secondsSql(buckets, members, groupBy); },
                groupBy, ids, secondsFrom, last, sums, &error);
    }
    if (!ok)
        return fail(HistoryText::tr("Could not read samples from the history"), error);
    return true;
}

bool HistoryStore::compact(const QDateTime &now)
{
    const QString what = HistoryText::tr("Could not compact the history");
    if (!now.isValid())
        return fail(what, HistoryText::tr("no time was given"));
    const qint64 nowMs = now.toMSecsSinceEpoch();
    const qint64 cutoff = floorTo(nowMs - SecondsKeptFor * MsPerSecond, MsPerMinute); // a whole bucket too
    const qint64 expiry = nowMs - MinutesKeptForDays * MsPerDay;
    qint64 done = 0;
    if (!readMeta(CompactedUntil, &done))
        return false;
    if (done >= cutoff)
        return true; // the common case when called every minute: nothing new is an hour old

    // Moving the mark first claims the roll-up: a console compacting at the same time waits on
    // this row, then finds the mark already moved and stops.
    QString error;
    int claimed = 0;
    Transaction transaction(m_connectionName, m_backend);
    if (!transaction.begin(&error)
        || !execute(m_connectionName,
                    QStringLiteral("UPDATE tribune_meta SET meta_value = ? WHERE meta_key = ? AND meta_value < ?"),
                    {cutoff, QString(CompactedUntil), cutoff}, &error, &claimed))
        return fail(what, error);
    if (claimed > 0) {
        // Whole minutes, so that a minute's seconds are rolled up together. The cutoff goes in as
        // text: a placeholder in a select list has no type for PostgreSQL.
        const QString minute = QStringLiteral("time_ms - (time_ms % 60000)");
        const QString rollUp =
            QLatin1String("INSERT INTO tribune_samples_minute (member_id, time_ms, rolled_until_ms, sample_count, "
                          "sum_request_rate, sum_sessions, sum_bytes_in_rate, sum_bytes_out_rate, sum_errors_5xx_rate, "
                          "max_response_time_ms) SELECT member_id, ")
            + minute + QLatin1String(", ") + QString::number(cutoff)
            + QLatin1String(", COUNT(*), SUM(request_rate), SUM(sessions), SUM(bytes_in_rate), SUM(bytes_out_rate), "
                            "SUM(errors_5xx_rate), MAX(response_time_ms) FROM tribune_samples_second "
                            "WHERE time_bucket < ? GROUP BY member_id, ")
            + minute;
        if (!execute(m_connectionName, rollUp, {bucketOf(cutoff)}, &error)
            || !execute(m_connectionName, QStringLiteral("DELETE FROM tribune_samples_second WHERE time_bucket < ?"),
                        {bucketOf(cutoff)}, &error)
            || !execute(m_connectionName, QStringLiteral("DELETE FROM tribune_samples_minute WHERE time_ms < ?"),
                        {expiry}, &error))
            return fail(what, error);
    }
    if (!transaction.commit(&error))
        return fail(what, error);
    return true;
}

} // namespace Tribune
