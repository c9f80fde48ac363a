#include "hostresolver.h"

#include <QHostInfo>
#include <QTimer>

namespace Tribune {

HostResolver::HostResolver(QObject *parent)
    : QObject(parent)
    , m_deadline(new QTimer(this))
{
    m_deadline->setSingleShot(true);
    connect(m_deadline, &QTimer::timeout, this, &HostResolver::finish);
}

HostResolver::~HostResolver()
{
    cancel();
}

void HostResolver::resolve(const QStringList &names, int timeoutMs)
{
    cancel();
    m_addresses.clear();
    QSet<QString> unique;
    for (const QString &name : names) {
        const QString lower = name.trimmed().toLower();
        if (lower.isEmpty() || HostModel::isAddress(lower) || unique.contains(lower))
            continue;
        if (unique.size() >= MaxNames)
            break;
        unique.insert(lower);
    }
    if (unique.isEmpty()) {
        // Answer from the event loop, like every other answer, so callers connect first; through
        // the deadline timer, so that a cancel() or a newer resolve() stops it.
        m_deadline->start(0);
        return;
    }
    for (const QString &name : std::as_const(unique)) {
        const int id = QHostInfo::lookupHost(name, this, [this, name](const QHostInfo &info) {
            const QList<QHostAddress> addresses = info.addresses();
            // IPv4 first: the clusters of the guides name servers by their IPv4 addresses.
            QString chosen;
            for (const QHostAddress &address : addresses) {
                if (address.protocol() == QAbstractSocket::IPv4Protocol) {
                    chosen = address.toString();
                    break;
                }
            }
            if (chosen.isEmpty() && !addresses.isEmpty())
                chosen = addresses.first().toString();
            answered(info.lookupId(), name, chosen);
        });
        m_pending.insert(id, name);
    }
    m_deadline->start(timeoutMs);
}

bool HostResolver::isRunning() const
{
    return !m_pending.isEmpty() || m_deadline->isActive();
}

void HostResolver::cancel()
{
    // Forgotten, not aborted: an aborted lookup never frees the callback Qt holds for it (Qt 6.4),
    // and a forgotten one's late answer finds no pending id and is dropped.
    m_pending.clear();
    m_deadline->stop();
}

void HostResolver::answered(int lookupId, const QString &name, const QString &address)
{
    if (!m_pending.remove(lookupId))
        return;
    if (!address.isEmpty())
        m_addresses.insert(name, address);
    if (m_pending.isEmpty())
        finish();
}

void HostResolver::finish()
{
    cancel();
    emit finished(HostModel::fromResolver(m_addresses));
}

} // namespace Tribune
