// tribunectl snapshot export and show against a real small cluster (agents, HAProxy on loopback):
// the members with their state, HAProxy's view and health; every node's files with passwords
// redacted unless asked for; the history's events of the window; an export that is killed, or
// whose seed does not answer, leaves no file.
#include "lbcluster.h"

#include "history/historystore.h"
#include "live/eventlogmodel.h"
#include "live/liveclustermodel.h"
#include "live/livesession.h"
#include "snapshot/flightrecorder.h"
#include "snapshot/snapshot.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace LbTest;

namespace {

QJsonObject showJson(const QString &file)
{
    const Run run = tribunectl({QStringLiteral("snapshot"), QStringLiteral("show"), file, QStringLiteral("--json")});
    return run.exitCode == 0 ? QJsonDocument::fromJson(run.out).object() : QJsonObject();
}

// What the JSON Schema of `snapshot show --json` (docs/) finds wrong with a document; empty when
// it conforms.
QString schemaViolations(const QJsonObject &document)
{
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("shown.json")));
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(document).toJson()) < 0)
        return QStringLiteral("cannot write %1").arg(file.fileName());
    file.close();
    QProcess checker;
    // Debian's own Python, which python3-jsonschema (installed by ./run) extends.
    checker.start(QStringLiteral("/usr/bin/python3"), {QStringLiteral(TRIBUNE_SCHEMA_CHECKER), QStringLiteral(TRIBUNE_SNAPSHOT_SCHEMA),
                                               file.fileName()});
    if (!checker.waitForFinished(30000) || checker.exitStatus() != QProcess::NormalExit)
        return QStringLiteral("the schema checker did not finish");
    if (checker.exitCode() == 0)
        return {};
    return QString::fromUtf8(checker.readAllStandardError()).trimmed() + QStringLiteral(" (exit %1)").arg(checker.exitCode());
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestSnapshot final : public QObject
{
    Q_OBJECT

private slots:
    void exportsAndShows();
    void leavesNoFileWhenItCannotFinish();
    void flightRecorderTakesOnePerFailure();
};

