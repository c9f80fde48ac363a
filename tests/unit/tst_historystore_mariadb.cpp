// The history store on a real MariaDB server, which the test starts on 127.0.0.1 with an
// ephemeral port and a temporary data folder and stops again, also when a check fails.
#include "../common/throwawayserver.h"
#include "historystorecases.h"

#include <QTest>

#include <memory>
#include <pwd.h>
#include <unistd.h>

using namespace Tribune;
using TestSupport::ThrowawayServer;

namespace {

const QString InstallLine = QStringLiteral("sudo apt-get install -y mariadb-server mariadb-client libqt6sql6-mysql");
const QString User = QStringLiteral("tribune");
const QString Password = QStringLiteral("p@ss:w/rd!"); // characters a URL must escape

// --user for the server: root, as ARCHITECTURE.md has it, when the test runs as root; otherwise
// the user the test runs as (mariadb-install-db must give the data folder to that user).
QString serverUser()
{
    const passwd *entry = ::getpwuid(::geteuid());
    return ::geteuid() == 0 || !entry ? QStringLiteral("root") : QString::fromLocal8Bit(entry->pw_name);
}

// A throwaway MariaDB server whose root logs in through the socket.
class MariaDbServer final
{
public:
    bool start(QString *error);
    void stop() { m_server.stop(); }
    // Runs statements as root through the socket.
    bool sql(const QString &statements, QString *error) const;
    int port() const { return m_server.port(); }

private:
    ThrowawayServer m_server{QStringLiteral("mariadbd.log")};
    QString m_client;
};

bool MariaDbServer::start(QString *error)
{
    const QString installDb = ThrowawayServer::findExecutable(QStringLiteral("mariadb-install-db"));
    const QString server = ThrowawayServer::findExecutable(QStringLiteral("mariadbd"));
    m_client = ThrowawayServer::findExecutable(QStringLiteral("mariadb"));
    if (installDb.isEmpty() || server.isEmpty() || m_client.isEmpty()) {
        *error = QStringLiteral("MariaDB is not installed (mariadb-install-db, mariadbd and mariadb are needed). Run: ")
            + InstallLine;
        return false;
    }
    const QString datadir = m_server.path(QStringLiteral("data"));
    if (!m_server.run(installDb,
                      {QStringLiteral("--no-defaults"), QLatin1String("--user=") + serverUser(),
                       QLatin1String("--datadir=") + datadir,
                       QStringLiteral("--auth-root-authentication-method=normal"), QStringLiteral("--skip-test-db")},
                      error))
        return false;
    const QString socket = m_server.path(QStringLiteral("mariadb.sock"));
    const auto arguments = [&](int port) {
        return QStringList{QStringLiteral("--no-defaults"), QLatin1String("--user=") + serverUser(),
                           QLatin1String("--datadir=") + datadir, QLatin1String("--socket=") + socket,
                           QLatin1String("--port=") + QString::number(port), QStringLiteral("--bind-address=127.0.0.1"),
                           QStringLiteral("--skip-log-bin"), QStringLiteral("--skip-name-resolve")};
    };
    const auto ready = [this] {
        QString ignored;
        return sql(QStringLiteral("SELECT 1"), &ignored);
    };
    return m_server.start(server, arguments, ready, error); // SIGTERM is a clean shutdown
}

bool MariaDbServer::sql(const QString &statements, QString *error) const
{
    return m_server.run(m_client,
                        {QStringLiteral("--no-defaults"), QStringLiteral("--protocol=socket"),
                         QLatin1String("--socket=") + m_server.path(QStringLiteral("mariadb.sock")),
                         QStringLiteral("--user=root"), QStringLiteral("--batch"), QStringLiteral("-e"), statements},
                        error, 30000);
}

} // namespace

class TestHistoryStoreMariaDb : public QObject
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
    void mariadbScheme();
    void wrongPassword();
    void unknownDatabase();
    void serverGone();

