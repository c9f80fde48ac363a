#include "membershipservice.h"

#include "datagramchannel.h"
#include "protocol/messages.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QRandomGenerator>
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
    m_core = makeCore(m_settings.self);
    m_datagrams = new DatagramChannel(m_settings.keys.key(Protocol::Role::Member), this);
    connect(m_datagrams, &DatagramChannel::received, this, &MembershipService::handleDatagram);
    m_ticker->setInterval(TickMs);
    connect(m_ticker, &QTimer::timeout, this, &MembershipService::tick);
}

MembershipService::~MembershipService() = default;

std::unique_ptr<SwimCore> MembershipService::makeCore(const MemberInfo &self)
{
    SwimCore::Hooks hooks;
    hooks.send = [this](const QString &memberId, const QJsonObject &message) {
        const auto peer = m_core->peers().constFind(memberId);
        if (peer != m_core->peers().cend())
            m_datagrams->send(peer->info.host, peer->info.port, message);
    };
    hooks.changed = [this](MembershipEvent::Type type, const MemberInfo &member, const QString &reason,
                           const QString &previousId) { notify(type, member, reason, previousId); };
    hooks.forgotten = [this](const QString &memberId) {
        if (Connection *connection = m_outgoing.take(memberId))
            closeAfterGrace({connection});
    };
    return std::make_unique<SwimCore>(self, m_settings.timings(), std::move(hooks), QRandomGenerator::system()->generate());
}

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
    if (!m_datagrams->bind(address, m_settings.self.port, error)) {
        m_server->close();
        return false;
    }
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
            watchIncoming(connection);
        });
        connection->start();
    }
}

void MembershipService::watchIncoming(Connection *connection)
{
    // Whose connection this is shows in its first message; when it closes without a leave, that
    // member's process may have died, and it is probed at once.
    auto sender = std::make_shared<QString>();
    connect(connection, &Connection::messageReceived, this, [this, connection, sender](const QJsonObject &message) {
        if (sender->isEmpty()) {
            *sender = message.value(QLatin1String("from")).toString();
            if (sender->isEmpty())
                *sender = message.value(QLatin1String("member")).toObject().value(QLatin1String("id")).toString();
        }
        handlePeerMessage(connection, message);
    });
    connect(connection, &Connection::closed, this, [this, sender] {
        if (!sender->isEmpty() && !m_leaving)
            m_core->connectionLost(*sender, now());
    });
}

Connection *MembershipService::outgoing(const QString &endpointId, const QString &host, int port)
{
    if (Connection *existing = m_outgoing.value(endpointId))
        return existing;
    Connection *connection = Connection::connectTo(host, quint16(port), m_settings.keys, Protocol::Role::Member,
                                                   m_settings.tls, this);
    m_outgoing.insert(endpointId, connection);
    connect(connection, &Connection::closed, this, [this, endpointId, connection] {
        if (m_outgoing.value(endpointId) != connection)
            return; // replaced or let go on purpose
        m_outgoing.remove(endpointId);
        if (!m_leaving && connection->isAuthenticated())
            m_core->connectionLost(endpointId, now());
    });
    connect(connection, &Connection::messageReceived, this,
            [this, connection](const QJsonObject &message) { handlePeerMessage(connection, message); });
    // Every new connection to a well-known member starts with a join, whoever opened it: a
    // well-known member that restarted fills its view from them.
    for (const WellKnownEndpoint &endpoint : std::as_const(m_settings.wellKnown)) {
        if (endpoint.id() == endpointId && !m_leaving) {
            connect(connection, &Connection::authenticated, this, [this, endpoint] { reportWellKnown(endpoint, QString()); });
            connect(connection, &Connection::closed, this, [this, endpoint, connection](const QString &reason) {
                if (!connection->isAuthenticated())
                    reportWellKnown(endpoint, reason);
            });
            connection->send(selfMessage(Message::Join));
        }
    }
    return connection;
}

void MembershipService::sendTo(const QString &memberId, const QJsonObject &message)
{
    const auto peer = peers().constFind(memberId);
    if (peer == peers().cend())
        return;
    outgoing(memberId, peer->info.host, peer->info.port)->send(message);
}

