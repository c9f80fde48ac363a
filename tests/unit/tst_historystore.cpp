// The history store on SQLite files in a temporary folder, plus the errors any URL can give.
#include "historystorecases.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Tribune;

class TestHistoryStore : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void eventsRoundTripAndSearch() { HistoryStoreCases::eventsRoundTripAndSearch(m_url); }
    void samplesInsertAndQuery() { HistoryStoreCases::samplesInsertAndQuery(m_url); }
    void compactRollsUp() { HistoryStoreCases::compactRollsUp(m_url); }
    void survivesReopening() { HistoryStoreCases::survivesReopening(m_url); }
    void lockIsAnError();
    void defaultLocation();
    void summaryCountsAndSpans();
    void badLocations_data();
    void badLocations();
    void unreachableServers();
    void notADatabase();
    void newerSchemaIsRefused();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    QString m_url;
};

void TestHistoryStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("history.sqlite"));
    m_url = QUrl::fromLocalFile(m_path).toString().replace(QLatin1String("file:"), QLatin1String("sqlite:"));
}

void TestHistoryStore::lockIsAnError()
{
    HistoryStoreCases::lockIsAnError(m_url, {QStringLiteral("BEGIN EXCLUSIVE")}, QStringLiteral("ROLLBACK"),
                                     QStringLiteral("database is locked"));
}

// The default file is the same whichever program asks (the console, tribunectl), and its folder
// is created.
void TestHistoryStore::defaultLocation()
{
    const QByteArray saved = qgetenv("XDG_DATA_HOME");
    qputenv("XDG_DATA_HOME", QFile::encodeName(m_dir->filePath(QStringLiteral("data"))));
    const QString path = HistoryStore::defaultPath();
    const QString application = QCoreApplication::applicationName();
    QCoreApplication::setApplicationName(QStringLiteral("another-program"));
    const QString otherProgramsPath = HistoryStore::defaultPath();
    QCoreApplication::setApplicationName(application);
    QString error;
    std::optional<HistoryStore> store = HistoryStore::open({}, &error);
    if (saved.isNull())
        qunsetenv("XDG_DATA_HOME");
    else
        qputenv("XDG_DATA_HOME", saved);
    QVERIFY2(store, qPrintable(error));
    QCOMPARE(path, m_dir->filePath(QStringLiteral("data/tribune/history.sqlite")));
    QCOMPARE(otherProgramsPath, path);
    QVERIFY(QFile::exists(path));
    QCOMPARE(store->backend(), HistoryStore::Backend::SQLite);
    QVERIFY(store->location().contains(path));
    QVERIFY(store->addEvent({HistoryStoreCases::testNow(), QStringLiteral("admin"), {}, {}, {}, {}}));
    HistoryStoreCases::RawConnection raw(QStringLiteral("sqlite://") + path);
    QCOMPARE(raw.text(QStringLiteral("PRAGMA journal_mode")), QStringLiteral("wal"));
    QCOMPARE(raw.number(QStringLiteral("SELECT meta_value FROM tribune_meta WHERE meta_key = 'schema_version'")),
             HistoryStore::SchemaVersion);
}

void TestHistoryStore::summaryCountsAndSpans()
{
    QString error;
    std::optional<HistoryStore> store = HistoryStore::open(m_url, &error);
    QVERIFY2(store, qPrintable(error));
    std::optional<HistorySummary> summary = store->summary();
    QVERIFY2(summary, qPrintable(store->lastError()));
    QCOMPARE(summary->events, qint64(0));
    QCOMPARE(summary->secondSamples + summary->minuteSamples, qint64(0));
    QVERIFY(!summary->firstEvent.isValid() && !summary->lastEvent.isValid());
    QVERIFY(!summary->firstSample.isValid() && !summary->lastSample.isValid());

    const QDateTime now = HistoryStoreCases::testNow(); // 15:09:30
    for (const int age : {50, 100, 10})
        QVERIFY(store->addEvent({now.addSecs(-age), QStringLiteral("health"), QStringLiteral("a"), {}, {}, {}}));
    // Seconds in several ten-second buckets; the first and last of them from different members.
    const QString a = QStringLiteral("a");
    const QString b = QStringLiteral("b");
    const QDateTime oldA = now.addSecs(-2 * 3600);
    const QDateTime oldB = oldA.addSecs(60);
    QVERIFY(store->addSamples({HistoryStoreCases::sample(b, now.addSecs(-4), 1),
                               HistoryStoreCases::sample(a, now.addSecs(-6), 1),
                               HistoryStoreCases::sample(b, now.addSecs(-33), 1),
                               HistoryStoreCases::sample(a, now.addSecs(-35), 1),
                               HistoryStoreCases::sample(a, oldA, 1), HistoryStoreCases::sample(b, oldB, 1)}));
    summary = store->summary();
    QVERIFY2(summary, qPrintable(store->lastError()));
    QCOMPARE(summary->events, qint64(3));
    QCOMPARE(summary->firstEvent, now.addSecs(-100));
    QCOMPARE(summary->lastEvent, now.addSecs(-10));
    QCOMPARE(summary->secondSamples, qint64(6));
    QCOMPARE(summary->minuteSamples, qint64(0));
    QCOMPARE(summary->firstSample, oldA);
    QCOMPARE(summary->lastSample, now.addSecs(-4));

    // Rolled up, the old seconds are two minute rows, stamped with their minutes' starts.
    QVERIFY2(store->compact(now), qPrintable(store->lastError()));
    summary = store->summary();
    QVERIFY2(summary, qPrintable(store->lastError()));
    QCOMPARE(summary->secondSamples, qint64(4));
    QCOMPARE(summary->minuteSamples, qint64(2));
    QCOMPARE(summary->firstSample, oldA.addSecs(-30));
    QCOMPARE(summary->lastSample, now.addSecs(-4));
}