void TestSnapshot::exportsAndShows()
{
    LbCluster lb({QStringLiteral("esb-manager"), QStringLiteral("esb-worker1"), QStringLiteral("esb-worker2")});
    QString error;
    QVERIFY2(lb.prepare(&error), qPrintable(error));
    QVERIFY(lb.startLb());
    for (const QString &node : {QStringLiteral("esb-manager"), QStringLiteral("esb-worker1"), QStringLiteral("esb-worker2")})
        QVERIFY(lb.startMember(node));
    const QString worker1 = lb.cluster.memberId(QStringLiteral("esb-worker1"));
    Runtime runtime(lb.socket());
    QTRY_COMPARE_WITH_TIMEOUT(runtime.status(QStringLiteral("wso2.esb.domain:worker"), worker1), QStringLiteral("UP"), 15000);

    // The console's history, with what it recorded of the last minutes.
    QTemporaryDir dir;
    const QString historyUrl = QLatin1String("sqlite://") + dir.filePath(QStringLiteral("history.sqlite"));
    {
        std::optional<HistoryStore> history = HistoryStore::open(historyUrl, &error);
        QVERIFY2(history, qPrintable(error));
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QVERIFY(history->addEvent({now.addSecs(-120), QStringLiteral("join"), worker1, QStringLiteral("wso2.esb.domain"),
                                   QStringLiteral("worker"), QStringLiteral("joined")}));
        QVERIFY(history->addEvent({now.addSecs(-7200), QStringLiteral("join"), worker1, QStringLiteral("wso2.esb.domain"),
                                   QStringLiteral("worker"), QStringLiteral("outside the window")}));
        QVERIFY(history->addSamples({{now.addSecs(-5), worker1, 3, 1, 100, 200, 0, 4.5}}));
    }

    const QString file = dir.filePath(QStringLiteral("cluster.tribune-snapshot"));
    const QStringList common{QStringLiteral("--seed"), lb.cluster.memberId(QStringLiteral("esb-manager")),
                             QStringLiteral("--key-file"), lb.cluster.keyFile(), QStringLiteral("--lb-socket"), lb.socket(),
                             QStringLiteral("--history"), historyUrl, QStringLiteral("--taken-by"), QStringLiteral("alice")};
    Run run = tribunectl(QStringList{QStringLiteral("snapshot"), QStringLiteral("export"), QStringLiteral("-o"), file} + common);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(run.out.contains("4 members"), run.out.constData());
    QVERIFY(QDir(dir.path()).entryList({QStringLiteral("*.partial-*")}, QDir::Files).isEmpty());

    const QJsonObject shown = showJson(file);
    // The document as docs/snapshot-show.schema.json describes it; and the schema does catch a
    // document that breaks it.
    const QString violations = schemaViolations(shown);
    QVERIFY2(violations.isEmpty(), qPrintable(violations));
    QJsonObject broken = shown;
    broken.remove(QStringLiteral("members"));
    QJsonArray brokenEvents = broken.value(QLatin1String("events")).toArray();
    QVERIFY(!brokenEvents.isEmpty());
    QJsonObject brokenEvent = brokenEvents.first().toObject();
    brokenEvent.insert(QStringLiteral("kind"), QStringLiteral("exploded"));
    brokenEvents.replace(0, brokenEvent);
    broken.insert(QStringLiteral("events"), brokenEvents);
    const QString caught = schemaViolations(broken);
    QVERIFY2(caught.contains(QLatin1String("'members' is a required property")) && caught.contains(QLatin1String("exploded"))
                 && caught.endsWith(QLatin1String("(exit 1)")),
             qPrintable(caught));
    QCOMPARE(shown.value(QLatin1String("format")).toInt(), Tribune::Snapshot::Snapshot::FormatVersion);
    // The same as CSV files, from the command line.
    const Run report = tribunectl({QStringLiteral("snapshot"), QStringLiteral("report"), QStringLiteral("--csv"),
                                   dir.filePath(QStringLiteral("csv")), file});
    QVERIFY2(report.exitCode == 0, report.err.constData());
    QCOMPARE(readAll(dir.filePath(QStringLiteral("csv/members.csv"))).count("\r\n"), 5); // the header and 4 members
    QVERIFY(readAll(dir.filePath(QStringLiteral("csv/events.csv"))).contains(",join,"));
    QCOMPARE(shown.value(QLatin1String("takenBy")).toString(), QStringLiteral("alice"));
    QVERIFY(!shown.value(QLatin1String("secretsIncluded")).toBool());
    const QJsonArray members = shown.value(QLatin1String("members")).toArray();
    QCOMPARE(members.size(), 4);
    QJsonObject worker;
    for (const QJsonValue &member : members) {
        QCOMPARE(member.toObject().value(QLatin1String("state")).toString(), QStringLiteral("alive"));
        if (member.toObject().value(QLatin1String("id")).toString() == worker1)
            worker = member.toObject();
    }
    QCOMPARE(worker.value(QLatin1String("node")).toString(), QStringLiteral("esb-worker1"));
    QCOMPARE(worker.value(QLatin1String("balancerState")).toString(), QStringLiteral("UP"));
    QVERIFY(worker.value(QLatin1String("rssBytes")).toInteger() > 0);
    const QJsonObject files = shown.value(QLatin1String("files")).toObject();
    QCOMPARE(files.size(), 4);
    QVERIFY(files.value(QLatin1String("esb-worker1")).toArray().contains(QStringLiteral("datasources/master-datasources.xml")));
    QCOMPARE(shown.value(QLatin1String("haproxy")).toArray().size(), 3);
    const QJsonArray events = shown.value(QLatin1String("events")).toArray();
    QCOMPARE(events.size(), 1); // the one of the window
    QCOMPARE(events.first().toObject().value(QLatin1String("reason")).toString(), QStringLiteral("joined"));
    QCOMPARE(shown.value(QLatin1String("samples")).toInt(), 1);

    // The datasources' password is nowhere in the file; asked for, it is, and show says so.
    QVERIFY(readAll(lb.cluster.home(QStringLiteral("esb-worker1")) + QLatin1String("/repository/conf/datasources/master-datasources.xml"))
                .contains("<password>regadmin</password>"));
    QVERIFY(!readAll(file).contains("<password>regadmin</password>"));
    QVERIFY(readAll(file).contains("<password>[redacted]</password>"));
    const QString withSecrets = dir.filePath(QStringLiteral("secrets.tribune-snapshot"));
    run = tribunectl(QStringList{QStringLiteral("snapshot"), QStringLiteral("export"), QStringLiteral("-o"), withSecrets,
                                 QStringLiteral("--include-secrets")}
                     + common);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY(readAll(withSecrets).contains("<password>regadmin</password>"));
    run = tribunectl({QStringLiteral("snapshot"), QStringLiteral("show"), withSecrets});
    QVERIFY(run.out.startsWith("THIS SNAPSHOT HOLDS PASSWORDS"));
    QVERIFY(run.out.contains(worker1.toUtf8()));

    // A worker killed and another drained: the diff says exactly that, and nothing else.
    run = tribunectl({QStringLiteral("snapshot"), QStringLiteral("diff"), file, file});
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.isEmpty());
    const QString worker2 = lb.cluster.memberId(QStringLiteral("esb-worker2"));
    QVERIFY(lb.cluster.kill(QStringLiteral("esb-worker2")));
    run = tribunectl({QStringLiteral("lb"), QStringLiteral("drain"), QStringLiteral("wso2.esb.domain:worker/") + worker1,
                      QStringLiteral("--socket"), lb.socket()});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QString seed = lb.cluster.memberId(QStringLiteral("esb-manager"));
    QTRY_VERIFY_WITH_TIMEOUT(!tribunectl({QStringLiteral("members"), QStringLiteral("--seed"), seed, QStringLiteral("--key-file"),
                                          lb.cluster.keyFile()})
                                  .out.contains(worker2.toUtf8()),
                             15000);
    const QString later = dir.filePath(QStringLiteral("later.tribune-snapshot"));
    run = tribunectl(QStringList{QStringLiteral("snapshot"), QStringLiteral("export"), QStringLiteral("-o"), later} + common);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    run = tribunectl({QStringLiteral("snapshot"), QStringLiteral("diff"), file, later});
    QCOMPARE(run.exitCode, 1);
    // Besides each domain's traffic (indented, under its heading), only those two lines.
    QStringList lines = QString::fromUtf8(run.out).split(u'\n', Qt::SkipEmptyParts);
    lines.erase(std::remove_if(lines.begin(), lines.end(),
                               [](const QString &line) { return line.startsWith(QLatin1String("traffic over")) || line.startsWith(u' '); }),
                lines.end());
    QCOMPARE(lines.size(), 2);
    QVERIFY2(lines.contains(QStringLiteral("- %1 esb-worker2: gone (was alive)").arg(worker2)), run.out.constData());
    QVERIFY2(lines.contains(QStringLiteral("~ %1 esb-worker1: HAProxy UP → DRAIN").arg(worker1)), run.out.constData());
}