QJsonObject MembershipService::selfMessage(Message messageType) const
{
    QJsonObject message = newMessage(messageType);
    message.insert(QStringLiteral("member"), self().toJson());
    return message;
}

bool MembershipService::canSee(const MemberInfo &other) const
{
    return Protocol::visible(self(), other);
}

QJsonArray MembershipService::visibleTo(const MemberInfo &requester) const
{
    QJsonArray members;
    if (Protocol::visible(requester, self()))
        members.append(QJsonObject{{QStringLiteral("member"), self().toJson()},
                                   {QStringLiteral("state"), stateName(MemberState::Alive)}});
    for (const Peer &peer : peers()) {
        if (Protocol::visible(requester, peer.info))
            members.append(QJsonObject{{QStringLiteral("member"), peer.info.toJson()},
                                       {QStringLiteral("state"), stateName(peer.state)}});
    }
    return members;
}

void MembershipService::handlePeerMessage(Connection *from, const QJsonObject &message)
{
    if (m_leaving)
        return; // said goodbye: nothing may bring this node back into anyone's view
    const std::optional<Message> kind = messageOf(message);
    const std::optional<MemberInfo> member = MemberInfo::fromJson(message.value(QLatin1String("member")).toObject());
    if (kind == Message::Join && member) {
        handleJoin(from, *member);
    } else if (kind == Message::Members) {
        handleMembers(message, member);
    } else if (kind == Message::Joined && member) {
        // A newcomer, or a restarted node's new run: learn() tells which.
        m_core->learn(*member, tr("announced by a peer"), now(), SwimCore::Source::List);
    } else if (kind == Message::Leave && member) {
        handleLeave(message, *member);
    }
}

qint64 MembershipService::datagramBytesSent() const
{
    return m_datagrams->bytesSent();
}

qint64 MembershipService::datagramsSent() const
{
    return m_datagrams->datagramsSent();
}

qint64 MembershipService::datagramsRefused() const
{
    return m_datagrams->dropped();
}

void MembershipService::handleDatagram(const QJsonObject &message, const QHostAddress &sender, quint16 senderPort)
{
    if (m_leaving)
        return;
    // Answers go back where the datagram came from: the sender's membership port.
    m_core->receive(
        message, [this, sender, senderPort](const QJsonObject &answer) { m_datagrams->sendTo(sender, senderPort, answer); },
        now());
}

void MembershipService::handleJoin(Connection *from, const MemberInfo &member)
{
    if (!m_core->learn(member, tr("joined through %1").arg(self().id), now(), SwimCore::Source::Itself)
        && member.id != self().id) {
        m_unseenJoiners.removeIf([from](const QPointer<Connection> &known) { return known.isNull() || known == from; });
        m_unseenJoiners.append(from);
    }
    from->send({{QStringLiteral("type"), messageName(Message::Members)},
                {QStringLiteral("member"), self().toJson()},
                {QStringLiteral("members"), visibleTo(member)}});
    // Everyone else who may see the newcomer hears of it at once; gossip would take a few rounds.
    for (const Peer &peer : peers()) {
        if (peer.info.id != member.id && Protocol::visible(peer.info, member))
            sendTo(peer.info.id, {{QStringLiteral("type"), messageName(Message::Joined)},
                                  {QStringLiteral("member"), member.toJson()}});
    }
}

void MembershipService::handleMembers(const QJsonObject &message, const std::optional<MemberInfo> &sender)
{
    if (sender) {
        m_contacts.remove(sender->id);
        m_core->learn(*sender, tr("well-known member"), now(), SwimCore::Source::Itself);
    }
    for (const QJsonValue &entry : message.value(QLatin1String("members")).toArray()) {
        const QJsonObject item = entry.toObject();
        const std::optional<MemberInfo> known = MemberInfo::fromJson(item.value(QLatin1String("member")).toObject());
        if (known)
            m_core->learn(*known, tr("listed by %1").arg(sender ? sender->id : QString()), now(), SwimCore::Source::List);
    }
}

