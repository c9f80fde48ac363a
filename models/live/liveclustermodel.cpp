#include "liveclustermodel.h"

#include <QCoreApplication>

#include <algorithm>
#include <functional>
#include <vector>

namespace Tribune {

using Protocol::MemberState;

struct LiveClusterModel::Totals
{
    QStringList memberIds;
    QStringList trafficIds;
    int alive = 0;
    bool healthy = true;
    Tone tone = Tone::Good;
    double sessions = 0;
    double requestRate = 0;
};

struct LiveClusterModel::Node
{
    Kind kind = Kind::Cluster;
    QString name;
    QString memberId; // member rows
    Node *parent = nullptr;
    std::vector<std::unique_ptr<Node>> children;
    bool changed = false; // group rows: a member below changed since the last flush
    bool flushQueued = false; // the root: a flush of changed group rows is queued
    // Group rows: what the members below add up to, worked out again only after one changed.
    mutable Totals totals;
    mutable bool stale = true;

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
    Node *child(Kind childKind, const QString &childName) const
    {
        for (const auto &existing : children) {
            if (existing->kind == childKind && existing->name == childName)
                return existing.get();
        }
        return nullptr;
    }
};

LiveClusterModel::LiveClusterModel(const LiveCluster *cluster, QString title, QObject *parent)
    : QAbstractItemModel(parent)
    , m_cluster(cluster)
    , m_root(std::make_unique<Node>())
{
    auto clusterNode = std::make_unique<Node>();
    clusterNode->kind = Kind::Cluster;
    clusterNode->name = std::move(title);
    clusterNode->parent = m_root.get();
    m_clusterNode = clusterNode.get();
    m_root->children.push_back(std::move(clusterNode));
    for (auto it = cluster->members().cbegin(); it != cluster->members().cend(); ++it)
        addMember(it.key());
    connect(cluster, &LiveCluster::memberAdded, this, &LiveClusterModel::addMember);
    connect(cluster, &LiveCluster::memberRemoved, this, &LiveClusterModel::removeMember);
    connect(cluster, &LiveCluster::memberChanged, this, &LiveClusterModel::changeMember);
    connect(cluster, &LiveCluster::memberRenamed, this, &LiveClusterModel::renameMember);
    // The load balancer's row, or the cluster's while there is none, says why its statistics fail.
    connect(cluster, &LiveCluster::loadBalancerProblemChanged, this, [this] {
        for (const Node *node : {static_cast<const Node *>(m_clusterNode), loadBalancerNode()}) {
            if (node)
                emit dataChanged(indexOf(node, 0), indexOf(node, ColumnCount - 1));
        }
    });
}

LiveClusterModel::~LiveClusterModel() = default;

const LiveClusterModel::Node *LiveClusterModel::loadBalancerNode() const
{
    for (const auto &child : m_clusterNode->children) {
        if (child->kind == Kind::LoadBalancer)
            return child.get();
    }
    return nullptr;
}

void LiveClusterModel::insertNode(Node *parent, std::unique_ptr<Node> node)
{
    const int row = int(parent->children.size());
    node->parent = parent;
    beginInsertRows(indexOf(parent, 0), row, row);
    parent->children.push_back(std::move(node));
    endInsertRows();
}

LiveClusterModel::Node *LiveClusterModel::ensureChild(Node *parent, Kind kind, const QString &name)
{
    if (Node *existing = parent->child(kind, name))
        return existing;
    auto node = std::make_unique<Node>();
    node->kind = kind;
    node->name = name;
    Node *raw = node.get();
    insertNode(parent, std::move(node));
    return raw;
}

void LiveClusterModel::addMember(const QString &id)
{
    const LiveMember *member = m_cluster->member(id);
    if (!member || m_memberNodes.contains(id))
        return;
    Node *parentNode = nullptr;
    if (member->info.loadBalancer) {
        parentNode = ensureChild(m_clusterNode, Kind::LoadBalancer, tr("Load balancer"));
    } else {
        parentNode = ensureChild(m_clusterNode, Kind::Domain, member->info.domain);
        if (!member->info.subDomain.isEmpty())
            parentNode = ensureChild(parentNode, Kind::SubDomain, member->info.subDomain);
    }
    auto node = std::make_unique<Node>();
    node->kind = Kind::Member;
    node->name = id;
    node->memberId = id;
    Node *raw = node.get();
    markStale(parentNode); // before the insert, for whoever reads the groups when it lands
    insertNode(parentNode, std::move(node));
    m_memberNodes.insert(id, raw);
    refreshAncestors(raw);
}

void LiveClusterModel::removeNode(Node *node)
{
    Node *parentNode = node->parent;
    const int row = node->row();
    beginRemoveRows(indexOf(parentNode, 0), row, row);
    parentNode->children.erase(parentNode->children.begin() + row);
    endRemoveRows();
}

void LiveClusterModel::removeMember(const QString &id)
{
    if (Node *node = m_memberNodes.take(id))
        removeMemberNode(node);
}

void LiveClusterModel::removeMemberNode(Node *node)
{
    Node *parentNode = node->parent;
    markStale(parentNode); // before the removal, for whoever reads the groups when it lands
    removeNode(node);
    // Groups that lost their last member go too.
    while (parentNode != m_clusterNode && parentNode->children.empty()) {
        Node *above = parentNode->parent;
        removeNode(parentNode);
        parentNode = above;
    }
    // The group that kept the member's siblings counts one fewer, as do the groups above it.
    parentNode->changed = true;
    refreshAncestors(parentNode);
}

void LiveClusterModel::renameMember(const QString &previousId, const QString &id)
{
    Node *node = m_memberNodes.value(previousId);
    const LiveMember *member = m_cluster->member(id);
    if (!node || !member)
        return;
    const Node *group = node->parent;
    const bool sameGroup = member->info.loadBalancer
        ? group->kind == Kind::LoadBalancer
        : (member->info.subDomain.isEmpty() ? group->kind == Kind::Domain && group->name == member->info.domain
                                            : group->kind == Kind::SubDomain && group->name == member->info.subDomain
                                                  && group->parent->name == member->info.domain);
    if (!sameGroup) {
        // Another domain or sub-domain: the row moves there. Added first, so that a domain it
        // stays in is not removed and made again (with the user's expansion lost).
        m_memberNodes.remove(previousId);
        addMember(id);
        removeMemberNode(node);
        return;
    }
    // The same row under its new id: the user's selection and expansion stay on it.
    m_memberNodes.remove(previousId);
    node->name = id;
    node->memberId = id;
    m_memberNodes.insert(id, node);
    emit dataChanged(indexOf(node, 0), indexOf(node, ColumnCount - 1));
    refreshAncestors(node);
}

void LiveClusterModel::changeMember(const QString &id, LiveCluster::Changes changes)
{
    Node *node = m_memberNodes.value(id);
    if (!node)
        return;
    emit dataChanged(indexOf(node, 0), indexOf(node, ColumnCount - 1));
    if (changes & (LiveCluster::StateChanged | LiveCluster::TrafficChanged))
        refreshAncestors(node);
}

void LiveClusterModel::markStale(Node *group)
{
    for (; group && group != m_root.get(); group = group->parent)
        group->stale = true;
}

void LiveClusterModel::refreshAncestors(Node *node)
{
    // A poll changes every member at once, and a group row sums all below it: its change is
    // announced once after the burst, not once per member (which made each poll O(members²)).
    for (Node *ancestor = node->parent; ancestor && ancestor != m_root.get(); ancestor = ancestor->parent) {
        ancestor->changed = true;
        ancestor->stale = true;
    }
    if (m_root->flushQueued)
        return;
    m_root->flushQueued = true;
    QMetaObject::invokeMethod(this, [this] {
        m_root->flushQueued = false;
        const std::function<void(Node *)> flush = [&](Node *group) {
            for (const auto &child : group->children) {
                if (child->kind != Kind::Member)
                    flush(child.get());
            }
            if (group != m_root.get() && group->changed) {
                group->changed = false;
                emit dataChanged(indexOf(group, 0), indexOf(group, ColumnCount - 1));
            }
        };
        flush(m_root.get());
    }, Qt::QueuedConnection);
}

QModelIndex LiveClusterModel::indexOf(const Node *node, int column) const
{
    if (!node || node == m_root.get())
        return {};
    return createIndex(node->row(), column, const_cast<Node *>(node));
}

const LiveClusterModel::Node *LiveClusterModel::nodeAt(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<const Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex LiveClusterModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    return createIndex(row, column, nodeAt(parent)->children[size_t(row)].get());
}

QModelIndex LiveClusterModel::parent(const QModelIndex &child) const
{
    return child.isValid() ? indexOf(nodeAt(child)->parent, 0) : QModelIndex();
}

int LiveClusterModel::rowCount(const QModelIndex &parent) const
{
    return parent.column() > 0 ? 0 : int(nodeAt(parent)->children.size());
}

int LiveClusterModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QModelIndex LiveClusterModel::indexOfMember(const QString &memberId) const
{
    return indexOf(m_memberNodes.value(memberId), 0);
}

bool LiveClusterModel::isHealthy(const LiveMember &member)
{
    return member.state == MemberState::Alive
        && (!member.inLoadBalancer || member.traffic.status.startsWith(u"UP") || member.traffic.status == u"no check"
            || member.traffic.status == u"OPEN");
}

const LiveClusterModel::Totals &LiveClusterModel::totalsOf(const Node *group) const
{
    if (!group->stale)
        return group->totals;
    Totals totals;
    const auto worse = [&totals](Tone tone) {
        if (tone != Tone::Gone && int(tone) > int(totals.tone))
            totals.tone = tone;
    };
    for (const auto &child : group->children) {
        if (child->kind != Kind::Member) {
            const Totals &below = totalsOf(child.get());
            totals.memberIds += below.memberIds;
            totals.alive += below.alive;
            totals.healthy = totals.healthy && below.healthy;
            worse(below.tone);
            // The load balancer's frontends take in what its servers serve: above it, the
            // traffic is counted once, from the servers.
            if (child->kind != Kind::LoadBalancer) {
                totals.trafficIds += below.trafficIds;
                totals.sessions += below.sessions;
                totals.requestRate += below.requestRate;
            }
            continue;
        }
        totals.memberIds << child->memberId;
        totals.trafficIds << child->memberId;
        const LiveMember *member = m_cluster->member(child->memberId);
        if (!member)
            continue;
        totals.alive += isUp(*member);
        totals.healthy = totals.healthy && isHealthy(*member);
        worse(toneOf(*member));
        totals.sessions += member->traffic.sessions;
        totals.requestRate += member->traffic.requestRate;
    }
    group->totals = std::move(totals);
    group->stale = false;
    return group->totals;
}

bool LiveClusterModel::isUp(const LiveMember &member)
{
    if (member.hasAgent)
        return member.state == MemberState::Alive;
    const QString &status = member.traffic.status;
    return status.startsWith(u"UP") || status == u"no check" || status == u"OPEN";
}

LiveClusterModel::Tone LiveClusterModel::toneOf(const LiveMember &member) const
{
    switch (member.state) {
    case MemberState::Failed: return Tone::Bad;
    case MemberState::Left: return Tone::Gone;
    case MemberState::Suspect: return Tone::Warning;
    case MemberState::Alive: break;
    }
    const QString &status = member.traffic.status;
    if (!member.inLoadBalancer)
        return Tone::Good;
    if (status.startsWith(u"DOWN"))
        return Tone::Bad;
    if (status.startsWith(u"DRAIN") || status.startsWith(u"MAINT") || status.startsWith(u"NOLB"))
        return Tone::Warning;
    return Tone::Good;
}

QVariant LiveClusterModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Name");
    case StateColumn: return tr("Membership");
    case BalancerColumn: return tr("Load balancer");
    case AddressColumn: return tr("Member · HTTP/HTTPS");
    case SessionsColumn: return tr("Sessions");
    case RequestRateColumn: return tr("Req/s");
    case ResponseTimeColumn: return tr("Resp. ms");
    }
    return {};
}

