#include "clusterconnection.h"

#include "livecluster.h"

#include "protocol/agentclient.h"
#include "protocol/messages.h"

#include <QTimer>

#include <utility>

namespace Tribune {

using Protocol::AgentClient;

ClusterConnection::ClusterConnection(LiveCluster *cluster, ConnectionSettings settings, QObject *parent)
    : QObject(parent)
    , m_cluster(cluster)
    , m_settings(std::move(settings))
    , m_healthTimer(new QTimer(this))
    , m_trafficTimer(new QTimer(this))
    , m_establishTimer(new QTimer(this))
    , m_failbackTimer(new QTimer(this))
{
    m_failbackTimer->setInterval(FailbackIntervalMs);
    connect(m_failbackTimer, &QTimer::timeout, this, &ClusterConnection::tryPreferredSeed);
    m_establishTimer->setSingleShot(true);
    connect(m_establishTimer, &QTimer::timeout, this, [this] {
        const QString source = m_settings.seeds.isEmpty() ? tr("the load balancer %1").arg(m_settings.loadBalancerSocket)
                                                          : tr("the membership port %1").arg(m_settings.seeds.join(QLatin1String(", ")));
        failToConnect(tr("no answer from %1 within %2 s").arg(source).arg(EstablishTimeoutMs / 1000));
    });
    m_balancerStatus.kind = EndpointStatus::Kind::LoadBalancer;
    m_balancerStatus.address = m_settings.loadBalancerSocket;
    connect(m_healthTimer, &QTimer::timeout, this, &ClusterConnection::pollHealth);
    connect(m_trafficTimer, &QTimer::timeout, this, &ClusterConnection::pollTraffic);
    // Health connections are opened as polls need them; a forgotten member's goes with it.
    connect(cluster, &LiveCluster::memberRemoved, this, &ClusterConnection::forgetMember);
    // A rejoined member is reached at its new id; the client of the old one would retry for ever.
    connect(cluster, &LiveCluster::memberRenamed, this, [this](const QString &previousId, const QString &id) {
        if (previousId != id)
            forgetMember(previousId);
    });
}

ClusterConnection::~ClusterConnection() = default;

void ClusterConnection::start()
{
    m_establishTimer->start(EstablishTimeoutMs);
    connectSeed();
    m_healthTimer->start(m_settings.healthIntervalMs);
    if (m_trafficPoller && !m_settings.loadBalancerSocket.isEmpty()) {
        m_trafficTimer->start(m_settings.trafficIntervalMs);
        pollTraffic();
    }
}

void ClusterConnection::markEstablished()
{
    if (m_stopped)
        return;
    m_establishTimer->stop();
    if (std::exchange(m_established, true) || m_failed)
        return;
    emit established();
}

void ClusterConnection::failToConnect(const QString &reason)
{
    if (m_stopped)
        return;
    m_establishTimer->stop();
    if (m_established || std::exchange(m_failed, true))
        return;
    emit connectFailed(reason);
}

int ClusterConnection::staleAfterMs() const
{
    // Three missed answers, and a little slack for a busy machine.
    return 3 * std::max(m_settings.healthIntervalMs, m_settings.trafficIntervalMs) + 2000;
}

void ClusterConnection::stop()
{
    // What is still on its way (a poll's answer, a queued connect to the next seed) finds it stopped.
    m_stopped = true;
    m_establishTimer->stop();
    m_healthTimer->stop();
    m_trafficTimer->stop();
    m_failbackTimer->stop();
    if (m_failbackProbe) {
        m_failbackProbe->disconnect(this);
        m_failbackProbe.release()->deleteLater();
    }
    // Stopping may be the answer to one of their own signals (a failed connection given up):
    // they go once it has returned.
    if (m_seed) {
        m_seed->disconnect(this);
        m_seed->setAutoReconnect(false);
        m_seed.release()->deleteLater();
    }
    for (Protocol::AgentClient *client : std::as_const(m_members)) {
        client->disconnect(this);
        client->setAutoReconnect(false);
        client->deleteLater();
    }
    m_members.clear();
}

void ClusterConnection::connectSeed()
{
    if (m_settings.seeds.isEmpty() || m_stopped)
        return;
    QString error;
    const QString address = m_settings.seeds.at(m_seedIndex % m_settings.seeds.size());
    const std::optional<AgentClient::Endpoint> endpoint = AgentClient::parseEndpoint(address, &error);
    m_seedStatus = {EndpointStatus::Kind::Seed, address, false, {}, error};
    if (!endpoint) {
        emit endpointsChanged();
        return;
    }
    m_failbackTimer->stop();
    m_failbackProbe.reset();
    if (m_seed)
        QObject::disconnect(m_seed.get(), nullptr, this, nullptr); // replaced, not lost
    m_seed = std::make_unique<AgentClient>(*endpoint, m_settings.keys, m_settings.role, m_settings.tls);
    AgentClient *seed = m_seed.get();
    connect(seed, &AgentClient::connected, this, [this] {
        m_seedStatus.connected = true;
        m_seedStatus.lastError.clear();
        emit endpointsChanged();
    });
    connect(seed, &AgentClient::snapshotReceived, this,
            [this](qint64, qint64, const QList<Protocol::MemberView> &members) {
                m_seedStatus.lastData = QDateTime::currentDateTimeUtc();
                // The agent lists itself first: what it cannot see, it does not list.
                m_cluster->applySnapshot(members, members.isEmpty() ? QString() : members.first().info.id);
                markEstablished();
                // A later seed may see less (a member sees only its own domain): go back to
                // the first that answers again.
                if (m_seedIndex % m_settings.seeds.size() != 0)
                    m_failbackTimer->start();
            });
    connect(seed, &AgentClient::eventReceived, this, [this](const Protocol::MembershipEvent &event) {
        m_seedStatus.lastData = QDateTime::currentDateTimeUtc();
        m_cluster->applyEvent(event);
    });
    connect(seed, &AgentClient::disconnected, this, [this, address](const QString &reason) {
        m_seedStatus.connected = false;
        m_seedStatus.lastError = reason;
        emit endpointsChanged();
        if (!m_established && ++m_seedsFailed >= m_settings.seeds.size())
            failToConnect(tr("the membership port %1: %2").arg(address, reason));
        // Try the next well-known member; the client itself retries the same one otherwise.
        if (m_settings.seeds.size() > 1) {
            ++m_seedIndex;
            QTimer::singleShot(0, this, &ClusterConnection::connectSeed);
        }
    });
    connect(seed, &AgentClient::refused, this, [this, address](const QString &reason) {
        m_seedStatus.connected = false;
        m_seedStatus.lastError = reason;
        emit endpointsChanged();
        failToConnect(tr("the membership port %1 refused the console: %2").arg(address, reason));
    });
    seed->setAutoReconnect(m_settings.seeds.size() == 1);
    seed->subscribe();
    seed->open();
    emit endpointsChanged();
}

void ClusterConnection::tryPreferredSeed()
{
    const int current = m_seedIndex % m_settings.seeds.size();
    if (current == 0 || m_stopped || m_failbackProbe)
        return;
    // The earlier seeds in turn, one probe at a time; the seed in use stays until one answers.
    m_failbackCandidate = (m_failbackCandidate + 1) % current;
    const int candidate = m_failbackCandidate;
    QString error;
    const std::optional<AgentClient::Endpoint> endpoint = AgentClient::parseEndpoint(m_settings.seeds.at(candidate), &error);
    if (!endpoint)
        return;
    m_failbackProbe = std::make_unique<AgentClient>(*endpoint, m_settings.keys, m_settings.role, m_settings.tls);
    connect(m_failbackProbe.get(), &AgentClient::connected, this, [this, candidate] {
        m_seedIndex = candidate;
        QTimer::singleShot(0, this, &ClusterConnection::connectSeed);
    });
    // Not there yet, or it turned the console away: the next tick tries again.
    const auto dropProbe = [this] { QTimer::singleShot(0, this, [this] { m_failbackProbe.reset(); }); };
    connect(m_failbackProbe.get(), &AgentClient::disconnected, this, dropProbe);
    connect(m_failbackProbe.get(), &AgentClient::refused, this, dropProbe);
    m_failbackProbe->open();
}

AgentClient *ClusterConnection::memberClient(const QString &memberId)
{
    if (AgentClient *existing = m_members.value(memberId))
        return existing;
    const LiveMember *member = m_cluster->member(memberId);
    if (!member)
        return nullptr;
    auto *client = new AgentClient({member->info.host, quint16(member->info.port)}, m_settings.keys, m_settings.role,
                                   m_settings.tls, this);
    client->setAutoReconnect(true);
    m_members.insert(memberId, client);
    m_memberStatus.insert(memberId, {EndpointStatus::Kind::Member, memberId, false, {}, {}});
    connect(client, &AgentClient::connected, this, [this, memberId] {
        m_memberStatus[memberId].connected = true;
        emit endpointsChanged();
    });
    connect(client, &AgentClient::disconnected, this, [this, memberId](const QString &reason) {
        m_memberStatus[memberId].connected = false;
        m_memberStatus[memberId].lastError = reason;
        emit endpointsChanged();
    });
    client->open();
    return client;
}

void ClusterConnection::forgetMember(const QString &memberId)
{
    if (AgentClient *client = m_members.take(memberId))
        client->deleteLater();
    m_memberStatus.remove(memberId);
    emit endpointsChanged();
}

void ClusterConnection::pollHealth()
{
    // The view only speaks when membership changes; an answer from the well-known member
    // confirms that the quiet means nothing changed.
    if (m_seed && m_seed->isConnected()) {
        m_seed->request(Protocol::newMessage(Protocol::Message::Health), [this](const QJsonObject &reply) {
            // A timeout or a lost connection answers too, with an error: that confirms nothing.
            if (Protocol::messageOf(reply) == Protocol::Message::Health)
                m_seedStatus.lastData = QDateTime::currentDateTimeUtc();
        });
    }
    for (auto it = m_cluster->members().cbegin(); it != m_cluster->members().cend(); ++it) {
        if (!it->hasAgent || (it->state != Protocol::MemberState::Alive && it->state != Protocol::MemberState::Suspect))
            continue;
        AgentClient *client = memberClient(it.key());
        if (!client || !client->isConnected())
            continue;
        const QString id = it.key();
        client->request(Protocol::newMessage(Protocol::Message::Health), [this, id](const QJsonObject &reply) {
            if (Protocol::messageOf(reply) != Protocol::Message::Health)
                return;
            m_memberStatus[id].lastData = QDateTime::currentDateTimeUtc();
            m_cluster->applyHealth(id, reply);
        });
    }
}

void ClusterConnection::pollTraffic()
{
    // One poll at a time: a slow load balancer gets fewer polls, not a queue of them.
    if (m_trafficPending || !m_trafficPoller)
        return;
    m_trafficPending = true;
    m_trafficPoller([this](const QList<ServerTraffic> &servers, const QString &error) {
        m_trafficPending = false;
        if (m_stopped)
            return;
        const bool wasConnected = m_balancerStatus.connected;
        m_balancerStatus.connected = error.isEmpty();
        const QString previousError = m_balancerStatus.lastError;
        m_balancerStatus.lastError = error;
        m_cluster->setLoadBalancerProblem(error);
        if (error.isEmpty()) {
            m_balancerStatus.lastData = QDateTime::currentDateTimeUtc();
            // With a membership source, servers are told from members only once the members are
            // known: before the first view every one of them would look like a server without an agent.
            if (m_settings.seeds.isEmpty() || m_established)
                m_cluster->applyTraffic(servers);
            if (m_settings.seeds.isEmpty())
                markEstablished();
        } else if (m_settings.seeds.isEmpty()) {
            failToConnect(tr("the load balancer %1: %2").arg(m_settings.loadBalancerSocket, error));
        }
        if (wasConnected != m_balancerStatus.connected || previousError != error)
            emit endpointsChanged();
    });
}

QList<EndpointStatus> ClusterConnection::endpoints() const
{
    QList<EndpointStatus> all;
    if (!m_settings.seeds.isEmpty())
        all.append(m_seedStatus);
    if (!m_settings.loadBalancerSocket.isEmpty())
        all.append(m_balancerStatus);
    for (const EndpointStatus &status : m_memberStatus)
        all.append(status);
    return all;
}

} // namespace Tribune
