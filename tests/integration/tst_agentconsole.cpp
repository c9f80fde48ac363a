// The console service of a real agent driven the way scripts drive it, through tribunectl:
// the view and events as JSON lines, the node's files read, pushed, refused and rolled back;
// a suspected member that refutes; and the whole protocol over TLS.
#include "agentcluster.h"

#include "../common/testsupport.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include "../common/tribunectlrun.h"

#include <csignal>

using namespace Tribune::Protocol;

using TestSupport::tribunectl;

namespace {



QList<QJsonObject> jsonLines(const QByteArray &text)
{
    QList<QJsonObject> lines;
    for (const QByteArray &line : text.split('\n')) {
        if (!line.trimmed().isEmpty())
            lines.append(QJsonDocument::fromJson(line).object());
    }
    return lines;
}

bool makeCertificates(const QString &dir)
{
    // A throwaway CA and a server certificate for 127.0.0.1, made by the openssl tool.
    const auto openssl = [&dir](const QStringList &arguments) {
        QProcess process;
        process.setWorkingDirectory(dir);
        process.start(QStringLiteral("openssl"), arguments);
        return process.waitForFinished(30000) && process.exitCode() == 0;
    };
    QFile extensions(dir + QLatin1String("/san.cnf"));
    if (!extensions.open(QIODevice::WriteOnly))
        return false;
    extensions.write("subjectAltName=IP:127.0.0.1,IP:127.0.0.2\n");
    extensions.close();
    return openssl({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                    QStringLiteral("-nodes"), QStringLiteral("-keyout"), QStringLiteral("ca.key"), QStringLiteral("-out"),
                    QStringLiteral("ca.pem"), QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                    QStringLiteral("/CN=Tribune test CA")})
        && openssl({QStringLiteral("req"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"), QStringLiteral("-nodes"),
                    QStringLiteral("-keyout"), QStringLiteral("node.key"), QStringLiteral("-out"), QStringLiteral("node.csr"),
                    QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1")})
        && openssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), QStringLiteral("node.csr"),
                    QStringLiteral("-CA"), QStringLiteral("ca.pem"), QStringLiteral("-CAkey"), QStringLiteral("ca.key"),
                    QStringLiteral("-CAcreateserial"), QStringLiteral("-out"), QStringLiteral("node.pem"),
                    QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-extfile"), QStringLiteral("san.cnf")});
}

} // namespace

class TestAgentConsole : public QObject
{
    Q_OBJECT

private slots:
    void watchAndMembersFromTheCommandLine();
    void configGetPushRollback();
    void invalidPushChangesNothing();
    void suspectedMemberRefutes();
    void tls();
};

void TestAgentConsole::watchAndMembersFromTheCommandLine()
{
    AgentCluster cluster({QStringLiteral("lb"), QStringLiteral("esb-manager"), QStringLiteral("esb-worker1")});
    QString error;
    QVERIFY2(cluster.prepare(&error), qPrintable(error));
    QVERIFY(cluster.start(QStringLiteral("lb")));
    QVERIFY(cluster.start(QStringLiteral("esb-manager")));
    const QString seed = cluster.memberId(QStringLiteral("lb"));

    // watch: the view as "member" lines, then the next events, one JSON object per line.
    QProcess watch;
    watch.start(QStringLiteral(TRIBUNECTL_PATH), {QStringLiteral("watch"), QStringLiteral("--seed"), seed,
                                                  QStringLiteral("--key-file"), cluster.keyFile(),
                                                  QStringLiteral("--count"), QStringLiteral("1")});
    QVERIFY(watch.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(watch.bytesAvailable() > 0 || watch.state() != QProcess::Running, 8000);
    QTest::qWait(300);
    QVERIFY(cluster.start(QStringLiteral("esb-worker1")));
    QVERIFY(watch.waitForFinished(15000));
    QCOMPARE(watch.exitCode(), 0);
    const QList<QJsonObject> lines = jsonLines(watch.readAllStandardOutput());
    QVERIFY2(lines.size() >= 3, qPrintable(QString::number(lines.size())));
    QCOMPARE(lines.first().value(QLatin1String("type")).toString(), QStringLiteral("member"));
    const QJsonObject join = lines.last();
    QCOMPARE(join.value(QLatin1String("type")).toString(), QStringLiteral("join"));
    QCOMPARE(join.value(QLatin1String("member")).toString(), cluster.memberId(QStringLiteral("esb-worker1")));
    QCOMPARE(join.value(QLatin1String("subDomain")).toString(), QStringLiteral("worker"));
    QCOMPARE(join.value(QLatin1String("ports")).toObject().value(QLatin1String("http")).toInt(), 9763);
    for (const char *field : {"incarnation", "domain", "host", "reason", "time", "sequence"})
        QVERIFY2(join.contains(QLatin1String(field)), field);

    // members --json: the view once.
    const TestSupport::TribunectlRun members = tribunectl({QStringLiteral("members"), QStringLiteral("--seed"), seed,
                                    QStringLiteral("--key-file"), cluster.keyFile(), QStringLiteral("--json")});
    QCOMPARE(members.exitCode, 0);
    const QJsonArray view = QJsonDocument::fromJson(members.outBytes).object().value(QLatin1String("members")).toArray();
    QCOMPARE(view.size(), 3);

    // health: the node's own numbers and round trips to its peers.
    QTest::qWait(1200);
    const TestSupport::TribunectlRun health = tribunectl({QStringLiteral("health"), QStringLiteral("--node"), seed, QStringLiteral("--key-file"),
                                   cluster.keyFile()});
    QCOMPARE(health.exitCode, 0);
    const QJsonObject report = QJsonDocument::fromJson(health.outBytes).object();
    QVERIFY(report.value(QLatin1String("uptimeMs")).toInteger() > 0);
    QVERIFY(report.value(QLatin1String("rssBytes")).toInteger() > 1024 * 1024);
    QCOMPARE(report.value(QLatin1String("roundTripMs")).toObject().size(), 2);

    // A wrong key is refused with exit 1 and a message.
    const QString strangerKeys = cluster.root() + QLatin1String("/stranger.keys");
    QVERIFY(KeyRing::generate().save(strangerKeys, &error));
    const TestSupport::TribunectlRun refused = tribunectl({QStringLiteral("members"), QStringLiteral("--seed"), seed, QStringLiteral("--key-file"), strangerKeys});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.errBytes.contains("authentication failed"), refused.errBytes.constData());
}

void TestAgentConsole::configGetPushRollback()
{
    AgentCluster cluster({QStringLiteral("lb"), QStringLiteral("esb-worker1")});
    QString error;
    QVERIFY2(cluster.prepare(&error), qPrintable(error));
    QVERIFY(cluster.start(QStringLiteral("esb-worker1")));
    const QString node = cluster.memberId(QStringLiteral("esb-worker1"));
    const QString conf = cluster.home(QStringLiteral("esb-worker1")) + QLatin1String("/repository/conf");
    const QByteArray originalCarbon = TestSupport::readAll(conf + QLatin1String("/carbon.xml"));
    const QStringList common{QStringLiteral("--node"), node, QStringLiteral("--key-file"), cluster.keyFile()};

    const QString fetched = cluster.root() + QLatin1String("/fetched");
    TestSupport::TribunectlRun run = tribunectl(QStringList{QStringLiteral("config"), QStringLiteral("get")} + common + QStringList{QStringLiteral("--out"), fetched});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(TestSupport::readAll(fetched + QLatin1String("/carbon.xml")), originalCarbon);
    QCOMPARE(TestSupport::readAll(fetched + QLatin1String("/axis2/axis2.xml")), TestSupport::readAll(conf + QLatin1String("/axis2/axis2.xml")));

    QVERIFY(TestSupport::replaceInFile(fetched + QLatin1String("/carbon.xml"), "<Offset>0</Offset>", "<Offset>7</Offset>"));
    run = tribunectl(QStringList{QStringLiteral("config"), QStringLiteral("push")} + common
                     + QStringList{QStringLiteral("--from"), fetched, QStringLiteral("carbon.xml")});
    QVERIFY2(run.exitCode == 0, run.errBytes.constData());
    QVERIFY(TestSupport::readAll(conf + QLatin1String("/carbon.xml")).contains("<Offset>7</Offset>"));

    run = tribunectl(QStringList{QStringLiteral("config"), QStringLiteral("backups")} + common);
    QCOMPARE(run.exitCode, 0);
    const QJsonArray backups = QJsonDocument::fromJson(run.outBytes).object().value(QLatin1String("backups")).toArray();
    QCOMPARE(backups.size(), 1);
    QVERIFY(backups.first().toObject().value(QLatin1String("actor")).toString().startsWith(QLatin1String("console@")));

    // What the backup holds, before rolling back to it; a backup that is not there is an error.
    const QString saved = cluster.root() + QLatin1String("/backup1");
    run = tribunectl(QStringList{QStringLiteral("config"), QStringLiteral("backup")} + common
                     + QStringList{QStringLiteral("--number"), QStringLiteral("1"), QStringLiteral("--out"), saved});
    QVERIFY2(run.exitCode == 0, run.errBytes.constData());
    QCOMPARE(TestSupport::readAll(saved + QLatin1String("/carbon.xml")), originalCarbon);
    run = tribunectl(QStringList{QStringLiteral("config"), QStringLiteral("backup")} + common
                     + QStringList{QStringLiteral("--number"), QStringLiteral("9")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.errBytes.contains("backup 9"), run.errBytes.constData());

    run = tribunectl(QStringList{QStringLiteral("config"), QStringLiteral("rollback")} + common
                     + QStringList{QStringLiteral("--number"), QStringLiteral("1")});
    QVERIFY2(run.exitCode == 0, run.errBytes.constData());
    QCOMPARE(TestSupport::readAll(conf + QLatin1String("/carbon.xml")), originalCarbon);
    QVERIFY(QFileInfo(cluster.home(QStringLiteral("esb-worker1")) + QLatin1String("/.tribune/audit.log")).size() > 0);

    // A viewer reads, but its push is refused.
    run = tribunectl(QStringList{QStringLiteral("config"), QStringLiteral("push"), QStringLiteral("--node"), node,
                                 QStringLiteral("--key-file"), cluster.viewerKeyFile(), QStringLiteral("--from"), fetched,
                                 QStringLiteral("carbon.xml")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.errBytes.contains("read-only"), run.errBytes.constData());
    QVERIFY(TestSupport::readAll(conf + QLatin1String("/carbon.xml")) == originalCarbon);

    // A relative folder, every file below it: each read once, where it is (it was read at the
    // folder's path twice over: "fetched/fetched/carbon.xml: cannot read").
    QVERIFY(TestSupport::replaceInFile(fetched + QLatin1String("/carbon.xml"), "<Offset>7</Offset>", "<Offset>6</Offset>"));
    run = tribunectl(QStringList{QStringLiteral("config"), QStringLiteral("push")} + common
                         + QStringList{QStringLiteral("--from"), QStringLiteral("fetched")},
                     30000, cluster.root());
    QVERIFY2(run.exitCode == 0, run.errBytes.constData());
    QVERIFY(TestSupport::readAll(conf + QLatin1String("/carbon.xml")).contains("<Offset>6</Offset>"));
}

void TestAgentConsole::invalidPushChangesNothing()
{
    AgentCluster cluster({QStringLiteral("lb"), QStringLiteral("esb-worker1")});
    QString error;
    QVERIFY2(cluster.prepare(&error), qPrintable(error));
    QVERIFY(cluster.start(QStringLiteral("esb-worker1")));
    const QString conf = cluster.home(QStringLiteral("esb-worker1")) + QLatin1String("/repository/conf");
    QMap<QString, QByteArray> before;
    for (const char *name : {"carbon.xml", "registry.xml", "axis2/axis2.xml"})
        before.insert(QLatin1String(name), TestSupport::readAll(conf + QLatin1Char('/') + QLatin1String(name)));

    // Two files: a valid carbon.xml change and a malformed registry.xml. Neither may land.
    const QString outgoing = cluster.root() + QLatin1String("/outgoing");
    QVERIFY(QDir().mkpath(outgoing));
    for (const char *name : {"carbon.xml", "registry.xml"})
        QVERIFY(QFile::copy(conf + QLatin1Char('/') + QLatin1String(name), outgoing + QLatin1Char('/') + QLatin1String(name)));
    QVERIFY(TestSupport::replaceInFile(outgoing + QLatin1String("/carbon.xml"), "<Offset>0</Offset>", "<Offset>6</Offset>"));
    QVERIFY(TestSupport::replaceInFile(outgoing + QLatin1String("/registry.xml"), "</remoteInstance>", "</remoteInstanc>"));
    const TestSupport::TribunectlRun run = tribunectl({QStringLiteral("config"), QStringLiteral("push"), QStringLiteral("--node"),
                                cluster.memberId(QStringLiteral("esb-worker1")), QStringLiteral("--key-file"),
                                cluster.keyFile(), QStringLiteral("--from"), outgoing});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.errBytes.contains("registry.xml:"), run.errBytes.constData());
    for (auto it = before.cbegin(); it != before.cend(); ++it)
        QCOMPARE(TestSupport::readAll(conf + QLatin1Char('/') + it.key()), it.value());
    QVERIFY(!QFileInfo::exists(cluster.home(QStringLiteral("esb-worker1")) + QLatin1String("/.tribune/backups/1")));
}

void TestAgentConsole::suspectedMemberRefutes()
{
    AgentCluster cluster({QStringLiteral("lb"), QStringLiteral("esb-manager")});
    QString error;
    QVERIFY2(cluster.prepare(&error), qPrintable(error));
    QVERIFY(cluster.start(QStringLiteral("lb")));
    std::unique_ptr<AgentClient> client = cluster.client(QStringLiteral("lb"));
    QList<MembershipEvent> events;
    connect(client.get(), &AgentClient::eventReceived, this, [&events](const MembershipEvent &event) { events.append(event); });
    QSignalSpy subscribed(client.get(), &AgentClient::snapshotReceived);
    client->subscribe();
    client->open();
    QVERIFY(subscribed.wait(5000));
    QVERIFY(cluster.start(QStringLiteral("esb-manager")));
    const QString manager = cluster.memberId(QStringLiteral("esb-manager"));
    const auto saw = [&events, &manager](MembershipEvent::Type type) {
        return std::any_of(events.cbegin(), events.cend(),
                           [&](const MembershipEvent &event) { return event.type == type && event.member.id == manager; });
    };
    QTRY_VERIFY_WITH_TIMEOUT(saw(MembershipEvent::Type::Join), 8000);

    // Freeze the manager past half the drop time, then let it go on: suspected, then refuted.
    const qint64 pid = cluster.pid(QStringLiteral("esb-manager"));
    ::kill(pid_t(pid), SIGSTOP);
    QTRY_VERIFY_WITH_TIMEOUT(saw(MembershipEvent::Type::Suspect), 4000);
    ::kill(pid_t(pid), SIGCONT);
    QTRY_VERIFY_WITH_TIMEOUT(saw(MembershipEvent::Type::Refute), 3000);
    QVERIFY(!saw(MembershipEvent::Type::Failure));
}

void TestAgentConsole::tls()
{
    AgentCluster cluster({QStringLiteral("lb"), QStringLiteral("esb-manager")});
    QString error;
    QVERIFY2(cluster.prepare(&error), qPrintable(error));
    QVERIFY(makeCertificates(cluster.root()));
    const QStringList tls{QStringLiteral("--tls-cert"), cluster.root() + QLatin1String("/node.pem"),
                          QStringLiteral("--tls-key"), cluster.root() + QLatin1String("/node.key"),
                          QStringLiteral("--tls-ca"), cluster.root() + QLatin1String("/ca.pem")};
    QVERIFY(cluster.start(QStringLiteral("lb"), tls));
    QVERIFY(cluster.start(QStringLiteral("esb-manager"), tls));
    const TestSupport::TribunectlRun members = tribunectl({QStringLiteral("members"), QStringLiteral("--seed"), cluster.memberId(QStringLiteral("lb")),
                                    QStringLiteral("--key-file"), cluster.keyFile(), QStringLiteral("--tls-ca"),
                                    cluster.root() + QLatin1String("/ca.pem"), QStringLiteral("--json")});
    QVERIFY2(members.exitCode == 0, members.errBytes.constData());
    // Both agents met over TLS.
    QTRY_VERIFY_WITH_TIMEOUT(
        QJsonDocument::fromJson(tribunectl({QStringLiteral("members"), QStringLiteral("--seed"), cluster.memberId(QStringLiteral("lb")),
                                            QStringLiteral("--key-file"), cluster.keyFile(), QStringLiteral("--tls-ca"),
                                            cluster.root() + QLatin1String("/ca.pem"), QStringLiteral("--json")})
                                    .outBytes)
                .object()
                .value(QLatin1String("members"))
                .toArray()
                .size()
            == 2,
        10000);
    // A plain client gets nowhere.
    const TestSupport::TribunectlRun plain = tribunectl({QStringLiteral("members"), QStringLiteral("--seed"), cluster.memberId(QStringLiteral("lb")),
                                  QStringLiteral("--key-file"), cluster.keyFile()}, 15000);
    QVERIFY(plain.exitCode != 0);
}

QTEST_GUILESS_MAIN(TestAgentConsole)
#include "tst_agentconsole.moc"
