#include "historysql.h"
#include "i18n/trcontexts.h"

#include <QCoreApplication>
#include <QSqlError>
#include <QSqlQuery>

#include <cmath>

namespace Tribune::HistorySql {

QString errorText(const QSqlError &error)
{
    const QString text = error.text().trimmed();
    return text.isEmpty() ? HistoryText::tr("the driver gave no reason") : text;
}

bool tables(const QString &connectionName, HistoryStore::Backend backend, QStringList *names, QString *error)
{
    if (backend != HistoryStore::Backend::PostgreSql) {
        *names = database(connectionName).tables();
        return true;
    }
    names->clear();
    QSqlQuery query(database(connectionName));
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT relname FROM pg_class WHERE relkind IN ('r', 'p') "
                                   "AND pg_table_is_visible(oid)"))) {
        *error = errorText(query.lastError());
        return false;
    }
    while (query.next())
        names->append(query.value(0).toString());
    return true;
}

QVariant text(const QString &value)
{
    return value.isNull() ? QVariant(QStringLiteral("")) : QVariant(value);
}

QVariant number(double value)
{
    return std::isfinite(value) ? QVariant(value) : QVariant(QMetaType::fromType<double>());
}

bool execute(const QString &connectionName, const QString &sql, const QVariantList &values, QString *error,
             int *rowsAffected)
{
    QSqlQuery query(database(connectionName));
    bool ok = false;
    if (values.isEmpty()) {
        ok = query.exec(sql);
    } else if (query.prepare(sql)) {
        for (const QVariant &value : values)
            query.addBindValue(value);
        ok = query.exec();
    }
    if (!ok) {
        *error = errorText(query.lastError());
        return false;
    }
    if (rowsAffected)
        *rowsAffected = query.numRowsAffected();
    return true;
}

QString placeholders(int count)
{
    QString result;
    result.reserve(count * 3);
    for (int i = 0; i < count; ++i)
        result += i == 0 ? QLatin1String("?") : QLatin1String(", ?");
    return result;
}

Transaction::Transaction(const QString &connectionName, HistoryStore::Backend backend)
    : m_connectionName(connectionName)
    , m_backend(backend)
{
}

Transaction::~Transaction()
{
    if (!m_active)
        return;
    if (m_backend == HistoryStore::Backend::SQLite) {
        QString ignored;
        run(QStringLiteral("ROLLBACK"), &ignored);
    } else {
        database(m_connectionName).rollback();
    }
}

bool Transaction::run(const QString &statement, QString *error)
{
    QSqlQuery query(database(m_connectionName));
    if (query.exec(statement))
        return true;
    *error = errorText(query.lastError());
    return false;
}

bool Transaction::begin(QString *error)
{
    if (m_backend == HistoryStore::Backend::SQLite) {
        m_active = run(QStringLiteral("BEGIN IMMEDIATE"), error);
        return m_active;
    }
    QSqlDatabase db = database(m_connectionName);
    m_active = db.transaction();
    if (!m_active)
        *error = errorText(db.lastError());
    return m_active;
}

bool Transaction::commit(QString *error)
{
    if (m_backend == HistoryStore::Backend::SQLite) {
        if (!run(QStringLiteral("COMMIT"), error))
            return false; // the destructor rolls back
        m_active = false;
        return true;
    }
    QSqlDatabase db = database(m_connectionName);
    if (!db.commit()) {
        *error = errorText(db.lastError());
        return false;
    }
    m_active = false;
    return true;
}

} // namespace Tribune::HistorySql
