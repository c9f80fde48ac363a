// RuntimeClient against a real HAProxy 2.6 that the test starts in a temporary folder (admin unix
// socket, operator unix socket, admin TCP socket, a map file, one backend with a static server)
// and stops at the end; a tiny HTTP responder in this process answers the health checks.
#include "livehaproxy.h"

#include "haproxy/haproxystats.h"
#include "haproxy/runtimeclient.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLocalServer>
#include <QLocalSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <memory>

using namespace Qt::StringLiterals;
using namespace Tribune::HAProxy;
using Client = RuntimeClient;
using TestSupport::freePort;

namespace {

const QString Backend = u"wso2.esb.domain:worker"_s;
const QString Loopback = u"127.0.0.1"_s;
const Client::ServerOptions Defaults; // "check weight 100"

// Runs one request and waits (processing events) for its single reply.
Reply await(const std::function<void(Client::Callback)> &start)
{
    std::optional<Reply> result;
    int calls = 0;
    start([&](const Reply &reply) {
        result = reply;
        ++calls;
    });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 15000))
        return Reply{QString(), QString(), false, u"test: no reply within 15 s"_s};
    QTest::qWait(0);
    if (calls != 1)
        return Reply{result->command, result->text, false, u"test: %1 callbacks"_s.arg(calls)};
    return *result;
}

// Calls a helper of the client (all but its callback given) and waits for its reply.
template <typename... Parameters, typename... Arguments>
Reply call(Client &client, void (Client::*helper)(Parameters...), Arguments &&...arguments)
{
    return await([&](Client::Callback done) {
        (client.*helper)(std::forward<Arguments>(arguments)..., done);
    });
}

// Sends one command line and waits for its reply.
Reply run(Client &client, const QString &command)
{
    return await([&](Client::Callback done) { client.send(command, done); });
}

// Runs a "show" helper and waits for its reply and what it parsed.
template <typename Result>
using ShowHelper = void (Client::*)(std::function<void(const Reply &, const Result &)>);

template <typename Result>
std::pair<Reply, Result> fetch(Client &client, ShowHelper<Result> helper)
{
    Result result;
    const Reply reply = await([&](Client::Callback done) {
        (client.*helper)([&result, done](const Reply &r, const Result &parsed) {
            result = parsed;
            done(r);
        });
    });
    return {reply, result};
}

std::optional<ServerState> stateOf(Client &client, const QString &server)
{
    const auto [reply, states] = fetch(client, &Client::showServersState);
    if (!reply.ok)
        qWarning("show servers state: %s", qPrintable(reply.error));
    for (const ServerState &state : states) {
        if (state.backend == Backend && state.server == server)
            return state;
    }
    return std::nullopt;
}

} // namespace

class TestRuntimeClient final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void parseAddress_data();
    void parseAddress();
    void showInfoStatAndServersState();
    void addServerReadyAppearsInStat();
    void stateAndWeight();
    void deleteServer();
    void mapEntries();
    void unknownBackend();
    void operatorLevelIsDenied();
    void tcpSocket();
    void backToBackInOrder();
    void missingSocket();
    void silentSocketTimesOut();
    void endlessReplyFailsBoundedAndInTime();
    void refusedWithoutConnecting();

private:
    QTemporaryDir m_dir;
    TestSupport::LiveHAProxy m_haproxy;
    TestSupport::HealthResponder m_health; // answers HAProxy's "GET /health" with 200
    QString m_adminSocket;
    QString m_operatorSocket;
    QString m_mapPath;
    quint16 m_tcpPort = 0;
    std::unique_ptr<Client> m_client;
};

