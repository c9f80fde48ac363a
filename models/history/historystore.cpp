#include "historystore.h"

#include "historysql.h"
#include "i18n/trcontexts.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QUrl>

#include <atomic>
#include <utility>

namespace Tribune {

using namespace HistorySql;

namespace {

// Where and how to connect, from the URL.
struct Target
{
    HistoryStore::Backend backend = HistoryStore::Backend::SQLite;
    QString driver;
    QString path; // SQLite
    QString host;
    int port = -1;
    QString database;
    QString user;
    QString password;
    QString location;
};

// The URL as given, with the password (if any) replaced, for messages.
QString redacted(const QString &url)
{
    const qsizetype authority = url.indexOf(QLatin1String("://"));
    const qsizetype at = url.lastIndexOf(QLatin1Char('@'));
    if (authority < 0 || at < authority)
        return url;
    const qsizetype colon = url.indexOf(QLatin1Char(':'), authority + 3);
    if (colon < 0 || colon > at)
        return url;
    return url.left(colon + 1) + QLatin1String("***") + url.mid(at);
}

QString urlForms()
{
    return HistoryText::tr("Use sqlite:///path/history.sqlite, mysql://user:password@host:port/database, "
                           "mariadb://... or postgresql://...; write characters such as @ : / in the user "
                           "or password as %40 %3A %2F.");
}

// The default file's folder is created; a folder named in a URL must exist (a typing mistake
// should not create a new, empty history somewhere).
bool sqliteTarget(const QString &path, bool createFolder, Target *target, QString *error)
{
    if (path.isEmpty()) {
        *error = HistoryText::tr("There is no data folder to keep the history in.");
        return false;
    }
    const QString folder = QFileInfo(path).absolutePath();
    if (createFolder && !QDir().mkpath(folder)) {
        *error = HistoryText::tr("Could not create the folder %1 for the history.")
                     .arg(QDir::toNativeSeparators(folder));
        return false;
    }
    target->backend = HistoryStore::Backend::SQLite;
    target->driver = QStringLiteral("QSQLITE");
    target->path = path;
    target->location = HistoryText::tr("the SQLite database %1")
                           .arg(QDir::toNativeSeparators(path));
    return true;
}

// The first of drivers that Qt has, or empty.
QString availableDriver(const QStringList &drivers)
{
    for (const QString &driver : drivers) {
        if (QSqlDatabase::isDriverAvailable(driver))
            return driver;
    }
    return {};
}

bool parseTarget(const QString &urlOrEmpty, Target *target, QString *error)
{
    const QString given = urlOrEmpty.trimmed();
    if (given.isEmpty())
        return sqliteTarget(HistoryStore::defaultPath(), true, target, error);
    const QUrl url(given, QUrl::StrictMode);
    if (!url.isValid()) {
        // QUrl's message quotes the whole URL, password and all, after "; source was".
        const QString reason = url.errorString().section(QLatin1String("; source was"), 0, 0);
        *error = HistoryText::tr("The history URL %1 is not valid (%2). %3")
                     .arg(redacted(given), reason, urlForms());
        return false;
    }
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("sqlite")) {
        const QString path = url.path(QUrl::FullyDecoded);
        if (path.isEmpty()) {
            *error = HistoryText::tr("The history URL %1 names no file. %2")
                         .arg(given, urlForms());
            return false;
        }
        return sqliteTarget(path, false, target, error);
    }
    QString kind;
    if (scheme == QLatin1String("mysql") || scheme == QLatin1String("mariadb")) {
        target->backend = HistoryStore::Backend::MySql;
        kind = QStringLiteral("MySQL/MariaDB");
        target->driver = scheme == QLatin1String("mysql")
            ? availableDriver({QStringLiteral("QMYSQL"), QStringLiteral("QMARIADB")})
            : availableDriver({QStringLiteral("QMARIADB"), QStringLiteral("QMYSQL")});
        if (target->driver.isEmpty()) {
            *error = HistoryText::tr("Qt's MySQL/MariaDB driver (QMYSQL) is not installed, so the history "
                                     "at %1 cannot be opened. Install it with: sudo apt-get install "
                                     "libqt6sql6-mysql")
                         .arg(redacted(given));
            return false;
        }
    } else if (scheme == QLatin1String("postgresql") || scheme == QLatin1String("postgres")) {
        target->backend = HistoryStore::Backend::PostgreSql;
        kind = QStringLiteral("PostgreSQL");
        target->driver = availableDriver({QStringLiteral("QPSQL")});
        if (target->driver.isEmpty()) {
            *error = HistoryText::tr("Qt's PostgreSQL driver (QPSQL) is not installed, so the history at "
                                     "%1 cannot be opened. Install it with: sudo apt-get install "
                                     "libqt6sql6-psql")
                         .arg(redacted(given));
            return false;
        }
    } else if (scheme.isEmpty()) {
        *error = HistoryText::tr("The history location %1 is not a URL: it has no scheme such as "
                                 "sqlite: or mysql:. %2")
                     .arg(redacted(given), urlForms());
        return false;
    } else {
        *error = HistoryText::tr("The history URL %1 has an unknown scheme '%2'. %3")
                     .arg(redacted(given), url.scheme(), urlForms());
        return false;
    }
    target->host = url.host(QUrl::FullyDecoded);
    target->port = url.port(-1);
    target->database = url.path(QUrl::FullyDecoded).mid(1);
    target->user = url.userName(QUrl::FullyDecoded);
    target->password = url.password(QUrl::FullyDecoded);
    if (target->host.isEmpty() || target->database.isEmpty() || target->database.contains(QLatin1Char('/'))) {
        *error = HistoryText::tr("The history URL %1 needs a host and a database name. %2")
                     .arg(redacted(given), urlForms());
        return false;
    }
    QString server = target->host;
    if (target->port >= 0)
        server += QLatin1Char(':') + QString::number(target->port);
    target->location = HistoryText::tr("the %1 database '%2' on %3 (user '%4')")
                           .arg(kind, target->database, server, target->user);
    return true;
}

QString newConnectionName()
{
    static std::atomic<int> counter{0};
    return QStringLiteral("Tribune::HistoryStore#%1").arg(++counter);
}

} // namespace

