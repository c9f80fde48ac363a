#include "agentclient.h"

#include "messages.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QTimer>

namespace Tribune::Protocol {

namespace {

constexpr int MaxReconnectDelayMs = 5000;

QJsonObject errorObject(const QString &code, const QString &message)
{
    return {{QStringLiteral("type"), QStringLiteral("error")},
            {QStringLiteral("code"), code},
            {QStringLiteral("message"), message}};
}

} // namespace

QList<MemberView> memberViewsOf(const QJsonArray &members)
{
    QList<MemberView> views;
    for (const QJsonValue &entry : members) {
        const QJsonObject item = entry.toObject();
        const std::optional<MemberInfo> info = MemberInfo::fromJson(item.value(QLatin1String("member")).toObject());
        const std::optional<MemberState> state = stateFromName(item.value(QLatin1String("state")).toString());
        if (info && state)
            views.append({*info, *state});
    }
    return views;
}

std::optional<AgentClient::Endpoint> AgentClient::parseEndpoint(const QString &text, QString *error)
{
    const qsizetype colon = text.lastIndexOf(u':');
    const QString host = colon < 0 ? text : text.left(colon);
    const QString portText = colon < 0 ? QString() : text.mid(colon + 1);
    const QString example = (host.isEmpty() ? QStringLiteral("127.0.0.1") : host) + QStringLiteral(":4000");
    bool isNumber = false;
    const int port = portText.toInt(&isNumber);
    if (host.isEmpty())
        *error = tr("The member \"%1\" has no host: write it as HOST:PORT, e.g. %2.").arg(text, example);
    else if (portText.isEmpty())
        *error = tr("The member \"%1\" has no port: write it as HOST:PORT, e.g. %2.").arg(text, example);
    else if (!isNumber)
        *error = tr("The port of \"%1\" is not a number: write the member as HOST:PORT, e.g. %2.").arg(text, example);
    else if (port < 1 || port > 65535)
        *error = tr("The port of \"%1\" is out of range: use a port from 1 to 65535, e.g. %2.").arg(text, example);
    else
        return Endpoint{host, quint16(port)};
    return std::nullopt;
}

AgentClient::AgentClient(Endpoint endpoint, KeyRing keys, Role role, TlsOptions tls, QObject *parent)
    : QObject(parent)
    , m_endpoint(std::move(endpoint))
    , m_keys(std::move(keys))
    , m_role(role)
    , m_tls(std::move(tls))
    , m_reconnectTimer(new QTimer(this))
{
    m_reconnectTimer->setSingleShot(true);
    connect(m_reconnectTimer, &QTimer::timeout, this, &AgentClient::open);
}

AgentClient::~AgentClient() = default;

void AgentClient::open()
{
    if (m_connection)
        return;
    m_connection = Connection::connectTo(m_endpoint.host, m_endpoint.port, m_keys, m_role, m_tls, this);
    connect(m_connection, &Connection::authenticated, this, [this] {
        m_reconnectDelayMs = 250;
        emit connected();
        if (m_subscribed)
            sendSubscribe();
    });
    connect(m_connection, &Connection::messageReceived, this, &AgentClient::onMessage);
    connect(m_connection, &Connection::refused, this, [this](const QString &reason) {
        m_refused = true;
        emit refused(reason);
    });
    connect(m_connection, &Connection::closed, this, &AgentClient::onClosed);
}

void AgentClient::onClosed(const QString &reason)
{
    const bool wasAuthenticated = m_connection && m_connection->isAuthenticated();
    m_connection = nullptr;
    failPending(reason);
    if (m_refused)
        return;
    emit disconnected(reason);
    if (m_autoReconnect && !m_refused) {
        if (wasAuthenticated)
            m_reconnectDelayMs = 250;
        m_reconnectTimer->start(m_reconnectDelayMs);
        m_reconnectDelayMs = qMin(m_reconnectDelayMs * 2, MaxReconnectDelayMs);
    }
}

void AgentClient::subscribe()
{
    m_subscribed = true;
    if (isConnected())
        sendSubscribe();
}

void AgentClient::sendSubscribe()
{
    QJsonObject message{{QStringLiteral("type"), QStringLiteral("subscribe")}};
    if (m_epoch >= 0) {
        message.insert(QStringLiteral("epoch"), m_epoch);
        message.insert(QStringLiteral("after"), m_lastSequence);
    }
    m_connection->send(message);
}

void AgentClient::request(QJsonObject message, std::function<void(const QJsonObject &)> onReply)
{
    if (!m_connection) {
        onReply(errorObject(QStringLiteral("not-connected"), tr("not connected to %1").arg(m_endpoint.toString())));
        return;
    }
    const qint64 id = m_nextRequestId++;
    message.insert(QStringLiteral("id"), id);
    auto *timeout = new QTimer(this);
    timeout->setSingleShot(true);
    connect(timeout, &QTimer::timeout, this, [this, id] {
        const Pending pending = m_pending.take(id);
        if (pending.timeout)
            pending.timeout->deleteLater();
        if (pending.onReply)
            pending.onReply(errorObject(QStringLiteral("timeout"),
                                        tr("%1 did not answer within %2 s").arg(m_endpoint.toString()).arg(RequestTimeoutMs / 1000)));
    });
    timeout->start(RequestTimeoutMs);
    m_pending.insert(id, {std::move(onReply), timeout});
    m_connection->send(message);
}

void AgentClient::failPending(const QString &reason)
{
    const QHash<qint64, Pending> pending = std::exchange(m_pending, {});
    for (const Pending &entry : pending) {
        entry.timeout->deleteLater();
        entry.onReply(errorObject(QStringLiteral("disconnected"), reason));
    }
}

void AgentClient::onMessage(const QJsonObject &message)
{
    const QString type = message.value(QLatin1String("type")).toString();
    if (message.contains(QLatin1String("re"))) {
        const Pending pending = m_pending.take(message.value(QLatin1String("re")).toInteger());
        if (pending.onReply) {
            pending.timeout->deleteLater();
            pending.onReply(message);
            if (type != u"snapshot")
                return;
        }
    }
    if (type == u"snapshot" && m_subscribed) {
        const QList<MemberView> members = memberViewsOf(message.value(QLatin1String("members")).toArray());
        m_epoch = message.value(QLatin1String("epoch")).toInteger();
        m_lastSequence = message.value(QLatin1String("sequence")).toInteger();
        emit snapshotReceived(m_epoch, m_lastSequence, members);
    } else if (type == u"event") {
        const std::optional<MembershipEvent> event = MembershipEvent::fromJson(message);
        // Anything at or before what was seen already is a duplicate from a resume race.
        if (event && event->sequence > m_lastSequence) {
            m_lastSequence = event->sequence;
            emit eventReceived(*event);
        }
    }
}

qint64 AgentClient::typedRequest(QJsonObject message, std::function<void(qint64, const QJsonObject &)> onAnswer)
{
    const qint64 id = m_nextRequestId; // the number request() gives it
    if (!m_connection) {
        // Told after the caller has the number, as every answer is.
        ++m_nextRequestId;
        QMetaObject::invokeMethod(this, [this, id] {
            emit requestFailed(id, QStringLiteral("not-connected"), tr("not connected to %1").arg(m_endpoint.toString()));
        }, Qt::QueuedConnection);
        return id;
    }
    request(std::move(message), [this, id, onAnswer = std::move(onAnswer)](const QJsonObject &reply) {
        if (messageOf(reply) == Message::Error)
            emit requestFailed(id, reply.value(QLatin1String("code")).toString(),
                               reply.value(QLatin1String("message")).toString());
        else
            onAnswer(id, reply);
    });
    return id;
}

qint64 AgentClient::members()
{
    return typedRequest(newMessage(Message::Members), [this](qint64 id, const QJsonObject &reply) {
        emit membersReceived(id, memberViewsOf(reply.value(QLatin1String("members")).toArray()));
    });
}

qint64 AgentClient::health()
{
    return typedRequest(newMessage(Message::Health), [this](qint64 id, const QJsonObject &reply) {
        emit healthReceived(id, reply);
    });
}

qint64 AgentClient::configGet()
{
    return typedRequest(newMessage(Message::ConfigGet), [this](qint64 id, const QJsonObject &reply) {
        QMap<QString, QByteArray> files;
        const QJsonObject encoded = reply.value(QLatin1String("files")).toObject();
        for (auto it = encoded.constBegin(); it != encoded.constEnd(); ++it)
            files.insert(it.key(), QByteArray::fromBase64(it.value().toString().toLatin1()));
        emit configReceived(id, files);
    });
}

namespace {

ConfigResult configResultOf(const QJsonObject &reply)
{
    return {reply.value(QLatin1String("ok")).toBool(), reply.value(QLatin1String("message")).toString(),
            reply.value(QLatin1String("backup")).toInt()};
}

} // namespace

qint64 AgentClient::configPush(const QMap<QString, QByteArray> &files, const QStringList &removed)
{
    QJsonObject encoded;
    for (auto it = files.cbegin(); it != files.cend(); ++it)
        encoded.insert(it.key(), QString::fromLatin1(it.value().toBase64()));
    for (const QString &path : removed)
        encoded.insert(path, QJsonValue::Null);
    QJsonObject message = newMessage(Message::ConfigPush);
    message.insert(QStringLiteral("files"), encoded);
    return typedRequest(message, [this](qint64 id, const QJsonObject &reply) {
        emit configResultReceived(id, configResultOf(reply));
    });
}

qint64 AgentClient::rollback(int backup)
{
    QJsonObject message = newMessage(Message::ConfigRollback);
    message.insert(QStringLiteral("number"), backup);
    return typedRequest(message, [this](qint64 id, const QJsonObject &reply) {
        emit configResultReceived(id, configResultOf(reply));
    });
}

qint64 AgentClient::configBackup(int number)
{
    QJsonObject message = newMessage(Message::ConfigBackupGet);
    message.insert(QStringLiteral("number"), number);
    return typedRequest(message, [this](qint64 id, const QJsonObject &reply) {
        QMap<QString, QByteArray> files;
        QStringList absent;
        const QJsonObject encoded = reply.value(QLatin1String("files")).toObject();
        for (auto it = encoded.constBegin(); it != encoded.constEnd(); ++it) {
            if (it.value().isNull())
                absent.append(it.key());
            else
                files.insert(it.key(), QByteArray::fromBase64(it.value().toString().toLatin1()));
        }
        emit backupReceived(id, files, absent);
    });
}

qint64 AgentClient::configBackups()
{
    return typedRequest(newMessage(Message::ConfigBackups), [this](qint64 id, const QJsonObject &reply) {
        QList<BackupInfo> backups;
        for (const QJsonValue &entry : reply.value(QLatin1String("backups")).toArray()) {
            const QJsonObject item = entry.toObject();
            QStringList files;
            for (const QJsonValue &file : item.value(QLatin1String("files")).toArray())
                files.append(file.toString());
            backups.append({item.value(QLatin1String("number")).toInt(),
                            QDateTime::fromString(item.value(QLatin1String("time")).toString(), Qt::ISODate),
                            item.value(QLatin1String("actor")).toString(), item.value(QLatin1String("reason")).toString(),
                            files});
        }
        emit backupsReceived(id, backups);
    });
}

} // namespace Tribune::Protocol
