// The event log's history: adding events and reading them back, newest first.
#include "historystore.h"

#include "historysql.h"
#include "i18n/trcontexts.h"

#include <QCoreApplication>
#include <QSqlError>
#include <QSqlQuery>

namespace Tribune {

using namespace HistorySql;

bool HistoryStore::addEvent(const HistoryEvent &event)
{
    const QString what = HistoryText::tr("Could not add an event to the history");
    if (!event.time.isValid())
        return fail(what, HistoryText::tr("the event has no time"));
    QString error;
    if (!execute(m_connectionName,
                 QStringLiteral("INSERT INTO tribune_events (time_ms, kind, member_id, member_domain, "
                                "member_sub_domain, reason) VALUES (?, ?, ?, ?, ?, ?)"),
                 {event.time.toMSecsSinceEpoch(), text(event.kind), text(event.memberId), text(event.domain),
                  text(event.subDomain), text(event.reason)},
                 &error))
        return fail(what, error);
    return true;
}

bool HistoryStore::addEvents(const QList<HistoryEvent> &events)
{
    const QString what = HistoryText::tr("Could not add events to the history");
    QString error;
    Transaction transaction(m_connectionName, m_backend);
    if (!transaction.begin(&error))
        return fail(what, error);
    for (const HistoryEvent &event : events) {
        if (!addEvent(event))
            return false; // the transaction rolls back as it goes
    }
    if (!transaction.commit(&error))
        return fail(what, error);
    return true;
}

QList<HistoryEvent> HistoryStore::events(const QDateTime &from, const QDateTime &to, const QString &search,
                                         int limit) const
{
    QString sql = QStringLiteral("SELECT time_ms, kind, member_id, member_domain, member_sub_domain, reason "
                                 "FROM tribune_events WHERE 1 = 1");
    QVariantList values;
    if (from.isValid()) {
        sql += QLatin1String(" AND time_ms >= ?");
        values << from.toMSecsSinceEpoch();
    }
    if (to.isValid()) {
        sql += QLatin1String(" AND time_ms <= ?");
        values << to.toMSecsSinceEpoch();
    }
    const QString needle = search.trimmed().toLower();
    if (!needle.isEmpty()) {
        // '!' escapes LIKE's wildcards; a backslash would mean different things to MySQL and the others.
        QString pattern = needle;
        pattern.replace(QLatin1Char('!'), QLatin1String("!!"));
        pattern.replace(QLatin1Char('%'), QLatin1String("!%"));
        pattern.replace(QLatin1Char('_'), QLatin1String("!_"));
        pattern = QLatin1Char('%') + pattern + QLatin1Char('%');
        sql += QLatin1String(" AND (LOWER(member_id) LIKE ? ESCAPE '!' OR LOWER(reason) LIKE ? ESCAPE '!'"
                             " OR LOWER(kind) LIKE ? ESCAPE '!')");
        values << pattern << pattern << pattern;
    }
    sql += QLatin1String(" ORDER BY time_ms DESC, id DESC");
    if (limit > 0)
        sql += QLatin1String(" LIMIT ") + QString::number(limit);

    const QString what = HistoryText::tr("Could not read events from the history");
    QList<HistoryEvent> result;
    QSqlQuery query(database(m_connectionName));
    query.setForwardOnly(true);
    if (!query.prepare(sql)) {
        fail(what, errorText(query.lastError()));
        return result;
    }
    for (const QVariant &value : std::as_const(values))
        query.addBindValue(value);
    if (!query.exec()) {
        fail(what, errorText(query.lastError()));
        return result;
    }
    while (query.next()) {
        HistoryEvent event;
        event.time = QDateTime::fromMSecsSinceEpoch(query.value(0).toLongLong());
        event.kind = query.value(1).toString();
        event.memberId = query.value(2).toString();
        event.domain = query.value(3).toString();
        event.subDomain = query.value(4).toString();
        event.reason = query.value(5).toString();
        result.append(event);
    }
    if (query.lastError().isValid())
        fail(what, errorText(query.lastError()));
    return result;
}

} // namespace Tribune
