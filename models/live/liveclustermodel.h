#pragma once

#include "livecluster.h"

#include <QAbstractItemModel>
#include <QHash>

#include <memory>

namespace Tribune {

// The live cluster as a tree: cluster -> load balancer and domains -> sub-domains -> members.
// It changes row by row as members join, leave and change (insert, remove, dataChanged), never
// by a reset, so the user's selection, expansion and sort survive every update.
class LiveClusterModel final : public QAbstractItemModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LiveClusterModel)

public:
    enum Column { NameColumn, StateColumn, BalancerColumn, AddressColumn, SessionsColumn, RequestRateColumn,
                  ResponseTimeColumn, ColumnCount };
    enum class Kind { Cluster, LoadBalancer, Domain, SubDomain, Member };
    enum Role {
        KindRole = Qt::UserRole + 1,
        MemberIdRole,
        MemberStateRole,   // Protocol::MemberState as int, on member rows
        BalancerStatusRole, // HAProxy status text, on member rows
        AliveCountRole,    // members alive at or below the row
        MemberCountRole,
        MemberIdsRole,     // QStringList of the members at or below the row
        TrafficIdsRole,    // QStringList of the members whose traffic the row sums: above the load
                           // balancer's group, its frontends are left out (their servers carry the same)
        HealthyRole,       // false when a member below is failed, suspect, or DOWN in the load balancer
        ToneRole,          // Tone as int: the row's member, or the worst of the members below
    };
    // How a row should look: fine, needs a look (suspect, draining, in maintenance), broken
    // (failed, DOWN), or gone (left).
    enum class Tone { Good, Warning, Bad, Gone };

    explicit LiveClusterModel(const LiveCluster *cluster, QString title, QObject *parent = nullptr);
    ~LiveClusterModel() override;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    QModelIndex indexOfMember(const QString &memberId) const;

private:
    struct Node;
    struct Totals;
    void addMember(const QString &id);
    void removeMember(const QString &id);
    // A member row already out of m_memberNodes, and the groups it leaves empty.
    void removeMemberNode(Node *node);
    void renameMember(const QString &previousId, const QString &id);
    void changeMember(const QString &id, LiveCluster::Changes changes);
    Node *ensureChild(Node *parent, Kind kind, const QString &name);
    void insertNode(Node *parent, std::unique_ptr<Node> node);
    void removeNode(Node *node);
    void markStale(Node *group); // the group and those above it sum their members again
    void refreshAncestors(Node *node);
    QModelIndex indexOf(const Node *node, int column) const;
    const Node *nodeAt(const QModelIndex &index) const;
    const Node *loadBalancerNode() const;
    const Totals &totalsOf(const Node *group) const;
    Tone toneOf(const LiveMember &member) const;
    static bool isHealthy(const LiveMember &member);
    // Up: alive in the membership, or for what no agent stands behind, serving in the load balancer.
    static bool isUp(const LiveMember &member);

    const LiveCluster *m_cluster;
    std::unique_ptr<Node> m_root;
    Node *m_clusterNode = nullptr;
    QHash<QString, Node *> m_memberNodes;
};

} // namespace Tribune