void MembershipService::handleLeave(const QJsonObject &message, const MemberInfo &member)
{
    const auto peer = peers().constFind(member.id);
    if (peer == peers().cend() || newer(peer->info, member))
        return;
    const std::optional<MemberInfo> next = MemberInfo::fromJson(message.value(QLatin1String("rejoin")).toObject());
    if (next && next->id != self().id && canSee(*next)) {
        m_core->takeRejoin(member, *next, now());
    } else {
        m_core->forget(member.id, MembershipEvent::Type::Leave, tr("left the cluster"), now(), true);
    }
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
    const MemberInfo &current = self();
    QStringList wellKnownNow;
    QStringList wellKnownNext;
    for (const WellKnownEndpoint &endpoint : m_settings.wellKnown)
        wellKnownNow.append(endpoint.id());
    for (const WellKnownEndpoint &endpoint : next.wellKnown)
        wellKnownNext.append(endpoint.id());
    return current.id != next.self.id || current.domain != next.self.domain || current.subDomain != next.self.subDomain
        || current.offset != next.self.offset || current.httpPort != next.self.httpPort
        || current.httpsPort != next.self.httpsPort || current.portMappings != next.self.portMappings
        || current.name != next.self.name || wellKnownNow != wellKnownNext
        || m_settings.bindAddress != next.bindAddress || m_settings.dropTimeMs != next.dropTimeMs
        || m_settings.probeIntervalMs != next.probeIntervalMs;
}

void MembershipService::sayGoodbye(const QJsonObject &goodbye)
{
    // Every connection this member has, the load balancers and a few others: those pass it on.
    for (const QString &id : m_core->leaveRecipients()) {
        const Peer &peer = peers()[id];
        outgoing(id, peer.info.host, peer.info.port);
    }
    for (Connection *connection : std::as_const(m_outgoing))
        connection->send(goodbye);
}

bool MembershipService::rejoin(MembershipSettings next, QString *error)
{
    const MemberInfo previous = self();
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
        if (!listen(next.listenAddress(), next.self.port, error)
            || !m_datagrams->bind(next.listenAddress(), next.self.port, error)) {
            m_server->close();
            QString again;
            if (!listen(m_settings.listenAddress(), previous.port, &again)
                || !m_datagrams->bind(m_settings.listenAddress(), previous.port, &again))
                *error += tr("; listening on the old port %1 failed too (%2): the node takes no member "
                             "connections until its agent is restarted")
                              .arg(previous.port)
                              .arg(again);
            return false;
        }
    }
    QJsonObject goodbye = selfMessage(Message::Leave);
    goodbye.insert(QStringLiteral("rejoin"), next.self.toJson());
    sayGoodbye(goodbye);
    const QList<Connection *> connections = m_outgoing.values();
    m_outgoing.clear();
    closeAfterGrace(connections);

    m_settings = std::move(next);
    m_core->setTimings(m_settings.timings());
    m_core->setSelf(m_settings.self);
    // Peers it still sees stay (they take the rejoin); the others leave its view.
    m_core->forgetUnseen(tr("no longer in this node's view after its configuration changed"), now());
    m_contacts.clear();
    m_wellKnownProblems.clear();
    notify(MembershipEvent::Type::Rejoin, self(), tr("rejoined as %1 after a configuration change").arg(self().id),
           previous.id);
    contactWellKnownMembers();
    return true;
}

void MembershipService::setServedDomains(const QStringList &domains)
{
    if (self().servedDomains == domains)
        return;
    MemberInfo changed = self();
    changed.servedDomains = domains;
    ++changed.incarnation; // peers take the newer description from its gossip
    m_settings.self = changed;
    m_core->setSelf(changed);
    m_core->forgetUnseen(tr("its domain is no longer served"), now());
    // A member whose join was not seen keeps its connection open and would never ask again.
    const QList<QPointer<Connection>> joiners = std::exchange(m_unseenJoiners, {});
    for (const QPointer<Connection> &connection : joiners) {
        if (connection)
            connection->close(tr("the load balancer's domains changed; join again"));
    }
}

void MembershipService::tick()
{
    if (m_leaving)
        return;
    m_core->tick(now());
    contactWellKnownMembers();
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
        outgoing(id, endpoint.host, endpoint.port);
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
    m_datagrams->close();
    sayGoodbye(selfMessage(Message::Leave));
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