QVariant LiveClusterModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Node *node = nodeAt(index);
    const LiveMember *member = node->kind == Kind::Member ? m_cluster->member(node->memberId) : nullptr;
    if (role == KindRole)
        return int(node->kind);
    if (role == MemberIdRole)
        return member ? QVariant(node->memberId) : QVariant();
    if ((role == MemberIdsRole || role == TrafficIdsRole) && node->kind == Kind::Member)
        return QStringList{node->memberId};
    if (member) {
        switch (role) {
        case MemberStateRole: return int(member->state);
        case ToneRole: return int(toneOf(*member));
        case BalancerStatusRole: return member->inLoadBalancer ? member->traffic.status : QString();
        case HealthyRole: return isHealthy(*member);
        case Qt::DisplayRole:
            switch (index.column()) {
            // The node's name when its agent reports one; the address is beside it either way.
            case NameColumn: return member->info.name.isEmpty() ? member->info.id : member->info.name;
            case StateColumn:
                if (!member->hasAgent)
                    return member->info.loadBalancer ? tr("frontend") : tr("no agent");
                return stateLabel(member->state);
            case BalancerColumn:
                if (member->inLoadBalancer)
                    return member->traffic.status;
                if (member->info.loadBalancer || !m_cluster->hasTraffic())
                    return QString();
                // A member that failed or left was taken out of HAProxy by the load balancer's agent.
                return member->state == Protocol::MemberState::Failed || member->state == Protocol::MemberState::Left
                    ? tr("removed from the load balancer")
                    : tr("not a server");
            case AddressColumn:
                if (!member->hasAgent)
                    return member->traffic.address;
                return QStringLiteral("%1 · %2/%3").arg(member->info.id).arg(member->info.httpPort).arg(member->info.httpsPort);
            case SessionsColumn: return member->inLoadBalancer ? QVariant(member->traffic.sessions) : QVariant();
            case RequestRateColumn: return member->inLoadBalancer ? QVariant(member->traffic.requestRate) : QVariant();
            case ResponseTimeColumn: return member->inLoadBalancer ? QVariant(member->traffic.responseTimeMs) : QVariant();
            }
            return {};
        case Qt::ToolTipRole: return member->reason.isEmpty() ? QVariant() : QVariant(member->reason);
        default: return {};
        }
    }
    if (node->kind == Kind::Member)
        return {}; // a member the cluster no longer has, for the moment before its row goes
    // Group rows show what their members add up to.
    if (role == Qt::DisplayRole && index.column() == NameColumn)
        return node->name;
    const QString &problem = m_cluster->loadBalancerProblem();
    const bool carriesProblem = !problem.isEmpty()
        && (node->kind == Kind::LoadBalancer
            || (node->kind == Kind::Cluster && !loadBalancerNode()));
    if (carriesProblem) {
        if ((role == Qt::DisplayRole && index.column() == BalancerColumn) || role == Qt::ToolTipRole)
            return tr("no statistics: %1").arg(problem);
        if (role == ToneRole)
            return int(Tone::Bad);
    }
    const auto summed = {AliveCountRole, MemberCountRole, MemberIdsRole, TrafficIdsRole, HealthyRole, ToneRole};
    if (role != Qt::DisplayRole && std::find(summed.begin(), summed.end(), role) == summed.end())
        return {};
    const Totals &totals = totalsOf(node);
    switch (role) {
    case AliveCountRole: return totals.alive;
    case MemberCountRole: return int(totals.memberIds.size());
    case MemberIdsRole: return totals.memberIds;
    case TrafficIdsRole: return totals.trafficIds;
    case HealthyRole: return totals.healthy;
    case ToneRole: return int(totals.tone);
    case Qt::DisplayRole:
        switch (index.column()) {
        case StateColumn: return tr("%1/%2 up").arg(totals.alive).arg(totals.memberIds.size());
        case SessionsColumn: return totals.sessions;
        case RequestRateColumn: return totals.requestRate;
        }
        return {};
    default: return {};
    }
}

} // namespace Tribune
