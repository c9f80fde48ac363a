#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QObject>

class QSocketNotifier;

namespace Tribune::Agent {

// The membership port's UDP side: SWIM's probes and gossip (protocol/datagram.h). One socket
// whatever the cluster's size; datagrams that fail their proof, their size or their stamp are
// dropped and counted, never answered.
// The socket is a plain non-blocking one, read until it would block; an error a read reports
// never stops the reading. (With QUdpSocket, some members of a 200-agent bench_membership run
// stopped receiving datagrams for good while others were being killed, for a reason not found;
// a plain socket has not.)
class DatagramChannel final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DatagramChannel)

public:
    explicit DatagramChannel(QByteArray memberKey, QObject *parent = nullptr);
    ~DatagramChannel() override;

    bool bind(const QHostAddress &address, int port, QString *error);
    void close();
    quint16 localPort() const;
    // Sends message to host:port; a host that is a name is looked up first (the first datagrams
    // to it are dropped meanwhile, as the network may drop any).
    void send(const QString &host, int port, const QJsonObject &message);
    void sendTo(const QHostAddress &address, quint16 port, const QJsonObject &message);
    qint64 bytesSent() const { return m_bytesSent; }
    qint64 datagramsSent() const { return m_datagramsSent; }
    qint64 dropped() const { return m_dropped; }

signals:
    void received(const QJsonObject &message, const QHostAddress &sender, quint16 senderPort);

private:
    void readPending();

    QByteArray m_key;
    int m_descriptor = -1;
    bool m_dualStack = false;
    QSocketNotifier *m_notifier = nullptr;
    QHash<QString, QHostAddress> m_resolved; // host names looked up
    QHash<QString, int> m_lookups;           // host names being looked up, by lookup id
    qint64 m_bytesSent = 0;
    qint64 m_datagramsSent = 0;
    qint64 m_dropped = 0;
};

} // namespace Tribune::Agent
