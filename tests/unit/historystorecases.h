#pragma once

// The history store's behaviour, checked the same way on every backend: tst_historystore runs
// these cases on SQLite files, tst_historystore_mariadb and tst_historystore_postgres on a MariaDB
// and a PostgreSQL server they start themselves.
// Each case opens its own stores on url, an empty database.

#include "history/historystore.h"

#include <QElapsedTimer>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QUrl>

#include <cmath>
#include <functional>
#include <limits>

namespace HistoryStoreCases {

using Tribune::HistoryEvent;
using Tribune::HistoryStore;
using Tribune::MetricSample;

// A fixed "now" half a minute past a minute, so that roll-up minutes are known in advance.
inline QDateTime testNow()
{
    return QDateTime(QDate(2025, 3, 14), QTime(15, 9, 30), Qt::UTC);
}

inline MetricSample sample(const QString &member, const QDateTime &time, double requestRate, double sessions = 0,
                           double bytesIn = 0, double bytesOut = 0, double errors = 0, double responseTime = 0)
{
    return {time, member, requestRate, sessions, bytesIn, bytesOut, errors, responseTime};
}

// A second connection to the store's database, to look at its tables behind its back.
class RawConnection final
{
public:
    explicit RawConnection(const QString &url)
        : m_name(QStringLiteral("raw#%1").arg(++s_count))
    {
        const QUrl parsed(url);
        QSqlDatabase db;
        if (parsed.scheme() == QLatin1String("sqlite")) {
            db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
            db.setDatabaseName(parsed.path());
        } else {
            const bool postgres = parsed.scheme().startsWith(QLatin1String("postgres"));
            db = QSqlDatabase::addDatabase(postgres ? QStringLiteral("QPSQL") : QStringLiteral("QMYSQL"), m_name);
            db.setHostName(parsed.host());
            db.setPort(parsed.port());
            db.setDatabaseName(parsed.path().mid(1));
            db.setUserName(parsed.userName(QUrl::FullyDecoded));
            db.setPassword(parsed.password(QUrl::FullyDecoded));
        }
        if (!db.open())
            m_error = db.lastError().text();
    }
    ~RawConnection()
    {
        QSqlDatabase::database(m_name, false).close();
        QSqlDatabase::removeDatabase(m_name);
    }
    Q_DISABLE_COPY_MOVE(RawConnection)

