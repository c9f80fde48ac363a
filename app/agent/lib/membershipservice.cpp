#include "membershipservice.h"

#include "protocol/messages.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QTcpServer>
#include <QTimer>

namespace Tribune::Agent {

using Protocol::Connection;
using Protocol::MemberInfo;
using Protocol::MembershipEvent;
using Protocol::MemberState;
using namespace Protocol; // the message vocabulary

namespace {

constexpr int TickMs = 100;
constexpr int MaxJoinBackoffMs = 2000;
constexpr int LeaveGraceMs = 500;

// Is a a later life, or a later incarnation, of the same member than b?
bool newer(const MemberInfo &a, const MemberInfo &b)
{
    return a.startedAtMs > b.startedAtMs || (a.startedAtMs == b.startedAtMs && a.incarnation > b.incarnation);
}

} // namespace

MembershipService::MembershipService(MembershipSettings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_ticker(new QTimer(this))
{
    m_ticker->setInterval(TickMs);
    connect(m_ticker, &QTimer::timeout, this, &MembershipService::tick);
}

MembershipService::~MembershipService() = default;

QTcpServer *createServer(const Protocol::TlsOptions &tls, QObject *parent, QString *error)
{
    if (!tls.enabled())
        return new QTcpServer(parent);
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(QSslCertificate::fromPath(tls.certificateFile));
    QFile keyFile(tls.privateKeyFile);
    if (!keyFile.open(QIODevice::ReadOnly)) {
        *error = MembershipService::tr("%1: cannot read the TLS key: %2").arg(tls.privateKeyFile, keyFile.errorString());
        return nullptr;
    }
    configuration.setPrivateKey(QSslKey(&keyFile, QSsl::Rsa));
    if (!tls.caFile.isEmpty())
        configuration.setCaCertificates(QSslCertificate::fromPath(tls.caFile));
    auto *server = new QSslServer(parent);
    server->setSslConfiguration(configuration);
    return server;
}

bool MembershipService::start(const QHostAddress &address, QString *error)
{
    m_server = createServer(m_settings.tls, this, error);
    if (!m_server)
        return false;
    if (!listen(address, m_settings.self.port, error))
        return false;
    connect(m_server, &QTcpServer::pendingConnectionAvailable, this, &MembershipService::acceptConnection);
    m_clock.start();
    m_ticker->start();
    contactWellKnownMembers();
    return true;
}

bool MembershipService::listen(const QHostAddress &address, int port, QString *error)
{
    if (m_server->listen(address, quint16(port)))
        return true;
    *error = tr("cannot listen on membership port %1:%2: %3").arg(address.toString()).arg(port).arg(m_server->errorString());
    return false;
}

void MembershipService::notify(MembershipEvent::Type eventType, const MemberInfo &member, const QString &reason,
                               const QString &previousId)
{
    MembershipEvent change;
    change.type = eventType;
    change.member = member;
    change.reason = reason;
    change.previousId = previousId;
    emit changed(change);
}

void MembershipService::acceptConnection()
{
    while (m_server->hasPendingConnections()) {
        auto *connection = new Connection(m_server->nextPendingConnection(), Connection::Side::Server,
                                          m_settings.keys, Protocol::Role::Member, this);
        connect(connection, &Connection::authenticated, this, [this, connection] {
            if (connection->role() != Protocol::Role::Member) {
                emit consoleConnected(connection);
                return;
            }
            connect(connection, &Connection::messageReceived, this,
                    [this, connection](const QJsonObject &message) { handlePeerMessage(connection, message); });
        });
        connection->start();
    }
}

Connection *MembershipService::outgoing(const QString &endpointId, const QString &host, int port)
{
    if (Connection *existing = m_outgoing.value(endpointId))
        return existing;
    Connection *connection = Connection::connectTo(host, quint16(port), m_settings.keys, Protocol::Role::Member,
                                                   m_settings.tls, this);
    m_outgoing.insert(endpointId, connection);
    connect(connection, &Connection::closed, this, [this, endpointId, connection] {
        if (m_outgoing.value(endpointId) == connection)
            m_outgoing.remove(endpointId);
    });
    connect(connection, &Connection::messageReceived, this,
            [this, connection](const QJsonObject &message) { handlePeerMessage(connection, message); });
    return connection;
}

void MembershipService::sendTo(const QString &memberId, const QJsonObject &message)
{
    const auto peer = m_peers.constFind(memberId);
    if (peer == m_peers.cend())
        return;
    outgoing(memberId, peer->info.host, peer->info.port)->send(message);
}

QJsonObject MembershipService::selfMessage(Message messageType) const
{
    QJsonObject message = newMessage(messageType);
    message.insert(QStringLiteral("member"), m_settings.self.toJson());
    return message;
}

bool MembershipService::canSee(const MemberInfo &other) const
{
    return Protocol::visible(m_settings.self, other);
}

QJsonArray MembershipService::visibleTo(const MemberInfo &requester) const
{
    QJsonArray members;
    if (Protocol::visible(requester, m_settings.self))
        members.append(QJsonObject{{QStringLiteral("member"), m_settings.self.toJson()},
                                   {QStringLiteral("state"), stateName(MemberState::Alive)}});
    for (const Peer &peer : m_peers) {
        if (Protocol::visible(requester, peer.info))
            members.append(QJsonObject{{QStringLiteral("member"), peer.info.toJson()},
                                       {QStringLiteral("state"), stateName(peer.state)}});
    }
    return members;
}

bool MembershipService::learn(const MemberInfo &member, const QString &how)
{
    if (member.id == m_settings.self.id || !canSee(member))
        return false;
    const auto found = m_peers.find(member.id);
    if (found == m_peers.end()) {
        m_peers.insert(member.id, Peer{member, MemberState::Alive, now(), -1});
        outgoing(member.id, member.host, member.port);
        notify(MembershipEvent::Type::Join, member, how);
        return true;
    }
    Peer &peer = *found;
    peer.lastHeardMs = now();
    if (member.startedAtMs > peer.info.startedAtMs) {
        // The node was restarted before its old life was declared failed.
        const MemberInfo old = peer.info;
        peer.info = member;
        peer.state = MemberState::Alive;
        notify(MembershipEvent::Type::Failure, old, tr("replaced by a restarted incarnation"));
        notify(MembershipEvent::Type::Join, member, how);
        return true;
    }
    if (newer(member, peer.info) || peer.state == MemberState::Suspect) {
        const bool wasSuspect = peer.state == MemberState::Suspect;
        if (newer(member, peer.info))
            peer.info = member;
        peer.state = MemberState::Alive;
        if (wasSuspect)
            notify(MembershipEvent::Type::Refute, peer.info, tr("heard from again; the suspicion was wrong"));
    }
    return true;
}

void MembershipService::drop(const QString &memberId, MembershipEvent::Type eventType, const QString &reason)
{
    const auto found = m_peers.constFind(memberId);
    if (found == m_peers.cend())
        return;
    const MemberInfo member = found->info;
    m_peers.erase(found);
    if (Connection *connection = m_outgoing.take(memberId))
        connection->close(reason);
    notify(eventType, member, reason);
}

void MembershipService::handlePeerMessage(Connection *from, const QJsonObject &message)
{
    if (m_leaving)
        return; // said goodbye: nothing may bring this node back into anyone's view
    const std::optional<Message> kind = messageOf(message);
    const std::optional<MemberInfo> member = MemberInfo::fromJson(message.value(QLatin1String("member")).toObject());
    if (kind == Message::Heartbeat && member) {
        learn(*member, tr("heard from directly"));
        from->send({{QStringLiteral("type"), messageName(Message::HeartbeatAck)},
                    {QStringLiteral("from"), m_settings.self.id},
                    {QStringLiteral("sentAt"), message.value(QLatin1String("sentAt"))}});
    } else if (kind == Message::HeartbeatAck) {
        // An answer is as good a sign of life as a heartbeat.
        const auto peer = m_peers.find(message.value(QLatin1String("from")).toString());
        if (peer != m_peers.end()) {
            peer->roundTripMs = double(now() - message.value(QLatin1String("sentAt")).toInteger());
            peer->lastHeardMs = now();
        }
    } else if (kind == Message::Join && member) {
        if (!learn(*member, tr("joined through %1").arg(m_settings.self.id)) && member->id != m_settings.self.id)
        {
            m_unseenJoiners.removeIf([from](const QPointer<Connection> &known) { return known.isNull() || known == from; });
            m_unseenJoiners.append(from);
        }
        from->send({{QStringLiteral("type"), messageName(Message::Members)},
                    {QStringLiteral("member"), m_settings.self.toJson()},
                    {QStringLiteral("members"), visibleTo(*member)}});
        // Tell everyone else who may see the newcomer.
        for (const Peer &peer : std::as_const(m_peers)) {
            if (peer.info.id != member->id && Protocol::visible(peer.info, *member))
                sendTo(peer.info.id, {{QStringLiteral("type"), messageName(Message::Joined)},
                                      {QStringLiteral("member"), member->toJson()}});
        }
    } else if (kind == Message::Members) {
        m_joined = true;
        if (member)
            m_contacts.remove(member->id);
        if (member)
            learn(*member, tr("well-known member"));
        for (const QJsonValue &entry : message.value(QLatin1String("members")).toArray()) {
            const QJsonObject item = entry.toObject();
            const std::optional<MemberInfo> known = MemberInfo::fromJson(item.value(QLatin1String("member")).toObject());
            if (known && !m_peers.contains(known->id))
                learn(*known, tr("listed by %1").arg(member ? member->id : QString()));
        }
    } else if (kind == Message::Joined && member) {
        if (!m_peers.contains(member->id))
            learn(*member, tr("announced by a peer"));
    } else if (kind == Message::Leave && member) {
        const auto peer = m_peers.constFind(member->id);
        if (peer == m_peers.cend() || newer(peer->info, *member))
            return;
        const std::optional<MemberInfo> next = MemberInfo::fromJson(message.value(QLatin1String("rejoin")).toObject());
        if (next && next->id != m_settings.self.id && canSee(*next))
            takeRejoin(*member, *next);
        else
            drop(member->id, MembershipEvent::Type::Leave, tr("left the cluster"));
    } else if (kind == Message::Suspect && message.value(QLatin1String("id")).toString() == m_settings.self.id) {
        // Someone missed our heartbeats: refute with a higher incarnation, at once.
        ++m_settings.self.incarnation;
        sendHeartbeats();
    }
}

void MembershipService::takeRejoin(const MemberInfo &previous, const MemberInfo &next)
{
    m_peers.remove(previous.id);
    if (Connection *connection = m_outgoing.take(previous.id))
        closeAfterGrace({connection});
    m_peers.insert(next.id, Peer{next, MemberState::Alive, now(), -1});
    outgoing(next.id, next.host, next.port);
    notify(MembershipEvent::Type::Rejoin, next, tr("rejoined as %1 after a configuration change").arg(next.id),
           previous.id);
}

void MembershipService::closeAfterGrace(const QList<Connection *> &connections)
{
    // What was queued on them (a leave) gets a moment to reach the peer.
    for (Connection *connection : connections) {
        QTimer::singleShot(LeaveGraceMs, connection, [connection] {
            connection->close(tr("replaced"));
            connection->deleteLater();
        });
    }
}

bool MembershipService::identityDiffers(const MembershipSettings &next) const
{
    const MemberInfo &self = m_settings.self;
    QStringList wellKnownNow;
    QStringList wellKnownNext;
    for (const WellKnownEndpoint &endpoint : m_settings.wellKnown)
        wellKnownNow.append(endpoint.id());
    for (const WellKnownEndpoint &endpoint : next.wellKnown)
        wellKnownNext.append(endpoint.id());
    return self.id != next.self.id || self.domain != next.self.domain || self.subDomain != next.self.subDomain
        || self.offset != next.self.offset || self.httpPort != next.self.httpPort
        || self.httpsPort != next.self.httpsPort || self.portMappings != next.self.portMappings
        || self.name != next.self.name || wellKnownNow != wellKnownNext
        || m_settings.bindAddress != next.bindAddress || m_settings.dropTimeMs != next.dropTimeMs
        || m_settings.heartbeatIntervalMs != next.heartbeatIntervalMs;
}

bool MembershipService::rejoin(MembershipSettings next, QString *error)
{
    const MemberInfo previous = m_settings.self;
    next.keys = m_settings.keys;
    next.tls = m_settings.tls;
    next.self.startedAtMs = previous.startedAtMs;
    next.self.incarnation = previous.incarnation + 1;
    next.self.loadBalancer = previous.loadBalancer || next.self.loadBalancer;
    // A load balancer's domains follow its HAProxy (setServedDomains, once the backends exist),
    // not its node's files.
    if (previous.loadBalancer)
        next.self.servedDomains = previous.servedDomains;
    if (next.self.port != previous.port || next.bindAddress != m_settings.bindAddress) {
        // Consoles connected on the old port stay connected: closing a server keeps its sockets.
        m_server->close();
        if (!listen(next.listenAddress(), next.self.port, error)) {
            QString again;
            if (!listen(m_settings.listenAddress(), previous.port, &again))
                *error += tr("; listening on the old port %1 failed too (%2): the node takes no member "
                             "connections until its agent is restarted")
                              .arg(previous.port)
                              .arg(again);
            return false;
        }
    }
    QJsonObject goodbye = selfMessage(Message::Leave);
    goodbye.insert(QStringLiteral("rejoin"), next.self.toJson());
    const QList<Connection *> connections = m_outgoing.values();
    for (Connection *connection : connections)
        connection->send(goodbye);
    m_outgoing.clear();
    closeAfterGrace(connections);

    m_settings = std::move(next);
    // Peers it still sees stay (they take the rejoin); the others leave its view.
    QStringList unseen;
    for (auto it = m_peers.begin(); it != m_peers.end(); ++it) {
        it->lastHeardMs = now();
        if (!canSee(it->info))
            unseen.append(it.key());
    }
    for (const QString &id : std::as_const(unseen))
        drop(id, MembershipEvent::Type::Leave, tr("no longer in this node's view after its configuration changed"));
    m_contacts.clear();
    m_wellKnownProblems.clear();
    m_joined = false;
    notify(MembershipEvent::Type::Rejoin, m_settings.self,
           tr("rejoined as %1 after a configuration change").arg(m_settings.self.id), previous.id);
    contactWellKnownMembers();
    sendHeartbeats();
    return true;
}

void MembershipService::setServedDomains(const QStringList &domains)
{
    if (m_settings.self.servedDomains == domains)
        return;
    m_settings.self.servedDomains = domains;
    ++m_settings.self.incarnation; // peers take the newer description with the next heartbeat
    QStringList unseen;
    for (auto it = m_peers.cbegin(); it != m_peers.cend(); ++it) {
        if (!canSee(it->info))
            unseen.append(it.key());
    }
    for (const QString &id : std::as_const(unseen))
        drop(id, MembershipEvent::Type::Leave, tr("its domain is no longer served"));
    // A member whose join was not seen keeps its connection open and would never ask again.
    const QList<QPointer<Connection>> joiners = std::exchange(m_unseenJoiners, {});
    for (const QPointer<Connection> &connection : joiners) {
        if (connection)
            connection->close(tr("the load balancer's domains changed; join again"));
    }
    sendHeartbeats();
}

void MembershipService::tick()
{
    if (m_leaving)
        return;
    if (now() - m_lastHeartbeatMs >= m_settings.heartbeatIntervalMs)
        sendHeartbeats();
    detectFailures();
    contactWellKnownMembers();
}

void MembershipService::sendHeartbeats()
{
    m_lastHeartbeatMs = now();
    QJsonObject heartbeat = selfMessage(Message::Heartbeat);
    heartbeat.insert(QStringLiteral("sentAt"), now());
    heartbeat.insert(QStringLiteral("seq"), qint64(++m_heartbeatSequence));
    for (auto it = m_peers.cbegin(); it != m_peers.cend(); ++it)
        sendTo(it.key(), heartbeat);
}

void MembershipService::detectFailures()
{
    QStringList failed;
    for (auto it = m_peers.begin(); it != m_peers.end(); ++it) {
        const qint64 silence = now() - it->lastHeardMs;
        if (silence > m_settings.dropTimeMs) {
            failed.append(it.key());
        } else if (silence > m_settings.dropTimeMs / 2 && it->state == MemberState::Alive) {
            it->state = MemberState::Suspect;
            notify(MembershipEvent::Type::Suspect, it->info, tr("no heartbeat for %1 ms").arg(silence));
            sendTo(it.key(), {{QStringLiteral("type"), messageName(Message::Suspect)}, {QStringLiteral("id"), it.key()}});
        }
    }
    for (const QString &id : std::as_const(failed))
        drop(id, MembershipEvent::Type::Failure,
             tr("no heartbeat for more than memberDropTime (%1 ms)").arg(m_settings.dropTimeMs));
}

void MembershipService::contactWellKnownMembers()
{
    for (const WellKnownEndpoint &endpoint : std::as_const(m_settings.wellKnown)) {
        const QString id = endpoint.id();
        if (id == m_settings.self.id || m_outgoing.contains(id))
            continue;
        // Back off per well-known member while it does not answer: 250 ms doubling to 2 s.
        Contact &contact = m_contacts[id];
        const qint64 backoff = qMin<qint64>(MaxJoinBackoffMs, 250LL << qMin(contact.attempts, 3));
        if (contact.attempts > 0 && now() - contact.lastAttemptMs < backoff)
            continue;
        contact.lastAttemptMs = now();
        ++contact.attempts;
        // Joining, or announcing ourselves again to a well-known member that came back.
        Connection *connection = outgoing(id, endpoint.host, endpoint.port);
        connect(connection, &Connection::authenticated, this, [this, endpoint] { reportWellKnown(endpoint, QString()); });
        connect(connection, &Connection::closed, this, [this, endpoint, connection](const QString &reason) {
            if (!connection->isAuthenticated())
                reportWellKnown(endpoint, reason);
        });
        connection->send(selfMessage(Message::Join));
    }
}

void MembershipService::reportWellKnown(const WellKnownEndpoint &endpoint, const QString &problem)
{
    const QString id = endpoint.id();
    const auto known = m_wellKnownProblems.constFind(id);
    if (known != m_wellKnownProblems.cend() ? *known == problem : problem.isEmpty()) {
        m_wellKnownProblems.insert(id, problem); // no change, or reached at the first try
        return;
    }
    m_wellKnownProblems.insert(id, problem);
    emit wellKnownMemberChanged(endpoint.name == endpoint.host ? id
                                                               : QStringLiteral("%1:%2 (%3)").arg(endpoint.name).arg(endpoint.port).arg(endpoint.host),
                                problem);
}

void MembershipService::leave()
{
    m_leaving = true;
    m_ticker->stop();
    const QJsonObject goodbye = selfMessage(Message::Leave);
    for (Connection *connection : std::as_const(m_outgoing))
        connection->send(goodbye);
    // Give the goodbyes a moment to leave the socket buffers.
    auto *waiter = new QTimer(this);
    QElapsedTimer waited;
    waited.start();
    connect(waiter, &QTimer::timeout, this, [this, waiter, waited] {
        bool flushed = true;
        for (Connection *connection : std::as_const(m_outgoing))
            flushed = flushed && connection->isAuthenticated() && connection->unsentBytes() == 0;
        if (flushed || waited.elapsed() > LeaveGraceMs) {
            waiter->stop();
            emit leaveFinished();
        }
    });
    waiter->start(10);
}

} // namespace Tribune::Agent
