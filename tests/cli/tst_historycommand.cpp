// tribunectl history as scripts use it: a history written with HistoryStore, read back as text
// and JSON, filtered and summed; the default file shared with the console; and the exit codes of
// bad command lines and of a history that cannot be opened.
#include "history/historystore.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include "../common/tribunectlrun.h"

using namespace Tribune;
using TestSupport::TribunectlRun;

namespace {

const QString WorkerA = QStringLiteral("esb-worker1@10.0.0.11:4000");
const QString WorkerB = QStringLiteral("esb-worker2@10.0.0.12:4000");
constexpr int RecentSeconds = 10; // one-second samples of both workers, two minutes ago

QString sqliteUrl(const QString &path)
{
    return QUrl::fromLocalFile(path).toString().replace(QLatin1String("file:"), QLatin1String("sqlite:"));
}

QString iso(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODate);
}

QString isoMs(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QJsonObject jsonOf(const TribunectlRun &run)
{
    return QJsonDocument::fromJson(run.outBytes).object();
}

QStringList kindsOf(const TribunectlRun &run)
{
    QStringList kinds;
    const QJsonArray events = jsonOf(run).value(QLatin1String("events")).toArray();
    for (const QJsonValue &event : events)
        kinds << event[QLatin1String("kind")].toString();
    return kinds;
}

QString output(const TribunectlRun &run)
{
    return QStringLiteral("exit %1\nout: %2\nerr: %3").arg(QString::number(run.exitCode), run.out, run.err);
}

} // namespace

class TestHistoryCommand : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void checkTellsWhereAndWhat();
    void checkCreatesAnEmptyHistory();
    void defaultFileIsTheConsoles();
    void eventsAsText();
    void eventsAsJson();
    void eventFilters_data();
    void eventFilters();
    void samplesOfOneMember();
    void samplesSummed();
    void help();
    void usageErrors_data();
    void usageErrors();
    void unusableHistory_data();
    void unusableHistory();

private:
    TribunectlRun history(const QString &action, const QStringList &options) const;

    QTemporaryDir m_dir;
    QString m_url;
    QDateTime m_now; // whole seconds, UTC
    QDateTime m_oldSample; // two hours ago, rolled up into a minute
};

TribunectlRun TestHistoryCommand::history(const QString &action, const QStringList &options) const
{
    return TestSupport::tribunectl(QStringList{QStringLiteral("history"), action, QStringLiteral("--history"), m_url}
                                   + options);
}

// Times relative to the real now, so that ages such as --from 2h can be checked.
void TestHistoryCommand::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_url = sqliteUrl(m_dir.filePath(QStringLiteral("history.sqlite")));
    m_now = QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), Qt::UTC);
    m_oldSample = m_now.addSecs(-2 * 3600);
    QString error;
    std::optional<HistoryStore> store = HistoryStore::open(m_url, &error);
    QVERIFY2(store, qPrintable(error));
    const QString domain = QStringLiteral("wso2.esb.domain");
    const QString worker = QStringLiteral("worker");
    QVERIFY(store->addEvent({m_now.addSecs(-3 * 3600), QStringLiteral("join"), WorkerA, domain, worker,
                             QStringLiteral("joined the cluster")}));
    QVERIFY(store->addEvent({m_now.addSecs(-90 * 60), QStringLiteral("health"), WorkerB, domain, worker,
                             QStringLiteral("health check failed: HTTP 503")}));
    QVERIFY(store->addEvent({m_now.addSecs(-10 * 60), QStringLiteral("failure"), WorkerA, domain, worker,
                             QStringLiteral("no heartbeat for 30 s")}));
    QVERIFY(store->addEvent({m_now.addSecs(-60), QStringLiteral("admin"), WorkerB, {}, {},
                             QStringLiteral("drained from the console")}));
    QList<MetricSample> samples{{m_oldSample, WorkerA, 100, 50, 9000, 9500, 3, 80}};
    for (int i = 0; i < RecentSeconds; ++i) {
        const QDateTime time = m_now.addSecs(-120 + i);
        samples.append({time, WorkerA, 10.0 + i, 5, 1000, 2000, 0.5, 20});
        samples.append({time, WorkerB, 1, 2, 100, 200, 0, 40});
    }
    QVERIFY2(store->addSamples(samples), qPrintable(store->lastError()));
    QVERIFY2(store->compact(m_now), qPrintable(store->lastError())); // the old sample becomes a minute row
}

