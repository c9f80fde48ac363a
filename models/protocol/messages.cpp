#include "messages.h"

#include <array>

namespace Tribune::Protocol {

namespace {

struct Named
{
    Message message;
    const char *name;
};

constexpr std::array<Named, 25> Names = {{
    {Message::Hello, "hello"},
    {Message::Auth, "auth"},
    {Message::Welcome, "welcome"},
    {Message::Error, "error"},
    {Message::Join, "join"},
    {Message::Members, "members"},
    {Message::Joined, "joined"},
    {Message::Leave, "leave"},
    {Message::Ping, "ping"},
    {Message::Ack, "ack"},
    {Message::PingRequest, "ping-req"},
    {Message::Nack, "nack"},
    {Message::Gossip, "gossip"},
    {Message::Subscribe, "subscribe"},
    {Message::Snapshot, "snapshot"},
    {Message::Resumed, "resumed"},
    {Message::Event, "event"},
    {Message::Health, "health"},
    {Message::ConfigGet, "config-get"},
    {Message::Config, "config"},
    {Message::ConfigBackups, "config-backups"},
    {Message::ConfigBackupGet, "config-backup-get"},
    {Message::ConfigPush, "config-push"},
    {Message::ConfigRollback, "config-rollback"},
    {Message::ConfigResult, "config-result"},
}};

} // namespace

QString messageName(Message message)
{
    for (const Named &named : Names) {
        if (named.message == message)
            return QString::fromLatin1(named.name);
    }
    return {};
}

std::optional<Message> messageFromName(QStringView name)
{
    for (const Named &named : Names) {
        if (name == QLatin1String(named.name))
            return named.message;
    }
    return std::nullopt;
}

std::optional<Message> messageOf(const QJsonObject &json)
{
    return messageFromName(json.value(QLatin1String("type")).toString());
}

QJsonObject newMessage(Message message)
{
    return {{QStringLiteral("type"), messageName(message)}};
}

QJsonObject replyTo(const QJsonObject &request, Message type)
{
    QJsonObject reply = newMessage(type);
    if (request.contains(QLatin1String("id")))
        reply.insert(QStringLiteral("re"), request.value(QLatin1String("id")));
    return reply;
}

QJsonObject errorReply(const QJsonObject &request, const QString &code, const QString &message)
{
    QJsonObject reply = replyTo(request, Message::Error);
    reply.insert(QStringLiteral("code"), code);
    reply.insert(QStringLiteral("message"), message);
    return reply;
}

QJsonObject configResult(const QJsonObject &request, bool ok, const QString &message, int backup)
{
    QJsonObject reply = replyTo(request, Message::ConfigResult);
    reply.insert(QStringLiteral("ok"), ok);
    reply.insert(QStringLiteral("message"), message);
    reply.insert(QStringLiteral("backup"), backup);
    return reply;
}

QString messageNameOf(const QJsonObject &json)
{
    return json.value(QLatin1String("type")).toString().left(64);
}

} // namespace Tribune::Protocol
