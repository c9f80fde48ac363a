#pragma once

// A console's view of one agent, for tests: the snapshot, then the events applied in order,
// subscribed again (with a new snapshot) whenever the agent comes back.
#include "protocol/agentclient.h"

#include <QHash>
#include <QList>
#include <QStringList>

#include <algorithm>
#include <memory>

namespace Tribune::Protocol {

class MembershipWatcher
{
public:
    explicit MembershipWatcher(std::unique_ptr<AgentClient> client)
        : m_client(std::move(client))
    {
        QObject::connect(m_client.get(), &AgentClient::snapshotReceived, m_client.get(),
                         [this](qint64, qint64, const QList<MemberView> &members) {
                             m_states.clear();
                             for (const MemberView &member : members)
                                 m_states.insert(member.info.id, member.state);
                             ++m_snapshots;
                         });
        QObject::connect(m_client.get(), &AgentClient::eventReceived, m_client.get(), [this](const MembershipEvent &event) {
            m_events.append(event);
            m_states.insert(event.member.id, stateAfter(event.type));
        });
        m_client->setAutoReconnect(true);
        m_client->subscribe();
        m_client->open();
    }

    AgentClient &client() { return *m_client; }
    // Subscribed, and the agent's view arrived on this connection.
    bool isCurrent() const { return m_client->isConnected() && m_snapshots > 0; }
    MemberState state(const QString &id) const { return m_states.value(id, MemberState::Left); }
    bool has(const QString &id, MemberState state) const { return m_states.contains(id) && m_states.value(id) == state; }
    int aliveCount() const { return int(std::count(m_states.cbegin(), m_states.cend(), MemberState::Alive)); }
    QStringList alive() const
    {
        QStringList ids;
        for (auto it = m_states.cbegin(); it != m_states.cend(); ++it) {
            if (it.value() == MemberState::Alive)
                ids.append(it.key());
        }
        ids.sort();
        return ids;
    }
    const QList<MembershipEvent> &events() const { return m_events; }
    const MembershipEvent *lastEvent(const QString &id, MembershipEvent::Type type) const
    {
        for (auto it = m_events.crbegin(); it != m_events.crend(); ++it) {
            if (it->member.id == id && it->type == type)
                return &*it;
        }
        return nullptr;
    }
    int snapshots() const { return m_snapshots; }

private:
    std::unique_ptr<AgentClient> m_client;
    QHash<QString, MemberState> m_states;
    QList<MembershipEvent> m_events;
    int m_snapshots = 0;
};

} // namespace Tribune::Protocol
