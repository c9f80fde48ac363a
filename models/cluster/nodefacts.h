#pragma once

#include <QList>
#include <QMap>
#include <QSet>
#include <QString>

#include <vector>

namespace Tribune {

class ClusterConfig;
class HostModel;
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
    // What runs on the node, from its domain, sub-domain and files. The governance registry has
    // no manager/worker split: every node of it writes the registry by design.
    enum class Product { Unknown, LoadBalancer, Esb, AppServer, GovernanceRegistry, ApiManager };
    // How the node's server was found.
    enum class Placement {
        MemberHost,  // its localMemberHost resolves to the server
        ServersFile, // the cluster's servers file places it
        Unresolved,  // its localMemberHost resolves nowhere
        Unplaced,    // its files name no host and no servers file places it
    };

    const NodeConfig *node = nullptr;
    QString host; // localMemberHost, normalised; empty when the file leaves it to the platform
    // The server the node is on (an address when known; see HostModel). Nodes with one server
    // share one port space. Unresolved and unplaced nodes are each on a server of their own.
    QString server;
    Placement placement = Placement::Unplaced;
    int placementLine = 0; // the servers file's line, when it placed the node
    Product product = Product::Unknown;
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

    // The facts the node's own files give; placement needs the whole cluster (deriveFacts).
    static NodeFacts of(const NodeConfig &node);

    // The server for display: the address, or why there is none.
    QString serverLabel() const;
    // The server a name written in this node's files stands for; loopback means this node's
    // own server. Empty when the name resolves nowhere.
    QString serverOfName(const QString &name, const HostModel &hosts) const;
};

// Facts for every node of the cluster, in node order, with each node placed on its server.
std::vector<NodeFacts> deriveFacts(const ClusterConfig &cluster);

// A product's name for people ("ESB", "Governance Registry").
QString productName(NodeFacts::Product product);

// "localhost" and "127.0.0.1" are one host; names compare without case.
QString normalizedHost(const QString &host);

// Who a JDBC URL really reaches, so that two URLs for one database compare equal:
// "mysql://127.0.0.1:3306/registry_db". An embedded database file (H2, Derby) relative to the
// node is private to it, so its identity carries the node's home folder.
QString databaseIdentity(const QString &jdbcUrl, const QString &nodeHome);

// The database named at the end of a JDBC URL: "REGISTRY_LOCAL1" of ".../REGISTRY_LOCAL1?x=y".
QString databaseNameOf(const QString &jdbcUrl);

// REGISTRY_LOCAL<n> names that no datasource of the cluster uses, a new one each time: for a node
// that needs a local registry of its own.
class LocalRegistryNames
{
public:
    explicit LocalRegistryNames(const ClusterConfig &cluster);
    QString next();

private:
    QSet<QString> m_taken; // upper case
    int m_next = 1;
};

} // namespace Tribune
