#include "connection.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QTimer>

#include <atomic>
#include <utility>
#include <QtEndian>

namespace Tribune::Protocol {

namespace {

QByteArray randomNonce()
{
    QByteArray nonce(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(nonce.data()), 8);
    return nonce;
}

QString type(const QJsonObject &message)
{
    return message.value(QLatin1String("type")).toString();
}

// Accepted connections whose handshake is not done yet, across the process.
std::atomic<int> pendingHandshakes{0};

} // namespace

Connection::Connection(QTcpSocket *socket, Side side, const KeyRing &keys, Role clientRole, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_side(side)
    , m_keys(keys)
    , m_role(clientRole)
    , m_handshakeTimer(new QTimer(this))
{
    m_socket->setParent(this);
    // Until the peer has proved its key, no more than a handshake frame is read from it.
    m_socket->setReadBufferSize(MaxHandshakeFrameBytes + 4);
    if (m_side == Side::Server) {
        m_countedPending = true;
        ++pendingHandshakes;
    }
    m_handshakeTimer->setSingleShot(true);
    m_handshakeTimer->setInterval(HandshakeTimeoutMs);
    connect(m_handshakeTimer, &QTimer::timeout, this, [this] { close(tr("the connection or its handshake timed out")); });
    // The clock runs from the start: a peer that never answers the connect counts too.
    m_handshakeTimer->start();
    connect(m_socket, &QTcpSocket::readyRead, this, &Connection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, [this] { close(tr("the peer closed the connection")); });
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError)
            close(m_socket->errorString());
    });
}

Connection::~Connection()
{
    stopCountingPending();
}

void Connection::stopCountingPending()
{
    if (std::exchange(m_countedPending, false))
        --pendingHandshakes;
}

Connection *Connection::connectTo(const QString &host, quint16 port, const KeyRing &keys, Role role,
                                  const TlsOptions &tls, QObject *parent)
{
    if (!tls.enabled()) {
        auto *socket = new QTcpSocket;
        auto *connection = new Connection(socket, Side::Client, keys, role, parent);
        connect(socket, &QTcpSocket::connected, connection, &Connection::start);
        socket->connectToHost(host, port);
        return connection;
    }
    auto *socket = new QSslSocket;
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    if (!tls.caFile.isEmpty())
        configuration.setCaCertificates(QSslCertificate::fromPath(tls.caFile));
    if (!tls.certificateFile.isEmpty()) {
        const QList<QSslCertificate> certificates = QSslCertificate::fromPath(tls.certificateFile);
        if (!certificates.isEmpty())
            configuration.setLocalCertificate(certificates.first());
        QFile keyFile(tls.privateKeyFile);
        if (keyFile.open(QIODevice::ReadOnly))
            configuration.setPrivateKey(QSslKey(&keyFile, QSsl::Rsa));
    }
    socket->setSslConfiguration(configuration);
    auto *connection = new Connection(socket, Side::Client, keys, role, parent);
    connect(socket, &QSslSocket::encrypted, connection, &Connection::start);
    connect(socket, &QSslSocket::sslErrors, connection, [connection](const QList<QSslError> &errors) {
        connection->close(tr("TLS: %1").arg(errors.value(0).errorString()));
    });
    socket->connectToHostEncrypted(host, port);
    return connection;
}

QString Connection::peerDescription() const
{
    return QStringLiteral("%1:%2").arg(m_socket->peerAddress().toString()).arg(m_socket->peerPort());
}

qint64 Connection::unsentBytes() const
{
    return m_socket->bytesToWrite();
}

void Connection::start()
{
    if (m_side == Side::Server && pendingHandshakes > MaxPendingHandshakes) {
        fail(QStringLiteral("busy"), tr("too many connections are proving their key at once; try again in a few seconds"));
        return;
    }
    if (m_side == Side::Server) {
        m_ownNonce = randomNonce();
        writeFrame({{QStringLiteral("type"), QStringLiteral("hello")},
                    {QStringLiteral("v"), Version},
                    {QStringLiteral("membership"), MembershipVersion},
                    {QStringLiteral("nonce"), QString::fromLatin1(m_ownNonce.toBase64())}});
    }
    if (m_socket->bytesAvailable() > 0)
        onReadyRead();
}

