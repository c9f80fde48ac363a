#pragma once

#include "framedecoder.h"
#include "keyring.h"

#include <QByteArray>
#include <QJsonObject>
#include <QObject>
#include <QString>

class QTcpSocket;
class QTimer;

namespace Tribune::Protocol {

// Files for optional TLS; all empty means plain TCP.
struct TlsOptions
{
    QString certificateFile;
    QString privateKeyFile;
    QString caFile;

    bool enabled() const { return !certificateFile.isEmpty() || !caFile.isEmpty(); }
};

// One authenticated, framed connection of the Tribune protocol (see docs/PROTOCOL.md).
//
// Frames are a 4-byte big-endian length and a compact JSON object. Before anything else both
// sides prove they hold the key of the role the client claims (HMAC-SHA256 over fresh nonces);
// a peer that cannot gets an error and learns nothing. Oversized or garbage frames, a handshake
// that takes too long, or a peer that does not read what it is sent, close the connection.
class Connection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Connection)

public:
    static constexpr int Version = 1;
    // The member-to-member protocol (docs/PROTOCOL.md, "Upgrading"): members of different
    // versions refuse each other in the handshake, saying which versions met.
    static constexpr int MembershipVersion = 2;
    static constexpr qint64 MaxFrameBytes = 8 * 1024 * 1024;
    // Before the handshake completes a peer is nobody: its frames are the handshake's few hundred
    // bytes, at most this many, and no more than this is read from it.
    static constexpr qint64 MaxHandshakeFrameBytes = 4096;
    // Accepted connections still proving their key, in the whole process; more are turned away,
    // so what unauthenticated peers can make us hold is bounded (this times a handshake frame).
    static constexpr int MaxPendingHandshakes = 256;
    static constexpr qint64 MaxUnsentBytes = 16 * 1024 * 1024;
    static constexpr int HandshakeTimeoutMs = 5000;
    static constexpr int MaxQueuedMessages = 64;

    enum class Side { Client, Server };

    // Takes ownership of socket. A server accepts any role it has the key for; a client
    // claims clientRole.
    Connection(QTcpSocket *socket, Side side, const KeyRing &keys, Role clientRole, QObject *parent = nullptr);
    ~Connection() override;

    // Opens a client connection (TLS when options say so) and starts the handshake.
    static Connection *connectTo(const QString &host, quint16 port, const KeyRing &keys, Role role,
                                 const TlsOptions &tls, QObject *parent = nullptr);

    // Starts the handshake on an accepted or connected socket.
    void start();
    bool isAuthenticated() const { return m_authenticated; }
    // The role proved in the handshake.
    Role role() const { return m_role; }
    QString peerDescription() const;

    // Sends one message once authenticated; messages sent before are queued.
    void send(const QJsonObject &message);
    // Sends an error, then closes once it is written.
    void fail(const QString &code, const QString &message);
    void close(const QString &reason);
    bool isClosed() const { return m_closed; }
    qint64 unsentBytes() const;

signals:
    void authenticated();
    void messageReceived(const QJsonObject &message);
    void closed(const QString &reason);
    // The other side would not accept our key, or could not prove its own: retrying won't help.
    void refused(const QString &reason);

private:
    void onReadyRead();
    void handleFrame(const QByteArray &payload);
    void handleHandshake(const QJsonObject &message);
    static QString membershipMismatch(int theirs);
    void writeFrame(const QJsonObject &message);
    QByteArray proof(const QByteArray &label, const QByteArray &first, const QByteArray &second) const;

    QTcpSocket *m_socket;
    Side m_side;
    KeyRing m_keys;
    Role m_role;
    FrameDecoder m_frames;
    QByteArray m_ownNonce;
    QByteArray m_peerNonce;
    QList<QJsonObject> m_queued;
    QTimer *m_handshakeTimer;
    bool m_authenticated = false;
    bool m_closed = false;
    bool m_countedPending = false; // an accepted connection counted among the pending handshakes
    void stopCountingPending();
};

} // namespace Tribune::Protocol