void TestRuntimeClient::initTestCase()
{
    if (TestSupport::LiveHAProxy::executable().isEmpty())
        QSKIP("haproxy is not installed");
    QVERIFY(m_dir.isValid());
    QVERIFY(m_health.listen());
    m_adminSocket = m_dir.filePath(u"admin.sock"_s);
    m_operatorSocket = m_dir.filePath(u"operator.sock"_s);
    m_mapPath = m_dir.filePath(u"hosts.map"_s);
    m_tcpPort = freePort();
    const quint16 httpPort = freePort();
    QVERIFY(m_tcpPort && httpPort);
    QFile map(m_mapPath);
    QVERIFY(map.open(QIODevice::WriteOnly));
    map.write("esb.example.com wso2.esb.domain:worker\n");
    map.close();

    const QString config = QStringLiteral("global\n"
                                          "    stats socket %1 mode 600 level admin\n"
                                          "    stats socket %2 mode 600 level operator\n"
                                          "    stats socket ipv4@127.0.0.1:%3 level admin\n"
                                          "defaults\n"
                                          "    mode http\n"
                                          "    timeout connect 5s\n"
                                          "    timeout client 30s\n"
                                          "    timeout server 30s\n"
                                          "frontend http-in\n"
                                          "    bind 127.0.0.1:%4\n"
                                          "    use_backend %[req.hdr(host),lower,map(%5)]\n"
                                          "    default_backend wso2.esb.domain:worker\n"
                                          "backend wso2.esb.domain:worker\n"
                                          "    balance roundrobin\n"
                                          "    option httpchk GET /health\n"
                                          "    server static1 127.0.0.1:%6 check inter 500ms\n")
                               .arg(m_adminSocket, m_operatorSocket, QString::number(m_tcpPort),
                                    QString::number(httpPort), m_mapPath, QString::number(m_health.port()));
    const QString cfg = m_dir.filePath(u"haproxy.cfg"_s);
    const QString problem = m_haproxy.start(cfg, config, m_adminSocket);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    m_client = std::make_unique<Client>(Client::Address{Client::Address::Kind::Unix, m_adminSocket, {}, 0});
}

void TestRuntimeClient::cleanupTestCase()
{
    m_client.reset();
    m_haproxy.stop();
}

void TestRuntimeClient::parseAddress_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<bool>("unix");
    QTest::addColumn<QString>("canonical");
    QTest::newRow("path") << u"/run/haproxy/admin.sock"_s << true << true << u"/run/haproxy/admin.sock"_s;
    const QString here = QDir::currentPath() + QLatin1String("/admin.sock"); // not in the temporary folder
    QTest::newRow("relative path") << u"./admin.sock"_s << true << true << here;
    QTest::newRow("unix@") << u"unix@admin.sock"_s << true << true << here;
    QTest::newRow("host:port") << u"127.0.0.1:9999"_s << true << false << u"127.0.0.1:9999"_s;
    QTest::newRow("name:port") << u"lb.example.com:9999"_s << true << false
                               << u"lb.example.com:9999"_s;
    QTest::newRow("ipv4@") << u"ipv4@127.0.0.1:9999"_s << true << false << u"127.0.0.1:9999"_s;
    QTest::newRow("[v6]:port") << u"[::1]:9999"_s << true << false << u"[::1]:9999"_s;
    QTest::newRow("bare v6") << u"::1:9999"_s << false << false << QString();
    QTest::newRow("no port") << u"127.0.0.1"_s << false << false << QString();
    QTest::newRow("port 0") << u"127.0.0.1:0"_s << false << false << QString();
    QTest::newRow("port too big") << u"127.0.0.1:70000"_s << false << false << QString();
    QTest::newRow("no host") << u":9999"_s << false << false << QString();
    QTest::newRow("empty") << QString() << false << false << QString();
}

void TestRuntimeClient::parseAddress()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(bool, unix);
    QFETCH(QString, canonical);
    QString error;
    const std::optional<Client::Address> address = Client::parseAddress(text, &error);
    QCOMPARE(address.has_value(), valid);
    if (!valid) {
        QVERIFY(error.contains(QLatin1String("HOST:PORT")));
        return;
    }
    QCOMPARE(address->kind == Client::Address::Kind::Unix, unix);
    QCOMPARE(address->toString(), canonical);
}

