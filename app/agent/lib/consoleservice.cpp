#include "consoleservice.h"

#include "membershipservice.h"
#include "processstats.h"

#include "configstore/nodeconfigstore.h"
#include "protocol/connection.h"
#include "protocol/messages.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace Tribune::Agent {

using Protocol::Connection;
using Protocol::MemberInfo;
using Protocol::MembershipEvent;
using Protocol::MemberState;
using namespace Protocol; // the message vocabulary

ConsoleService::ConsoleService(MembershipService *membership, NodeConfigStore *configStore, QObject *parent)
    : QObject(parent)
    , m_membership(membership)
    , m_configStore(configStore)
    , m_stats(std::make_unique<ProcessStats>())
{
    connect(membership, &MembershipService::changed, this, &ConsoleService::record);
    connect(membership, &MembershipService::consoleConnected, this, &ConsoleService::addConsole);
}

ConsoleService::~ConsoleService() = default;

void ConsoleService::addConsole(Connection *connection)
{
    connection->setParent(this);
    connect(connection, &Connection::messageReceived, this,
            [this, connection](const QJsonObject &message) { handle(connection, message); });
    connect(connection, &Connection::closed, this, [this, connection] { m_subscribers.removeAll(connection); });
}

void ConsoleService::record(const MembershipEvent &change)
{
    MembershipEvent event = change;
    event.sequence = ++m_lastSequence;
    event.time = QDateTime::currentDateTimeUtc();
    m_events.push_back(event);
    if (m_events.size() > size_t(KeptEvents))
        m_events.pop_front();
    QJsonObject message = event.toJson();
    message.insert(QStringLiteral("type"), messageName(Message::Event));
    for (Connection *subscriber : std::as_const(m_subscribers))
        subscriber->send(message);
}

QJsonObject ConsoleService::snapshot() const
{
    QJsonArray members;
    members.append(QJsonObject{{QStringLiteral("member"), m_membership->self().toJson()},
                               {QStringLiteral("state"), stateName(MemberState::Alive)}});
    for (const MembershipService::Peer &peer : m_membership->peers())
        members.append(QJsonObject{{QStringLiteral("member"), peer.info.toJson()},
                                   {QStringLiteral("state"), stateName(peer.state)}});
    return {{QStringLiteral("type"), messageName(Message::Snapshot)},
            {QStringLiteral("epoch"), m_membership->self().startedAtMs},
            {QStringLiteral("sequence"), m_lastSequence},
            {QStringLiteral("members"), members}};
}

QJsonObject ConsoleService::health()
{
    const ProcessStats::Sample sample = m_stats->sample();
    QJsonObject roundTrips;
    for (const MembershipService::Peer &peer : m_membership->peers()) {
        if (peer.roundTripMs >= 0)
            roundTrips.insert(peer.info.id, peer.roundTripMs);
    }
    QJsonObject report{{QStringLiteral("member"), m_membership->self().toJson()},
                       {QStringLiteral("uptimeMs"), sample.uptimeMs},
                       {QStringLiteral("cpuPercent"), sample.cpuPercent},
                       {QStringLiteral("rssBytes"), sample.rssBytes},
                       {QStringLiteral("roundTripMs"), roundTrips},
                       {QStringLiteral("datagramBytesSent"), m_membership->datagramBytesSent()},
                       {QStringLiteral("datagramsSent"), m_membership->datagramsSent()},
                       {QStringLiteral("datagramsRefused"), m_membership->datagramsRefused()}};
    if (m_healthExtras) {
        const QJsonObject extras = m_healthExtras();
        for (auto it = extras.constBegin(); it != extras.constEnd(); ++it)
            report.insert(it.key(), it.value());
    }
    return report;
}

void ConsoleService::handle(Connection *connection, const QJsonObject &message)
{
    const std::optional<Message> kind = messageOf(message);
    if (kind == Message::Subscribe) {
        // Resume after the last event the console saw when this is the same run of the agent
        // and that event is still kept; otherwise start over from a snapshot.
        const qint64 epoch = message.value(QLatin1String("epoch")).toInteger(-1);
        const qint64 after = message.value(QLatin1String("after")).toInteger(-1);
        const qint64 oldest = m_events.empty() ? m_lastSequence + 1 : m_events.front().sequence;
        const bool resumable = epoch == m_membership->self().startedAtMs && after >= oldest - 1 && after <= m_lastSequence;
        if (resumable) {
            QJsonObject resumed = replyTo(message, Message::Resumed);
            resumed.insert(QStringLiteral("epoch"), epoch);
            resumed.insert(QStringLiteral("sequence"), after);
            connection->send(resumed);
            for (const MembershipEvent &event : m_events) {
                if (event.sequence <= after)
                    continue;
                QJsonObject replay = event.toJson();
                replay.insert(QStringLiteral("type"), messageName(Message::Event));
                connection->send(replay);
            }
        } else {
            QJsonObject view = snapshot();
            if (message.contains(QLatin1String("id")))
                view.insert(QStringLiteral("re"), message.value(QLatin1String("id")));
            connection->send(view);
        }
        if (!m_subscribers.contains(connection))
            m_subscribers.append(connection);
    } else if (kind == Message::Members) {
        QJsonObject view = snapshot();
        view.insert(QStringLiteral("re"), message.value(QLatin1String("id")));
        connection->send(view);
    } else if (kind == Message::Health) {
        const QJsonObject report = health();
        QJsonObject answer = replyTo(message, Message::Health);
        for (auto it = report.constBegin(); it != report.constEnd(); ++it)
            answer.insert(it.key(), it.value());
        connection->send(answer);
    } else if (kind == Message::ConfigGet || kind == Message::ConfigBackups || kind == Message::ConfigBackupGet
               || kind == Message::ConfigPush
               || kind == Message::ConfigRollback) {
        connection->send(configRequest(connection, *kind, message));
    } else {
        connection->send(errorReply(message, QStringLiteral("unknown-request"),
                                    tr("unknown request \"%1\"").arg(messageNameOf(message))));
    }
}

} // namespace Tribune::Agent
