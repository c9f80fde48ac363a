// The configuration requests of the console service: read, push, list backups, roll back.
#include "consoleservice.h"

#include "configstore/nodeconfigstore.h"
#include "protocol/connection.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace Tribune::Agent {

namespace {

QJsonObject answer(const QJsonObject &request, const QString &type)
{
    return {{QStringLiteral("type"), type}, {QStringLiteral("re"), request.value(QLatin1String("id"))}};
}

QJsonObject failure(const QJsonObject &request, const QString &code, const QString &message)
{
    QJsonObject reply = answer(request, QStringLiteral("error"));
    reply.insert(QStringLiteral("code"), code);
    reply.insert(QStringLiteral("message"), message);
    return reply;
}

QJsonObject result(const QJsonObject &request, bool ok, const QString &message, int backup)
{
    QJsonObject reply = answer(request, QStringLiteral("config-result"));
    reply.insert(QStringLiteral("ok"), ok);
    reply.insert(QStringLiteral("message"), message);
    reply.insert(QStringLiteral("backup"), backup);
    return reply;
}

} // namespace

QJsonObject ConsoleService::configRequest(Protocol::Connection *connection, const QString &kind, const QJsonObject &message)
{
    const QString actor = QStringLiteral("%1@%2").arg(roleName(connection->role()), connection->peerDescription());
    if (kind == u"config-get") {
        QString error;
        const std::optional<ConfigFileSet> files = m_configStore->read(&error);
        if (!files)
            return failure(message, QStringLiteral("config-read"), error);
        QJsonObject encoded;
        for (auto it = files->files.cbegin(); it != files->files.cend(); ++it)
            encoded.insert(it.key(), QString::fromLatin1(it.value().toBase64()));
        QJsonObject reply = answer(message, QStringLiteral("config"));
        reply.insert(QStringLiteral("files"), encoded);
        return reply;
    }
    if (kind == u"config-backups") {
        QJsonArray list;
        for (const ConfigBackup &backup : m_configStore->backups())
            list.append(QJsonObject{{QStringLiteral("number"), backup.number},
                                    {QStringLiteral("time"), backup.time.toString(Qt::ISODate)},
                                    {QStringLiteral("actor"), backup.actor},
                                    {QStringLiteral("reason"), backup.reason},
                                    {QStringLiteral("files"), QJsonArray::fromStringList(backup.files)}});
        QJsonObject reply = answer(message, QStringLiteral("config-backups"));
        reply.insert(QStringLiteral("backups"), list);
        return reply;
    }
    // Everything below changes the node: consoles only.
    if (connection->role() != Protocol::Role::Console)
        return failure(message, QStringLiteral("read-only"),
                       tr("a %1 key is read-only; use the console key to change a node's files").arg(roleName(connection->role())));
    QString error;
    int backup = 0;
    if (kind == u"config-push") {
        ConfigFileSet changes;
        const QJsonObject files = message.value(QLatin1String("files")).toObject();
        for (auto it = files.constBegin(); it != files.constEnd(); ++it)
            changes.files.insert(it.key(), QByteArray::fromBase64(it.value().toString().toLatin1()));
        const bool ok = m_configStore->push(changes, actor, &error, &backup);
        if (ok && backup == 0)
            return result(message, true, tr("nothing changed: the files sent are the node's files already"), 0);
        if (ok)
            QMetaObject::invokeMethod(this, &ConsoleService::configChanged, Qt::QueuedConnection);
        return result(message, ok, ok ? tr("pushed; the previous versions are kept as backup %1").arg(backup) : error, backup);
    }
    if (kind == u"config-rollback") {
        const int number = message.value(QLatin1String("number")).toInt();
        const bool ok = m_configStore->rollback(number, actor, &error, &backup);
        if (ok && backup == 0)
            return result(message, true, tr("nothing changed: the node's files already equal backup %1").arg(number), 0);
        if (ok)
            QMetaObject::invokeMethod(this, &ConsoleService::configChanged, Qt::QueuedConnection);
        return result(message, ok, ok ? tr("rolled back to backup %1; what it replaced is backup %2").arg(number).arg(backup) : error, backup);
    }
    return failure(message, QStringLiteral("unknown-request"), tr("unknown request \"%1\"").arg(kind));
}

} // namespace Tribune::Agent