void TestRuntimeClient::showInfoStatAndServersState()
{
    const auto [reply, info] = fetch(*m_client, &Client::showInfo);
    QVERIFY2(reply.ok, qPrintable(reply.error));
    QCOMPARE(reply.command, u"show info"_s);
    QCOMPARE(info.value(u"Name"_s), u"HAProxy"_s);
    QVERIFY(info.value(u"Version"_s).startsWith(QLatin1String("2.")));
    QCOMPARE(info.value(u"Pid"_s).toLongLong(), m_haproxy.processId());

    const auto [statReply, rows] = fetch(*m_client, &Client::showStat);
    QVERIFY2(statReply.ok, qPrintable(statReply.error));
    QStringList names;
    for (const StatRow &row : rows)
        names.append(row.proxy + u'/' + row.server);
    QVERIFY2(names.contains(u"http-in/FRONTEND"_s), qPrintable(names.join(u' ')));
    QVERIFY(names.contains(Backend + QLatin1String("/BACKEND")));
    QVERIFY(names.contains(Backend + QLatin1String("/static1")));

    QTRY_COMPARE_WITH_TIMEOUT(stateOf(*m_client, u"static1"_s).value_or(ServerState()).state(),
                              u"UP"_s, 10000);
    const ServerState static1 = stateOf(*m_client, u"static1"_s).value();
    QCOMPARE(static1.address, u"127.0.0.1"_s);
    QCOMPARE(static1.port, int(m_health.port()));
    QCOMPARE(static1.checkStatus, u"L7OK"_s);
}

void TestRuntimeClient::addServerReadyAppearsInStat()
{
    Client::ServerOptions options;
    options.extraKeywords = QStringList{u"inter"_s, u"300ms"_s};
    const Reply reply =
        call(*m_client, &Client::addServerReady, Backend, u"worker1"_s, Loopback, m_health.port(), options);
    QVERIFY2(reply.ok, qPrintable(reply.error));
    QCOMPARE(reply.command, u"set server wso2.esb.domain:worker/worker1 state ready"_s);

    const auto [statReply, rows] = fetch(*m_client, &Client::showStat);
    QVERIFY(statReply.ok);
    const auto it = std::find_if(rows.cbegin(), rows.cend(), [](const StatRow &row) {
        return row.proxy == Backend && row.server == u"worker1";
    });
    QVERIFY(it != rows.cend());
    QCOMPARE(it->weight, 100);
    QCOMPARE(it->address, QLatin1String("127.0.0.1:") + QString::number(m_health.port()));
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(*m_client, u"worker1"_s).value_or(ServerState()).state(),
                              u"UP"_s, 10000);

    const Reply again = call(*m_client, &Client::addServerReady, Backend, u"worker1"_s, Loopback, 1, options);
    QVERIFY(!again.ok);
    QCOMPARE(again.error, u"Already exists a server with the same name in backend."_s);
    QVERIFY(again.command.startsWith(QLatin1String("add server "))); // stopped at the first step
}

void TestRuntimeClient::stateAndWeight()
{
    const QString server = u"worker2"_s;
    QVERIFY(call(*m_client, &Client::addServer, Backend, server, Loopback, m_health.port(), Defaults).ok);
    QCOMPARE(stateOf(*m_client, server).value().state(), u"MAINT"_s); // dynamic servers start so

    const auto setState = [&](Client::AdminState state) {
        return call(*m_client, &Client::setServerState, Backend, server, state);
    };
    QVERIFY(setState(Client::AdminState::Ready).ok);
    QCOMPARE(stateOf(*m_client, server).value().adminState, 0);
    QCOMPARE(stateOf(*m_client, server).value().state(), u"no check"_s); // health not enabled yet
    QVERIFY(call(*m_client, &Client::enableHealth, Backend, server).ok);
    QVERIFY(stateOf(*m_client, server).value().checksEnabled());
    QVERIFY(setState(Client::AdminState::Drain).ok);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(*m_client, server).value().state(), u"DRAIN"_s, 10000);
    QVERIFY(setState(Client::AdminState::Maint).ok);
    QCOMPARE(stateOf(*m_client, server).value().state(), u"MAINT"_s);
    QVERIFY(setState(Client::AdminState::Ready).ok);
    QVERIFY(call(*m_client, &Client::disableHealth, Backend, server).ok);
    QVERIFY(!stateOf(*m_client, server).value().checksEnabled());

    QVERIFY(call(*m_client, &Client::setWeight, Backend, server, 42).ok);
    QCOMPARE(stateOf(*m_client, server).value().weight, 42);
    QCOMPARE(stateOf(*m_client, server).value().initialWeight, 100);
    const Reply tooHeavy =
        call(*m_client, &Client::setWeight, Backend, server, 300);
    QVERIFY(!tooHeavy.ok);
    QCOMPARE(tooHeavy.error, u"Absolute weight can only be between 0 and 256 inclusive."_s);
}