QString HistoryStore::defaultPath()
{
    // Not AppDataLocation: that folder is named after the running program, so the console and
    // tribunectl would each look in a folder of their own.
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    return folder.isEmpty() ? QString() : folder + QLatin1String("/tribune/history.sqlite");
}

std::optional<HistoryStore> HistoryStore::open(const QString &urlOrEmpty, QString *error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    Target target;
    if (!parseTarget(urlOrEmpty, &target, error))
        return std::nullopt;

    const QString name = newConnectionName();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(target.driver, name);
        const int timeout = LockTimeoutSeconds;
        switch (target.backend) {
        case Backend::SQLite:
            db.setDatabaseName(target.path);
            db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(timeout * 1000));
            break;
        case Backend::MySql:
            // A server that stops answering is an error after half a minute, not a hang.
            db.setConnectOptions(QStringLiteral("MYSQL_OPT_CONNECT_TIMEOUT=5;MYSQL_OPT_READ_TIMEOUT=30;"
                                                "MYSQL_OPT_WRITE_TIMEOUT=30"));
            break;
        case Backend::PostgreSql:
            db.setConnectOptions(QStringLiteral("connect_timeout=5"));
            break;
        }
        if (target.backend != Backend::SQLite) {
            db.setHostName(target.host);
            if (target.port >= 0)
                db.setPort(target.port);
            db.setDatabaseName(target.database);
            db.setUserName(target.user);
            db.setPassword(target.password);
        }
        if (!db.open()) {
            *error = HistoryText::tr("Could not open %1: %2")
                         .arg(target.location, errorText(db.lastError()));
            db = QSqlDatabase();
            QSqlDatabase::removeDatabase(name);
            return std::nullopt;
        }
    }
    HistoryStore store(name, target.backend, target.location);
    if (!store.prepareSession() || !store.ensureSchema()) {
        *error = store.m_lastError;
        return std::nullopt;
    }
    return store;
}

HistoryStore::HistoryStore(const QString &connectionName, Backend backend, const QString &location)
    : m_connectionName(connectionName)
    , m_backend(backend)
    , m_location(location)
{
}

HistoryStore::HistoryStore(HistoryStore &&other) noexcept
    : m_connectionName(std::exchange(other.m_connectionName, QString()))
    , m_backend(other.m_backend)
    , m_location(std::move(other.m_location))
    , m_lastError(std::move(other.m_lastError))
{
}

HistoryStore &HistoryStore::operator=(HistoryStore &&other) noexcept
{
    if (this != &other) {
        close();
        m_connectionName = std::exchange(other.m_connectionName, QString());
        m_backend = other.m_backend;
        m_location = std::move(other.m_location);
        m_lastError = std::move(other.m_lastError);
    }
    return *this;
}

HistoryStore::~HistoryStore()
{
    close();
}

void HistoryStore::close()
{
    if (m_connectionName.isEmpty())
        return;
    database(m_connectionName).close(); // the handle is gone before the connection is removed
    QSqlDatabase::removeDatabase(std::exchange(m_connectionName, QString()));
}

bool HistoryStore::fail(const QString &what, const QString &driverText) const
{
    // A driver may close a connection the server dropped (Qt's PostgreSQL driver does), and
    // queries on it then fail with no text of their own: the connection's state says what happened.
    const QString reason = database(m_connectionName).isOpen()
        ? driverText
        : HistoryText::tr("the connection to the database was lost (%1); check that "
                          "the database server runs, then connect to the cluster again")
              .arg(driverText);
    m_lastError = HistoryText::tr("%1 in %2: %3").arg(what, m_location, reason);
    return false;
}

