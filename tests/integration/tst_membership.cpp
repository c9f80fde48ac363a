// Real agents on 127.0.0.1 and 127.0.0.2 from a temporary copy of the sample cluster: the
// cluster forms, joins, graceful leaves and deaths are seen by every member and by a watching
// console; a well-known member goes down and comes back; a restarted node is a new incarnation;
// keys and roles are enforced; garbage closes only its own connection; a console resumes.
#include "agentcluster.h"
#include "membershipwatcher.h"

#include "protocol/agentclient.h"
#include "protocol/connection.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QTcpServer>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QFile>
#include <QtEndian>

#include <algorithm>
#include <memory>
#include <vector>

using namespace Tribune::Protocol;

namespace {

const QStringList EsbNodes = {QStringLiteral("lb"), QStringLiteral("esb-manager"), QStringLiteral("esb-worker1"),
                              QStringLiteral("esb-worker2"), QStringLiteral("esb-worker3")};

QStringList sortedIds(const AgentCluster &cluster, const QStringList &nodes)
{
    QStringList ids;
    for (const QString &node : nodes)
        ids.append(cluster.memberId(node));
    ids.sort();
    return ids;
}

QByteArray frame(const QByteArray &payload)
{
    uchar header[4];
    qToBigEndian(quint32(payload.size()), header);
    return QByteArray(reinterpret_cast<const char *>(header), 4) + payload;
}

} // namespace

class TestMembership : public QObject
{
    Q_OBJECT

private slots:
    void clusterFormsJoinLeaveAndDeath();
    void wellKnownMemberDownAndBack();
    void restartedNodeIsNewIncarnation();
    void domainsDoNotMix();
    void keysAndRoles();
    void olderMembershipProtocolIsRefused();
    void garbageClosesOnlyItsConnection();
    void consoleResumesWithoutGapOrDuplicate();
    void invalidNodeRefusesToStart();
};

