#include "sessionkeeper.h"

#include "livesession.h"

namespace Tribune {

SessionKeeper::SessionKeeper(QObject *parent)
    : QObject(parent)
{
}

SessionKeeper::~SessionKeeper() = default;

void SessionKeeper::makeCurrent(std::unique_ptr<LiveSession> session)
{
    std::unique_ptr<LiveSession> previous = std::exchange(m_current, std::move(session));
    emit currentChanged(m_current.get());
    // Its view is torn down on the next turn of the event loop; the session goes after it.
    if (previous) {
        previous->connection()->stop();
        previous.release()->deleteLater();
    }
}

void SessionKeeper::adopt(ConnectionSettings settings, const QString &title)
{
    cancelPending();
    makeCurrent(std::make_unique<LiveSession>(std::move(settings), title));
    m_current->start();
}

void SessionKeeper::connectTo(ConnectionSettings settings, const QString &title)
{
    cancelPending();
    const QString what = settings.seeds.isEmpty() ? tr("the load balancer %1").arg(settings.loadBalancerSocket)
                                                  : tr("the membership port %1").arg(settings.seeds.join(QLatin1String(", ")));
    m_pending = std::make_unique<LiveSession>(std::move(settings), title);
    LiveSession *session = m_pending.get();
    ClusterConnection *connection = session->connection();
    // Only the connection still being tried counts: one given up may have an answer on its way.
    connect(connection, &ClusterConnection::established, this, [this, session] {
        if (m_pending.get() == session)
            makeCurrent(std::move(m_pending));
    });
    connect(connection, &ClusterConnection::connectFailed, this, [this, session](const QString &reason) {
        if (m_pending.get() != session)
            return;
        cancelPending();
        emit connectFailed(reason);
    });
    emit connecting(what);
    m_pending->start();
}

void SessionKeeper::cancelPending()
{
    if (!m_pending)
        return;
    m_pending->connection()->stop();
    // Called from the pending connection's own signal: it goes once that signal has returned.
    m_pending.release()->deleteLater();
}

} // namespace Tribune
