#include "livesession.h"

#include "eventlogmodel.h"
#include "livecluster.h"
#include "liveclustermodel.h"
#include "metricseries.h"

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
}

LiveSession::~LiveSession() = default;

void LiveSession::start()
{
    m_connection->start();
}

} // namespace Tribune
