#include "clusterconnection.h"

#include "livecluster.h"

#include "protocol/agentclient.h"
#include "protocol/messages.h"

#include <QTimer>

namespace Tribune {

using Protocol::AgentClient;

ClusterConnection::ClusterConnection(LiveCluster *cluster, ConnectionSettings settings, QObject *parent)
    : QObject(parent)
    , m_cluster(cluster)
    , m_settings(std::move(settings))
    , m_healthTimer(new QTimer(this))
    , m_trafficTimer(new QTimer(this))
{
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
    connectSeed();
    m_healthTimer->start(m_settings.healthIntervalMs);
    if (m_trafficPoller && !m_settings.loadBalancerSocket.isEmpty()) {
        m_trafficTimer->start(m_settings.trafficIntervalMs);
        pollTraffic();
    }
}

void ClusterConnection::stop()
{
    m_healthTimer->stop();
    m_trafficTimer->stop();
    m_seed.reset();
    qDeleteAll(m_members);
    m_members.clear();
}

void ClusterConnection::connectSeed()
{
    if (m_settings.seeds.isEmpty())
        return;
    QString error;
    const QString address = m_settings.seeds.at(m_seedIndex % m_settings.seeds.size());
    const std::optional<AgentClient::Endpoint> endpoint = AgentClient::parseEndpoint(address, &error);
    m_seedStatus = {EndpointStatus::Kind::Seed, address, false, {}, error};
    if (!endpoint) {
        emit endpointsChanged();
        return;
    }
    m_seed = std::make_unique<AgentClient>(*endpoint, m_settings.keys, m_settings.role, m_settings.tls);
    AgentClient *seed = m_seed.get();
    connect(seed, &AgentClient::connected, this, [this] {
        m_seedStatus.connected = true;
        m_seedStatus.lastError.clear();
        emit endpointsChanged();
    });
    connect(seed, &AgentClient::snapshotReceived, this, [this](qint64, qint64, const QList<Protocol::MemberView> &members) {
        m_seedStatus.lastData = QDateTime::currentDateTimeUtc();
        m_cluster->applySnapshot(members);
    });
    connect(seed, &AgentClient::eventReceived, this, [this](const Protocol::MembershipEvent &event) {
        m_seedStatus.lastData = QDateTime::currentDateTimeUtc();
        m_cluster->applyEvent(event);
    });
    connect(seed, &AgentClient::disconnected, this, [this](const QString &reason) {
        m_seedStatus.connected = false;
        m_seedStatus.lastError = reason;
        emit endpointsChanged();
        // Try the next well-known member; the client itself retries the same one otherwise.
        if (m_settings.seeds.size() > 1) {
            ++m_seedIndex;
            QTimer::singleShot(0, this, &ClusterConnection::connectSeed);
        }
    });
    connect(seed, &AgentClient::refused, this, [this](const QString &reason) {
        m_seedStatus.connected = false;
        m_seedStatus.lastError = reason;
        emit endpointsChanged();
    });
    seed->setAutoReconnect(m_settings.seeds.size() == 1);
    seed->subscribe();
    seed->open();
    emit endpointsChanged();
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
    for (auto it = m_cluster->members().cbegin(); it != m_cluster->members().cend(); ++it) {
        if (it->state != Protocol::MemberState::Alive && it->state != Protocol::MemberState::Suspect)
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
        const bool wasConnected = m_balancerStatus.connected;
        m_balancerStatus.connected = error.isEmpty();
        m_balancerStatus.lastError = error;
        if (error.isEmpty()) {
            m_balancerStatus.lastData = QDateTime::currentDateTimeUtc();
            m_cluster->applyTraffic(servers);
        }
        if (wasConnected != m_balancerStatus.connected)
            emit endpointsChanged();
    });
}

QList<EndpointStatus> ClusterConnection::endpoints() const
{
    QList<EndpointStatus> all{m_seedStatus};
    if (!m_settings.loadBalancerSocket.isEmpty())
        all.append(m_balancerStatus);
    for (const EndpointStatus &status : m_memberStatus)
        all.append(status);
    return all;
}

} // namespace Tribune
