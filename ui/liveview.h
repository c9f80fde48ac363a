#pragma once

#include "live/loadbalancerlink.h"

#include <QPersistentModelIndex>
#include <QWidget>

#include <functional>

class QDateTime;
class QLabel;
class QLineEdit;
class QMenu;
class QSortFilterProxyModel;
class QTableView;
class QTextBrowser;
class QTreeView;

namespace Tribune {

class EventLogModel;
class LiveCluster;
class LiveClusterModel;
class LiveSession;
class LiveDecoration;
class MetricSeries;
class TrafficCharts;

// What the live view may do to members; provided by the application from models/.
struct MemberActions
{
    using State = LoadBalancerLink::Action;
    std::function<void(const QStringList &memberIds, State state)> setState;
    std::function<void(const QStringList &memberIds, int weightPercent)> setWeight;
    bool allowed = false;
    QString notAllowedReason; // shown on the disabled actions
    // Whether the members' agents are reached (a well-known member was given): what reads or
    // writes nodes' files needs them; the load balancer alone offers only its own actions.
    bool hasMembership = true;

    // The actions a session allows: through its load balancer link, when it has one and the
    // session's key may change things.
    static MemberActions of(LiveSession *session);
};

// The live cluster: the tree of domains, sub-domains and members, the selected row's page with
// its charts, and the event log.
class LiveView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LiveView)

public:
    LiveView(LiveCluster *cluster, LiveClusterModel *model, MetricSeries *series, EventLogModel *events,
             MemberActions actions, QWidget *parent = nullptr);
    ~LiveView() override;

    QTreeView *tree() const { return m_tree; }
    TrafficCharts *charts() const { return m_charts; }
    bool selectMember(const QString &memberId);
    // The member ids of the selected row (one member, or all below a group).
    QStringList selectedMembers() const;
    // Marks a moment (a snapshot's time shown): on the charts, and in the event log at the last
    // event until then.
    void markMoment(const QDateTime &time);
    QLineEdit *filterBox() const { return m_filterBox; }
    // The context menu of a row: only the actions that act there (no Drain on the load balancer's
    // own node or the cluster root). The caller owns it.
    QMenu *menuFor(const QModelIndex &index);
    // The page of the selected row, as plain text (tests and copying).
    QString pageText() const;

signals:
    // The user asked for a new node like this member (Add a Node Like This One…).
    void addNodeRequested(const QString &templateMemberId);
    // The user asked to change this member's configuration (Configure…).
    void configureRequested(const QString &memberId);
    // The user asked for a new sub-domain of this domain (or of any, from the load balancer).
    void newSubDomainRequested(const QString &templateMemberId);
    // The user double-clicked an event that names a snapshot (the flight recorder's).
    void snapshotOpenRequested(const QString &path);

private:
    void showSelection();
    void refreshPage();
    void contextMenu(const QPoint &position);
    // Filters the tree; a filter shows every match expanded, and clearing it gives back the
    // expansion the user had.
    void applyFilter(const QString &text);
    void confirmAndSetState(const QStringList &members, MemberActions::State state);

    LiveCluster *m_cluster;
    LiveClusterModel *m_model;
    EventLogModel *m_events;
    MemberActions m_actions;
    LiveDecoration *m_decoration;
    QSortFilterProxyModel *m_filter;
    QTreeView *m_tree;
    QTextBrowser *m_page;
    TrafficCharts *m_charts;
    QSortFilterProxyModel *m_eventFilter;
    QTableView *m_eventTable;
    QLineEdit *m_filterBox = nullptr;
    bool m_filtering = false;
    QList<QPersistentModelIndex> m_expandedBeforeFilter;
};

} // namespace Tribune