    QString error() const { return m_error; }
    bool exec(const QString &sql)
    {
        QSqlQuery query(QSqlDatabase::database(m_name, false));
        if (query.exec(sql))
            return true;
        m_error = sql + QLatin1String(": ") + query.lastError().text();
        return false;
    }
    // The first column of the first row of a query, or -1.
    qint64 number(const QString &sql)
    {
        QSqlQuery query(QSqlDatabase::database(m_name, false));
        if (query.exec(sql) && query.next())
            return query.value(0).toLongLong();
        m_error = sql + QLatin1String(": ") + query.lastError().text();
        return -1;
    }
    QString text(const QString &sql)
    {
        QSqlQuery query(QSqlDatabase::database(m_name, false));
        return query.exec(sql) && query.next() ? query.value(0).toString() : QString();
    }

private:
    static inline int s_count = 0;
    QString m_name;
    QString m_error;
};

inline QString kinds(const QList<HistoryEvent> &events)
{
    QStringList result;
    for (const HistoryEvent &event : events)
        result << event.kind;
    return result.join(QLatin1Char(','));
}

inline void eventsRoundTripAndSearch(const QString &url)
{
    QString error;
    std::optional<HistoryStore> store = HistoryStore::open(url, &error);
    QVERIFY2(store, qPrintable(error));
    const QDateTime now = testNow();
    const QString worker = QStringLiteral("10.0.0.5:4000");
    const HistoryEvent join{now.addSecs(-60), QStringLiteral("join"), worker, QStringLiteral("wso2.esb.domain"),
                            QStringLiteral("worker"), QStringLiteral("started, port offset 2 → é ü 中")};
    const HistoryEvent failure{now.addSecs(-30), QStringLiteral("failure"), QStringLiteral("10.0.0.6:4000"),
                               QStringLiteral("wso2.esb.domain"), QStringLiteral("worker"),
                               QStringLiteral("No heartbeat for 3000 ms (50%_lost)")};
    // Two events in the same millisecond keep the order they were added in.
    const HistoryEvent suspect{now.addSecs(-10), QStringLiteral("suspect"), worker, {}, {}, {}};
    const HistoryEvent refute{now.addSecs(-10), QStringLiteral("refute"), worker, {}, {}, {}};
    const HistoryEvent admin{now, QStringLiteral("admin"), {}, {}, {}, QStringLiteral("ana pushed carbon.xml")};
    const HistoryEvent older{now.addDays(-2), QStringLiteral("leave"), worker, {}, {}, QStringLiteral("graceful")};
    for (const HistoryEvent &event : {join, failure, suspect, refute, admin, older})
        QVERIFY2(store->addEvent(event), qPrintable(store->lastError()));

    const QDateTime from = now.addDays(-1);
    const QList<HistoryEvent> recent = store->events(from, now);
    QCOMPARE(kinds(recent), QStringLiteral("admin,refute,suspect,failure,join"));
    const HistoryEvent &read = recent.last();
    QCOMPARE(read.time, join.time);
    QCOMPARE(read.memberId, join.memberId);
    QCOMPARE(read.domain, join.domain);
    QCOMPARE(read.subDomain, join.subDomain);
    QCOMPARE(read.reason, join.reason);
    QVERIFY(recent.first().memberId.isEmpty());
    QCOMPARE(kinds(store->events({}, {})), QStringLiteral("admin,refute,suspect,failure,join,leave"));
    QCOMPARE(kinds(store->events(from, now, {}, 2)), QStringLiteral("admin,refute"));
    QCOMPARE(kinds(store->events(now.addSecs(-30), now.addSecs(-10))), QStringLiteral("refute,suspect,failure"));

    QCOMPARE(kinds(store->events(from, now, QStringLiteral("10.0.0.6"))), QStringLiteral("failure"));
    QCOMPARE(kinds(store->events(from, now, QStringLiteral("HEARTBEAT"))), QStringLiteral("failure"));
    QCOMPARE(kinds(store->events(from, now, QStringLiteral("Admin"))), QStringLiteral("admin"));
    QCOMPARE(kinds(store->events({}, {}, QStringLiteral("0.5:40"))), QStringLiteral("refute,suspect,join,leave"));
    // LIKE's wildcards are searched for as themselves.
    QCOMPARE(kinds(store->events(from, now, QStringLiteral("%"))), QStringLiteral("failure"));
    QCOMPARE(kinds(store->events(from, now, QStringLiteral("_"))), QStringLiteral("failure"));
    QCOMPARE(kinds(store->events(from, now, QStringLiteral("nothing like this"))), QString());
    QVERIFY2(store->lastError().isEmpty(), qPrintable(store->lastError()));

    QVERIFY(!store->addEvent(HistoryEvent{}));
    QVERIFY2(store->lastError().contains(store->location()), qPrintable(store->lastError()));
}

inline void samplesInsertAndQuery(const QString &url)
{
    QString error;
    std::optional<HistoryStore> store = HistoryStore::open(url, &error);
    QVERIFY2(store, qPrintable(error));
    const QDateTime now = testNow();
    const QString a = QStringLiteral("10.0.0.5:4000");
    const QString b = QStringLiteral("10.0.0.6:4000");
    QList<MetricSample> batch;
    for (int s = 0; s < 10; ++s) {
        const QDateTime time = now.addSecs(s - 10).addMSecs(250); // stored truncated to the second
        batch << sample(a, time, s, 10 + s, 100 * s, 200 * s, 0.5, 20 + s);
        batch << sample(b, time, 2 * s, 5, 0, 0, 0, 40 + s);
    }
    QVERIFY2(store->addSamples(batch), qPrintable(store->lastError()));
    QVERIFY(store->addSamples({}));

    const QList<MetricSample> one = store->samples(a, now.addSecs(-60), now);
    QCOMPARE(one.size(), 10);
    for (int s = 0; s < 10; ++s) {
        QCOMPARE(one[s].time, now.addSecs(s - 10));
        QCOMPARE(one[s].memberId, a);
        QCOMPARE(one[s].requestRate, double(s));
        QCOMPARE(one[s].sessions, double(10 + s));
        QCOMPARE(one[s].bytesInRate, double(100 * s));
        QCOMPARE(one[s].bytesOutRate, double(200 * s));
        QCOMPARE(one[s].errors5xxRate, 0.5);
        QCOMPARE(one[s].responseTimeMs, double(20 + s));
    }
    QCOMPARE(store->samples(a, now.addSecs(-5), now.addSecs(-3)).size(), 3);
    QCOMPARE(store->samples(a, {}, {}).size(), 10);
    QVERIFY(store->samples(QStringLiteral("nobody:1"), now.addSecs(-60), now).isEmpty());

    const QList<MetricSample> summed = store->samplesSummed({a, b}, now.addSecs(-60), now);
    QCOMPARE(summed.size(), 10);
    for (int s = 0; s < 10; ++s) {
        QCOMPARE(summed[s].time, now.addSecs(s - 10));
        QVERIFY(summed[s].memberId.isEmpty());
        QCOMPARE(summed[s].requestRate, double(3 * s));
        QCOMPARE(summed[s].sessions, double(15 + s));
        QCOMPARE(summed[s].errors5xxRate, 0.5);
        QCOMPARE(summed[s].responseTimeMs, double(30 + s)); // the average of 20 + s and 40 + s
    }
    // A member named twice counts once.
    QCOMPARE(store->samplesSummed({a, a}, now.addSecs(-60), now).at(4).requestRate, 4.0);

    // Each member's own rows in one query, as samples() gives them one by one.
    const QHash<QString, QList<MetricSample>> each =
        store->samplesOfEach({a, b, QStringLiteral("nobody:1")}, now.addSecs(-60), now);
    QCOMPARE(each.size(), 2);
    QCOMPARE(each.value(b).size(), 10);
    QCOMPARE(each.value(b).at(3).memberId, b);
    QCOMPARE(each.value(b).at(3).requestRate, 6.0);
    QCOMPARE(each.value(b).at(3).responseTimeMs, 43.0);
    QCOMPARE(each.value(a).at(7).time, now.addSecs(-3));
    QCOMPARE(each.value(a).at(7).sessions, 17.0);

    // A second given again replaces the first; given twice in one batch, the last wins.
    QVERIFY(store->addSamples({sample(a, now.addSecs(-3), 100)}));
    QVERIFY(store->addSamples({sample(a, now.addSecs(-3), 101), sample(a, now.addSecs(-3).addMSecs(500), 102)}));
    QCOMPARE(store->samples(a, now.addSecs(-3), now.addSecs(-3)).size(), 1);
    QCOMPARE(store->samples(a, now.addSecs(-3), now.addSecs(-3)).at(0).requestRate, 102.0);

    // A response time that is not a number is no value: it reads as 0 and is left out of averages.
    const QString c = QStringLiteral("10.0.0.7:4000");
    QVERIFY(store->addSamples({sample(c, now.addSecs(-1), 1, 1, 1, 1, 0, std::numeric_limits<double>::quiet_NaN())}));
    QCOMPARE(store->samples(c, now.addSecs(-60), now).at(0).responseTimeMs, 0.0);
    QCOMPARE(store->samplesSummed({a, c}, now.addSecs(-1), now.addSecs(-1)).at(0).responseTimeMs, 29.0);

    // Bursts larger than one multi-row insert, and summed over more members than one query takes.
    QList<MetricSample> burst;
    QStringList members;
    for (int m = 0; m < 1234; ++m) {
        members << QStringLiteral("10.1.%1.%2:4000").arg(m / 250).arg(m % 250);
        burst << sample(members.last(), now, 1, m, 0, 0, 0, 10);
    }
    QVERIFY2(store->addSamples(burst), qPrintable(store->lastError()));
    const QList<MetricSample> cluster = store->samplesSummed(members, now, now);
    QCOMPARE(cluster.size(), 1);
    QCOMPARE(cluster[0].requestRate, 1234.0);
    QCOMPARE(cluster[0].sessions, 1233.0 * 1234.0 / 2);
    QCOMPARE(cluster[0].responseTimeMs, 10.0);

    // A bad sample fails the whole batch, naming the member.
    QVERIFY(!store->addSamples({sample(a, now.addSecs(5), 1), sample(QStringLiteral("timeless:1"), {}, 1)}));
    QVERIFY2(store->lastError().contains(QLatin1String("timeless:1")), qPrintable(store->lastError()));
    QCOMPARE(store->samples(a, now.addSecs(5), now.addSecs(5)).size(), 0);
}

inline void compactRollsUp(const QString &url)
{
    QString error;
    std::optional<HistoryStore> store = HistoryStore::open(url, &error);
    QVERIFY2(store, qPrintable(error));
    RawConnection raw(url);
    QVERIFY2(raw.error().isEmpty(), qPrintable(raw.error()));
    const QDateTime now = testNow(); // 15:09:30, so seconds before 14:09:00 are rolled up
    const QDateTime minute = QDateTime(now.date(), QTime(13, 0), Qt::UTC);
    const QDateTime nextMinute = minute.addSecs(60);
    const QDateTime recent = now.addSecs(-600);
    const QString a = QStringLiteral("10.0.0.5:4000");
    const QString b = QStringLiteral("10.0.0.6:4000");
    QVERIFY2(store->addSamples({
                 sample(a, minute, 1, 10, 100, 0, 0, 10),
                 sample(a, minute.addSecs(1), 2, 20, 200, 0, 0, 50),
                 sample(a, minute.addSecs(2), 6, 30, 300, 30, 3, 30),
                 sample(b, minute.addSecs(7), 4, 1, 0, 0, 0, 20),
                 sample(a, nextMinute.addSecs(59), 7),
                 sample(a, recent, 9, 0, 0, 0, 0, 5),
                 sample(a, now.addDays(-31), 1000),
             }),
             qPrintable(store->lastError()));
    QCOMPARE(raw.number(QStringLiteral("SELECT COUNT(*) FROM tribune_samples_second")), 7);
    QCOMPARE(store->samples(a, minute, nextMinute).size(), 3); // still seconds

    QVERIFY2(store->compact(now), qPrintable(store->lastError()));
    QCOMPARE(raw.number(QStringLiteral("SELECT COUNT(*) FROM tribune_samples_second")), 1);
    // Three minute rows: the 31-day-old one is gone.
    QCOMPARE(raw.number(QStringLiteral("SELECT COUNT(*) FROM tribune_samples_minute")), 3);

    const auto check = [&](double lateRequestRate, int sampleCount) {
        const QList<MetricSample> history = store->samples(a, now.addSecs(-3 * 3600), now);
        QCOMPARE(history.size(), 3);
        QCOMPARE(history[0].time, minute);
        QCOMPARE(history[0].requestRate, (1 + 2 + 6 + lateRequestRate) / sampleCount);
        QCOMPARE(history[0].sessions, (10 + 20 + 30) / double(sampleCount));
        QCOMPARE(history[0].bytesInRate, 600.0 / sampleCount);
        QCOMPARE(history[0].bytesOutRate, 30.0 / sampleCount);
        QCOMPARE(history[0].errors5xxRate, 3.0 / sampleCount);
        QCOMPARE(history[0].responseTimeMs, 50.0); // the minute's maximum
        QCOMPARE(history[1].time, nextMinute);
        QCOMPARE(history[1].requestRate, 7.0);
        QCOMPARE(history[2].time, recent);
        QCOMPARE(history[2].requestRate, 9.0);
        QCOMPARE(history[2].responseTimeMs, 5.0);
    };
    check(0, 3);
    if (QTest::currentTestFailed())
        return;
    const QList<MetricSample> both = store->samplesSummed({a, b}, minute, minute);
    QCOMPARE(both.size(), 1);
    QCOMPARE(both[0].requestRate, 3.0 + 4.0);
    QCOMPARE(both[0].responseTimeMs, (50.0 + 20.0) / 2);
    const QHash<QString, QList<MetricSample>> each = store->samplesOfEach({a, b}, minute, now);
    QCOMPARE(each.value(a).size(), 3); // the two minute rows and the recent second
    QCOMPARE(each.value(a).at(0).requestRate, 3.0);
    QCOMPARE(each.value(a).at(2).time, recent);
    QCOMPARE(each.value(b).size(), 1);
    QCOMPARE(each.value(b).at(0).requestRate, 4.0);
    QCOMPARE(each.value(b).at(0).responseTimeMs, 20.0);
    QVERIFY(store->samples(a, now.addDays(-40), now.addDays(-29)).isEmpty());

    // Again at the same time, and a little later: nothing changes.
    QVERIFY2(store->compact(now), qPrintable(store->lastError()));
    QVERIFY2(store->compact(now.addSecs(45)), qPrintable(store->lastError()));
    QCOMPARE(raw.number(QStringLiteral("SELECT COUNT(*) FROM tribune_samples_second")), 1);
    QCOMPARE(raw.number(QStringLiteral("SELECT COUNT(*) FROM tribune_samples_minute")), 3);
    check(0, 3);
    if (QTest::currentTestFailed())
        return;

    // A second that arrives after its minute was rolled up joins that minute at the next roll-up.
    QVERIFY(store->addSamples({sample(a, minute.addSecs(30), 11, 0, 0, 0, 0, 40)}));
    QVERIFY2(store->compact(now.addSecs(120)), qPrintable(store->lastError()));
    QCOMPARE(raw.number(QStringLiteral("SELECT COUNT(*) FROM tribune_samples_second")), 1);
    check(11, 4);
}

inline void survivesReopening(const QString &url)
{
    const QDateTime now = testNow();
    const QString a = QStringLiteral("10.0.0.5:4000");
    const int connections = int(QSqlDatabase::connectionNames().size());
    {
        QString error;
        std::optional<HistoryStore> first = HistoryStore::open(url, &error);
        QVERIFY2(first, qPrintable(error));
        std::optional<HistoryStore> store = std::move(first); // a moved store keeps working
        QVERIFY(store->addEvent({now, QStringLiteral("join"), a, QStringLiteral("d"), QStringLiteral("s"), {}}));
        QVERIFY(store->addSamples({sample(a, now.addSecs(-7200), 3), sample(a, now.addSecs(-5), 4)}));
        QVERIFY(store->compact(now));
        QCOMPARE(QSqlDatabase::connectionNames().size(), connections + 1);
    }
    QCOMPARE(QSqlDatabase::connectionNames().size(), connections); // the connection went with the store
    QString error;
    std::optional<HistoryStore> store = HistoryStore::open(url, &error);
    QVERIFY2(store, qPrintable(error));
    const QList<HistoryEvent> events = store->events({}, {});
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].memberId, a);
    QCOMPARE(events[0].time, now);
    const QList<MetricSample> samples = store->samples(a, {}, {});
    QCOMPARE(samples.size(), 2);
    QCOMPARE(samples[0].requestRate, 3.0);
    QCOMPARE(samples[0].time, now.addSecs(-7200 - 30)); // the minute's start
    QCOMPARE(samples[1].requestRate, 4.0);
}

