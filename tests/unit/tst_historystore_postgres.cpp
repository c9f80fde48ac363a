// The history store on a real PostgreSQL server, which the test starts on 127.0.0.1 with an
// ephemeral port and a temporary data folder and stops again, also when a check fails.
#include "../common/throwawayserver.h"
#include "historystorecases.h"

#include <QDir>
#include <QFileInfo>
#include <QTest>

#include <algorithm>
#include <csignal>
#include <memory>
#include <pwd.h>
#include <unistd.h>

using namespace Tribune;
using TestSupport::ThrowawayServer;

namespace {

const QString InstallLine = QStringLiteral("sudo apt-get install -y postgresql libqt6sql6-psql");
const QString User = QStringLiteral("tribune");
const QString Password = QStringLiteral("p@ss:w/rd!"); // characters a URL must escape

// Debian keeps the server programs out of PATH, in a folder per major version: newest first.
QStringList versionFolders()
{
    const QDir root(QStringLiteral("/usr/lib/postgresql"));
    QStringList versions = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(versions.begin(), versions.end(),
              [](const QString &a, const QString &b) { return a.toDouble() > b.toDouble(); });
    QStringList folders;
    for (const QString &version : std::as_const(versions))
        folders << root.filePath(version + QLatin1String("/bin"));
    return folders;
}

// PostgreSQL refuses to run as root: then it runs as the user the Debian package creates.
QString unprivilegedUser()
{
    return ::getpwnam("postgres") ? QStringLiteral("postgres") : QStringLiteral("nobody");
}

// A throwaway PostgreSQL server whose superuser "postgres" logs in through the socket without a
// password; over TCP every user needs one.
class PostgresServer final
{
public:
    bool start(QString *error);
    void stop() { m_server.stop(); }
    // Runs each statement on its own (CREATE and DROP DATABASE refuse a transaction) as the
    // superuser.
    bool sql(const QStringList &statements, QString *error,
             const QString &database = QStringLiteral("postgres")) const;
    int port() const { return m_server.port(); }

private:
    ThrowawayServer m_server{QStringLiteral("postgres.log")};
    QString m_psql;
};

bool PostgresServer::start(QString *error)
{
    // The three from one installation, whichever version that is. initdb may be a link from a
    // folder in PATH, and Debian's psql in PATH is a wrapper, so the others are looked for where
    // initdb really is.
    const QString initdb = ThrowawayServer::findExecutable(QStringLiteral("initdb"), versionFolders());
    const QStringList folder{QFileInfo(QFileInfo(initdb).canonicalFilePath()).absolutePath()};
    const QString postgres =
        initdb.isEmpty() ? QString() : QStandardPaths::findExecutable(QStringLiteral("postgres"), folder);
    m_psql = initdb.isEmpty() ? QString() : QStandardPaths::findExecutable(QStringLiteral("psql"), folder);
    if (postgres.isEmpty() || m_psql.isEmpty()) {
        *error = QStringLiteral("PostgreSQL is not installed (initdb, postgres and psql are needed). Run: ")
            + InstallLine;
        return false;
    }
    if (::geteuid() == 0 && !m_server.runAs(unprivilegedUser(), error))
        return false;
    const QString data = m_server.path(QStringLiteral("data"));
    if (!m_server.run(initdb,
                      {QLatin1String("--pgdata=") + data, QStringLiteral("--username=postgres"),
                       QStringLiteral("--auth-local=trust"), QStringLiteral("--auth-host=scram-sha-256"),
                       QStringLiteral("--encoding=UTF8"), QStringLiteral("--locale=C.UTF-8"),
                       QStringLiteral("--no-sync")},
                      error))
        return false;
    // Fast shutdown: the default (SIGTERM) waits for every client to disconnect first.
    m_server.setStopSignal(SIGINT);
    const QString socketFolder = m_server.folder();
    const auto arguments = [&](int port) {
        // Durability costs time and a throwaway database does not need it.
        return QStringList{QStringLiteral("-D"), data, QStringLiteral("-p"), QString::number(port),
                           QStringLiteral("-k"), socketFolder, QStringLiteral("-c"),
                           QStringLiteral("listen_addresses=127.0.0.1"), QStringLiteral("-c"),
                           QStringLiteral("fsync=off"), QStringLiteral("-c"), QStringLiteral("synchronous_commit=off"),
                           QStringLiteral("-c"), QStringLiteral("full_page_writes=off")};
    };
    const auto ready = [this] {
        QString ignored;
        return sql({QStringLiteral("SELECT 1")}, &ignored);
    };
    return m_server.start(postgres, arguments, ready, error);
}

bool PostgresServer::sql(const QStringList &statements, QString *error, const QString &database) const
{
    QStringList arguments{QStringLiteral("--no-psqlrc"), QStringLiteral("--quiet"),
                          QStringLiteral("--set=ON_ERROR_STOP=1"), QLatin1String("--host=") + m_server.folder(),
                          QLatin1String("--port=") + QString::number(m_server.port()),
                          QStringLiteral("--username=postgres"), QLatin1String("--dbname=") + database};
    for (const QString &statement : statements)
        arguments << QStringLiteral("--command") << statement;
    return m_server.run(m_psql, arguments, error, 30000);
}

} // namespace

class TestHistoryStorePostgres : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanupTestCase();
    void eventsRoundTripAndSearch() { HistoryStoreCases::eventsRoundTripAndSearch(url()); }
    void samplesInsertAndQuery() { HistoryStoreCases::samplesInsertAndQuery(url()); }
    void compactRollsUp() { HistoryStoreCases::compactRollsUp(url()); }
    void survivesReopening() { HistoryStoreCases::survivesReopening(url()); }
    void lockIsAnError();
    void postgresScheme();
    void wrongPassword();
    void unknownDatabase();
    void noRightToCreateTables();
    void userSchema();
    void serverGone();

