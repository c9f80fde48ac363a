#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>

namespace Tribune::Protocol {

// The protocol's vocabulary (docs/PROTOCOL.md): every message type, named once here.
enum class Message {
    // handshake
    Hello, Auth, Welcome, Error,
    // members to members
    Join, Members, Joined, Leave, Ping, Ack, PingRequest, Nack, Gossip,
    // consoles to agents, and the answers
    Subscribe, Snapshot, Resumed, Event, Health, ConfigGet, Config, ConfigBackups, ConfigBackupGet, ConfigPush,
    ConfigRollback,
    ConfigResult,
};

QString messageName(Message message);
std::optional<Message> messageFromName(QStringView name);
// The type of a received message; nothing for a type the protocol does not have.
std::optional<Message> messageOf(const QJsonObject &json);
// A message of that type, to add its fields to.
QJsonObject newMessage(Message message);
// The answer of that type to a request: with "re" when the request had an "id".
QJsonObject replyTo(const QJsonObject &request, Message type);
// An error answer that leaves the connection open: code and message for people.
QJsonObject errorReply(const QJsonObject &request, const QString &code, const QString &message);
// The answer to a push or a rollback.
QJsonObject configResult(const QJsonObject &request, bool ok, const QString &message, int backup = 0);
// A message type's name for people, also when the protocol does not have it.
QString messageNameOf(const QJsonObject &json);

} // namespace Tribune::Protocol