QByteArray Connection::proof(const QByteArray &label, const QByteArray &first, const QByteArray &second) const
{
    QMessageAuthenticationCode mac(QCryptographicHash::Sha256, m_keys.key(m_role));
    mac.addData(label + '|' + roleName(m_role).toLatin1() + '|');
    mac.addData(first);
    mac.addData("|", 1);
    mac.addData(second);
    return mac.result();
}

void Connection::send(const QJsonObject &message)
{
    if (m_closed)
        return;
    if (!m_authenticated) {
        // Bounded: what waits for a handshake is a handful of messages, not a backlog.
        if (m_queued.size() >= MaxQueuedMessages)
            m_queued.removeFirst();
        m_queued.append(message);
        return;
    }
    writeFrame(message);
}

void Connection::writeFrame(const QJsonObject &message)
{
    QByteArray payload = QJsonDocument(message).toJson(QJsonDocument::Compact);
    if (payload.size() > MaxFrameBytes) {
        // The other side would refuse it; say so instead of sending it.
        QJsonObject refusal{{QStringLiteral("type"), QStringLiteral("error")},
                            {QStringLiteral("code"), QStringLiteral("frame-too-large")},
                            {QStringLiteral("message"), tr("the answer is larger than the %1-byte frame limit").arg(MaxFrameBytes)}};
        if (message.contains(QLatin1String("re")))
            refusal.insert(QStringLiteral("re"), message.value(QLatin1String("re")));
        payload = QJsonDocument(refusal).toJson(QJsonDocument::Compact);
    }
    uchar header[4];
    qToBigEndian(quint32(payload.size()), header);
    m_socket->write(reinterpret_cast<const char *>(header), 4);
    m_socket->write(payload);
    // A peer that stopped reading must not make us hold its backlog for ever.
    if (m_socket->bytesToWrite() > MaxUnsentBytes)
        close(tr("the peer does not read what it is sent"));
}

void Connection::fail(const QString &code, const QString &message)
{
    if (m_closed)
        return;
    writeFrame({{QStringLiteral("type"), QStringLiteral("error")},
                {QStringLiteral("code"), code},
                {QStringLiteral("message"), message}});
    m_socket->flush();
    close(message);
}

void Connection::close(const QString &reason)
{
    if (m_closed)
        return;
    m_closed = true;
    m_handshakeTimer->stop();
    stopCountingPending();
    m_socket->disconnectFromHost();
    emit closed(reason);
    deleteLater();
}

void Connection::onReadyRead()
{
    m_frames.append(m_socket->readAll());
    while (!m_closed) {
        const qint64 limit = m_authenticated ? MaxFrameBytes : MaxHandshakeFrameBytes;
        QByteArray payload;
        quint32 length = 0;
        switch (m_frames.next(limit, &payload, &length)) {
        case FrameDecoder::Result::NeedMore:
            return;
        case FrameDecoder::Result::TooLarge:
            fail(QStringLiteral("frame-too-large"), m_authenticated
                     ? tr("a frame of %1 bytes exceeds the limit of %2").arg(length).arg(limit)
                     : tr("a frame of %1 bytes before the handshake is done exceeds its limit of %2").arg(length).arg(limit));
            return;
        case FrameDecoder::Result::Frame:
            handleFrame(payload);
            break;
        }
    }
}

void Connection::handleFrame(const QByteArray &payload)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(payload, &parseError);
    if (!document.isObject()) {
        fail(QStringLiteral("bad-frame"), tr("a frame is not a JSON object: %1").arg(parseError.errorString()));
        return;
    }
    const QJsonObject message = document.object();
    if (!m_authenticated) {
        handleHandshake(message);
        return;
    }
    emit messageReceived(message);
}

QString Connection::membershipMismatch(int theirs)
{
    return tr("the other member speaks membership protocol %1 and this one %2: members of different "
              "tribune-agent versions cannot form one cluster; upgrade every node's tribune-agent together "
              "(stop all, upgrade, start: docs/PROTOCOL.md, \"Upgrading\")")
        .arg(theirs)
        .arg(MembershipVersion);
}