private:
    QString url(const QString &password = Password, const QString &database = QStringLiteral("tribune"),
                const QString &scheme = QStringLiteral("postgresql")) const
    {
        return HistoryStoreCases::serverUrl(scheme, User, password, m_server->port(), database);
    }

    std::unique_ptr<PostgresServer> m_server;
};

void TestHistoryStorePostgres::initTestCase()
{
    // Missing pieces fail the test (never skip it), saying what to install.
    QVERIFY2(QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")),
             qPrintable(QLatin1String("Qt's PostgreSQL driver (QPSQL) is not installed. Run: ") + InstallLine));
    m_server = std::make_unique<PostgresServer>();
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    QVERIFY2(m_server->sql({QLatin1String("CREATE ROLE ") + User + QLatin1String(" LOGIN PASSWORD '") + Password
                            + QLatin1Char('\'')},
                           &error),
             qPrintable(error));
}

// Every test starts from an empty database that the test's user owns (since PostgreSQL 15 only
// the owner may create tables in its schema public).
void TestHistoryStorePostgres::init()
{
    QString error;
    QVERIFY2(m_server->sql({QStringLiteral("DROP DATABASE IF EXISTS tribune WITH (FORCE)"),
                            QStringLiteral("DROP DATABASE IF EXISTS shared WITH (FORCE)"),
                            QLatin1String("CREATE DATABASE tribune OWNER ") + User},
                           &error),
             qPrintable(error));
}

void TestHistoryStorePostgres::cleanupTestCase()
{
    m_server.reset();
}

// A table lock is taken in a transaction and held until it ends.
void TestHistoryStorePostgres::lockIsAnError()
{
    HistoryStoreCases::lockIsAnError(url(),
                                     {QStringLiteral("BEGIN"),
                                      QStringLiteral("LOCK TABLE tribune_events IN EXCLUSIVE MODE")},
                                     QStringLiteral("ROLLBACK"), QStringLiteral("lock timeout"));
}

void TestHistoryStorePostgres::postgresScheme()
{
    QString error;
    const QString postgresUrl = url(Password, QStringLiteral("tribune"), QStringLiteral("postgres"));
    std::optional<HistoryStore> store = HistoryStore::open(postgresUrl, &error);
    QVERIFY2(store, qPrintable(error));
    QCOMPARE(store->backend(), HistoryStore::Backend::PostgreSql);
    QVERIFY(store->addEvent({HistoryStoreCases::testNow(), QStringLiteral("admin"), {}, {}, {}, {}}));
    QCOMPARE(store->events({}, {}).size(), 1);
}

void TestHistoryStorePostgres::wrongPassword()
{
    QString error;
    QVERIFY(!HistoryStore::open(url(QStringLiteral("guessed")), &error));
    QVERIFY2(error.contains(QLatin1String("password authentication failed"))
                 && error.contains(QLatin1String("'tribune' on 127.0.0.1"))
                 && !error.contains(QLatin1String("guessed")),
             qPrintable(error));
}

void TestHistoryStorePostgres::unknownDatabase()
{
    QString error;
    QVERIFY(!HistoryStore::open(url(Password, QStringLiteral("nosuchdb")), &error));
    QVERIFY2(error.contains(QLatin1String("\"nosuchdb\" does not exist")), qPrintable(error));
}

// A database the user may connect to but not create tables in fails to open, saying why, and
// leaves nothing behind.
void TestHistoryStorePostgres::noRightToCreateTables()
{
    QString error;
    QVERIFY2(m_server->sql({QStringLiteral("CREATE DATABASE shared")}, &error), qPrintable(error));
    const qsizetype connections = QSqlDatabase::connectionNames().size();
    QVERIFY(!HistoryStore::open(url(Password, QStringLiteral("shared")), &error));
    QVERIFY2(error.contains(QLatin1String("permission denied for schema public"))
                 && error.contains(QLatin1String("'shared' on 127.0.0.1")),
             qPrintable(error));
    QCOMPARE(QSqlDatabase::connectionNames().size(), connections);
}

// PostgreSQL's advice since version 15 for a database that several users share: each keeps its
// tables in a schema of its own name, which comes first in the search path.
void TestHistoryStorePostgres::userSchema()
{
    QString error;
    QVERIFY2(m_server->sql({QStringLiteral("CREATE DATABASE shared")}, &error), qPrintable(error));
    QVERIFY2(m_server->sql({QLatin1String("CREATE SCHEMA ") + User + QLatin1String(" AUTHORIZATION ") + User}, &error,
                           QStringLiteral("shared")),
             qPrintable(error));
    const QString sharedUrl = url(Password, QStringLiteral("shared"));
    HistoryStoreCases::survivesReopening(sharedUrl);
    if (QTest::currentTestFailed())
        return;
    HistoryStoreCases::RawConnection raw(sharedUrl);
    QCOMPARE(raw.number(QLatin1String("SELECT COUNT(*) FROM ") + User + QLatin1String(".tribune_events")), 1);
}

// Runs last: it stops the server.
void TestHistoryStorePostgres::serverGone()
{
    HistoryStoreCases::serverGone(url(), [this] { m_server->stop(); }, QStringLiteral("the connection to the database was lost"));
}

QTEST_GUILESS_MAIN(TestHistoryStorePostgres)
#include "tst_historystore_postgres.moc"
