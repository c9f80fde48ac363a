#pragma once

#include <QAbstractItemModel>

#include <memory>
#include <vector>

namespace Tribune {

class ClusterWorkspace;

// The cluster as a tree: cluster -> load balancer and domains -> sub-domains -> nodes. Domains
// and sub-domains come from the load balancer's configuration and from the nodes' own files,
// so a sub-domain nobody serves or nobody joins shows up too.
class ClusterTreeModel final : public QAbstractItemModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ClusterTreeModel)

public:
    enum Column { NameColumn, HostColumn, MemberPortColumn, HttpColumn, HttpsColumn, OffsetColumn, FindingsColumn,
                  ColumnCount };
    enum class Kind { Cluster, LoadBalancer, Domain, SubDomain, Node };
    enum Role {
        KindRole = Qt::UserRole + 1, // Kind as int
        NodeNameRole,                // the node's folder name, on node rows
        SeverityRole,                // worst Severity of the row's findings as int, or -1
        ErrorCountRole,
        WarningCountRole,
        NodeCountRole, // nodes at or below the row
    };

    explicit ClusterTreeModel(const ClusterWorkspace *workspace, QObject *parent = nullptr);
    ~ClusterTreeModel() override;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The row of a node, for selecting it from elsewhere (e.g. a finding).
    QModelIndex indexOfNode(const QString &nodeName) const;

private:
    struct Item;
    void rebuild();
    const Item *itemAt(const QModelIndex &index) const;
    QModelIndex indexOf(const Item *item, int column) const;

    const ClusterWorkspace *m_workspace;
    std::unique_ptr<Item> m_root;
};

} // namespace Tribune