void TestHistoryCommand::checkTellsWhereAndWhat()
{
    const TribunectlRun text = history(QStringLiteral("check"), {});
    QVERIFY2(text.exitCode == 0, qPrintable(output(text)));
    const QString path = QDir::toNativeSeparators(m_dir.filePath(QStringLiteral("history.sqlite")));
    QVERIFY2(text.out.contains(QLatin1String("History: the SQLite database ") + path), qPrintable(text.out));
    QVERIFY2(text.out.contains(QStringLiteral("Events: 4, from %1 to %2")
                                   .arg(iso(m_now.addSecs(-3 * 3600)), iso(m_now.addSecs(-60)))),
             qPrintable(text.out));
    const QDateTime oldMinute = m_oldSample.addSecs(-m_oldSample.time().second());
    QVERIFY2(text.out.contains(QStringLiteral("Samples: %1 one-second rows and 1 one-minute rows, from %2 to %3")
                                   .arg(QString::number(2 * RecentSeconds), iso(oldMinute),
                                        iso(m_now.addSecs(-120 + RecentSeconds - 1)))),
             qPrintable(text.out));

    const TribunectlRun json = history(QStringLiteral("check"), {QStringLiteral("--json")});
    QVERIFY2(json.exitCode == 0, qPrintable(output(json)));
    const QJsonObject object = jsonOf(json);
    QVERIFY2(object.value(QLatin1String("location")).toString().endsWith(path), qPrintable(json.out));
    const QJsonObject events = object.value(QLatin1String("events")).toObject();
    QCOMPARE(events.value(QLatin1String("count")).toInt(), 4);
    QCOMPARE(events.value(QLatin1String("first")).toString(), isoMs(m_now.addSecs(-3 * 3600)));
    QCOMPARE(events.value(QLatin1String("last")).toString(), isoMs(m_now.addSecs(-60)));
    const QJsonObject samples = object.value(QLatin1String("samples")).toObject();
    QCOMPARE(samples.value(QLatin1String("secondRows")).toInt(), 2 * RecentSeconds);
    QCOMPARE(samples.value(QLatin1String("minuteRows")).toInt(), 1);
    QCOMPARE(samples.value(QLatin1String("first")).toString(), isoMs(oldMinute));
    QCOMPARE(samples.value(QLatin1String("last")).toString(), isoMs(m_now.addSecs(-120 + RecentSeconds - 1)));
}

void TestHistoryCommand::checkCreatesAnEmptyHistory()
{
    const QString path = m_dir.filePath(QStringLiteral("fresh.sqlite"));
    const TribunectlRun run = TestSupport::tribunectl(
        {QStringLiteral("history"), QStringLiteral("check"), QStringLiteral("--history"), sqliteUrl(path)});
    QVERIFY2(run.exitCode == 0, qPrintable(output(run)));
    QVERIFY(QFile::exists(path));
    QVERIFY2(run.out.contains(QLatin1String("Events: none")) && run.out.contains(QLatin1String("Samples: none")),
             qPrintable(run.out));
    QString error;
    std::optional<HistoryStore> store = HistoryStore::open(sqliteUrl(path), &error);
    QVERIFY2(store, qPrintable(error));
    QVERIFY(store->events({}, {}).isEmpty());
}