private:
    QString url(const QString &password = Password, const QString &database = QStringLiteral("tribune"),
                const QString &scheme = QStringLiteral("mysql")) const
    {
        return HistoryStoreCases::serverUrl(scheme, User, password, m_server->port(), database);
    }

    std::unique_ptr<MariaDbServer> m_server;
};

void TestHistoryStoreMariaDb::initTestCase()
{
    // Missing pieces fail the test (never skip it), saying what to install.
    QVERIFY2(QSqlDatabase::isDriverAvailable(QStringLiteral("QMYSQL")),
             qPrintable(QLatin1String("Qt's MySQL/MariaDB driver (QMYSQL) is not installed. Run: ") + InstallLine));
    m_server = std::make_unique<MariaDbServer>();
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    QVERIFY2(m_server->sql(QLatin1String("CREATE USER '") + User + QLatin1String("'@'%' IDENTIFIED BY '") + Password
                               + QLatin1String("'; GRANT ALL PRIVILEGES ON tribune.* TO '") + User
                               + QLatin1String("'@'%';"),
                           &error),
             qPrintable(error));
}

// Every test starts from an empty database.
void TestHistoryStoreMariaDb::init()
{
    QString error;
    const QString reset =
        QStringLiteral("DROP DATABASE IF EXISTS tribune; CREATE DATABASE tribune CHARACTER SET utf8mb4;");
    QVERIFY2(m_server->sql(reset, &error), qPrintable(error));
}

void TestHistoryStoreMariaDb::cleanupTestCase()
{
    m_server.reset();
}

void TestHistoryStoreMariaDb::lockIsAnError()
{
    HistoryStoreCases::lockIsAnError(url(), {QStringLiteral("LOCK TABLES tribune_events WRITE")},
                                     QStringLiteral("UNLOCK TABLES"), QStringLiteral("Lock wait timeout"));
}

void TestHistoryStoreMariaDb::mariadbScheme()
{
    QString error;
    const QString mariadbUrl = url(Password, QStringLiteral("tribune"), QStringLiteral("mariadb"));
    std::optional<HistoryStore> store = HistoryStore::open(mariadbUrl, &error);
    QVERIFY2(store, qPrintable(error));
    QCOMPARE(store->backend(), HistoryStore::Backend::MySql);
    QVERIFY(store->addEvent({HistoryStoreCases::testNow(), QStringLiteral("admin"), {}, {}, {}, {}}));
    QCOMPARE(store->events({}, {}).size(), 1);
}

void TestHistoryStoreMariaDb::wrongPassword()
{
    QString error;
    QVERIFY(!HistoryStore::open(url(QStringLiteral("guessed")), &error));
    QVERIFY2(error.contains(QLatin1String("Access denied")) && error.contains(QLatin1String("'tribune' on 127.0.0.1"))
                 && !error.contains(QLatin1String("guessed")),
             qPrintable(error));
}

void TestHistoryStoreMariaDb::unknownDatabase()
{
    QString error;
    QVERIFY(!HistoryStore::open(url(Password, QStringLiteral("nosuchdb")), &error));
    QVERIFY2(error.contains(QLatin1String("nosuchdb")) && error.contains(QLatin1String("Access denied")),
             qPrintable(error));
    const QString grant = QStringLiteral("GRANT ALL PRIVILEGES ON nosuchdb.* TO 'tribune'@'%';");
    QVERIFY2(m_server->sql(grant, &error), qPrintable(error));
    QVERIFY(!HistoryStore::open(url(Password, QStringLiteral("nosuchdb")), &error));
    QVERIFY2(error.contains(QLatin1String("Unknown database 'nosuchdb'")), qPrintable(error));
}

// Runs last: it stops the server.
void TestHistoryStoreMariaDb::serverGone()
{
    HistoryStoreCases::serverGone(url(), [this] { m_server->stop(); });
}

QTEST_GUILESS_MAIN(TestHistoryStoreMariaDb)
#include "tst_historystore_mariadb.moc"
