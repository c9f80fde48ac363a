#pragma once

#include "sourcetext.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace Tribune::Config {

struct ConfigError;

// The tenants a domain serves: all ("*"), one tenant id ("7") or an inclusive id range ("10-20").
struct TenantRange
{
    bool all = true;
    int first = 0;
    int last = 0;

    bool contains(int tenantId) const;
    // True when some tenant would be served by both ranges, which the console reports.
    bool overlaps(const TenantRange &other) const;
    // "*", "N" or "N-M", the form loadbalancer.conf uses.
    QString toString() const;
    // Parses "*", "N" or "N-M" (0 <= N <= M); on failure says why in *error (translated).
    static std::optional<TenantRange> parse(QStringView text, QString *error);

    friend bool operator==(const TenantRange &a, const TenantRange &b)
    {
        return a.all == b.all && (a.all || (a.first == b.first && a.last == b.last));
    }
    friend bool operator!=(const TenantRange &a, const TenantRange &b) { return !(a == b); }
};

// One (domain, sub-domain) the load balancer serves, with the values it inherits resolved.
struct LbSubDomainGroup
{
    QString service;
    QString domain;
    QString subDomain; // empty: the default sub-domain
    QStringList hosts;
    // The service's own hosts when a nearer block named others: routed too, to the first group
    // of the service that serves every tenant, rather than dropped.
    QStringList serviceHosts;
    TenantRange tenantRange;
    std::optional<int> groupMgtPort;
    int line = 0; // line of the domain block, or of the nested sub-domain block
};

// One statement ("name value;") or block ("name { ... }") of the file, and where it sits in the
// text. Nodes belong to the tree they came from; any edit rebuilds the tree and invalidates them.
struct LbConfNode
{
    enum class Kind { Statement, Block };

    Kind kind = Kind::Statement;
    QString name;
    QString value; // a statement's value words joined by single spaces, comments left out
    int line = 0;  // 1-based line of the name
    TextRange nameRange;
    TextRange valueRange; // first to last value character: no ';', trailing spaces or comment
    TextRange range;      // the whole statement or block, through its ';' or '}'
    TextRange bodyRange;  // a block's text between '{' and '}'
    QList<LbConfNode> children;

    bool isBlock() const { return kind == Kind::Block; }
    // The first child of that name and kind, or nullptr.
    const LbConfNode *child(QStringView childName, Kind childKind) const;
    const LbConfNode *statement(QStringView childName) const { return child(childName, Kind::Statement); }
    const LbConfNode *block(QStringView childName) const { return child(childName, Kind::Block); }
    // The value as a list, split at commas and spaces ("a.com, b.com" and "a,b" alike).
    QStringList values() const;
};

// loadbalancer.conf of a WSO2 / Stratos Elastic Load Balancer, kept as exact text plus a syntax
// tree so that saving after an edit changes only the characters the edit is about.
class LoadBalancerConf
{
public:
    // An empty file, e.g. a placeholder before load() or parse().
    LoadBalancerConf() { m_root.kind = LbConfNode::Kind::Block; }

    // Reads a UTF-8 file; fails with file, line and column when it cannot be read or parsed.
    static std::optional<LoadBalancerConf> load(const QString &path, ConfigError *error);
    static std::optional<LoadBalancerConf> parse(const QString &text, const QString &fileName,
                                                 ConfigError *error);
    // Writes all or nothing (QSaveFile), so a failed save never leaves a truncated file.
    bool save(const QString &path, ConfigError *error) const;

    QByteArray toBytes() const { return m_source.toBytes(); }
    const SourceText &source() const { return m_source; }
    // The whole file as a block without a name; its children are the top-level nodes.
    const LbConfNode &root() const { return m_root; }

    // Every served (domain, sub-domain) of both dialects, in file order.
    QList<LbSubDomainGroup> groups() const;
    // Names of the blocks in "services", without "defaults".
    QStringList services() const;

    // Sets key for one group, adding the statement when missing: in its domain block, or in the
    // nested dialect in its sub-domain block (tenant_range and group_mgt_port stay in, or go to,
    // the domain block unless the sub-domain block sets its own).
    bool setDomainValue(const QString &service, const QString &domain, const QString &subDomain,
                        const QString &key, const QString &value, ConfigError *error);
    // Appends "domain { hosts; sub_domain; tenant_range; group_mgt_port }" to the service's
    // "domains" block (dialect 1), indented like its siblings. group.service is ignored.
    bool addDomain(const QString &service, const LbSubDomainGroup &group, ConfigError *error);
    // Removes the group's domain block, or its nested sub-domain block when the domain has others.
    bool removeDomain(const QString &service, const QString &domain, const QString &subDomain,
                      ConfigError *error);

    // Generic edits on nodes of root(). Each splices the text and re-parses it; an edit whose
    // result would not parse is refused and leaves the file as it was.
    bool setValue(const LbConfNode &statement, const QString &value, ConfigError *error);
    // Adds "name value;" after the block's last child, on its own line when the block spans lines.
    bool addStatement(const LbConfNode &block, const QString &name, const QString &value,
                      ConfigError *error);
    // Adds "name { body }" after the block's last child, each body line indented one level more
    // than the new block (a body line may carry further indentation of its own).
    bool addBlock(const LbConfNode &parent, const QString &name, const QStringList &bodyLines, ConfigError *error);
    // Removes a statement or block, with its line when nothing else is on it.
    bool remove(const LbConfNode &node, ConfigError *error);

private:
    static std::optional<LoadBalancerConf> fromSource(SourceText source, ConfigError *error);
    bool splice(TextRange range, const QString &replacement, ConfigError *error);
    bool insertIntoBlock(const LbConfNode &block, const QStringList &lines, ConfigError *error);
    bool checkNode(const LbConfNode &node, ConfigError *error) const;
    QString indentUnit() const;

    SourceText m_source;
    LbConfNode m_root;
};

} // namespace Tribune::Config