// Without --history, tribunectl opens the file the console opens: the same path in this test
// program (another application name) as in tribunectl, under the data folder.
void TestHistoryCommand::defaultFileIsTheConsoles()
{
    const QByteArray saved = qgetenv("XDG_DATA_HOME");
    const QString dataHome = m_dir.filePath(QStringLiteral("data"));
    qputenv("XDG_DATA_HOME", QFile::encodeName(dataHome));
    const QString expected = HistoryStore::defaultPath();
    const TribunectlRun run = TestSupport::tribunectl({QStringLiteral("history"), QStringLiteral("check")});
    if (saved.isNull())
        qunsetenv("XDG_DATA_HOME");
    else
        qputenv("XDG_DATA_HOME", saved);
    QCOMPARE(expected, dataHome + QLatin1String("/tribune/history.sqlite"));
    QVERIFY2(run.exitCode == 0, qPrintable(output(run)));
    QVERIFY2(run.out.contains(QDir::toNativeSeparators(expected)), qPrintable(run.out));
    QVERIFY(QFile::exists(expected));
}

void TestHistoryCommand::eventsAsText()
{
    const TribunectlRun run = history(QStringLiteral("events"), {});
    QVERIFY2(run.exitCode == 0, qPrintable(output(run)));
    const QStringList lines = run.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 5);
    QVERIFY2(lines.at(0).startsWith(QLatin1String("TIME")) && lines.at(0).contains(QLatin1String("KIND"))
                 && lines.at(0).contains(QLatin1String("MEMBER"))
                 && lines.at(0).contains(QLatin1String("DOMAIN/SUB-DOMAIN"))
                 && lines.at(0).endsWith(QLatin1String("REASON")),
             qPrintable(lines.at(0)));
    // Newest first; an event without a domain shows a dash.
    const QStringList newest = lines.at(1).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QCOMPARE(newest.mid(0, 4), (QStringList{iso(m_now.addSecs(-60)), QStringLiteral("admin"), WorkerB,
                                            QStringLiteral("-")}));
    QVERIFY(lines.at(1).endsWith(QLatin1String("drained from the console")));
    const QStringList oldest = lines.at(4).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QCOMPARE(oldest.mid(0, 4), (QStringList{iso(m_now.addSecs(-3 * 3600)), QStringLiteral("join"), WorkerA,
                                            QStringLiteral("wso2.esb.domain/worker")}));
    // The columns line up.
    const qsizetype reasonAt = lines.at(0).indexOf(QLatin1String("REASON"));
    for (const QString &line : lines.mid(1))
        QVERIFY2(line.at(reasonAt - 1) == QLatin1Char(' ') && line.at(reasonAt) != QLatin1Char(' '), qPrintable(line));
}

