// The configuration requests of the console service: read, push, list and read backups, roll back.
#include "consoleservice.h"

#include "configstore/nodeconfigstore.h"
#include "protocol/connection.h"
#include "protocol/messages.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace Tribune::Agent {

using namespace Protocol; // the message vocabulary

QJsonObject ConsoleService::configRequest(Protocol::Connection *connection, Message kind, const QJsonObject &message)
{
    const QString actor = QStringLiteral("%1@%2").arg(roleName(connection->role()), connection->peerDescription());
    if (kind == Message::ConfigGet) {
        QString error;
        const std::optional<ConfigFileSet> files = m_configStore->read(&error);
        if (!files)
            return errorReply(message, QStringLiteral("config-read"), error);
        QJsonObject encoded;
        for (auto it = files->files.cbegin(); it != files->files.cend(); ++it)
            encoded.insert(it.key(), QString::fromLatin1(it.value().toBase64()));
        QJsonObject reply = replyTo(message, Message::Config);
        reply.insert(QStringLiteral("files"), encoded);
        return reply;
    }
    if (kind == Message::ConfigBackups) {
        QJsonArray list;
        for (const ConfigBackup &backup : m_configStore->backups())
            list.append(QJsonObject{{QStringLiteral("number"), backup.number},
                                    {QStringLiteral("time"), backup.time.toString(Qt::ISODate)},
                                    {QStringLiteral("actor"), backup.actor},
                                    {QStringLiteral("reason"), backup.reason},
                                    {QStringLiteral("files"), QJsonArray::fromStringList(backup.files)}});
        QJsonObject reply = replyTo(message, Message::ConfigBackups);
        reply.insert(QStringLiteral("backups"), list);
        return reply;
    }
    if (kind == Message::ConfigBackupGet) {
        QString error;
        const int number = message.value(QLatin1String("number")).toInt();
        const std::optional<ConfigFileSet> saved = m_configStore->backupContents(number, &error);
        if (!saved)
            return errorReply(message, QStringLiteral("config-read"), error);
        QJsonObject encoded;
        for (auto it = saved->files.cbegin(); it != saved->files.cend(); ++it)
            encoded.insert(it.key(), QString::fromLatin1(it.value().toBase64()));
        for (const QString &absent : saved->removed)
            encoded.insert(absent, QJsonValue::Null); // the node did not have it then
        QJsonObject reply = replyTo(message, Message::Config);
        reply.insert(QStringLiteral("number"), number);
        reply.insert(QStringLiteral("files"), encoded);
        return reply;
    }
    // Everything below changes the node: consoles only.
    if (connection->role() != Protocol::Role::Console)
        return errorReply(message, QStringLiteral("read-only"),
                       tr("a %1 key is read-only; use the console key to change a node's files").arg(roleName(connection->role())));
    QString error;
    int backup = 0;
    if (kind == Message::ConfigPush) {
        ConfigFileSet changes;
        const QJsonObject files = message.value(QLatin1String("files")).toObject();
        for (auto it = files.constBegin(); it != files.constEnd(); ++it) {
            if (it.value().isNull())
                changes.removed.append(it.key()); // null: the push deletes the file
            else
                changes.files.insert(it.key(), QByteArray::fromBase64(it.value().toString().toLatin1()));
        }
        const bool ok = m_configStore->push(changes, actor, &error, &backup);
        if (ok && backup == 0)
            return configResult(message, true, tr("nothing changed: the files sent are the node's files already"), 0);
        if (ok)
            QMetaObject::invokeMethod(this, &ConsoleService::configChanged, Qt::QueuedConnection);
        return configResult(message, ok, ok ? tr("pushed; the previous versions are kept as backup %1").arg(backup) : error, backup);
    }
    if (kind == Message::ConfigRollback) {
        const int number = message.value(QLatin1String("number")).toInt();
        const bool ok = m_configStore->rollback(number, actor, &error, &backup);
        if (ok && backup == 0)
            return configResult(message, true, tr("nothing changed: the node's files already equal backup %1").arg(number), 0);
        if (ok)
            QMetaObject::invokeMethod(this, &ConsoleService::configChanged, Qt::QueuedConnection);
        return configResult(message, ok, ok ? tr("rolled back to backup %1; what it replaced is backup %2").arg(number).arg(backup) : error, backup);
    }
    return errorReply(message, QStringLiteral("unknown-request"), tr("unknown request \"%1\"").arg(messageNameOf(message)));
}

} // namespace Tribune::Agent
