#include "livesession.h"

#include "eventlogmodel.h"
#include "livecluster.h"
#include "liveclustermodel.h"
#include "loadbalancerlink.h"
#include "metricseries.h"

#include "haproxy/runtimeclient.h"

namespace Tribune {

LiveSession::LiveSession(ConnectionSettings settings, const QString &title, QObject *parent)
    : QObject(parent)
    , m_cluster(new LiveCluster(this))
    , m_model(new LiveClusterModel(m_cluster, title, this))
    , m_series(new MetricSeries(m_cluster, MetricSeries::DefaultKeptSeconds, this))
    , m_events(new EventLogModel(this))
    , m_connection(new ClusterConnection(m_cluster, std::move(settings), this))
{
    connect(m_cluster, &LiveCluster::eventLogged, m_events, &EventLogModel::append);
    const QString socket = m_connection->settings().loadBalancerSocket;
    QString error;
    if (const std::optional<HAProxy::RuntimeClient::Address> address = HAProxy::RuntimeClient::parseAddress(socket, &error);
        address && !socket.isEmpty()) {
        m_loadBalancer = new LoadBalancerLink(new HAProxy::RuntimeClient(*address, this), m_cluster, this);
        m_connection->setTrafficPoller([this](std::function<void(const QList<ServerTraffic> &, const QString &)> done) {
            m_loadBalancer->poll(done);
        });
    }
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