void TestHistoryCommand::eventsAsJson()
{
    const TribunectlRun run = history(QStringLiteral("events"), {QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, qPrintable(output(run)));
    const QJsonObject object = jsonOf(run);
    QVERIFY2(object.value(QLatin1String("location")).toString().contains(QLatin1String("history.sqlite")),
             qPrintable(run.out));
    const QJsonArray events = object.value(QLatin1String("events")).toArray();
    QCOMPARE(events.size(), 4);
    QCOMPARE(kindsOf(run), (QStringList{QStringLiteral("admin"), QStringLiteral("failure"), QStringLiteral("health"),
                                        QStringLiteral("join")}));
    const QJsonObject health = events.at(2).toObject();
    QCOMPARE(health.value(QLatin1String("time")).toString(), isoMs(m_now.addSecs(-90 * 60)));
    QCOMPARE(health.value(QLatin1String("member")).toString(), WorkerB);
    QCOMPARE(health.value(QLatin1String("domain")).toString(), QStringLiteral("wso2.esb.domain"));
    QCOMPARE(health.value(QLatin1String("subDomain")).toString(), QStringLiteral("worker"));
    QCOMPARE(health.value(QLatin1String("reason")).toString(), QStringLiteral("health check failed: HTTP 503"));
    QCOMPARE(events.at(0).toObject().value(QLatin1String("domain")).toString(), QString());
}

void TestHistoryCommand::eventFilters_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QStringList>("kinds");
    const QString admin = QStringLiteral("admin");
    const QString failure = QStringLiteral("failure");
    const QString health = QStringLiteral("health");
    const QString join = QStringLiteral("join");
    QTest::newRow("search ignores case") << QStringList{QStringLiteral("--search"), QStringLiteral("HTTP 503")}
                                         << QStringList{health};
    QTest::newRow("search a member") << QStringList{QStringLiteral("--search"), QStringLiteral("worker1")}
                                     << QStringList{failure, join};
    QTest::newRow("search nothing") << QStringList{QStringLiteral("--search"), QStringLiteral("no such text")}
                                    << QStringList();
    QTest::newRow("from 2h") << QStringList{QStringLiteral("--from"), QStringLiteral("2h")}
                             << QStringList{admin, failure, health};
    QTest::newRow("from 15m") << QStringList{QStringLiteral("--from"), QStringLiteral("15m")}
                              << QStringList{admin, failure};
    QTest::newRow("from 1d to 300s") << QStringList{QStringLiteral("--from"), QStringLiteral("1d"),
                                                    QStringLiteral("--to"), QStringLiteral("300s")}
                                     << QStringList{failure, health, join};
    // ISO 8601 with Z and with an offset name the same kind of instant.
    QTest::newRow("from and to ISO")
        << QStringList{QStringLiteral("--from"), iso(m_now.addSecs(-4 * 3600)), QStringLiteral("--to"),
                       m_now.addSecs(-30 * 60).toOffsetFromUtc(3600).toString(Qt::ISODate)}
        << QStringList{health, join};
    QTest::newRow("limit 2") << QStringList{QStringLiteral("--limit"), QStringLiteral("2")}
                             << QStringList{admin, failure};
    QTest::newRow("limit 0 is all") << QStringList{QStringLiteral("--limit"), QStringLiteral("0")}
                                    << QStringList{admin, failure, health, join};
    QTest::newRow("search, from and limit")
        << QStringList{QStringLiteral("--search"), QStringLiteral("esb-worker"), QStringLiteral("--from"),
                       QStringLiteral("2h"), QStringLiteral("--limit"), QStringLiteral("1")}
        << QStringList{admin};
}

void TestHistoryCommand::eventFilters()
{
    QFETCH(QStringList, options);
    QFETCH(QStringList, kinds);
    const TribunectlRun json = history(QStringLiteral("events"), options + QStringList{QStringLiteral("--json")});
    QVERIFY2(json.exitCode == 0, qPrintable(output(json)));
    QCOMPARE(kindsOf(json), kinds);
    const TribunectlRun text = history(QStringLiteral("events"), options);
    QVERIFY2(text.exitCode == 0, qPrintable(output(text)));
    if (kinds.isEmpty())
        QCOMPARE(text.out, QStringLiteral("No events.\n"));
    else
        QCOMPARE(text.out.count(QLatin1Char('\n')), kinds.size() + 1);
}