void TestMembership::clusterFormsJoinLeaveAndDeath()
{
    AgentCluster cluster(EsbNodes);
    QString error;
    QVERIFY2(cluster.prepare(&error), qPrintable(error));
    for (const QString &node : {QStringLiteral("lb"), QStringLiteral("esb-manager"), QStringLiteral("esb-worker1"),
                                QStringLiteral("esb-worker2")})
        QVERIFY(cluster.start(node));

    MembershipWatcher atLb(cluster.client(QStringLiteral("lb")));
    MembershipWatcher atManager(cluster.client(QStringLiteral("esb-manager")));
    const QStringList four = sortedIds(cluster, {QStringLiteral("lb"), QStringLiteral("esb-manager"),
                                                 QStringLiteral("esb-worker1"), QStringLiteral("esb-worker2")});
    QTRY_COMPARE_WITH_TIMEOUT(atLb.alive(), four, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(atManager.alive(), four, 10000);

    // A join is seen by every member and by the console.
    QVERIFY(cluster.start(QStringLiteral("esb-worker3")));
    const QString worker3 = cluster.memberId(QStringLiteral("esb-worker3"));
    QTRY_VERIFY_WITH_TIMEOUT(atLb.has(worker3, MemberState::Alive), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(atManager.has(worker3, MemberState::Alive), 5000);
    MembershipWatcher atWorker1(cluster.client(QStringLiteral("esb-worker1")));
    QTRY_VERIFY_WITH_TIMEOUT(atWorker1.has(worker3, MemberState::Alive), 5000);
    const MembershipEvent *joined = atLb.lastEvent(worker3, MembershipEvent::Type::Join);
    QVERIFY(joined);
    QCOMPARE(joined->member.subDomain, QStringLiteral("worker"));
    QCOMPARE(joined->member.domain, QStringLiteral("wso2.esb.domain"));
    QCOMPARE(joined->member.httpPort, 9766);

    // A graceful leave is seen at once, as a leave.
    QElapsedTimer clock;
    clock.start();
    QVERIFY(cluster.stop(QStringLiteral("esb-worker2")));
    const QString worker2 = cluster.memberId(QStringLiteral("esb-worker2"));
    QTRY_VERIFY_WITH_TIMEOUT(atLb.has(worker2, MemberState::Left), 2000);
    QTRY_VERIFY_WITH_TIMEOUT(atManager.has(worker2, MemberState::Left), 2000);
    QTRY_VERIFY_WITH_TIMEOUT(atWorker1.has(worker2, MemberState::Left), 2000);
    QVERIFY2(clock.elapsed() < 1500, qPrintable(QString::number(clock.elapsed())));

    // A death: its connections close, it is probed at once and suspected, and declared failed
    // when nobody refutes the suspicion: after half memberDropTime (3000 ms) at the soonest, within
    // memberDropTime + 500 ms. No failure of anyone else.
    clock.restart();
    QVERIFY(cluster.kill(QStringLiteral("esb-worker3")));
    QTRY_VERIFY_WITH_TIMEOUT(atLb.has(worker3, MemberState::Suspect) || atLb.has(worker3, MemberState::Failed), 3500);
    QTRY_VERIFY_WITH_TIMEOUT(atLb.has(worker3, MemberState::Failed), 6000);
    QTRY_VERIFY_WITH_TIMEOUT(atManager.has(worker3, MemberState::Failed), 6000);
    QTRY_VERIFY_WITH_TIMEOUT(atWorker1.has(worker3, MemberState::Failed), 6000);
    QVERIFY2(clock.elapsed() >= 1400, qPrintable(QString::number(clock.elapsed())));
    QVERIFY2(clock.elapsed() < 3500 + 500, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(atLb.lastEvent(worker3, MembershipEvent::Type::Suspect));
    const MembershipEvent *failure = atLb.lastEvent(worker3, MembershipEvent::Type::Failure);
    QVERIFY(failure);
    QVERIFY2(failure->reason.contains(QLatin1String("memberDropTime 3000 ms")), qPrintable(failure->reason));
    for (const MembershipEvent &event : atLb.events()) {
        if (event.type == MembershipEvent::Type::Failure)
            QCOMPARE(event.member.id, worker3);
    }
}

void TestMembership::wellKnownMemberDownAndBack()
{
    // Workers know the load balancer and the manager as well-known members.
    AgentCluster cluster(EsbNodes);
    QString error;
    QVERIFY2(cluster.prepare(&error), qPrintable(error));
    for (const QString &node : {QStringLiteral("lb"), QStringLiteral("esb-manager"), QStringLiteral("esb-worker1")})
        QVERIFY(cluster.start(node));
    MembershipWatcher atManager(cluster.client(QStringLiteral("esb-manager")));
    QTRY_COMPARE_WITH_TIMEOUT(atManager.aliveCount(), 3, 10000);

    QVERIFY(cluster.kill(QStringLiteral("lb")));
    QTRY_VERIFY_WITH_TIMEOUT(atManager.has(cluster.memberId(QStringLiteral("lb")), MemberState::Failed), 6000);
    // The cluster goes on: a new worker joins through the manager.
    QVERIFY(cluster.start(QStringLiteral("esb-worker2")));
    QTRY_VERIFY_WITH_TIMEOUT(atManager.has(cluster.memberId(QStringLiteral("esb-worker2")), MemberState::Alive), 8000);

    // The load balancer comes back and catches up with everyone.
    QVERIFY(cluster.start(QStringLiteral("lb")));
    MembershipWatcher atLb(cluster.client(QStringLiteral("lb")));
    const QStringList all = sortedIds(cluster, {QStringLiteral("lb"), QStringLiteral("esb-manager"),
                                                QStringLiteral("esb-worker1"), QStringLiteral("esb-worker2")});
    QTRY_COMPARE_WITH_TIMEOUT(atLb.alive(), all, 8000);
    QTRY_VERIFY_WITH_TIMEOUT(atManager.has(cluster.memberId(QStringLiteral("lb")), MemberState::Alive), 8000);
}

void TestMembership::restartedNodeIsNewIncarnation()
{
    AgentCluster cluster({QStringLiteral("lb"), QStringLiteral("esb-manager"), QStringLiteral("esb-worker1")});
    QString error;
    QVERIFY2(cluster.prepare(&error), qPrintable(error));
    for (const QString &node : {QStringLiteral("lb"), QStringLiteral("esb-manager"), QStringLiteral("esb-worker1")})
        QVERIFY(cluster.start(node));
    MembershipWatcher atLb(cluster.client(QStringLiteral("lb")));
    const QString worker = cluster.memberId(QStringLiteral("esb-worker1"));
    QTRY_VERIFY_WITH_TIMEOUT(atLb.has(worker, MemberState::Alive), 10000);
    const qint64 firstLife = atLb.lastEvent(worker, MembershipEvent::Type::Join)
        ? atLb.lastEvent(worker, MembershipEvent::Type::Join)->member.startedAtMs : 0;

    QVERIFY(cluster.kill(QStringLiteral("esb-worker1")));
    QVERIFY(cluster.start(QStringLiteral("esb-worker1")));
    QTRY_VERIFY_WITH_TIMEOUT(atLb.lastEvent(worker, MembershipEvent::Type::Join)
                                 && atLb.lastEvent(worker, MembershipEvent::Type::Join)->member.startedAtMs > firstLife,
                             8000);
    QVERIFY(atLb.lastEvent(worker, MembershipEvent::Type::Failure));
    QTRY_VERIFY_WITH_TIMEOUT(atLb.has(worker, MemberState::Alive), 2000);
}

void TestMembership::domainsDoNotMix()
{
    AgentCluster cluster({QStringLiteral("lb"), QStringLiteral("esb-manager"), QStringLiteral("greg1"), QStringLiteral("greg2")});
    QString error;
    QVERIFY2(cluster.prepare(&error), qPrintable(error));
    for (const QString &node : {QStringLiteral("lb"), QStringLiteral("esb-manager"), QStringLiteral("greg1"), QStringLiteral("greg2")})
        QVERIFY(cluster.start(node));
    MembershipWatcher atLb(cluster.client(QStringLiteral("lb")));
    MembershipWatcher atGreg2(cluster.client(QStringLiteral("greg2")));
    MembershipWatcher atManager(cluster.client(QStringLiteral("esb-manager")));
    QTRY_COMPARE_WITH_TIMEOUT(atLb.aliveCount(), 4, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(atGreg2.alive(), sortedIds(cluster, {QStringLiteral("lb"), QStringLiteral("greg1"), QStringLiteral("greg2")}), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(atManager.alive(), sortedIds(cluster, {QStringLiteral("lb"), QStringLiteral("esb-manager")}), 10000);
    QTest::qWait(1500);
    QVERIFY(!atManager.has(cluster.memberId(QStringLiteral("greg1")), MemberState::Alive));
    QVERIFY(!atGreg2.has(cluster.memberId(QStringLiteral("esb-manager")), MemberState::Alive));
}

void TestMembership::keysAndRoles()
{
    AgentCluster cluster({QStringLiteral("lb"), QStringLiteral("esb-worker1")});
    QString error;
    QVERIFY2(cluster.prepare(&error), qPrintable(error));
    QVERIFY(cluster.start(QStringLiteral("esb-worker1")));
    const AgentClient::Endpoint endpoint{cluster.host(QStringLiteral("esb-worker1")), cluster.memberPort(QStringLiteral("esb-worker1"))};

    // A wrong key: refused, and nothing learnt.
    AgentClient stranger(endpoint, KeyRing::generate(), Role::Console);
    QSignalSpy refused(&stranger, &AgentClient::refused);
    QSignalSpy snapshots(&stranger, &AgentClient::snapshotReceived);
    stranger.subscribe();
    stranger.open();
    QVERIFY(refused.wait(5000));
    QCOMPARE(snapshots.size(), 0);

    // A viewer reads but cannot change anything.
    KeyRing viewerKeys = cluster.keys();
    viewerKeys.remove(Role::Console);
    viewerKeys.remove(Role::Member);
    AgentClient viewer(endpoint, viewerKeys, Role::Viewer);
    QSignalSpy connected(&viewer, &AgentClient::connected);
    viewer.open();
    QVERIFY(connected.wait(5000));
    QJsonObject reply;
    viewer.request({{QStringLiteral("type"), QStringLiteral("config-get")}}, [&reply](const QJsonObject &r) { reply = r; });
    QTRY_VERIFY(!reply.isEmpty());
    QCOMPARE(reply.value(QLatin1String("type")).toString(), QStringLiteral("config"));
    QVERIFY(reply.value(QLatin1String("files")).toObject().contains(QLatin1String("carbon.xml")));
    reply = {};
    viewer.request({{QStringLiteral("type"), QStringLiteral("config-push")},
                    {QStringLiteral("files"), QJsonObject{{QStringLiteral("carbon.xml"), QStringLiteral("AA==")}}}},
                   [&reply](const QJsonObject &r) { reply = r; });
    QTRY_VERIFY(!reply.isEmpty());
    QCOMPARE(reply.value(QLatin1String("code")).toString(), QStringLiteral("read-only"));

    // A viewer may not pose as a console: it has no console key.
    AgentClient impostor(endpoint, viewerKeys, Role::Console);
    QSignalSpy impostorRefused(&impostor, &AgentClient::refused);
    impostor.open();
    QVERIFY(impostorRefused.wait(5000));
}

namespace {

// One frame from a raw socket, or an empty object after timeoutMs.
QJsonObject readFrame(QTcpSocket &socket, int timeoutMs = 3000)
{
    QElapsedTimer clock;
    clock.start();
    while (socket.bytesAvailable() < 4 && clock.elapsed() < timeoutMs)
        socket.waitForReadyRead(100);
    if (socket.bytesAvailable() < 4)
        return {};
    uchar header[4];
    socket.read(reinterpret_cast<char *>(header), 4);
    const quint32 length = qFromBigEndian<quint32>(header);
    while (socket.bytesAvailable() < qint64(length) && clock.elapsed() < timeoutMs)
        socket.waitForReadyRead(100);
    return QJsonDocument::fromJson(socket.read(length)).object();
}

QByteArray memberProof(const KeyRing &keys, const QByteArray &label, const QByteArray &first, const QByteArray &second)
{
    QMessageAuthenticationCode mac(QCryptographicHash::Sha256, keys.key(Role::Member));
    mac.addData(label + "|member|" + first + '|' + second);
    return mac.result();
}

} // namespace

// A rolling upgrade is refused, both ways, with what to do: members of different membership
// protocols (docs/PROTOCOL.md, "Upgrading") never form one cluster half-working.
void TestMembership::olderMembershipProtocolIsRefused()
{
    AgentCluster cluster({QStringLiteral("lb"), QStringLiteral("esb-worker1")});
    QString error;
    QVERIFY2(cluster.prepare(&error), qPrintable(error));
    QVERIFY(cluster.start(QStringLiteral("esb-worker1")));

    // An older agent joins this one: its auth names no membership protocol, as version 1 did.
    QTcpSocket older;
    older.connectToHost(cluster.host(QStringLiteral("esb-worker1")), cluster.memberPort(QStringLiteral("esb-worker1")));
    QVERIFY(older.waitForConnected(3000));
    const QJsonObject hello = readFrame(older);
    QCOMPARE(hello.value(QLatin1String("type")).toString(), QStringLiteral("hello"));
    QCOMPARE(hello.value(QLatin1String("membership")).toInt(), Connection::MembershipVersion);
    const QByteArray serverNonce = QByteArray::fromBase64(hello.value(QLatin1String("nonce")).toString().toLatin1());
    const QByteArray clientNonce(32, 'n');
    const QJsonObject auth{{QStringLiteral("type"), QStringLiteral("auth")},
                           {QStringLiteral("v"), 1},
                           {QStringLiteral("role"), QStringLiteral("member")},
                           {QStringLiteral("nonce"), QString::fromLatin1(clientNonce.toBase64())},
                           {QStringLiteral("proof"), QString::fromLatin1(memberProof(cluster.keys(), "client", serverNonce, clientNonce).toBase64())}};
    older.write(frame(QJsonDocument(auth).toJson(QJsonDocument::Compact)));
    const QJsonObject refusal = readFrame(older);
    QCOMPARE(refusal.value(QLatin1String("type")).toString(), QStringLiteral("error"));
    QCOMPARE(refusal.value(QLatin1String("code")).toString(), QStringLiteral("version"));
    const QString message = refusal.value(QLatin1String("message")).toString();
    QVERIFY2(message.contains(QLatin1String("membership protocol 1 and this one 2")), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("upgrade every node's tribune-agent together")), qPrintable(message));
    QVERIFY(older.waitForDisconnected(3000) || older.state() == QAbstractSocket::UnconnectedState);

    // This agent's side against an older well-known member: it says so and does not go on.
    QTcpServer olderServer;
    QVERIFY(olderServer.listen(QHostAddress::LocalHost));
    Connection *connection = Connection::connectTo(QStringLiteral("127.0.0.1"), olderServer.serverPort(), cluster.keys(),
                                                   Role::Member, {}, this);
    QSignalSpy refused(connection, &Connection::refused);
    QVERIFY(olderServer.waitForNewConnection(3000));
    QTcpSocket *accepted = olderServer.nextPendingConnection();
    accepted->write(frame(QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("hello")},
                                                    {QStringLiteral("v"), 1},
                                                    {QStringLiteral("nonce"), QString::fromLatin1(QByteArray(32, 's').toBase64())}})
                              .toJson(QJsonDocument::Compact)));
    QVERIFY(refused.wait(3000));
    QVERIFY2(refused.constFirst().constFirst().toString().contains(QLatin1String("membership protocol 1 and this one 2")),
             qPrintable(refused.constFirst().constFirst().toString()));
    // Nothing was sent back: no auth, no join.
    QTest::qWait(100);
    QCOMPARE(accepted->bytesAvailable(), 0);

    // The membership protocol is members' business: a console whose auth names none (as every
    // console before it did) is welcome.
    QTcpSocket console;
    console.connectToHost(cluster.host(QStringLiteral("esb-worker1")), cluster.memberPort(QStringLiteral("esb-worker1")));
    QVERIFY(console.waitForConnected(3000));
    const QByteArray consoleServerNonce =
        QByteArray::fromBase64(readFrame(console).value(QLatin1String("nonce")).toString().toLatin1());
    QMessageAuthenticationCode mac(QCryptographicHash::Sha256, cluster.keys().key(Role::Console));
    mac.addData("client|console|" + consoleServerNonce + '|' + clientNonce);
    console.write(frame(QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("auth")},
                                                  {QStringLiteral("v"), 1},
                                                  {QStringLiteral("role"), QStringLiteral("console")},
                                                  {QStringLiteral("nonce"), QString::fromLatin1(clientNonce.toBase64())},
                                                  {QStringLiteral("proof"), QString::fromLatin1(mac.result().toBase64())}})
                            .toJson(QJsonDocument::Compact)));
    QCOMPARE(readFrame(console).value(QLatin1String("type")).toString(), QStringLiteral("welcome"));
}