// While another connection holds a lock, writing fails within seconds, saying so, and works
// again once the lock is gone.
inline void lockIsAnError(const QString &url, const QStringList &lock, const QString &unlock,
                          const QString &expectedText)
{
    QString error;
    std::optional<HistoryStore> store = HistoryStore::open(url, &error);
    QVERIFY2(store, qPrintable(error));
    RawConnection raw(url);
    for (const QString &statement : lock)
        QVERIFY2(raw.exec(statement), qPrintable(raw.error()));
    const HistoryEvent event{testNow(), QStringLiteral("admin"), {}, {}, {}, QStringLiteral("blocked")};
    QElapsedTimer timer;
    timer.start();
    const bool added = store->addEvent(event);
    const qint64 waited = timer.elapsed();
    QVERIFY2(raw.exec(unlock), qPrintable(raw.error()));
    QVERIFY(!added);
    QVERIFY2(waited < 4 * HistoryStore::LockTimeoutSeconds * 1000, qPrintable(QString::number(waited)));
    QVERIFY2(store->lastError().contains(expectedText, Qt::CaseInsensitive), qPrintable(store->lastError()));
    QVERIFY2(store->lastError().contains(store->location()), qPrintable(store->lastError()));
    QVERIFY2(store->addEvent(event), qPrintable(store->lastError()));
}

