#include "provisioningservice.h"

#include "membershipservice.h"

#include "cluster/nodeconfig.h"
#include "config/configerror.h"
#include "configstore/nodeconfigstore.h"
#include "protocol/connection.h"
#include "protocol/messages.h"

#include <QDir>
#include <QJsonObject>
#include <QTcpServer>

namespace Tribune::Agent {

using Protocol::Connection;
using namespace Protocol; // the message vocabulary

ProvisioningService::ProvisioningService(QString carbonHome, const Protocol::KeyRing &keys, Protocol::TlsOptions tls,
                                         Acceptance accept, QObject *parent)
    : QObject(parent)
    , m_carbonHome(std::move(carbonHome))
    , m_keys(keys)
    , m_tls(std::move(tls))
    , m_accept(std::move(accept))
{
    // Only a console may give a node its identity: members and viewers fail the handshake.
    m_keys.remove(Protocol::Role::Member);
    m_keys.remove(Protocol::Role::Viewer);
}

ProvisioningService::~ProvisioningService() = default;

bool ProvisioningService::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (!m_keys.has(Protocol::Role::Console)) {
        *error = tr("provisioning needs the console key in the key file");
        return false;
    }
    if (!QDir().mkpath(m_carbonHome + QLatin1String("/repository/conf"))) {
        *error = tr("cannot create %1/repository/conf").arg(m_carbonHome);
        return false;
    }
    m_server = createServer(m_tls, this, error);
    if (!m_server)
        return false;
    if (!m_server->listen(address, port)) {
        *error = tr("cannot listen on %1:%2 for provisioning: %3").arg(address.toString()).arg(port).arg(m_server->errorString());
        return false;
    }
    connect(m_server, &QTcpServer::pendingConnectionAvailable, this, &ProvisioningService::accept);
    return true;
}

quint16 ProvisioningService::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

void ProvisioningService::accept()
{
    while (m_server && m_server->hasPendingConnections()) {
        auto *connection = new Connection(m_server->nextPendingConnection(), Connection::Side::Server, m_keys,
                                          Protocol::Role::Console, this);
        connect(connection, &Connection::authenticated, this, [this, connection] {
            if (m_provisioned) {
                connection->close(tr("provisioned already"));
                return;
            }
            m_consoles.append(connection);
            connect(connection, &Connection::messageReceived, this,
                    [this, connection](const QJsonObject &message) { handle(connection, message); });
        });
        connect(connection, &Connection::closed, this, [this, connection] {
            m_consoles.removeAll(connection);
            connection->deleteLater();
        });
        connection->start();
    }
}

void ProvisioningService::handle(Connection *connection, const QJsonObject &message)
{
    const std::optional<Message> kind = messageOf(message);
    if (kind == Message::ConfigGet) {
        QJsonObject reply = replyTo(message, Message::Config);
        reply.insert(QStringLiteral("files"), QJsonObject());
        connection->send(reply);
    } else if (kind == Message::ConfigPush) {
        if (m_provisioned) {
            connection->send(errorReply(message, QStringLiteral("provisioned"),
                                        tr("this node has its configuration already; push through its own agent")));
            return;
        }
        bool done = false;
        connection->send(push(connection, message, &done));
        if (!done)
            return;
        // The node takes over: the provisioning port closes (the node may want it), the
        // consoles stay connected and move on with it; connections still in their handshake go.
        m_provisioned = true;
        m_server->close();
        const QList<Connection *> consoles = std::exchange(m_consoles, {});
        for (Connection *console : consoles) {
            disconnect(console, nullptr, this, nullptr);
            console->setParent(nullptr);
        }
        for (Connection *pending : findChildren<Connection *>(Qt::FindDirectChildrenOnly))
            pending->close(tr("provisioned; connect to the node's membership port"));
        emit provisioned(consoles);
    } else {
        connection->send(errorReply(message, QStringLiteral("not-provisioned"),
                                 tr("this agent waits for its node's first configuration; push it (tribunectl node "
                                    "apply --to) and ask again")));
    }
}

QJsonObject ProvisioningService::push(Connection *connection, const QJsonObject &message, bool *done)
{
    ConfigFileSet changes;
    QMap<NodeConfig::File, QByteArray> known;
    const QJsonObject files = message.value(QLatin1String("files")).toObject();
    for (auto it = files.constBegin(); it != files.constEnd(); ++it) {
        const QByteArray bytes = QByteArray::fromBase64(it.value().toString().toLatin1());
        changes.files.insert(it.key(), bytes);
        for (const NodeConfig::File file : NodeConfig::AllFiles) {
            if (NodeConfig::relativePath(file) == it.key())
                known.insert(file, bytes);
        }
    }
    // The node must be able to start from these files before any of them is written.
    QList<Config::ConfigError> errors;
    const std::optional<NodeConfig> node = NodeConfig::fromFiles(m_carbonHome, known, &errors);
    QStringList problems;
    for (const Config::ConfigError &error : std::as_const(errors))
        problems.append(error.toString());
    if (!node || !m_accept(*node, &problems))
        return configResult(message, false,
                      tr("not provisioned, nothing was written: the files do not make a node that can start:\n  %1")
                          .arg(problems.join(QLatin1String("\n  "))));
    NodeConfigStore store(m_carbonHome, NodeConfigStore::Bare::Accept);
    QString error;
    const QString actor = QStringLiteral("console@%1").arg(connection->peerDescription());
    if (!store.push(changes, actor, &error))
        return configResult(message, false, error);
    *done = true;
    return configResult(message, true, tr("provisioned: the node starts from the %n file(s) pushed", nullptr, int(changes.files.size())));
}

} // namespace Tribune::Agent
