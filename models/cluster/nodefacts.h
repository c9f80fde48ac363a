#pragma once

#include <QList>
#include <QMap>
#include <QString>

namespace Tribune {

class NodeConfig;

// A port a node listens on after its offset, and the file that makes it so.
struct EffectivePort
{
    QString name; // "HTTP", "HTTPS", "membership", "JMX/RMIRegistryPort", transport names
    int port = 0;
    QString file;
    int line = 0;
};

// What the validator and the views need to know about a node, derived once from its files.
struct NodeFacts
{
    enum class Role { LoadBalancer, Manager, Worker, Member };

    const NodeConfig *node = nullptr;
    QString host; // localMemberHost, normalised; empty when the file leaves it to the platform
    int memberPort = 0;
    QString domain;
    QString subDomain;
    bool clusteringEnabled = false;
    int offset = 0;
    Role role = Role::Member;
    int httpPort = 0;  // servlet HTTP after the offset
    int httpsPort = 0; // servlet HTTPS after the offset
    QList<EffectivePort> ports;
    // Database behind the local registry (currentDBConfig), as an identity (see databaseIdentity).
    QString localRegistryDatabase;
    int localRegistryLine = 0;
    // Mount path -> database identity of the remote instance it goes through.
    QMap<QString, QString> mountDatabases;

    static NodeFacts of(const NodeConfig &node);
};

// "localhost" and "127.0.0.1" are one host; names compare without case.
QString normalizedHost(const QString &host);

// Who a JDBC URL really reaches, so that two URLs for one database compare equal:
// "mysql://127.0.0.1:3306/registry_db". An embedded database file (H2, Derby) relative to the
// node is private to it, so its identity carries the node's home folder.
QString databaseIdentity(const QString &jdbcUrl, const QString &nodeHome);

} // namespace Tribune
