#pragma once

#include "protocol/connection.h"
#include "protocol/keyring.h"
#include "protocol/member.h"
#include "protocol/messages.h"
#include "swimcore.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>

#include <memory>

class QTcpServer;

namespace Tribune::Agent {
class DatagramChannel;
}
class QTimer;

namespace Tribune::Agent {

// A well-known member as axis2.xml lists it.
struct WellKnownEndpoint
{
    QString host; // the address it resolved to, or the name when nothing resolved it
    int port = 0;
    QString name; // as axis2.xml writes it
    QString id() const { return host + QLatin1Char(':') + QString::number(port); }
};

struct MembershipSettings
{
    Protocol::MemberInfo self;
    QList<WellKnownEndpoint> wellKnown;
    int probeIntervalMs = 500; // mcastFrequency
    int dropTimeMs = 3000;     // memberDropTime
    Protocol::KeyRing keys;
    Protocol::TlsOptions tls;
    // Where to listen: the announced address, or every address (empty) for a node whose files
    // name no host.
    QString bindAddress;

    QHostAddress listenAddress() const
    {
        return bindAddress.isEmpty() ? QHostAddress(QHostAddress::Any) : QHostAddress(bindAddress);
    }
    SwimTimings timings() const
    {
        SwimTimings timings;
        timings.probeIntervalMs = probeIntervalMs;
        timings.dropTimeMs = dropTimeMs;
        return timings;
    }
};

// A server for the protocol's port: TLS with the options' certificate and key when they name one.
// Nothing, with the reason, when the key cannot be read.
QTcpServer *createServer(const Protocol::TlsOptions &tls, QObject *parent, QString *error);

// Membership on the node's membership port: joins through the well-known members, keeps the view
// of the members this node may see (its own domain and the load balancer; the load balancer sees
// every domain it serves) with SWIM failure detection (SwimCore), and leaves gracefully on
// request. It is SwimCore's transport: probes and gossip go as UDP datagrams on the membership
// port; joins, member lists and leaves over the protocol's TCP connections, which open when
// first needed and stay.
// Authenticated console and viewer connections are handed to whoever serves consoles.
class MembershipService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MembershipService)

public:
    using Peer = SwimCore::Peer;

    explicit MembershipService(MembershipSettings settings, QObject *parent = nullptr);
    ~MembershipService() override;

    // Listens on the membership port and starts joining. Fails if the port cannot be bound.
    bool start(const QHostAddress &address, QString *error);
    // Tells every peer this node leaves, then emits leaveFinished() once that is written (or
    // after a short grace period).
    void leave();
    // Becomes another member: the node's files now say another membership endpoint, domain,
    // sub-domain, offset or well-known members. Tells every peer it leaves as what it was and
    // rejoins as next (so peers record one rejoin, not a leave and a join), moves to the new
    // port, and joins through the new well-known members. Keeps its keys, TLS and run (its
    // startedAt); the incarnation grows so that every description of it is newer. Fails, and
    // stays what it was, when the new port cannot be bound.
    bool rejoin(MembershipSettings next, QString *error);
    // The load balancer's domains changed (a new loadbalancer.conf): members of a domain it now
    // serves that tried to join while it did not are asked to join again at once.
    void setServedDomains(const QStringList &domains);
    // Whether next describes another member than this one is now (what rejoin() is for).
    bool identityDiffers(const MembershipSettings &next) const;

    const Protocol::MemberInfo &self() const { return m_core->self(); }
    const MembershipSettings &settings() const { return m_settings; }
    const QHash<QString, Peer> &peers() const { return m_core->peers(); }
    // Probes and gossip sent since the start (bytes, datagrams), and datagrams refused.
    qint64 datagramBytesSent() const;
    qint64 datagramsSent() const;
    qint64 datagramsRefused() const;

signals:
    // A change of the view (sequence and time are the recorder's to set).
    void changed(const Protocol::MembershipEvent &change);
    void consoleConnected(Protocol::Connection *connection);
    // A well-known member could not be reached (problem says why), or answers again (empty
    // problem). Told once per change, not once per attempt.
    void wellKnownMemberChanged(const QString &endpoint, const QString &problem);
    void leaveFinished();

private:
    void acceptConnection();
    bool listen(const QHostAddress &address, int port, QString *error);
    std::unique_ptr<SwimCore> makeCore(const Protocol::MemberInfo &self);
    void notify(Protocol::MembershipEvent::Type type, const Protocol::MemberInfo &member, const QString &reason,
                const QString &previousId = {});
    void closeAfterGrace(const QList<Protocol::Connection *> &connections);
    void handlePeerMessage(Protocol::Connection *from, const QJsonObject &message);
    void handleDatagram(const QJsonObject &message, const QHostAddress &sender, quint16 senderPort);
    void handleJoin(Protocol::Connection *from, const Protocol::MemberInfo &member);
    void handleMembers(const QJsonObject &message, const std::optional<Protocol::MemberInfo> &sender);
    void handleLeave(const QJsonObject &message, const Protocol::MemberInfo &member);
    void watchIncoming(Protocol::Connection *connection);
    void tick();
    void contactWellKnownMembers();
    // Sends what a member says on leaving (or rejoining as another) on every connection it has,
    // and to those SwimCore names.
    void sayGoodbye(const QJsonObject &goodbye);
    void reportWellKnown(const WellKnownEndpoint &endpoint, const QString &problem);
    Protocol::Connection *outgoing(const QString &endpointId, const QString &host, int port);
    void sendTo(const QString &memberId, const QJsonObject &message);
    bool canSee(const Protocol::MemberInfo &other) const;
    QJsonArray visibleTo(const Protocol::MemberInfo &requester) const;
    QJsonObject selfMessage(Protocol::Message type) const;
    qint64 now() const { return m_clock.elapsed(); }

    MembershipSettings m_settings;
    QTcpServer *m_server = nullptr;
    DatagramChannel *m_datagrams;
    QTimer *m_ticker;
    QElapsedTimer m_clock;
    std::unique_ptr<SwimCore> m_core;
    QHash<QString, Protocol::Connection *> m_outgoing;   // by endpoint id
    struct Contact
    {
        qint64 lastAttemptMs = 0;
        int attempts = 0;
    };
    QHash<QString, Contact> m_contacts; // well-known members not answering yet, by endpoint id
    QHash<QString, QString> m_wellKnownProblems; // endpoint id -> why it was last unreachable, "" if reached
    // Connections whose join this node could not see (a domain it does not serve yet), so that
    // they can be asked to join again when it does.
    QList<QPointer<Protocol::Connection>> m_unseenJoiners;
    bool m_leaving = false;
};

} // namespace Tribune::Agent
