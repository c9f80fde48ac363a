// Traffic samples: inserting one-second rows, reading them back at two resolutions, rolling
// seconds up into minutes.
#include "historystore.h"

#include "historysql.h"

#include <QCoreApplication>
#include <QHash>
#include <QMap>
#include <QSqlError>
#include <QSqlQuery>

#include <array>
#include <limits>

namespace Tribune {

using namespace HistorySql;

namespace {

constexpr int ColumnsPerRow = 8;
constexpr int RowsPerInsert = 100; // 800 placeholders: under every driver's limit
constexpr int MembersPerQuery = 500;
constexpr qint64 MsPerSecond = 1000;
constexpr qint64 MsPerMinute = 60 * MsPerSecond;
constexpr qint64 MsPerDay = 24 * 60 * MsPerMinute;
const QLatin1String CompactedUntil("compacted_until_ms");

// What the members' rows add up to at one time.
struct Sum
{
    std::array<double, 5> totals{}; // request rate, sessions, bytes in, bytes out, 5xx rate
    double responseSum = 0;
    qint64 responseCount = 0; // members that reported a response time
};

enum class Resolution { Seconds, Minutes };

// Per-time sums over the members. A second is one row per member; a minute may be a few rows
// (rolled up in parts), which the inner query recombines into one value per member first.
QString summingSql(Resolution resolution, int memberCount)
{
    const QString members = QLatin1String("member_id IN (") + placeholders(memberCount)
        + QLatin1String(") AND time_ms >= ? AND time_ms <= ?");
    if (resolution == Resolution::Seconds)
        return QLatin1String("SELECT time_ms, SUM(request_rate), SUM(sessions), SUM(bytes_in_rate), "
                             "SUM(bytes_out_rate), SUM(errors_5xx_rate), SUM(response_time_ms), "
                             "COUNT(response_time_ms) FROM tribune_samples_second WHERE ")
            + members + QLatin1String(" GROUP BY time_ms ORDER BY time_ms");
    return QLatin1String("SELECT time_ms, SUM(rr), SUM(ss), SUM(bi), SUM(bo), SUM(er), SUM(rt), COUNT(rt) FROM "
                         "(SELECT member_id, time_ms, SUM(sum_request_rate) / SUM(sample_count) AS rr, "
                         "SUM(sum_sessions) / SUM(sample_count) AS ss, SUM(sum_bytes_in_rate) / SUM(sample_count) AS bi, "
                         "SUM(sum_bytes_out_rate) / SUM(sample_count) AS bo, "
                         "SUM(sum_errors_5xx_rate) / SUM(sample_count) AS er, MAX(max_response_time_ms) AS rt "
                         "FROM tribune_samples_minute WHERE ")
        + members + QLatin1String(" GROUP BY member_id, time_ms) per_member GROUP BY time_ms ORDER BY time_ms");
}

// Adds the rows of one resolution with first <= time <= last to sums.
bool sumRows(const QString &connectionName, Resolution resolution, const QStringList &memberIds, qint64 first,
             qint64 last, QMap<qint64, Sum> *sums, QString *error)
{
    for (qsizetype start = 0; start < memberIds.size(); start += MembersPerQuery) {
        const QStringList chunk = memberIds.mid(start, MembersPerQuery);
        QSqlQuery query(database(connectionName));
        query.setForwardOnly(true);
        if (!query.prepare(summingSql(resolution, int(chunk.size())))) {
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
            Sum &sum = (*sums)[query.value(0).toLongLong()];
            for (int i = 0; i < int(sum.totals.size()); ++i)
                sum.totals[size_t(i)] += query.value(i + 1).toDouble();
            sum.responseSum += query.value(6).toDouble();
            sum.responseCount += query.value(7).toLongLong();
        }
        if (query.lastError().isValid()) {
            *error = errorText(query.lastError());
            return false;
        }
    }
    return true;
}

// A multi-row insert in which a second already stored is replaced: the one place where the
// dialects differ (SQLite and PostgreSQL share ON CONFLICT; MySQL has ON DUPLICATE KEY).
QString insertSql(HistoryStore::Backend backend, int rows)
{
    QString sql = QStringLiteral("INSERT INTO tribune_samples_second (member_id, time_ms, request_rate, sessions, "
                                 "bytes_in_rate, bytes_out_rate, errors_5xx_rate, response_time_ms) VALUES ");
    const QString row = QLatin1Char('(') + placeholders(ColumnsPerRow) + QLatin1Char(')');
    for (int i = 0; i < rows; ++i) {
        if (i > 0)
            sql += QLatin1String(", ");
        sql += row;
    }
    const bool mysql = backend == HistoryStore::Backend::MySql;
    sql += mysql ? QLatin1String(" ON DUPLICATE KEY UPDATE ") : QLatin1String(" ON CONFLICT (member_id, time_ms) DO UPDATE SET ");
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
    const QString what = QCoreApplication::translate("Tribune::HistoryStore", "Could not add samples to the history");
    for (const MetricSample &sample : samples) {
        if (!sample.time.isValid())
            return fail(what, QCoreApplication::translate("Tribune::HistoryStore", "a sample of member '%1' has no time")
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
        for (qsizetype start = 0; start < distinct.size(); start += RowsPerInsert) {
            const int rows = int(qMin<qsizetype>(RowsPerInsert, distinct.size() - start));
            QSqlQuery &query = rows == RowsPerInsert ? full : rest;
            if (rows != RowsPerInsert || !fullPrepared) {
                if (!query.prepare(insertSql(m_backend, rows)))
                    return fail(what, errorText(query.lastError()));
                fullPrepared = fullPrepared || rows == RowsPerInsert;
            }
            for (int row = 0; row < rows; ++row) {
                const MetricSample &sample = *distinct.at(start + row);
                const int at = row * ColumnsPerRow;
                query.bindValue(at, text(sample.memberId));
                query.bindValue(at + 1, floorTo(sample.time.toMSecsSinceEpoch(), MsPerSecond));
                query.bindValue(at + 2, number(sample.requestRate));
                query.bindValue(at + 3, number(sample.sessions));
                query.bindValue(at + 4, number(sample.bytesInRate));
                query.bindValue(at + 5, number(sample.bytesOutRate));
                query.bindValue(at + 6, number(sample.errors5xxRate));
                query.bindValue(at + 7, number(sample.responseTimeMs));
            }
            if (!query.exec())
                return fail(what, errorText(query.lastError()));
        }
    }
    if (!transaction.commit(&error))
        return fail(what, error);
    return true;
}

QList<MetricSample> HistoryStore::samples(const QString &memberId, const QDateTime &from, const QDateTime &to) const
{
    QList<MetricSample> result = samplesSummed({memberId}, from, to);
    for (MetricSample &sample : result)
        sample.memberId = memberId;
    return result;
}

QList<MetricSample> HistoryStore::samplesSummed(const QStringList &memberIds, const QDateTime &from,
                                                const QDateTime &to) const
{
    QList<MetricSample> result;
    QStringList ids = memberIds;
    ids.removeDuplicates(); // a member counted twice would double the sums
    qint64 boundary = 0; // where the roll-up has reached: minute rows before it, seconds from it on
    if (ids.isEmpty() || !readMeta(CompactedUntil, &boundary))
        return result;
    const qint64 first = from.isValid() ? from.toMSecsSinceEpoch() : std::numeric_limits<qint64>::min();
    const qint64 last = to.isValid() ? to.toMSecsSinceEpoch() : std::numeric_limits<qint64>::max();
    QMap<qint64, Sum> sums;
    QString error;
    if ((first < boundary && !sumRows(m_connectionName, Resolution::Minutes, ids, first, qMin(last, boundary - 1), &sums, &error))
        || (last >= boundary && !sumRows(m_connectionName, Resolution::Seconds, ids, qMax(first, boundary), last, &sums, &error))) {
        fail(QCoreApplication::translate("Tribune::HistoryStore", "Could not read samples from the history"), error);
        return result;
    }
    result.reserve(sums.size());
    for (auto it = sums.cbegin(); it != sums.cend(); ++it) {
        MetricSample sample;
        sample.time = QDateTime::fromMSecsSinceEpoch(it.key());
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

bool HistoryStore::compact(const QDateTime &now)
{
    const QString what = QCoreApplication::translate("Tribune::HistoryStore", "Could not compact the history");
    if (!now.isValid())
        return fail(what, QCoreApplication::translate("Tribune::HistoryStore", "no time was given"));
    const qint64 nowMs = now.toMSecsSinceEpoch();
    const qint64 cutoff = floorTo(nowMs - SecondsKeptFor * MsPerSecond, MsPerMinute);
    const qint64 expiry = nowMs - MinutesKeptForDays * MsPerDay;
    qint64 done = 0;
    if (!readMeta(CompactedUntil, &done))
        return false;
    if (done >= cutoff)
        return true; // the common case when called every minute: nothing new is an hour old

    QString error;
    Transaction transaction(m_connectionName, m_backend);
    if (!transaction.begin(&error))
        return fail(what, error);
    {
        QSqlQuery query(database(m_connectionName));
        // Moving the mark first claims the roll-up: a console compacting at the same time waits
        // on this row, then finds the mark already moved and stops.
        query.prepare(QStringLiteral("UPDATE tribune_meta SET meta_value = ? WHERE meta_key = ? AND meta_value < ?"));
        query.addBindValue(cutoff);
        query.addBindValue(QString(CompactedUntil));
        query.addBindValue(cutoff);
        if (!query.exec())
            return fail(what, errorText(query.lastError()));
        if (query.numRowsAffected() > 0) {
            const QString minute = QStringLiteral("time_ms - (time_ms % 60000)");
            const QList<QPair<QString, qint64>> statements{
                // The cutoff goes in as text: a placeholder in a select list has no type for PostgreSQL.
                {QLatin1String("INSERT INTO tribune_samples_minute (member_id, time_ms, rolled_until_ms, sample_count, "
                               "sum_request_rate, sum_sessions, sum_bytes_in_rate, sum_bytes_out_rate, "
                               "sum_errors_5xx_rate, max_response_time_ms) SELECT member_id, ")
                     + minute + QLatin1String(", ") + QString::number(cutoff)
                     + QLatin1String(", COUNT(*), SUM(request_rate), SUM(sessions), SUM(bytes_in_rate), "
                                     "SUM(bytes_out_rate), SUM(errors_5xx_rate), MAX(response_time_ms) "
                                     "FROM tribune_samples_second WHERE time_ms < ? GROUP BY member_id, ")
                     + minute,
                 cutoff},
                {QStringLiteral("DELETE FROM tribune_samples_second WHERE time_ms < ?"), cutoff},
                {QStringLiteral("DELETE FROM tribune_samples_minute WHERE time_ms < ?"), expiry},
            };
            for (const auto &[sql, bound] : statements) {
                if (!query.prepare(sql))
                    return fail(what, errorText(query.lastError()));
                query.addBindValue(bound);
                if (!query.exec())
                    return fail(what, errorText(query.lastError()));
            }
        }
    }
    if (!transaction.commit(&error))
        return fail(what, error);
    return true;
}

} // namespace Tribune