void TestHistoryCommand::samplesOfOneMember()
{
    const TribunectlRun json = history(QStringLiteral("samples"), {QStringLiteral("--member"), WorkerA,
                                                                   QStringLiteral("--json")});
    QVERIFY2(json.exitCode == 0, qPrintable(output(json)));
    const QJsonObject object = jsonOf(json);
    QCOMPARE(object.value(QLatin1String("members")).toArray(), QJsonArray{WorkerA});
    QCOMPARE(object.value(QLatin1String("summed")).toBool(true), false);
    const QJsonArray samples = object.value(QLatin1String("samples")).toArray();
    QCOMPARE(samples.size(), 1 + RecentSeconds);
    // The rolled-up minute first, stamped with the minute's start; then the seconds.
    const QJsonObject minute = samples.first().toObject();
    QCOMPARE(minute.value(QLatin1String("time")).toString(), isoMs(m_oldSample.addSecs(-m_oldSample.time().second())));
    QCOMPARE(minute.value(QLatin1String("requestRate")).toDouble(), 100.0);
    QCOMPARE(minute.value(QLatin1String("responseTimeMs")).toDouble(), 80.0);
    const QJsonObject last = samples.last().toObject();
    QCOMPARE(last.value(QLatin1String("time")).toString(), isoMs(m_now.addSecs(-120 + RecentSeconds - 1)));
    QCOMPARE(last.value(QLatin1String("requestRate")).toDouble(), 10.0 + RecentSeconds - 1);
    QCOMPARE(last.value(QLatin1String("sessions")).toDouble(), 5.0);
    QCOMPARE(last.value(QLatin1String("bytesInRate")).toDouble(), 1000.0);
    QCOMPARE(last.value(QLatin1String("bytesOutRate")).toDouble(), 2000.0);
    QCOMPARE(last.value(QLatin1String("errors5xxRate")).toDouble(), 0.5);
    QCOMPARE(last.value(QLatin1String("responseTimeMs")).toDouble(), 20.0);

    const TribunectlRun recent = history(QStringLiteral("samples"), {QStringLiteral("--member"), WorkerA,
                                                                     QStringLiteral("--from"), QStringLiteral("1h")});
    QVERIFY2(recent.exitCode == 0, qPrintable(output(recent)));
    const QStringList lines = recent.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 1 + RecentSeconds);
    QCOMPARE(lines.first().split(QLatin1Char(' '), Qt::SkipEmptyParts).mid(0, 2),
             (QStringList{QStringLiteral("TIME"), QStringLiteral("REQUESTS/S")}));
    QVERIFY2(lines.first().contains(QLatin1String("BYTES OUT/S")) && lines.first().endsWith(QLatin1String("RESPONSE MS")),
             qPrintable(lines.first()));
    QCOMPARE(lines.last().split(QLatin1Char(' '), Qt::SkipEmptyParts),
             (QStringList{iso(m_now.addSecs(-120 + RecentSeconds - 1)), QStringLiteral("19.00"), QStringLiteral("5.0"),
                          QStringLiteral("1000"), QStringLiteral("2000"), QStringLiteral("0.50"),
                          QStringLiteral("20.0")}));
    // Numbers are aligned right: every line ends in the same column.
    for (const QString &line : lines)
        QCOMPARE(line.size(), lines.first().size());

    const TribunectlRun none = history(QStringLiteral("samples"), {QStringLiteral("--member"), QStringLiteral("nobody")});
    QVERIFY2(none.exitCode == 0, qPrintable(output(none)));
    QCOMPARE(none.out, QStringLiteral("No samples.\n"));
}

