#include "clustertreemodel.h"

#include "cluster/clusterworkspace.h"

#include <QCoreApplication>

namespace Tribune {

struct ClusterTreeModel::Item
{
    Kind kind = Kind::Cluster;
    QString name;
    Item *parent = nullptr;
    std::vector<std::unique_ptr<Item>> children;
    const NodeFacts *facts = nullptr; // node rows
    int errors = 0;
    int warnings = 0;
    int nodes = 0;

    int row() const
    {
        if (!parent)
            return 0;
        for (size_t i = 0; i < parent->children.size(); ++i) {
            if (parent->children[i].get() == this)
                return int(i);
        }
        return 0;
    }

    Item *child(Kind childKind, const QString &childName)
    {
        for (const auto &existing : children) {
            if (existing->kind == childKind && existing->name == childName)
                return existing.get();
        }
        auto item = std::make_unique<Item>();
        item->kind = childKind;
        item->name = childName;
        item->parent = this;
        children.push_back(std::move(item));
        return children.back().get();
    }
};

ClusterTreeModel::ClusterTreeModel(const ClusterWorkspace *workspace, QObject *parent)
    : QAbstractItemModel(parent)
    , m_workspace(workspace)
    , m_root(std::make_unique<Item>())
{
    // A reload replaces every node's files, so the whole tree is rebuilt.
    connect(workspace, &ClusterWorkspace::aboutToReload, this, &ClusterTreeModel::beginResetModel);
    connect(workspace, &ClusterWorkspace::reloaded, this, [this] {
        rebuild();
        endResetModel();
    });
    // Findings that changed alone (files that could not be read) change every count.
    connect(workspace, &ClusterWorkspace::aboutToChangeFindings, this, &ClusterTreeModel::beginResetModel);
    connect(workspace, &ClusterWorkspace::findingsChanged, this, [this] {
        rebuild();
        endResetModel();
    });
    rebuild();
}

ClusterTreeModel::~ClusterTreeModel() = default;

void ClusterTreeModel::rebuild()
{
    m_root = std::make_unique<Item>();
    if (m_workspace->paths().isEmpty())
        return;
    Item *cluster = m_root->child(Kind::Cluster, m_workspace->title());

    // Served domains first, in the load balancer's order, so the tree reads like loadbalancer.conf.
    for (const LoadBalancerSource &source : m_workspace->cluster().loadBalancers()) {
        for (const Config::LbSubDomainGroup &group : source.conf.groups()) {
            Item *domain = cluster->child(Kind::Domain, group.domain);
            if (!group.subDomain.isEmpty())
                domain->child(Kind::SubDomain, group.subDomain);
        }
    }
    for (const NodeFacts &facts : m_workspace->facts()) {
        Item *parentItem = nullptr;
        if (facts.role == NodeFacts::Role::LoadBalancer) {
            parentItem = cluster->child(Kind::LoadBalancer, tr("Load balancer"));
        } else {
            parentItem = cluster->child(Kind::Domain, facts.domain.isEmpty() ? tr("(no domain)") : facts.domain);
            if (!facts.subDomain.isEmpty())
                parentItem = parentItem->child(Kind::SubDomain, facts.subDomain);
        }
        Item *node = parentItem->child(Kind::Node, facts.node->name());
        node->facts = &facts;
        node->nodes = 1;
        const QList<Finding> findings = m_workspace->findingsFor(facts.node->name());
        node->errors = countOf(findings, Severity::Error);
        node->warnings = countOf(findings, Severity::Warning);
        for (Item *ancestor = parentItem; ancestor; ancestor = ancestor->parent) {
            ancestor->nodes += 1;
            ancestor->errors += node->errors;
            ancestor->warnings += node->warnings;
        }
    }
    // Findings about the load balancer's file alone belong to the cluster row.
    for (const Finding &finding : m_workspace->findings()) {
        if (!finding.node.isEmpty())
            continue;
        cluster->errors += finding.severity == Severity::Error;
        cluster->warnings += finding.severity == Severity::Warning;
    }
}

const ClusterTreeModel::Item *ClusterTreeModel::itemAt(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<const Item *>(index.internalPointer()) : m_root.get();
}

QModelIndex ClusterTreeModel::indexOf(const Item *item, int column) const
{
    if (!item || item == m_root.get())
        return {};
    return createIndex(item->row(), column, const_cast<Item *>(item));
}

QModelIndex ClusterTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    const Item *parentItem = itemAt(parent);
    return createIndex(row, column, parentItem->children[size_t(row)].get());
}

QModelIndex ClusterTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    return indexOf(itemAt(child)->parent, 0);
}

int ClusterTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return 0;
    return int(itemAt(parent)->children.size());
}

int ClusterTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant ClusterTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Name");
    case HostColumn: return tr("Server");
    case MemberPortColumn: return tr("Membership");
    case HttpColumn: return tr("HTTP");
    case HttpsColumn: return tr("HTTPS");
    case OffsetColumn: return tr("Offset");
    case FindingsColumn: return tr("Findings");
    }
    return {};
}

QVariant ClusterTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Item *item = itemAt(index);
    const NodeFacts *facts = item->facts;
    switch (role) {
    case KindRole: return int(item->kind);
    case NodeNameRole: return facts ? QVariant(item->name) : QVariant();
    case ErrorCountRole: return item->errors;
    case WarningCountRole: return item->warnings;
    case NodeCountRole: return item->nodes;
    case SeverityRole:
        return item->errors ? int(Severity::Error) : item->warnings ? int(Severity::Warning) : -1;
    case Qt::TextAlignmentRole:
        return index.column() == NameColumn || index.column() == HostColumn || index.column() == FindingsColumn
            ? QVariant(int(Qt::AlignLeft | Qt::AlignVCenter)) : QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
    case Qt::ToolTipRole:
        if (index.column() == FindingsColumn && (item->errors || item->warnings))
            return errorsAndWarnings(item->errors, item->warnings);
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case NameColumn:
        if (facts || item->kind == Kind::Cluster)
            return item->name;
        return tr("%1 (%2)").arg(item->name).arg(item->nodes);
    case HostColumn: return facts ? QVariant(facts->serverLabel()) : QVariant();
    case MemberPortColumn: return facts ? QVariant(facts->memberPort) : QVariant();
    case HttpColumn: return facts ? QVariant(facts->httpPort) : QVariant();
    case HttpsColumn: return facts ? QVariant(facts->httpsPort) : QVariant();
    case OffsetColumn: return facts ? QVariant(facts->offset) : QVariant();
    case FindingsColumn:
        if (!item->errors && !item->warnings)
            return item->nodes ? tr("OK") : QString();
        return compactErrorsAndWarnings(item->errors, item->warnings);
    }
    return {};
}

QModelIndex ClusterTreeModel::indexOfNode(const QString &nodeName) const
{
    std::vector<const Item *> pending{m_root.get()};
    while (!pending.empty()) {
        const Item *item = pending.back();
        pending.pop_back();
        if (item->facts && item->name == nodeName)
            return indexOf(item, 0);
        for (const auto &child : item->children)
            pending.push_back(child.get());
    }
    return {};
}

} // namespace Tribune
