#include "livesession.h"

#include "eventlogmodel.h"
#include "groupsummary.h"
#include "livecluster.h"
#include "liveclustermodel.h"
#include "loadbalancerlink.h"
#include "metricseries.h"

#include "historyrecorder.h"

#include "haproxy/runtimeclient.h"
#include "history/historystore.h"
#include "snapshot/flightrecorder.h"

#include <QDir>
#include <QStandardPaths>

namespace Tribune {

LiveSession::LiveSession(ConnectionSettings settings, const QString &title, QObject *parent)
    : QObject(parent)
    , m_cluster(new LiveCluster(this))
    , m_model(new LiveClusterModel(m_cluster, title, this))
    , m_series(new MetricSeries(m_cluster, MetricSeries::DefaultKeptSeconds, this))
    , m_events(new EventLogModel(this))
    , m_connection(new ClusterConnection(m_cluster, std::move(settings), this))
{
    // The log names members as the tree does.
    m_events->setNameOf([cluster = m_cluster](const QString &id) { return displayNameOf(*cluster, id); });
    connect(m_cluster, &LiveCluster::eventLogged, m_events, &EventLogModel::append);
    if (m_connection->settings().keepHistory) {
        // Opened, written and read on a thread of its own: the history may be a database server.
        m_history = new HistoryRecorder(m_connection->settings().historyUrl, m_cluster, m_series, m_events, this);
        connect(m_history, &HistoryRecorder::problem, this,
                [this](const QString &message) { m_cluster->logAdminAction(QString(), tr("history: %1").arg(message)); });
    }
    const QString socket = m_connection->settings().loadBalancerSocket;
    QString error;
    if (const std::optional<HAProxy::RuntimeClient::Address> address = HAProxy::RuntimeClient::parseAddress(socket, &error);
        address && !socket.isEmpty()) {
        m_loadBalancer = new LoadBalancerLink(new HAProxy::RuntimeClient(*address, this), m_cluster, this);
        m_connection->setTrafficPoller([this](std::function<void(const QList<ServerTraffic> &, const QString &)> done) {
            m_loadBalancer->poll(done);
        });
    }
    startFlightRecorder();
}

void LiveSession::startFlightRecorder()
{
    const ConnectionSettings &settings = m_connection->settings();
    QString error;
    const std::optional<Protocol::AgentClient::Endpoint> seed =
        Protocol::AgentClient::parseEndpoint(settings.seeds.value(0), &error);
    if (!settings.recordFailures || !seed)
        return;
    Snapshot::FlightRecorder::Settings recorder;
    recorder.folder = settings.recorderFolder.isEmpty()
        ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QLatin1String("/flight-recorder")
        : settings.recorderFolder;
    recorder.keep = settings.keptSnapshots;
    recorder.snapshot.cluster = {*seed, settings.keys, settings.role, settings.tls};
    recorder.snapshot.loadBalancerSocket = settings.loadBalancerSocket;
    recorder.snapshot.withHistory = settings.keepHistory;
    recorder.snapshot.historyUrl = settings.historyUrl;
    recorder.snapshot.takenBy = tr("the flight recorder");
    m_recorder = new Snapshot::FlightRecorder(recorder, this);
    connect(m_cluster, &LiveCluster::eventLogged, m_recorder, &Snapshot::FlightRecorder::observe);
    // The event log says where the snapshot of a failure is, next to the failure.
    connect(m_recorder, &Snapshot::FlightRecorder::recorded, this, [this](const QString &path, const HistoryEvent &cause) {
        m_cluster->logEvent(QStringLiteral("snapshot"), cause.memberId,
                            tr("the cluster and the minutes before this %1: %2").arg(cause.kind, QDir::toNativeSeparators(path)));
    });
    connect(m_recorder, &Snapshot::FlightRecorder::failed, this, [this](const QString &why, const HistoryEvent &cause) {
        m_cluster->logEvent(QStringLiteral("snapshot"), cause.memberId, tr("no snapshot of this %1: %2").arg(cause.kind, why));
    });
}

bool LiveSession::canChangeMembers(QString *why) const
{
    if (!m_connection->canChange()) {
        *why = tr("the viewer key is read-only; connect with the console key to change members");
        return false;
    }
    if (!m_loadBalancer) {
        *why = tr("no load balancer admin socket was given (--lb-socket)");
        return false;
    }
    return true;
}

LiveSession::~LiveSession() = default;

void LiveSession::start()
{
    m_connection->start();
}

} // namespace Tribune
