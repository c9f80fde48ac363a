#include "datasourcecheck.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>
#include <QUuid>

namespace Tribune::Planner {

namespace {

struct CheckText
{
    Q_DECLARE_TR_FUNCTIONS(Tribune::Planner)
};

// MySQL's client error numbers that tell the cases apart.
constexpr int AccessDeniedError = 1045;
constexpr int DatabaseAccessDeniedError = 1044;
constexpr int UnknownDatabaseError = 1049;

struct MySqlTarget
{
    QString host;
    int port = 3306;
    QString database;
};

std::optional<MySqlTarget> targetOf(const QString &jdbcUrl)
{
    const QString url = jdbcUrl.trimmed();
    const QString prefix = url.startsWith(u"jdbc:mysql:", Qt::CaseInsensitive)     ? QStringLiteral("mysql")
                           : url.startsWith(u"jdbc:mariadb:", Qt::CaseInsensitive) ? QStringLiteral("mariadb")
                                                                                   : QString();
    if (prefix.isEmpty())
        return std::nullopt;
    const QUrl parsed(url.mid(5));
    if (!parsed.isValid() || parsed.host().isEmpty())
        return std::nullopt;
    return MySqlTarget{parsed.host(), parsed.port(3306), parsed.path().mid(1)};
}

// A connection of its own, removed again when it goes out of scope.
class Connection
{
public:
    Connection(const MySqlTarget &target, const QString &database, const QString &user, const QString &password,
               int timeoutSeconds)
        : m_name(QStringLiteral("tribune-check-") + QUuid::createUuid().toString(QUuid::WithoutBraces))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QMYSQL"), m_name);
        db.setHostName(target.host);
        db.setPort(target.port);
        db.setDatabaseName(database);
        db.setUserName(user);
        db.setPassword(password);
        db.setConnectOptions(QStringLiteral("MYSQL_OPT_CONNECT_TIMEOUT=%1;MYSQL_OPT_READ_TIMEOUT=%1").arg(timeoutSeconds));
        m_open = db.open();
        m_error = db.lastError();
    }
    ~Connection() { QSqlDatabase::removeDatabase(m_name); }
    Q_DISABLE_COPY_MOVE(Connection)

    bool isOpen() const { return m_open; }
    const QSqlError &error() const { return m_error; }
    QSqlDatabase database() const { return QSqlDatabase::database(m_name, false); }

private:
    QString m_name;
    bool m_open = false;
    QSqlError m_error;
};

bool hasTable(const QSqlDatabase &db, const QString &table)
{
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND "
                                 "UPPER(table_name) = ?"));
    query.addBindValue(table);
    return query.exec() && query.next();
}

QString where(const DatasourceCheck &check)
{
    return CheckText::tr("database %1 on %2:%3 as %4").arg(check.database, check.host).arg(check.port).arg(check.user);
}

// A name MySQL takes between backquotes, or nothing when it holds one.
QString quotedName(const QString &name)
{
    return name.isEmpty() || name.contains(u'`') ? QString() : u'`' + name + u'`';
}

} // namespace

QString statusName(DatasourceCheck::Status status)
{
    switch (status) {
    case DatasourceCheck::Status::Ready: return QStringLiteral("ready");
    case DatasourceCheck::Status::NoTables: return QStringLiteral("no-tables");
    case DatasourceCheck::Status::NoDatabase: return QStringLiteral("no-database");
    case DatasourceCheck::Status::NoPrivileges: return QStringLiteral("no-privileges");
    case DatasourceCheck::Status::AccessDenied: return QStringLiteral("access-denied");
    case DatasourceCheck::Status::Unreachable: return QStringLiteral("unreachable");
    case DatasourceCheck::Status::NotMySql: return QStringLiteral("not-mysql");
    case DatasourceCheck::Status::Failed: return QStringLiteral("failed");
    }
    return {};
}