void TestMembership::garbageClosesOnlyItsConnection()
{
    AgentCluster cluster({QStringLiteral("lb"), QStringLiteral("esb-worker1")});
    QString error;
    QVERIFY2(cluster.prepare(&error), qPrintable(error));
    QVERIFY(cluster.start(QStringLiteral("esb-worker1")));
    MembershipWatcher console(cluster.client(QStringLiteral("esb-worker1")));
    QTRY_COMPARE_WITH_TIMEOUT(console.snapshots(), 1, 5000);

    const auto rawConnection = [&cluster] {
        auto socket = std::make_unique<QTcpSocket>();
        socket->connectToHost(cluster.host(QStringLiteral("esb-worker1")), cluster.memberPort(QStringLiteral("esb-worker1")));
        return socket;
    };
    // Garbage instead of a frame.
    auto garbage = rawConnection();
    QVERIFY(garbage->waitForConnected(3000));
    garbage->write(frame("this is not JSON"));
    QVERIFY(garbage->waitForDisconnected(3000) || garbage->state() == QAbstractSocket::UnconnectedState);
    // A frame announcing 100 MB.
    auto oversized = rawConnection();
    QVERIFY(oversized->waitForConnected(3000));
    uchar header[4];
    qToBigEndian(quint32(100 * 1024 * 1024), header);
    oversized->write(reinterpret_cast<const char *>(header), 4);
    QVERIFY(oversized->waitForDisconnected(3000) || oversized->state() == QAbstractSocket::UnconnectedState);
    // A valid frame that skips the handshake.
    auto impatient = rawConnection();
    QVERIFY(impatient->waitForConnected(3000));
    impatient->write(frame(R"({"type":"subscribe"})"));
    QVERIFY(impatient->waitForDisconnected(3000) || impatient->state() == QAbstractSocket::UnconnectedState);

    // 300 peers that announce frames just under the authenticated limit and send most of them:
    // each is refused at its header (a peer is nobody before its handshake), so the agent does
    // not buffer 300 x 8 MiB (it grew from 15 MB to 1.12 GB).
    const auto rssMegabytes = [&cluster] {
        QFile status(QStringLiteral("/proc/%1/status").arg(cluster.pid(QStringLiteral("esb-worker1"))));
        if (!status.open(QIODevice::ReadOnly))
            return -1.0;
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("VmRSS:"))
                return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
        }
        return -1.0;
    };
    const double rssBefore = rssMegabytes();
    std::vector<std::unique_ptr<QTcpSocket>> hostile;
    qToBigEndian(quint32(8 * 1024 * 1024 - 1), header);
    const QByteArray body(256 * 1024, 'x');
    for (int i = 0; i < 300; ++i) {
        hostile.push_back(rawConnection());
        QTcpSocket *socket = hostile.back().get();
        QObject::connect(socket, &QTcpSocket::connected, socket, [socket, &header, &body] {
            socket->write(reinterpret_cast<const char *>(header), 4);
            socket->write(body);
        });
    }
    double rssPeak = rssBefore;
    QElapsedTimer attack;
    attack.start();
    QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                 rssPeak = std::max(rssPeak, rssMegabytes());
                                 return std::all_of(hostile.cbegin(), hostile.cend(), [](const auto &socket) {
                                     return socket->state() == QAbstractSocket::UnconnectedState;
                                 });
                             }()),
                             4000); // refused at once, not left to the 5 s handshake timeout
    qInfo("300 peers announcing 8 MiB frames: all refused in %lld ms; agent RSS %.1f MB before, %.1f MB at most",
          attack.elapsed(), rssBefore, rssPeak);
    QVERIFY2(rssPeak < rssBefore + 64, qPrintable(QString::number(rssPeak)));
    hostile.clear();

    // The agent and the console's connection are untouched.
    QVERIFY(cluster.isRunning(QStringLiteral("esb-worker1")));
    QVERIFY(console.client().isConnected());
    QJsonObject reply;
    console.client().request({{QStringLiteral("type"), QStringLiteral("health")}}, [&reply](const QJsonObject &r) { reply = r; });
    QTRY_VERIFY(!reply.isEmpty());
    QCOMPARE(reply.value(QLatin1String("type")).toString(), QStringLiteral("health"));
    QVERIFY(reply.value(QLatin1String("rssBytes")).toInteger() > 0);
}

