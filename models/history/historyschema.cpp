// The history's tables. Times are milliseconds since the epoch (UTC) in BIGINT columns, the one
// representation SQLite, MySQL/MariaDB and PostgreSQL share; only the event id column and the
// table options (SQLite's WITHOUT ROWID, MySQL's engine and character set) differ per backend.
#include "historystore.h"

#include "historysql.h"
#include "i18n/trcontexts.h"

#include <QCoreApplication>

namespace Tribune {

using namespace HistorySql;

namespace {

struct Table
{
    QString name;
    QString columns;
    QStringList indexes; // "suffix (columns)"
    bool clustered = false; // SQLite keeps it in primary-key order (WITHOUT ROWID)
};

QList<Table> tables(HistoryStore::Backend backend)
{
    QString id;
    switch (backend) {
    case HistoryStore::Backend::SQLite:
        id = QStringLiteral("id INTEGER PRIMARY KEY");
        break;
    case HistoryStore::Backend::MySql:
        id = QStringLiteral("id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY");
        break;
    case HistoryStore::Backend::PostgreSql:
        id = QStringLiteral("id BIGSERIAL PRIMARY KEY");
        break;
    }
    // Sample tables are keyed, and on SQLite and InnoDB stored, in key order. How seconds are
    // keyed depends on how the database writes. SQLite's journal takes whole pages, so there a
    // second's 1,000 rows must land in few pages: they are keyed by ten-second bucket first (keyed
    // by member they would touch a page per member, every second), and a member's hour is 360
    // short reads. InnoDB and PostgreSQL log rows rather than pages, so there seconds are keyed by
    // member (a member's hour is one range read), with an index on the bucket for the roll-up.
    // A member's second is one row. Minutes are keyed by member, for 30-day charts, and by the
    // roll-up that made them: a second that arrives late is rolled up into its minute again by a
    // later roll-up. Minute rows keep sums and a count rather than averages, so such parts
    // recombine exactly when read.
    const bool sqlite = backend == HistoryStore::Backend::SQLite;
    return {
        {QStringLiteral("tribune_events"),
         id + QLatin1String(", time_ms BIGINT NOT NULL, kind VARCHAR(32) NOT NULL, member_id VARCHAR(255) NOT NULL, "
                            "member_domain VARCHAR(255) NOT NULL, member_sub_domain VARCHAR(255) NOT NULL, "
                            "reason TEXT NOT NULL"),
         {QStringLiteral("time (time_ms)")}},
        {QStringLiteral("tribune_samples_second"),
         QLatin1String("time_bucket BIGINT NOT NULL, member_id VARCHAR(255) NOT NULL, time_ms BIGINT NOT NULL, "
                       "request_rate DOUBLE PRECISION, sessions DOUBLE PRECISION, bytes_in_rate DOUBLE PRECISION, "
                       "bytes_out_rate DOUBLE PRECISION, errors_5xx_rate DOUBLE PRECISION, "
                       "response_time_ms DOUBLE PRECISION, ")
             + (sqlite ? QLatin1String("PRIMARY KEY (time_bucket, member_id, time_ms)")
                       : QLatin1String("PRIMARY KEY (member_id, time_ms)")),
         sqlite ? QStringList() : QStringList{QStringLiteral("bucket (time_bucket)")},
         true},
        {QStringLiteral("tribune_samples_minute"),
         QStringLiteral("member_id VARCHAR(255) NOT NULL, time_ms BIGINT NOT NULL, rolled_until_ms BIGINT NOT NULL, "
                        "sample_count BIGINT NOT NULL, sum_request_rate DOUBLE PRECISION, "
                        "sum_sessions DOUBLE PRECISION, sum_bytes_in_rate DOUBLE PRECISION, "
                        "sum_bytes_out_rate DOUBLE PRECISION, sum_errors_5xx_rate DOUBLE PRECISION, "
                        "max_response_time_ms DOUBLE PRECISION, PRIMARY KEY (member_id, time_ms, rolled_until_ms)"),
         {QStringLiteral("time (time_ms)")},
         true},
        // Created last: its presence means the schema is complete.
        {QStringLiteral("tribune_meta"),
         QStringLiteral("meta_key VARCHAR(64) NOT NULL PRIMARY KEY, meta_value BIGINT NOT NULL"),
         {}},
    };
}

} // namespace

// Creates the tables that are missing (all of them, unless an earlier attempt stopped halfway),
// then records the schema version and an empty roll-up mark. Transactional where the database
// allows DDL in a transaction (SQLite, PostgreSQL).
bool HistoryStore::createSchema(const QStringList &existing)
{
    QString error;
    QStringList statements;
    const QList<Table> all = tables(m_backend);
    for (const Table &table : all) {
        if (existing.contains(table.name))
            continue;
        QString options;
        if (table.clustered && m_backend == Backend::SQLite)
            options = QStringLiteral(" WITHOUT ROWID");
        else if (m_backend == Backend::MySql)
            options = QStringLiteral(" ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
        statements << QLatin1String("CREATE TABLE IF NOT EXISTS ") + table.name + QLatin1String(" (") + table.columns
                + QLatin1Char(')') + options;
        for (const QString &index : table.indexes) {
            const QString suffix = index.section(QLatin1Char(' '), 0, 0);
            const QString columns = index.section(QLatin1Char(' '), 1);
            statements << QLatin1String("CREATE INDEX ") + table.name + QLatin1Char('_') + suffix
                    + QLatin1String(" ON ") + table.name + QLatin1Char(' ') + columns;
        }
    }

    const QString what = HistoryText::tr("Could not create the history's tables");
    const QString insert = QStringLiteral("INSERT INTO tribune_meta (meta_key, meta_value) VALUES (?, ?)");
    Transaction transaction(m_connectionName, m_backend);
    if (!transaction.begin(&error))
        return fail(what, error);
    for (const QString &statement : std::as_const(statements)) {
        if (!execute(m_connectionName, statement, {}, &error))
            return fail(what, error + QLatin1String(" [") + statement + QLatin1Char(']'));
    }
    if (!execute(m_connectionName, insert, {QStringLiteral("schema_version"), SchemaVersion}, &error)
        || !execute(m_connectionName, insert, {QStringLiteral("compacted_until_ms"), qint64(0)}, &error)
        || !transaction.commit(&error))
        return fail(what, error);
    return true;
}

} // namespace Tribune