void TestSnapshot::leavesNoFileWhenItCannotFinish()
{
    // A seed that takes the connection and never answers: the export waits, and is killed.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    QTemporaryDir dir;
    QString error;
    QVERIFY(Tribune::Protocol::KeyRing::generate().save(dir.filePath(QStringLiteral("keys")), &error));
    const QString file = dir.filePath(QStringLiteral("killed.tribune-snapshot"));
    QProcess process;
    process.start(QStringLiteral(TRIBUNECTL_PATH),
                  {QStringLiteral("snapshot"), QStringLiteral("export"), QStringLiteral("--seed"),
                   QStringLiteral("127.0.0.1:%1").arg(silent.serverPort()), QStringLiteral("--key-file"),
                   dir.filePath(QStringLiteral("keys")), QStringLiteral("--history"), QStringLiteral("none"),
                   QStringLiteral("-o"), file});
    QVERIFY(process.waitForStarted());
    QTRY_VERIFY(silent.hasPendingConnections() || silent.waitForNewConnection(100));
    process.kill();
    process.waitForFinished();
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("keys")});

    // A seed where nothing listens: a failure that says so, and still no file.
    const quint16 closed = freePort();
    const Run run = tribunectl({QStringLiteral("snapshot"), QStringLiteral("export"), QStringLiteral("--seed"),
                                QStringLiteral("127.0.0.1:%1").arg(closed), QStringLiteral("--key-file"),
                                dir.filePath(QStringLiteral("keys")), QStringLiteral("--history"), QStringLiteral("none"),
                                QStringLiteral("-o"), file});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains("nothing was written"), run.err.constData());
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("keys")});
}