void TestRuntimeClient::deleteServer()
{
    const QString server = u"worker3"_s;
    const quint16 port = m_health.port();
    QVERIFY(call(*m_client, &Client::addServerReady, Backend, server, Loopback, port, Defaults).ok);
    QVERIFY(stateOf(*m_client, server));
    const Reply reply = call(*m_client, &Client::deleteServer, Backend, server);
    QVERIFY2(reply.ok, qPrintable(reply.error));
    QCOMPARE(reply.command, u"del server wso2.esb.domain:worker/worker3"_s);
    QCOMPARE(reply.text.trimmed(), u"Server deleted."_s);
    QVERIFY(!stateOf(*m_client, server));

    const Reply again = call(*m_client, &Client::deleteServer, Backend, server);
    QVERIFY(!again.ok);
    QCOMPARE(again.error, u"No such server."_s);
}

void TestRuntimeClient::mapEntries()
{
    const auto showMap = [&] {
        return run(*m_client, QLatin1String("show map ") + m_mapPath).text;
    };
    QVERIFY(showMap().contains(QLatin1String(" esb.example.com wso2.esb.domain:worker")));
    const QString key = u"tenant one;x.example.com"_s; // a space and a ';' to escape
    QVERIFY(call(*m_client, &Client::addMapEntry, m_mapPath, key, Backend).ok);
    QVERIFY2(showMap().contains(u' ' + key + u' ' + Backend), qPrintable(showMap()));
    QVERIFY(call(*m_client, &Client::setMapEntry, m_mapPath, key, u"wso2.esb.domain:mgt"_s).ok);
    QVERIFY(showMap().contains(u' ' + key + QLatin1String(" wso2.esb.domain:mgt")));
    QVERIFY(call(*m_client, &Client::deleteMapEntry, m_mapPath, key).ok);
    QVERIFY(!showMap().contains(key));

    Reply reply = call(*m_client, &Client::deleteMapEntry, m_mapPath, key);
    QVERIFY(!reply.ok);
    QCOMPARE(reply.error, u"Key not found."_s);
    reply = call(*m_client, &Client::setMapEntry, m_mapPath, key, Backend);
    QVERIFY(!reply.ok);
    QCOMPARE(reply.error, u"entry not found."_s);
    reply = call(*m_client, &Client::addMapEntry, m_dir.filePath(u"other.map"_s), key, Backend);
    QVERIFY(!reply.ok);
    QVERIFY(reply.error.startsWith(QLatin1String("Unknown map identifier")));
}

void TestRuntimeClient::unknownBackend()
{
    const QString nowhere = u"wso2.nowhere.domain:worker"_s;
    Reply reply = call(*m_client, &Client::setServerState, nowhere, u"x"_s, Client::AdminState::Ready);
    QVERIFY(!reply.ok);
    QCOMPARE(reply.error, u"No such backend."_s);
    reply = call(*m_client, &Client::addServerReady, nowhere, u"x"_s, Loopback, 80, Defaults);
    QCOMPARE(reply.error, u"No such backend."_s);
    reply = run(*m_client, QLatin1String("show servers state ") + nowhere);
    QCOMPARE(reply.error, u"Can't find backend."_s);
    reply = run(*m_client, u"show nothing-at-all"_s);
    QVERIFY(!reply.ok);
    QVERIFY(reply.error.startsWith(QLatin1String("Unknown command")));
}

