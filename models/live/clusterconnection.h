#pragma once

#include "protocol/connection.h"
#include "protocol/keyring.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QStringList>

#include <functional>
#include <memory>

class QTimer;

namespace Tribune {

class LiveCluster;
struct ServerTraffic;

namespace Protocol {
class AgentClient;
}

// Where the console gets its data: the well-known members' membership ports (view and events),
// every member's own port (health), and the load balancer's admin socket (traffic).
struct ConnectionSettings
{
    QStringList seeds; // HOST:PORT of well-known members, tried in order
    Protocol::KeyRing keys;
    QString keyFile; // where the keys came from: named to people (the command a new node runs), never shown
    Protocol::Role role = Protocol::Role::Console;
    Protocol::TlsOptions tls;
    QString loadBalancerSocket; // unix path or HOST:PORT; empty: no load balancer
    // Where history is kept: empty for the SQLite file in the data folder, or a database URL
    // (mysql://user:password@host:port/database, postgresql://...).
    QString historyUrl;
    bool keepHistory = true;
    // The flight recorder: a snapshot of the minutes before each member's failure, in
    // recorderFolder (empty: "flight-recorder" in the data folder), the newest keptSnapshots kept.
    bool recordFailures = false;
    QString recorderFolder;
    int keptSnapshots = 10;
    int healthIntervalMs = 2000;
    int trafficIntervalMs = 1000;
};

// One thing the console talks to, and how fresh its data is.
struct EndpointStatus
{
    enum class Kind { Seed, Member, LoadBalancer };
    Kind kind = Kind::Seed;
    QString address;
    bool connected = false;
    QDateTime lastData; // when it last answered or sent anything: confirmed then
    QString lastError;
};

// Keeps a LiveCluster current: subscribes to a well-known member (the next one when it is
// lost, resuming where it stopped, and back to an earlier one once it answers again: the seeds
// are in order of preference, the load balancer that sees every domain first), asks each member for its health, and polls the load
// balancer's statistics through a poller the caller provides. Reconnects by itself with backoff.
// With no well-known member, the load balancer alone is the source.
//
// A connection is established once its source first answers (the membership view arrives, or
// the load balancer's first statistics without one); until then the caller may keep what it had,
// and connectFailed says why the source could not be reached (every seed tried once, or no
// answer within the time limit). Either is said once.
class ClusterConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ClusterConnection)

public:
    // Fetches the load balancer's servers and calls back with them (or with an error).
    using TrafficPoller = std::function<void(std::function<void(const QList<ServerTraffic> &, const QString &error)>)>;

    ClusterConnection(LiveCluster *cluster, ConnectionSettings settings, QObject *parent = nullptr);
    ~ClusterConnection() override;

    static constexpr int EstablishTimeoutMs = 10000;
    // How often an earlier, unanswering seed is tried again while a later one is in use.
    static constexpr int FailbackIntervalMs = 3000;

    void setTrafficPoller(TrafficPoller poller) { m_trafficPoller = std::move(poller); }
    void start();
    void stop();
    bool isEstablished() const { return m_established; }
    // How long the data of an endpoint may go unconfirmed before it counts as stale.
    int staleAfterMs() const;

    const ConnectionSettings &settings() const { return m_settings; }
    QList<EndpointStatus> endpoints() const;
    bool canChange() const { return m_settings.role == Protocol::Role::Console; }

signals:
    void endpointsChanged();
    void established();
    void connectFailed(const QString &reason);

private:
    void connectSeed();
    // While on a later seed: probes an earlier one, and moves back to it once it answers.
    void tryPreferredSeed();
    void markEstablished();
    void failToConnect(const QString &reason);
    void pollHealth();
    void pollTraffic();
    void forgetMember(const QString &memberId);
    Protocol::AgentClient *memberClient(const QString &memberId);

    LiveCluster *m_cluster;
    ConnectionSettings m_settings;
    int m_seedIndex = 0;
    std::unique_ptr<Protocol::AgentClient> m_seed;
    EndpointStatus m_seedStatus;
    QHash<QString, Protocol::AgentClient *> m_members;
    QHash<QString, EndpointStatus> m_memberStatus;
    EndpointStatus m_balancerStatus;
    TrafficPoller m_trafficPoller;
    bool m_trafficPending = false;
    QTimer *m_healthTimer;
    QTimer *m_trafficTimer;
    QTimer *m_establishTimer;
    QTimer *m_failbackTimer;
    std::unique_ptr<Protocol::AgentClient> m_failbackProbe;
    int m_failbackCandidate = -1;
    bool m_established = false;
    bool m_failed = false;
    bool m_stopped = false;
    int m_seedsFailed = 0; // seeds that could not be reached before the connection was established
};

} // namespace Tribune
