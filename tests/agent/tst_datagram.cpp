// Probes and gossip as UDP datagrams: the codec's proof, size and stamp checks, and a channel
// that answers where datagrams came from, also while writing to a member that is gone, and
// drops what another key signed.
#include "datagramchannel.h"
#include "protocol/datagram.h"

#include <QSignalSpy>
#include <QTest>
#include <QUdpSocket>

#include <utility>

using namespace Tribune;
namespace Datagram = Protocol::Datagram;

class TestDatagram : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip();
    void refusesWhatIsNotOurs();
    void refusesOldAndOversized();
    void channelAnswersAndDropsStrangers();
};

namespace {

const QByteArray Key = QByteArrayLiteral("0123456789abcdef0123456789abcdef");
constexpr qint64 Now = 1718000000000;

QJsonObject ping()
{
    return {{QStringLiteral("type"), QStringLiteral("ping")}, {QStringLiteral("seq"), 7}};
}

} // namespace

void TestDatagram::roundTrip()
{
    const QByteArray datagram = Datagram::encode(ping(), Key, Now);
    QVERIFY(datagram.startsWith("TRB2"));
    QString why;
    const std::optional<QJsonObject> message = Datagram::decode(datagram, Key, Now + 5, &why);
    QVERIFY2(message, qPrintable(why));
    QCOMPARE(*message, ping()); // the stamp is the codec's, not the message's
}

void TestDatagram::refusesWhatIsNotOurs()
{
    const QByteArray datagram = Datagram::encode(ping(), Key, Now);
    QString why;
    QVERIFY(!Datagram::decode(datagram, QByteArrayLiteral("another key of sixteen bytes"), Now, &why));
    QVERIFY(why.contains(QLatin1String("proof")));
    // One bit changed anywhere in the payload.
    QByteArray tampered = datagram;
    tampered[tampered.size() - 3] = char(tampered.at(tampered.size() - 3) ^ 1);
    QVERIFY(!Datagram::decode(tampered, Key, Now));
    // Another version, or not ours at all.
    QByteArray older = datagram;
    older[3] = '1';
    QVERIFY(!Datagram::decode(older, Key, Now, &why));
    QVERIFY(why.contains(QLatin1String("version 2")));
    QVERIFY(!Datagram::decode(QByteArrayLiteral("TRB2"), Key, Now));
    QVERIFY(!Datagram::decode(QByteArray(), Key, Now));
    // A valid proof over something that is not a JSON object.
    QVERIFY(!Datagram::decode(Datagram::encode({}, Key, Now).left(Datagram::HeaderBytes) + "[1]", Key, Now));
}

void TestDatagram::refusesOldAndOversized()
{
    QString why;
    const QByteArray datagram = Datagram::encode(ping(), Key, Now);
    QVERIFY(!Datagram::decode(datagram, Key, Now + Datagram::MaxClockSkewMs + 1, &why));
    QVERIFY(why.contains(QLatin1String("stamped")));
    QVERIFY(!Datagram::decode(datagram, Key, Now - Datagram::MaxClockSkewMs - 1));
    QVERIFY(Datagram::decode(datagram, Key, Now + Datagram::MaxClockSkewMs));
    QJsonObject big = ping();
    big.insert(QStringLiteral("padding"), QString(int(Datagram::MaxBytes), QLatin1Char('x')));
    QVERIFY(Datagram::encode(big, Key, Now).isEmpty());
    QVERIFY(!Datagram::decode(QByteArray(Datagram::MaxBytes + 1, 'x'), Key, Now));
}

void TestDatagram::channelAnswersAndDropsStrangers()
{
    Agent::DatagramChannel receiver(Key);
    Agent::DatagramChannel sender(Key);
    QString error;
    QVERIFY2(receiver.bind(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    QVERIFY2(sender.bind(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    QUdpSocket probe;
    QVERIFY(probe.bind(QHostAddress::LocalHost, 0));
    const quint16 deadPort = probe.localPort();
    probe.close();

    QSignalSpy atSender(&sender, &Agent::DatagramChannel::received);
    QSignalSpy atReceiver(&receiver, &Agent::DatagramChannel::received);
    // The receiver writes to a port nobody listens on before each answer, as members do to one
    // that died.
    connect(&receiver, &Agent::DatagramChannel::received, &receiver,
            [&receiver, deadPort](const QJsonObject &message, const QHostAddress &from, quint16 port) {
                receiver.sendTo(QHostAddress::LocalHost, deadPort, message);
                receiver.sendTo(from, port, message);
            });
    for (int round = 0; round < 20; ++round) {
        sender.sendTo(QHostAddress::LocalHost, receiver.localPort(), ping());
        QTest::qWait(10);
    }
    QTRY_COMPARE_WITH_TIMEOUT(atReceiver.size(), 20, 3000);
    QTRY_COMPARE_WITH_TIMEOUT(atSender.size(), 20, 3000);
    QCOMPARE(receiver.dropped(), 0);
    QCOMPARE(receiver.datagramsSent(), 40);
    // And a datagram of another key is dropped, not answered.
    Agent::DatagramChannel stranger(QByteArrayLiteral("another key of sixteen bytes"));
    QVERIFY2(stranger.bind(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    stranger.sendTo(QHostAddress::LocalHost, receiver.localPort(), ping());
    QTRY_COMPARE_WITH_TIMEOUT(receiver.dropped(), 1, 3000);
    QCOMPARE(atReceiver.size(), 20);
}

QTEST_GUILESS_MAIN(TestDatagram)
#include "tst_datagram.moc"
