// The history store on a real MariaDB server, which the test starts on 127.0.0.1 with an
// ephemeral port and a temporary data folder and stops again, also when a check fails.
#include "historystorecases.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>
#include <memory>
#include <pwd.h>
#include <sys/prctl.h>
#include <unistd.h>

using namespace Tribune;

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

// A throwaway MariaDB server. The destructor stops it; the server also dies with this process.
class MariaDbServer final
{
public:
    MariaDbServer() = default;
    ~MariaDbServer() { stop(); }
    Q_DISABLE_COPY_MOVE(MariaDbServer)

    bool start(QString *error);
    void stop();
    // Runs statements as root through the socket.
    bool sql(const QString &statements, QString *error);
    int port() const { return m_port; }

private:
    static QString find(const QString &name)
    {
        const QString found = QStandardPaths::findExecutable(name);
        return found.isEmpty()
            ? QStandardPaths::findExecutable(name, {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/local/sbin")})
            : found;
    }
    QString logTail() const
    {
        QFile log(m_dir.filePath(QStringLiteral("mariadbd.log")));
        return log.open(QIODevice::ReadOnly) ? QString::fromLocal8Bit(log.readAll().right(2000)) : QString();
    }

    QTemporaryDir m_dir;
    QString m_client;
    QProcess m_server;
    int m_port = 0;
};

bool MariaDbServer::start(QString *error)
{
    const QString installDb = find(QStringLiteral("mariadb-install-db"));
    const QString server = find(QStringLiteral("mariadbd"));
    m_client = find(QStringLiteral("mariadb"));
    if (installDb.isEmpty() || server.isEmpty() || m_client.isEmpty()) {
        *error = QStringLiteral("MariaDB is not installed (mariadb-install-db, mariadbd and mariadb are needed). Run: ")
            + InstallLine;
        return false;
    }
    const QString datadir = m_dir.filePath(QStringLiteral("data"));
    QProcess install;
    install.setProcessChannelMode(QProcess::MergedChannels);
    install.start(installDb, {QStringLiteral("--no-defaults"), QLatin1String("--user=") + serverUser(),
                              QLatin1String("--datadir=") + datadir,
                              QStringLiteral("--auth-root-authentication-method=normal"),
                              QStringLiteral("--skip-test-db")});
    if (!install.waitForFinished(120000) || install.exitStatus() != QProcess::NormalExit || install.exitCode() != 0) {
        install.kill();
        *error = QLatin1String("mariadb-install-db failed: ") + QString::fromLocal8Bit(install.readAll().right(2000));
        return false;
    }
    // The port is free when chosen; another process may take it first, so a failed start is retried.
    for (int attempt = 0; attempt < 5; ++attempt) {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0)) {
            *error = QLatin1String("no free port: ") + probe.errorString();
            return false;
        }
        m_port = probe.serverPort();
        probe.close();
        m_server.setProcessChannelMode(QProcess::MergedChannels);
        m_server.setStandardOutputFile(m_dir.filePath(QStringLiteral("mariadbd.log")), QIODevice::Append);
        m_server.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
        m_server.start(server, {QStringLiteral("--no-defaults"), QLatin1String("--user=") + serverUser(),
                                QLatin1String("--datadir=") + datadir,
                                QLatin1String("--socket=") + m_dir.filePath(QStringLiteral("mariadb.sock")),
                                QLatin1String("--port=") + QString::number(m_port),
                                QStringLiteral("--bind-address=127.0.0.1"), QStringLiteral("--skip-log-bin"),
                                QStringLiteral("--skip-name-resolve")});
        if (!m_server.waitForStarted(10000)) {
            *error = QLatin1String("mariadbd did not start: ") + m_server.errorString();
            return false;
        }
        QString ignored;
        for (int wait = 0; wait < 300 && m_server.state() == QProcess::Running; ++wait) {
            if (sql(QStringLiteral("SELECT 1"), &ignored))
                return true;
            QThread::msleep(100);
        }
        stop();
    }
    *error = QLatin1String("mariadbd did not become ready: ") + logTail();
    return false;
}

void MariaDbServer::stop()
{
    if (m_server.state() == QProcess::NotRunning)
        return;
    m_server.terminate(); // a clean shutdown
    if (!m_server.waitForFinished(20000)) {
        m_server.kill();
        m_server.waitForFinished(5000);
    }
}

bool MariaDbServer::sql(const QString &statements, QString *error)
{
    QProcess client;
    client.start(m_client, {QStringLiteral("--no-defaults"), QStringLiteral("--protocol=socket"),
                            QLatin1String("--socket=") + m_dir.filePath(QStringLiteral("mariadb.sock")),
                            QStringLiteral("--user=root"), QStringLiteral("--batch"), QStringLiteral("-e"),
                            statements});
    if (client.waitForFinished(30000) && client.exitStatus() == QProcess::NormalExit && client.exitCode() == 0)
        return true;
    client.kill();
    client.waitForFinished(5000);
    *error = QString::fromLocal8Bit(client.readAllStandardError()).trimmed();
    return false;
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
        return scheme + QLatin1String("://") + User + QLatin1Char(':')
            + QString::fromLatin1(QUrl::toPercentEncoding(password)) + QLatin1String("@127.0.0.1:")
            + QString::number(m_server->port()) + QLatin1Char('/') + database;
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

// A server that goes away under an open store is an error on the next call, not a hang. Runs last.
void TestHistoryStoreMariaDb::serverGone()
{
    QString error;
    std::optional<HistoryStore> store = HistoryStore::open(url(), &error);
    QVERIFY2(store, qPrintable(error));
    m_server->stop();
    QElapsedTimer timer;
    timer.start();
    QVERIFY(!store->addEvent({HistoryStoreCases::testNow(), QStringLiteral("admin"), {}, {}, {}, {}}));
    QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
    QVERIFY2(store->lastError().contains(store->location()), qPrintable(store->lastError()));
    QVERIFY(store->events({}, {}).isEmpty());
    QVERIFY(!store->lastError().isEmpty());
}

QTEST_GUILESS_MAIN(TestHistoryStoreMariaDb)
#include "tst_historystore_mariadb.moc"