void TestHistoryCommand::samplesSummed()
{
    const TribunectlRun json =
        history(QStringLiteral("samples"), {QStringLiteral("--member"), WorkerA, QStringLiteral("--member"), WorkerB,
                                            QStringLiteral("--from"), QStringLiteral("1h"), QStringLiteral("--json")});
    QVERIFY2(json.exitCode == 0, qPrintable(output(json)));
    const QJsonObject object = jsonOf(json);
    QCOMPARE(object.value(QLatin1String("members")).toArray(), (QJsonArray{WorkerA, WorkerB}));
    QCOMPARE(object.value(QLatin1String("summed")).toBool(), true);
    const QJsonArray samples = object.value(QLatin1String("samples")).toArray();
    QCOMPARE(samples.size(), RecentSeconds);
    for (int i = 0; i < RecentSeconds; ++i) {
        const QJsonObject sample = samples.at(i).toObject();
        QCOMPARE(sample.value(QLatin1String("time")).toString(), isoMs(m_now.addSecs(-120 + i)));
        QCOMPARE(sample.value(QLatin1String("requestRate")).toDouble(), 11.0 + i);
        QCOMPARE(sample.value(QLatin1String("sessions")).toDouble(), 7.0);
        QCOMPARE(sample.value(QLatin1String("bytesInRate")).toDouble(), 1100.0);
        QCOMPARE(sample.value(QLatin1String("bytesOutRate")).toDouble(), 2200.0);
        QCOMPARE(sample.value(QLatin1String("errors5xxRate")).toDouble(), 0.5);
        QCOMPARE(sample.value(QLatin1String("responseTimeMs")).toDouble(), 30.0); // the members' average
    }

    const TribunectlRun text = history(QStringLiteral("samples"), {QStringLiteral("--member"), WorkerA,
                                                                   QStringLiteral("--member"), WorkerB,
                                                                   QStringLiteral("--from"), QStringLiteral("1h")});
    QVERIFY2(text.exitCode == 0, qPrintable(output(text)));
    const QStringList lines = text.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 1 + RecentSeconds);
    QCOMPARE(lines.at(1).split(QLatin1Char(' '), Qt::SkipEmptyParts),
             (QStringList{iso(m_now.addSecs(-120)), QStringLiteral("11.00"), QStringLiteral("7.0"),
                          QStringLiteral("1100"), QStringLiteral("2200"), QStringLiteral("0.50"),
                          QStringLiteral("30.0")}));
}

void TestHistoryCommand::help()
{
    const TribunectlRun overview = TestSupport::tribunectl({QStringLiteral("history"), QStringLiteral("--help")});
    QVERIFY2(overview.exitCode == 0, qPrintable(output(overview)));
    for (const char *action : {"check", "events", "samples"})
        QVERIFY2(overview.out.contains(QLatin1String(action)), qPrintable(overview.out));
    const TribunectlRun events =
        TestSupport::tribunectl({QStringLiteral("history"), QStringLiteral("events"), QStringLiteral("--help")});
    QVERIFY2(events.exitCode == 0, qPrintable(output(events)));
    for (const char *option : {"--history", "--from", "--to", "--search", "--limit", "--json"})
        QVERIFY2(events.out.contains(QLatin1String(option)), qPrintable(events.out));
    const TribunectlRun usage = TestSupport::tribunectl({QStringLiteral("--help")});
    QVERIFY2(usage.out.contains(QLatin1String("history check|events|samples")), qPrintable(usage.out));
}

void TestHistoryCommand::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QStringList>("expected");
    const QString history = QStringLiteral("history");
    const QString events = QStringLiteral("events");
    const QString samples = QStringLiteral("samples");
    const QString from = QStringLiteral("--from");
    const QStringList timeForms{QStringLiteral("2026-11-23T10:00:00Z"), QStringLiteral("15m"), QStringLiteral("2h"),
                                QStringLiteral("1d")};
    QTest::newRow("--from a word") << QStringList{history, events, from, QStringLiteral("yesterday")}
                                   << QStringList{QStringLiteral("--from \"yesterday\"")} + timeForms;
    QTest::newRow("--from an unknown unit") << QStringList{history, events, from, QStringLiteral("3w")}
                                            << QStringList{QStringLiteral("--from \"3w\"")} + timeForms;
    QTest::newRow("--from a negative age") << QStringList{history, events, from, QStringLiteral("-5m")}
                                           << QStringList{QStringLiteral("--from \"-5m\"")};
    QTest::newRow("--to no date") << QStringList{history, events, QStringLiteral("--to"), QStringLiteral("2026-13-40")}
                                  << QStringList{QStringLiteral("--to \"2026-13-40\"")} + timeForms;
    QTest::newRow("samples --from") << QStringList{history, samples, QStringLiteral("--member"), WorkerA, from,
                                                   QStringLiteral("soon")}
                                    << QStringList{QStringLiteral("history samples"), QStringLiteral("--from")};
    QTest::newRow("--limit a word") << QStringList{history, events, QStringLiteral("--limit"), QStringLiteral("many")}
                                    << QStringList{QStringLiteral("--limit \"many\""), QStringLiteral("whole number")};
    QTest::newRow("--limit below zero") << QStringList{history, events, QStringLiteral("--limit"), QStringLiteral("-1")}
                                        << QStringList{QStringLiteral("--limit \"-1\"")};
    QTest::newRow("samples without --member") << QStringList{history, samples}
                                              << QStringList{QStringLiteral("--member ID")};
    QTest::newRow("no action") << QStringList{history}
                               << QStringList{QStringLiteral("name an action first"), QStringLiteral("samples")};
    QTest::newRow("unknown action") << QStringList{history, QStringLiteral("purge")}
                                    << QStringList{QStringLiteral("unknown action \"purge\"")};
    QTest::newRow("unknown option") << QStringList{history, QStringLiteral("check"), QStringLiteral("--member"), WorkerA}
                                    << QStringList{QStringLiteral("member")};
    QTest::newRow("stray argument") << QStringList{history, events, QStringLiteral("worker1")}
                                    << QStringList{QStringLiteral("unexpected argument \"worker1\"")};
}