void TestHistoryStore::badLocations_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QString>("secret");
    QTest::newRow("unencoded @ in the password")
        << QStringLiteral("mysql://ana:s3cr@t@db.example:3306/tribune")
        << QStringList{QStringLiteral("not valid"), QStringLiteral("%40"), QStringLiteral("ana:***@")}
        << QStringLiteral("s3cr");
    QTest::newRow("bad port") << QStringLiteral("mysql://ana:pw@db.example:port/tribune")
                              << QStringList{QStringLiteral("not valid"), QStringLiteral("port")} << QString();
    QTest::newRow("unknown scheme") << QStringLiteral("oracle://ana:hush@db.example/tribune")
                                    << QStringList{QStringLiteral("unknown scheme 'oracle'"),
                                                   QStringLiteral("mysql://user:password@host:port/database")}
                                    << QStringLiteral("hush");
    QTest::newRow("no scheme") << QStringLiteral("/var/lib/tribune/history.sqlite")
                               << QStringList{QStringLiteral("not a URL"), QStringLiteral("sqlite:")} << QString();
    QTest::newRow("no database") << QStringLiteral("mysql://ana:hush@db.example:3306")
                                 << QStringList{QStringLiteral("needs a host and a database")}
                                 << QStringLiteral("hush");
    QTest::newRow("no host") << QStringLiteral("mariadb://ana:hush@/tribune")
                             << QStringList{QStringLiteral("needs a host and a database")} << QStringLiteral("hush");
    QTest::newRow("missing folder") << QStringLiteral("sqlite:///nonexistent-tribune-folder/history.sqlite")
                                    << QStringList{QStringLiteral("/nonexistent-tribune-folder/history.sqlite"),
                                                   QStringLiteral("Could not open")}
                                    << QString();
}

void TestHistoryStore::badLocations()
{
    QFETCH(QString, url);
    QFETCH(QStringList, expected);
    QFETCH(QString, secret);
    QString error;
    QVERIFY(!HistoryStore::open(url, &error));
    for (const QString &text : std::as_const(expected))
        QVERIFY2(error.contains(text), qPrintable(error));
    QVERIFY2(secret.isEmpty() || !error.contains(secret), qPrintable(error));
    QVERIFY(!QDir(QStringLiteral("/nonexistent-tribune-folder")).exists());
}

// A server that is not there, or a driver that is not installed, is a prompt, clear error.
void TestHistoryStore::unreachableServers()
{
    for (const QString &scheme : {QStringLiteral("mysql"), QStringLiteral("postgresql")}) {
        const bool mysql = scheme == QLatin1String("mysql");
        const QString driver = mysql ? QStringLiteral("QMYSQL") : QStringLiteral("QPSQL");
        const bool hasDriver = QSqlDatabase::isDriverAvailable(driver);
        QString error;
        QElapsedTimer timer;
        timer.start();
        QVERIFY(!HistoryStore::open(scheme + QLatin1String("://ana:hush@127.0.0.1:1/tribune"), &error));
        QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
        QVERIFY2(!error.contains(QLatin1String("hush")), qPrintable(error));
        if (hasDriver) {
            QVERIFY2(error.contains(QLatin1String("'tribune' on 127.0.0.1:1")), qPrintable(error));
        } else {
            const QString package = mysql ? QStringLiteral("libqt6sql6-mysql") : QStringLiteral("libqt6sql6-psql");
            QVERIFY2(error.contains(QLatin1String("sudo apt-get install ") + package), qPrintable(error));
        }
    }
}

void TestHistoryStore::notADatabase()
{
    QFile file(m_path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(8192, 'x'));
    file.close();
    QString error;
    QVERIFY(!HistoryStore::open(m_url, &error));
    QVERIFY2(error.contains(QLatin1String("file is not a database")) && error.contains(m_path), qPrintable(error));
}

void TestHistoryStore::newerSchemaIsRefused()
{
    QString error;
    QVERIFY2(HistoryStore::open(m_url, &error), qPrintable(error));
    {
        HistoryStoreCases::RawConnection raw(m_url);
        QVERIFY(raw.exec(QStringLiteral("UPDATE tribune_meta SET meta_value = 99 WHERE meta_key = 'schema_version'")));
    }
    QVERIFY(!HistoryStore::open(m_url, &error));
    QVERIFY2(error.contains(QLatin1String("schema version 99")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestHistoryStore)
#include "tst_historystore.moc"