void TestRuntimeClient::operatorLevelIsDenied()
{
    Client client(Client::Address{Client::Address::Kind::Unix, m_operatorSocket, {}, 0});
    Reply reply = call(client, &Client::setServerState, Backend, u"static1"_s, Client::AdminState::Maint);
    QVERIFY(!reply.ok);
    QCOMPARE(reply.error, u"Permission denied"_s);
    reply = call(client, &Client::addServer, Backend, u"intruder"_s, Loopback, 80, Defaults);
    QCOMPARE(reply.error, u"Permission denied"_s);
    QVERIFY(run(client, u"show info"_s).ok); // reading is allowed
    QCOMPARE(stateOf(*m_client, u"static1"_s).value().adminState, 0);
}

void TestRuntimeClient::tcpSocket()
{
    QString error;
    const std::optional<Client::Address> address = Client::parseAddress(
        u"127.0.0.1:%1"_s.arg(m_tcpPort), &error);
    QVERIFY2(address, qPrintable(error));
    Client client(*address);
    QVERIFY(!fetch(client, &Client::showServersState).second.isEmpty());
    QVERIFY(call(client, &Client::setWeight, Backend, u"static1"_s, 7).ok);
    QCOMPARE(stateOf(*m_client, u"static1"_s).value().weight, 7); // seen through the unix socket
    const Reply denied = call(client, &Client::setServerState, u"nob"_s, u"x"_s, Client::AdminState::Ready);
    QCOMPARE(denied.error, u"No such backend."_s);
    QVERIFY(call(client, &Client::setWeight, Backend, u"static1"_s, 1).ok);
}

// Commands given back to back, a unit of three steps among them, complete in the order given and
// each sees the effect of those before it.
void TestRuntimeClient::backToBackInOrder()
{
    QStringList order;
    QStringList weights;
    QStringList finished;
    const QMetaObject::Connection spy = connect(m_client.get(), &Client::commandFinished, this,
                                                [&](const Reply &reply) { finished.append(reply.command); });
    const QString target = Backend + QLatin1String("/worker4");
    m_client->addServerReady(Backend, u"worker4"_s, Loopback, m_health.port(), {},
                             [&](const Reply &reply) { order.append(u"add:%1"_s.arg(reply.ok)); });
    for (int i = 1; i <= 10; ++i) {
        m_client->setWeight(Backend, u"worker4"_s, i * 10, [&order, i](const Reply &reply) {
            order.append(u"set%1:%2"_s.arg(i).arg(reply.ok));
        });
        m_client->send(QLatin1String("get weight ") + target, [&order, &weights, i](const Reply &reply) {
            order.append(u"get%1:%2"_s.arg(i).arg(reply.ok));
            weights.append(reply.text.section(u' ', 0, 0));
        });
    }
    QCOMPARE(m_client->pendingCount(), 21);
    QVERIFY(order.isEmpty()); // nothing completes inside the calls
    QTRY_COMPARE_WITH_TIMEOUT(order.size(), 21, 15000);
    QStringList expected{u"add:1"_s};
    for (int i = 1; i <= 10; ++i)
        expected << u"set%1:1"_s.arg(i) << u"get%1:1"_s.arg(i);
    QCOMPARE(order, expected);
    QCOMPARE(weights.join(u' '), u"10 20 30 40 50 60 70 80 90 100"_s);
    disconnect(spy);
    QCOMPARE(finished.size(), 23); // the unit's three steps each reported
    QVERIFY(finished.at(0).startsWith(QLatin1String("add server ")));
    QCOMPARE(finished.at(1), QLatin1String("enable health ") + target);
    QCOMPARE(finished.at(2), QLatin1String("set server ") + target + QLatin1String(" state ready"));
    QCOMPARE(m_client->pendingCount(), 0);
}

void TestRuntimeClient::missingSocket()
{
    const QString path = m_dir.filePath(u"missing.sock"_s);
    Client client(Client::Address{Client::Address::Kind::Unix, path, {}, 0});
    Reply reply = run(client, u"show info"_s);
    QVERIFY(!reply.ok);
    QVERIFY2(reply.error.contains(path), qPrintable(reply.error));

    const quint16 closedPort = freePort();
    Client tcp(Client::Address{Client::Address::Kind::Tcp, {}, Loopback, closedPort});
    reply = run(tcp, u"show info"_s);
    QVERIFY(!reply.ok);
    QVERIFY2(reply.error.contains(u"127.0.0.1:%1"_s.arg(closedPort)), qPrintable(reply.error));
}