void Connection::handleHandshake(const QJsonObject &message)
{
    const QString kind = type(message);
    if (kind == u"error") {
        const QString reason = tr("refused: %1").arg(message.value(QLatin1String("message")).toString());
        emit refused(reason);
        close(reason);
        return;
    }
    if (message.value(QLatin1String("v")).toInt() != Version && kind != u"welcome") {
        fail(QStringLiteral("version"), tr("protocol version %1 is not supported; this side speaks %2")
                                            .arg(message.value(QLatin1String("v")).toInt())
                                            .arg(Version));
        return;
    }
    const QByteArray nonce = QByteArray::fromBase64(message.value(QLatin1String("nonce")).toString().toLatin1());
    const QByteArray peerProof = QByteArray::fromBase64(message.value(QLatin1String("proof")).toString().toLatin1());

    if (m_side == Side::Client && kind == u"hello" && m_ownNonce.isEmpty() && nonce.size() >= 16) {
        if (!m_keys.has(m_role)) {
            const QString reason = tr("no %1 key in the key file").arg(roleName(m_role));
            emit refused(reason);
            close(reason);
            return;
        }
        const int theirMembership = message.value(QLatin1String("membership")).toInt(1);
        if (m_role == Role::Member && theirMembership != MembershipVersion) {
            const QString reason = membershipMismatch(theirMembership);
            emit refused(reason);
            close(reason);
            return;
        }
        m_peerNonce = nonce;
        m_ownNonce = randomNonce();
        writeFrame({{QStringLiteral("type"), QStringLiteral("auth")},
                    {QStringLiteral("v"), Version},
                    {QStringLiteral("membership"), MembershipVersion},
                    {QStringLiteral("role"), roleName(m_role)},
                    {QStringLiteral("nonce"), QString::fromLatin1(m_ownNonce.toBase64())},
                    {QStringLiteral("proof"), QString::fromLatin1(proof("client", m_peerNonce, m_ownNonce).toBase64())}});
        return;
    }
    if (m_side == Side::Server && kind == u"auth" && m_peerNonce.isEmpty() && nonce.size() >= 16) {
        const std::optional<Role> role = roleFromName(message.value(QLatin1String("role")).toString());
        if (!role || !m_keys.has(*role)) {
            fail(QStringLiteral("auth-failed"), tr("authentication failed"));
            return;
        }
        m_role = *role;
        m_peerNonce = nonce;
        if (!equalConstantTime(peerProof, proof("client", m_ownNonce, m_peerNonce))) {
            fail(QStringLiteral("auth-failed"), tr("authentication failed"));
            return;
        }
        const int theirMembership = message.value(QLatin1String("membership")).toInt(1);
        if (m_role == Role::Member && theirMembership != MembershipVersion) {
            fail(QStringLiteral("version"), membershipMismatch(theirMembership));
            return;
        }
        writeFrame({{QStringLiteral("type"), QStringLiteral("welcome")},
                    {QStringLiteral("role"), roleName(m_role)},
                    {QStringLiteral("proof"), QString::fromLatin1(proof("server", m_peerNonce, m_ownNonce).toBase64())}});
    } else if (m_side == Side::Client && kind == u"welcome" && !m_ownNonce.isEmpty()) {
        if (!equalConstantTime(peerProof, proof("server", m_ownNonce, m_peerNonce))) {
            const QString reason = tr("the server could not prove it holds the cluster key");
            emit refused(reason);
            close(reason);
            return;
        }
    } else {
        fail(QStringLiteral("handshake"), tr("unexpected \"%1\" during the handshake").arg(kind));
        return;
    }
    m_authenticated = true;
    m_handshakeTimer->stop();
    stopCountingPending();
    m_socket->setReadBufferSize(0); // frames up to MaxFrameBytes from now on
    emit authenticated();
    const QList<QJsonObject> queued = std::exchange(m_queued, {});
    for (const QJsonObject &message_ : queued)
        writeFrame(message_);
}

} // namespace Tribune::Protocol