void TestSnapshot::flightRecorderTakesOnePerFailure()
{
    LbCluster lb({QStringLiteral("esb-manager"), QStringLiteral("esb-worker1"), QStringLiteral("esb-worker2")});
    QString error;
    QVERIFY2(lb.prepare(&error), qPrintable(error));
    QVERIFY(lb.startLb());
    for (const QString &node : {QStringLiteral("esb-manager"), QStringLiteral("esb-worker1"), QStringLiteral("esb-worker2")})
        QVERIFY(lb.cluster.start(node));
    QTemporaryDir dir;
    ConnectionSettings settings;
    settings.seeds = {lb.cluster.memberId(QStringLiteral("esb-manager"))};
    settings.keys = lb.cluster.keys();
    settings.loadBalancerSocket = lb.socket();
    settings.keepHistory = false;
    settings.recordFailures = true;
    settings.recorderFolder = dir.filePath(QStringLiteral("recorder"));
    LiveSession session(settings, QStringLiteral("test cluster"));
    session.start();
    const QString worker1 = lb.cluster.memberId(QStringLiteral("esb-worker1"));
    const QString worker2 = lb.cluster.memberId(QStringLiteral("esb-worker2"));
    QTRY_VERIFY_WITH_TIMEOUT(session.model()->indexOfMember(worker2).isValid(), 10000);
    QVERIFY(session.flightRecorder());
    const auto loggedSnapshots = [&session] {
        QStringList reasons;
        for (int row = 0; row < session.events()->rowCount(); ++row) {
            if (session.events()->eventAt(row).kind == u"snapshot")
                reasons.append(session.events()->eventAt(row).reason);
        }
        return reasons;
    };

    QVERIFY(lb.cluster.kill(QStringLiteral("esb-worker2")));
    QTRY_COMPARE_WITH_TIMEOUT(session.flightRecorder()->snapshots().size(), 1, 20000);
    QTRY_COMPARE(loggedSnapshots().size(), 1);
    const QString first = session.flightRecorder()->snapshots().first();
    QVERIFY2(loggedSnapshots().first().contains(first), qPrintable(loggedSnapshots().first()));
    // The line links to the file: the event log's row names it for a double-click to open.
    for (int row = 0; row < session.events()->rowCount(); ++row) {
        const QModelIndex index = session.events()->index(row, 0);
        if (index.data(Tribune::EventLogModel::KindRole).toString() == u"snapshot")
            QCOMPARE(index.data(Tribune::EventLogModel::SnapshotPathRole).toString(), first);
        else
            QVERIFY(index.data(Tribune::EventLogModel::SnapshotPathRole).toString().isEmpty());
    }
    const std::optional<Snapshot::Snapshot> snapshot = Snapshot::readSnapshot(first, &error);
    QVERIFY2(snapshot, qPrintable(error));
    QCOMPARE(snapshot->takenBy, QStringLiteral("the flight recorder"));
    bool sawFailed = false;
    for (const Snapshot::Member &member : snapshot->members)
        sawFailed = sawFailed || (member.id == worker2 && member.state == u"failed");
    QStringList seen;
    for (const Snapshot::Member &member : snapshot->members)
        seen.append(member.id + u'=' + member.state);
    QVERIFY2(sawFailed, qPrintable(seen.join(u' ')));

    QVERIFY(lb.cluster.kill(QStringLiteral("esb-worker1")));
    QTRY_COMPARE_WITH_TIMEOUT(session.flightRecorder()->snapshots().size(), 2, 20000);
    QVERIFY(session.flightRecorder()->snapshots().first().contains(QString(worker1).replace(u':', u'_')));
}

QTEST_MAIN(TestSnapshot)
#include "tst_snapshot.moc"