void TestMembership::consoleResumesWithoutGapOrDuplicate()
{
    AgentCluster cluster({QStringLiteral("lb"), QStringLiteral("esb-manager"), QStringLiteral("esb-worker1"),
                          QStringLiteral("esb-worker2")});
    QString error;
    QVERIFY2(cluster.prepare(&error), qPrintable(error));
    QVERIFY(cluster.start(QStringLiteral("lb")));
    MembershipWatcher console(cluster.client(QStringLiteral("lb")));
    QTRY_COMPARE_WITH_TIMEOUT(console.snapshots(), 1, 5000);
    QVERIFY(cluster.start(QStringLiteral("esb-manager")));
    QTRY_COMPARE_WITH_TIMEOUT(console.aliveCount(), 2, 8000);

    // Cut the console off: a member that stopped reading is dropped by the agent; here, the
    // console's own side closes, as a network cut would.
    QTcpSocket *socket = console.client().findChild<QTcpSocket *>();
    QVERIFY(socket);
    socket->abort();
    QVERIFY(cluster.start(QStringLiteral("esb-worker1")));
    QVERIFY(cluster.start(QStringLiteral("esb-worker2")));
    QTRY_COMPARE_WITH_TIMEOUT(console.aliveCount(), 4, 10000);
    QCOMPARE(console.snapshots(), 1); // resumed, not started over
    qint64 previous = 0;
    for (const MembershipEvent &event : console.events()) {
        QCOMPARE(event.sequence, previous + 1);
        previous = event.sequence;
    }
}

void TestMembership::invalidNodeRefusesToStart()
{
    AgentCluster cluster({QStringLiteral("esb-worker1")});
    QString error;
    QVERIFY2(cluster.prepare(&error), qPrintable(error));
    const QString registry = cluster.home(QStringLiteral("esb-worker1")) + QLatin1String("/repository/conf/registry.xml");
    QFile file(registry);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QByteArray bytes = file.readAll();
    file.close();
    bytes.replace("<readOnly>true</readOnly>", "<readOnly>false</readOnly>");
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(bytes);
    file.close();
    QVERIFY(!cluster.start(QStringLiteral("esb-worker1")));
    const QString output = cluster.output(QStringLiteral("esb-worker1"));
    QVERIFY2(output.contains(registry + QLatin1Char(':')), qPrintable(output));
    QVERIFY2(output.contains(QLatin1String("read-write")), qPrintable(output));
}

QTEST_GUILESS_MAIN(TestMembership)
#include "tst_membership.moc"
