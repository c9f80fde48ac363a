#pragma once

#include "protocol/connection.h"
#include "protocol/keyring.h"
#include "protocol/member.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QObject>

class QTcpServer;
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
    int heartbeatIntervalMs = 500;
    int dropTimeMs = 3000;
    Protocol::KeyRing keys;
    Protocol::TlsOptions tls;
    // Where to listen: the announced address, or every address (empty) for a node whose files
    // name no host.
    QString bindAddress;
};

// WKA membership on the node's membership port: joins through the well-known members, keeps the
// view of the members this node may see (its own domain and the load balancer; the load balancer
// sees every domain it serves), heartbeats every peer, suspects a silent one after half the drop
// time and declares it failed after the whole of it, and leaves gracefully on request.
// Authenticated console and viewer connections are handed to whoever serves consoles.
class MembershipService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MembershipService)

public:
    struct Peer
    {
        Protocol::MemberInfo info;
        Protocol::MemberState state = Protocol::MemberState::Alive;
        qint64 lastHeardMs = 0;
        double roundTripMs = -1;
    };

    explicit MembershipService(MembershipSettings settings, QObject *parent = nullptr);
    ~MembershipService() override;

    // Listens on the membership port and starts joining. Fails if the port cannot be bound.
    bool start(const QHostAddress &address, QString *error);
    // Tells every peer this node leaves, then emits leaveFinished() once that is written (or
    // after a short grace period).
    void leave();

    const Protocol::MemberInfo &self() const { return m_settings.self; }
    const QHash<QString, Peer> &peers() const { return m_peers; }

signals:
    void changed(Protocol::MembershipEvent::Type type, const Protocol::MemberInfo &member, const QString &reason);
    void consoleConnected(Protocol::Connection *connection);
    // A well-known member could not be reached (problem says why), or answers again (empty
    // problem). Told once per change, not once per attempt.
    void wellKnownMemberChanged(const QString &endpoint, const QString &problem);
    void leaveFinished();

private:
    void acceptConnection();
    void handlePeerMessage(Protocol::Connection *from, const QJsonObject &message);
    void tick();
    void sendHeartbeats();
    void detectFailures();
    void contactWellKnownMembers();
    void reportWellKnown(const WellKnownEndpoint &endpoint, const QString &problem);
    Protocol::Connection *outgoing(const QString &endpointId, const QString &host, int port);
    void sendTo(const QString &memberId, const QJsonObject &message);
    // Adds or refreshes a member heard of; returns true if it is (now) in the view.
    bool learn(const Protocol::MemberInfo &member, const QString &how);
    void drop(const QString &memberId, Protocol::MembershipEvent::Type type, const QString &reason);
    bool canSee(const Protocol::MemberInfo &other) const;
    QJsonArray visibleTo(const Protocol::MemberInfo &requester) const;
    QJsonObject selfMessage(const QString &type) const;
    qint64 now() const { return m_clock.elapsed(); }

    MembershipSettings m_settings;
    QTcpServer *m_server = nullptr;
    QTimer *m_ticker;
    QElapsedTimer m_clock;
    QHash<QString, Peer> m_peers;                        // by member id
    QHash<QString, Protocol::Connection *> m_outgoing;   // by endpoint id
    struct Contact
    {
        qint64 lastAttemptMs = 0;
        int attempts = 0;
    };
    QHash<QString, Contact> m_contacts; // well-known members not answering yet, by endpoint id
    QHash<QString, QString> m_wellKnownProblems; // endpoint id -> why it was last unreachable, "" if reached
    qint64 m_lastHeartbeatMs = 0;
    quint64 m_heartbeatSequence = 0;
    bool m_joined = false;
    bool m_leaving = false;
};

} // namespace Tribune::Agent
