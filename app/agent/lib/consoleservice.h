#pragma once

#include "protocol/member.h"
#include "protocol/messages.h"

#include <QList>
#include <QObject>

#include <deque>
#include <functional>

namespace Tribune {
class NodeConfigStore;
}

namespace Tribune::Protocol {
class Connection;
}

namespace Tribune::Agent {

class MembershipService;
class ProcessStats;

// What consoles and viewers get from a node: the membership view and then every change in
// order with sequence numbers (so a reconnecting console resumes with no gap and no duplicate),
// the node's health, and its configuration files (changed by consoles only).
class ConsoleService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConsoleService)

public:
    static constexpr int KeptEvents = 10000;

    ConsoleService(MembershipService *membership, NodeConfigStore *configStore, QObject *parent = nullptr);
    ~ConsoleService() override;

    // Extra health figures (e.g. HTTP requests served), merged into every health report.
    void setHealthExtras(std::function<QJsonObject()> extras) { m_healthExtras = std::move(extras); }

    void addConsole(Protocol::Connection *connection);
    void record(const Protocol::MembershipEvent &change);

signals:
    // A push or rollback changed the node's files (told after the answer is on its way).
    void configChanged();

private:
    void handle(Protocol::Connection *connection, const QJsonObject &message);
    QJsonObject snapshot() const;
    QJsonObject health();
    QJsonObject configRequest(Protocol::Connection *connection, Protocol::Message kind, const QJsonObject &message);

    MembershipService *m_membership;
    NodeConfigStore *m_configStore;
    std::unique_ptr<ProcessStats> m_stats;
    std::function<QJsonObject()> m_healthExtras;
    std::deque<Protocol::MembershipEvent> m_events;
    qint64 m_lastSequence = 0;
    QList<Protocol::Connection *> m_subscribers;
};

} // namespace Tribune::Agent