// Session settings: SQLite's journal, and bounded lock waits on the servers.
bool HistoryStore::prepareSession()
{
    QStringList statements;
    const QString timeout = QString::number(LockTimeoutSeconds);
    switch (m_backend) {
    case Backend::SQLite:
        statements = {QStringLiteral("PRAGMA journal_mode=WAL"), QStringLiteral("PRAGMA synchronous=NORMAL")};
        break;
    case Backend::MySql:
        statements = {QLatin1String("SET SESSION innodb_lock_wait_timeout = ") + timeout,
                      QLatin1String("SET SESSION lock_wait_timeout = ") + timeout};
        break;
    case Backend::PostgreSql:
        statements = {QLatin1String("SET lock_timeout = ") + timeout + QLatin1String("000")};
        break;
    }
    QSqlQuery query(database(m_connectionName));
    for (const QString &statement : std::as_const(statements)) {
        if (!query.exec(statement))
            return fail(HistoryText::tr("Could not set up the history (%1)")
                            .arg(statement),
                        errorText(query.lastError()));
    }
    return true;
}

// Reads one number from the table of schema facts (version, roll-up mark).
bool HistoryStore::readMeta(const QString &name, qint64 *value) const
{
    QSqlQuery query(database(m_connectionName));
    query.prepare(QStringLiteral("SELECT meta_value FROM tribune_meta WHERE meta_key = ?"));
    query.addBindValue(name);
    const QString what = HistoryText::tr("Could not read '%1' of the history")
                             .arg(name);
    if (!query.exec())
        return fail(what, errorText(query.lastError()));
    if (!query.next())
        return fail(what,
                    HistoryText::tr("the table tribune_meta has no such row"));
    *value = query.value(0).toLongLong();
    return true;
}

std::optional<HistorySummary> HistoryStore::summary() const
{
    // Scalar subqueries, which all three databases take without a FROM. The one-second rows'
    // first and last times are looked for in their first and last ten-second buckets, which
    // every backend indexes (SQLite keys those rows by bucket first).
    QSqlQuery query(database(m_connectionName));
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral(
            "SELECT (SELECT COUNT(*) FROM tribune_events), (SELECT MIN(time_ms) FROM tribune_events), "
            "(SELECT MAX(time_ms) FROM tribune_events), (SELECT COUNT(*) FROM tribune_samples_second), "
            "(SELECT MIN(time_ms) FROM tribune_samples_second WHERE time_bucket = "
            "(SELECT MIN(time_bucket) FROM tribune_samples_second)), "
            "(SELECT MAX(time_ms) FROM tribune_samples_second WHERE time_bucket = "
            "(SELECT MAX(time_bucket) FROM tribune_samples_second)), "
            "(SELECT COUNT(*) FROM tribune_samples_minute), (SELECT MIN(time_ms) FROM tribune_samples_minute), "
            "(SELECT MAX(time_ms) FROM tribune_samples_minute)"))
        || !query.next()) {
        fail(HistoryText::tr("Could not read what the history holds"),
             errorText(query.lastError()));
        return std::nullopt;
    }
    const auto time = [&query](int column) {
        const QVariant value = query.value(column);
        return value.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(value.toLongLong());
    };
    // The valid one of two times, or the earlier (later) when both are.
    const auto pick = [](const QDateTime &a, const QDateTime &b, bool earlier) {
        if (!a.isValid() || !b.isValid())
            return a.isValid() ? a : b;
        return (a < b) == earlier ? a : b;
    };
    HistorySummary summary;
    summary.events = query.value(0).toLongLong();
    summary.firstEvent = time(1);
    summary.lastEvent = time(2);
    summary.secondSamples = query.value(3).toLongLong();
    summary.minuteSamples = query.value(6).toLongLong();
    summary.firstSample = pick(time(4), time(7), true);
    summary.lastSample = pick(time(5), time(8), false);
    return summary;
}

bool HistoryStore::ensureSchema()
{
    QStringList existing;
    QString error;
    if (!tables(m_connectionName, m_backend, &existing, &error))
        return fail(HistoryText::tr("Could not list the history's tables"), error);
    if (!existing.contains(QLatin1String("tribune_meta")) && !createSchema(existing))
        return false;
    qint64 version = 0;
    if (!readMeta(QStringLiteral("schema_version"), &version))
        return false;
    if (version > SchemaVersion)
        return fail(HistoryText::tr("Could not use the history"),
                    HistoryText::tr("it has schema version %1, written by a newer Tribune; this one "
                                    "knows versions up to %2")
                        .arg(version)
                        .arg(SchemaVersion));
    // Later versions migrate from older ones here.
    return true;
}

} // namespace Tribune