// The URL of a database on a server on 127.0.0.1, with the password escaped as a URL must.
inline QString serverUrl(const QString &scheme, const QString &user, const QString &password, int port,
                         const QString &database)
{
    return scheme + QLatin1String("://") + user + QLatin1Char(':') + QString::fromLatin1(QUrl::toPercentEncoding(password))
        + QLatin1String("@127.0.0.1:") + QString::number(port) + QLatin1Char('/') + database;
}

// A server that goes away under an open store is an error on the next call, not a hang, and
// later calls fail too, with laterError in their message when one is given.
inline void serverGone(const QString &url, const std::function<void()> &stopServer, const QString &laterError = {})
{
    QString error;
    std::optional<HistoryStore> store = HistoryStore::open(url, &error);
    QVERIFY2(store, qPrintable(error));
    stopServer();
    QElapsedTimer timer;
    timer.start();
    QVERIFY(!store->addEvent({testNow(), QStringLiteral("admin"), {}, {}, {}, {}}));
    QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
    QVERIFY2(store->lastError().contains(store->location()), qPrintable(store->lastError()));
    QVERIFY(store->events({}, {}).isEmpty());
    QVERIFY2(!store->lastError().isEmpty() && store->lastError().contains(laterError)
                 && store->lastError().contains(store->location()),
             qPrintable(store->lastError()));
}

} // namespace HistoryStoreCases