void TestRuntimeClient::silentSocketTimesOut()
{
    QCOMPARE(Client::DefaultTimeoutMs, 5000);
    QLocalServer silent; // accepts and never answers
    const QString path = m_dir.filePath(u"silent.sock"_s);
    QVERIFY(silent.listen(path));
    Client client(Client::Address{Client::Address::Kind::Unix, path, {}, 0});
    client.setTimeout(300);
    QElapsedTimer elapsed;
    elapsed.start();
    const Reply reply = run(client, u"show info"_s);
    QVERIFY(!reply.ok);
    QVERIFY2(reply.error.contains(path), qPrintable(reply.error));
    QVERIFY2(reply.error.contains(QLatin1String("no answer within 0.3 s")), qPrintable(reply.error));
    const qint64 ms = elapsed.elapsed();
    QVERIFY2(ms >= 250 && ms < 3000, qPrintable(QString::number(ms)));
    // The queue goes on after a timeout.
    QVERIFY(!run(client, u"show info"_s).ok);
}

void TestRuntimeClient::endlessReplyFailsBoundedAndInTime()
{
    // A socket that never stops writing: the reply is refused past its bound, well before the
    // memory runs out, and within the time allowed.
    // It writes from a thread of its own, as fast as the socket takes it, as another process would.
    const QString path = m_dir.filePath(u"flood.sock"_s);
    std::atomic<qint64> written = 0;
    std::atomic<bool> listening = false;
    std::unique_ptr<QThread> flood(QThread::create([&] {
        QLocalServer server;
        listening = server.listen(path);
        if (!listening || !server.waitForNewConnection(10000))
            return;
        QLocalSocket *socket = server.nextPendingConnection();
        const QByteArray chunk(1024 * 1024, 'x');
        while (socket->state() == QLocalSocket::ConnectedState && written < 8 * Client::MaxReplyBytes) {
            written += socket->write(chunk);
            if (!socket->waitForBytesWritten(2000))
                break;
        }
    }));
    flood->start();
    QTRY_VERIFY(listening);
    Client client(Client::Address{Client::Address::Kind::Unix, path, {}, 0});
    client.setTimeout(3000);
    QElapsedTimer elapsed;
    elapsed.start();
    const Reply reply = run(client, u"show stat"_s);
    QVERIFY(!reply.ok);
    QVERIFY2(reply.error.contains(QLatin1String("larger than 32 MB")), qPrintable(reply.error));
    QVERIFY(reply.text.size() <= Client::MaxReplyBytes);
    QVERIFY2(elapsed.elapsed() < 3500, qPrintable(QString::number(elapsed.elapsed())));
    QVERIFY(written > Client::MaxReplyBytes); // it did write more than was taken
    QVERIFY(flood->wait(10000));
}

void TestRuntimeClient::refusedWithoutConnecting()
{
    Client client(Client::Address{Client::Address::Kind::Unix, m_dir.filePath(u"unused.sock"_s), {}, 0});
    Reply reply = run(client, u"show info\nshow stat"_s);
    QVERIFY(!reply.ok);
    QVERIFY(reply.error.contains(QLatin1String("one line")));
    reply = call(client, &Client::setServerState, u"bad name"_s, u"x"_s, Client::AdminState::Ready);
    QVERIFY(reply.error.contains(QLatin1String("bad name")));
    reply = await([&](Client::Callback done) {
        Client::ServerOptions options;
        options.extraKeywords = QStringList{u"check;del"_s};
        client.addServer(Backend, u"x"_s, Loopback, 80, options, done);
    });
    QVERIFY(reply.error.contains(QLatin1String("check;del")));
    reply = call(client, &Client::addServer, Backend, u"x"_s, u"127.0.0.1 1.2.3.4"_s, 80, Defaults);
    QVERIFY(!reply.ok);
}

QTEST_GUILESS_MAIN(TestRuntimeClient)
#include "tst_runtimeclient.moc"
