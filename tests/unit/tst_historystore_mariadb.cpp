// The history store on a real MariaDB server, which the test starts on 127.0.0.1 with an
// ephemeral port and a temporary data folder and stops again, also when a check fails.
#include "../common/mariadbserver.h"
#include "historystorecases.h"

#include <QTest>

#include <memory>
#include <pwd.h>
#include <unistd.h>

using namespace Tribune;
using TestSupport::MariaDbServer;
using TestSupport::MariaDbInstallLine;

namespace {

const QString User = QStringLiteral("tribune");
const QString Password = QStringLiteral("p@ss:w/rd!"); // characters a URL must escape

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
             qPrintable(QLatin1String("Qt's MySQL/MariaDB driver (QMYSQL) is not installed. Run: ") + MariaDbInstallLine));
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
