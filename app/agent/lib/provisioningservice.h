#pragma once

#include "protocol/connection.h"
#include "protocol/keyring.h"

#include <QHostAddress>
#include <QList>
#include <QObject>

#include <functional>
#include <optional>

class QTcpServer;

namespace Tribune {
class NodeConfig;
}

namespace Tribune::Protocol {
class Connection;
}

namespace Tribune::Agent {

// A bare node's agent before it has any configuration (tribune-agent --provision): it listens on
// the address it was given, answers console-key connections only, and takes the node's first
// configuration as a push. The push is checked as every push is (each file parses, the node alone
// validates) and, before anything is written, must say which member the node is (accept() says
// why not); then it is written all or nothing and provisioned() hands the consoles over to the
// node that starts from those files. Everything else is refused with "not-provisioned".
class ProvisioningService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProvisioningService)

public:
    // Whether the node the pushed files make can start; false with the reasons.
    using Acceptance = std::function<bool(const NodeConfig &node, QStringList *problems)>;

    ProvisioningService(QString carbonHome, const Protocol::KeyRing &keys, Protocol::TlsOptions tls,
                        Acceptance accept, QObject *parent = nullptr);
    ~ProvisioningService() override;

    bool listen(const QHostAddress &address, quint16 port, QString *error);
    quint16 port() const;

signals:
    // The files are written; the consoles still connected go on with the node. The provisioning
    // port is closed by then.
    void provisioned(const QList<Tribune::Protocol::Connection *> &consoles);

private:
    void accept();
    void handle(Protocol::Connection *connection, const QJsonObject &message);
    QJsonObject push(Protocol::Connection *connection, const QJsonObject &message, bool *done);

    QString m_carbonHome;
    Protocol::KeyRing m_keys; // the console key alone
    Protocol::TlsOptions m_tls;
    Acceptance m_accept;
    QTcpServer *m_server = nullptr;
    QList<Protocol::Connection *> m_consoles;
    bool m_provisioned = false;
};

} // namespace Tribune::Agent
