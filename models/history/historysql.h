#pragma once

// Pieces the two halves of the history store (events and schema; samples) share. Internal to
// models/history.

#include "historystore.h"

#include <QSqlDatabase>
#include <QString>
#include <QVariant>

class QSqlError;

namespace Tribune::HistorySql {

// The store's connection, looked up by name each time so that no handle outlives the store.
inline QSqlDatabase database(const QString &connectionName)
{
    return QSqlDatabase::database(connectionName, false);
}

// The driver's and the database's text of an error, or a word for an error without text.
QString errorText(const QSqlError &error);

// The tables that the store's unqualified names reach. Qt's PostgreSQL driver lists the tables of
// every schema and names those outside public with their schema, so a history kept in the user's
// own schema (the first in PostgreSQL's search path) would look missing; there the search path
// is asked instead.
bool tables(const QString &connectionName, HistoryStore::Backend backend, QStringList *names, QString *error);

// A string to bind: never a null QString, which drivers would store as NULL.
QVariant text(const QString &value);
// A double to bind: non-finite values become NULL.
QVariant number(double value);

// Runs one statement with values bound in order (none: run as is, as DDL must be for
// PostgreSQL). The query is gone when this returns, so none is left open at a commit. On failure
// *error is the driver's text; *rowsAffected is set when asked for.
bool execute(const QString &connectionName, const QString &sql, const QVariantList &values, QString *error,
             int *rowsAffected = nullptr);

// "?, ?, ?" for count placeholders.
QString placeholders(int count);

// value rounded down to a multiple of unit (also below zero).
constexpr qint64 floorTo(qint64 value, qint64 unit)
{
    const qint64 remainder = value % unit;
    return remainder < 0 ? value - remainder - unit : value - remainder;
}

// A write transaction that rolls back unless committed. On SQLite it takes the write lock at
// once (BEGIN IMMEDIATE), so a busy database fails at the start rather than halfway.
class Transaction final
{
public:
    Transaction(const QString &connectionName, HistoryStore::Backend backend);
    ~Transaction();
    Q_DISABLE_COPY_MOVE(Transaction)

    // On failure, *error is the driver's text.
    bool begin(QString *error);
    bool commit(QString *error);

private:
    bool run(const QString &statement, QString *error);

    QString m_connectionName;
    HistoryStore::Backend m_backend;
    bool m_active = false;
};

} // namespace Tribune::HistorySql