// Bad command lines exit 2 before any history is opened or created.
void TestHistoryCommand::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QStringList, expected);
    const QString path = m_dir.filePath(QStringLiteral("never.sqlite"));
    const TribunectlRun run =
        TestSupport::tribunectl(arguments + QStringList{QStringLiteral("--history"), sqliteUrl(path)});
    QVERIFY2(run.exitCode == 2, qPrintable(output(run)));
    QVERIFY2(run.out.isEmpty(), qPrintable(output(run)));
    for (const QString &text : std::as_const(expected))
        QVERIFY2(run.err.contains(text), qPrintable(output(run)));
    QVERIFY(!QFile::exists(path));
}

void TestHistoryCommand::unusableHistory_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QStringList>("expected");
    const QString missing = QStringLiteral("/nonexistent-tribune-folder/history.sqlite");
    QTest::newRow("check, missing folder") << QStringList{QStringLiteral("check")} << QLatin1String("sqlite://") + missing
                                           << QStringList{QStringLiteral("Could not open"), missing};
    QTest::newRow("events, missing folder") << QStringList{QStringLiteral("events")} << QLatin1String("sqlite://") + missing
                                            << QStringList{QStringLiteral("Could not open"), missing};
    // Port 1 on the loopback: refused at once. Without Qt's MySQL driver the message names the URL.
    QTest::newRow("samples, closed port")
        << QStringList{QStringLiteral("samples"), QStringLiteral("--member"), WorkerA}
        << QStringLiteral("mysql://ana:hush@127.0.0.1:1/tribune") << QStringList{QStringLiteral("127.0.0.1:1")};
    QTest::newRow("not a URL") << QStringList{QStringLiteral("check")} << QStringLiteral("history.sqlite")
                               << QStringList{QStringLiteral("not a URL"), QStringLiteral("sqlite:")};
}

void TestHistoryCommand::unusableHistory()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, url);
    QFETCH(QStringList, expected);
    const TribunectlRun run = TestSupport::tribunectl(QStringList{QStringLiteral("history")} + arguments
                                                      + QStringList{QStringLiteral("--history"), url},
                                                      15000);
    QVERIFY2(run.exitCode == 1, qPrintable(output(run)));
    QVERIFY2(run.out.isEmpty(), qPrintable(output(run)));
    for (const QString &text : std::as_const(expected))
        QVERIFY2(run.err.contains(text), qPrintable(output(run)));
    QVERIFY2(!run.err.contains(QLatin1String("hush")), qPrintable(run.err));
    QVERIFY(!QDir(QStringLiteral("/nonexistent-tribune-folder")).exists());
}

QTEST_GUILESS_MAIN(TestHistoryCommand)
#include "tst_historycommand.moc"