QList<DatasourceCheck> checkDatasources(const QList<Config::Datasource> &datasources, int timeoutSeconds)
{
    QList<DatasourceCheck> checks;
    for (const Config::Datasource &source : datasources) {
        DatasourceCheck check;
        check.datasource = source.name;
        check.user = source.username;
        const std::optional<MySqlTarget> target = targetOf(source.url);
        if (!target) {
            check.status = DatasourceCheck::Status::NotMySql;
            check.message = CheckText::tr("%1 is not a MySQL or MariaDB URL; not checked").arg(source.url);
            checks.append(check);
            continue;
        }
        check.host = target->host;
        check.port = target->port;
        check.database = target->database;
        if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QMYSQL"))) {
            check.message = CheckText::tr("Qt's MySQL driver (QMYSQL) is not installed: install libqt6sql6-mysql");
            checks.append(check);
            continue;
        }
        const Connection connection(*target, target->database, source.username, source.password, timeoutSeconds);
        if (!connection.isOpen()) {
            const int code = connection.error().nativeErrorCode().toInt();
            if (code == AccessDeniedError) {
                check.status = DatasourceCheck::Status::AccessDenied;
                check.message = CheckText::tr("%1: the server refuses the user name or password; correct them in "
                                              "master-datasources.xml, or grant the user")
                                    .arg(where(check));
            } else if (code == DatabaseAccessDeniedError) {
                check.status = DatasourceCheck::Status::NoPrivileges;
                check.message = CheckText::tr("%1: the user may not use this database, or it does not exist; create it "
                                              "and grant the user (db check --create)")
                                    .arg(where(check));
            } else if (code == UnknownDatabaseError) {
                check.status = DatasourceCheck::Status::NoDatabase;
                check.message = CheckText::tr("%1: there is no such database; create it (db check --create) and run "
                                              "dbscripts/mysql.sql")
                                    .arg(where(check));
            } else {
                check.status = DatasourceCheck::Status::Unreachable;
                check.message = CheckText::tr("%1: cannot connect: %2").arg(where(check), connection.error().text());
            }
            checks.append(check);
            continue;
        }
        check.registryTables = hasTable(connection.database(), QStringLiteral("REG_RESOURCE"));
        check.userStoreTables = hasTable(connection.database(), QStringLiteral("UM_USER"));
        check.status = check.registryTables || check.userStoreTables ? DatasourceCheck::Status::Ready
                                                                     : DatasourceCheck::Status::NoTables;
        QStringList found;
        if (check.registryTables)
            found.append(CheckText::tr("registry tables"));
        if (check.userStoreTables)
            found.append(CheckText::tr("user store tables"));
        check.message = check.ok() ? CheckText::tr("%1: ready (%2)").arg(where(check), found.join(QLatin1String(", ")))
                                   : CheckText::tr("%1: the database has no registry (REG_RESOURCE) or user store (UM_USER) "
                                                   "tables; run dbscripts/mysql.sql in it, or start the first node with "
                                                   "-Dsetup")
                                         .arg(where(check));
        checks.append(check);
    }
    return checks;
}

bool createDatabase(const Config::Datasource &datasource, const QString &adminUser, const QString &adminPassword,
                    QString *error, int timeoutSeconds)
{
    const std::optional<MySqlTarget> target = targetOf(datasource.url);
    const QString database = target ? quotedName(target->database) : QString();
    if (!target || database.isEmpty()) {
        *error = CheckText::tr("%1: not a MySQL or MariaDB URL naming a database").arg(datasource.url);
        return false;
    }
    const Connection connection(*target, QString(), adminUser, adminPassword, timeoutSeconds);
    if (!connection.isOpen()) {
        *error = CheckText::tr("%1:%2 as %3: %4").arg(target->host).arg(target->port).arg(adminUser, connection.error().text());
        return false;
    }
    QSqlQuery query(connection.database());
    if (!query.exec(QStringLiteral("CREATE DATABASE IF NOT EXISTS %1").arg(database))) {
        *error = CheckText::tr("creating database %1: %2").arg(target->database, query.lastError().text());
        return false;
    }
    // The user may connect from anywhere: the nodes are on other servers than the database.
    query.prepare(QStringLiteral("GRANT ALL PRIVILEGES ON %1.* TO ?@'%' IDENTIFIED BY ?").arg(database));
    query.addBindValue(datasource.username);
    query.addBindValue(datasource.password);
    if (!query.exec()) {
        *error = CheckText::tr("granting %1 on %2: %3").arg(datasource.username, target->database, query.lastError().text());
        return false;
    }
    return true;
}

} // namespace Tribune::Planner
