#include "liveview.h"

#include "copyrows.h"
#include "livedecoration.h"
#include "livepages.h"
#include "textfit.h"
#include "trafficcharts.h"

#include "live/clusterconnection.h"
#include "live/eventlogmodel.h"
#include "live/groupsummary.h"
#include "live/livecluster.h"
#include "live/liveclustermodel.h"
#include "live/livesession.h"
#include "live/metricseries.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QFontMetrics>
#include <QHeaderView>
#include <QInputDialog>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QSortFilterProxyModel>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

#include <functional>
#include <memory>

namespace Tribune {

namespace {

// Events of one kind (or all) whose text matches the search.
class EventFilter final : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setKind(const QString &kind)
    {
        m_kind = kind;
        invalidateRowsFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        const QModelIndex index = sourceModel()->index(row, 0, parent);
        if (!m_kind.isEmpty() && index.data(EventLogModel::KindRole).toString() != m_kind)
            return false;
        // The Member column shows names; the address people may search by is matched too.
        return QSortFilterProxyModel::filterAcceptsRow(row, parent)
            || index.data(EventLogModel::MemberIdRole).toString().contains(filterRegularExpression());
    }

private:
    QString m_kind;
};

} // namespace

MemberActions MemberActions::of(LiveSession *session)
{
    MemberActions actions;
    actions.allowed = session->canChangeMembers(&actions.notAllowedReason);
    actions.hasMembership = !session->connection()->settings().seeds.isEmpty();
    LoadBalancerLink *balancer = session->loadBalancer();
    if (!balancer)
        return actions;
    actions.setState = [balancer](const QStringList &members, State state) { balancer->setState(members, state); };
    actions.setWeight = [balancer](const QStringList &members, int weight) { balancer->setWeight(members, weight); };
    return actions;
}

LiveView::LiveView(LiveCluster *cluster, LiveClusterModel *model, MetricSeries *series, EventLogModel *events,
                   MemberActions actions, QWidget *parent)
    : QWidget(parent)
    , m_cluster(cluster)
    , m_model(model)
    , m_events(events)
    , m_actions(std::move(actions))
    , m_decoration(new LiveDecoration(this))
    , m_filter(new QSortFilterProxyModel(this))
    , m_tree(new QTreeView(this))
    , m_page(new QTextBrowser(this))
    , m_charts(new TrafficCharts(series, this))
    , m_eventFilter(new EventFilter(this))
    , m_eventTable(new QTableView(this))
{
    m_decoration->setSourceModel(model);
    m_filter->setSourceModel(m_decoration);
    m_filter->setAutoAcceptChildRows(true);
    m_filter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_filter->setFilterKeyColumn(-1);
    m_filter->setSortRole(Qt::DisplayRole);

    m_tree->setModel(m_filter);
    m_tree->setSortingEnabled(true);
    m_tree->sortByColumn(LiveClusterModel::NameColumn, Qt::AscendingOrder);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    // Sized to the names when rows come, not on every change: a ResizeToContents section makes
    // each dataChanged measure every visible row again (1,000 members changing each second).
    m_tree->header()->setSectionResizeMode(LiveClusterModel::NameColumn, QHeaderView::Interactive);
    m_tree->header()->setStretchLastSection(false);
    // Wide enough for the header and the widest value each column shows, in this font.
    const QString widest[] = {QString(), QStringLiteral("99/99 up"), tr("not a server"),
                              QStringLiteral("127.100.100.100 · 65535/65535"), QStringLiteral("99999"),
                              QStringLiteral("9999.9"), QStringLiteral("9999.9")};
    const QFontMetrics metrics(m_tree->font());
    for (int column = LiveClusterModel::StateColumn; column < LiveClusterModel::ColumnCount; ++column) {
        const QString header = model->headerData(column, Qt::Horizontal).toString();
        m_tree->setColumnWidth(column, std::max(metrics.horizontalAdvance(header) + 28,
                                                metrics.horizontalAdvance(widest[column]) + 16));
    }
    // Host and ports come last: the member's page shows them too, and the states matter first.
    m_tree->header()->moveSection(m_tree->header()->visualIndex(LiveClusterModel::AddressColumn),
                                  LiveClusterModel::ColumnCount - 1);
    m_tree->expandAll();
    auto *nameWidth = new QTimer(this);
    nameWidth->setSingleShot(true);
    connect(nameWidth, &QTimer::timeout, m_tree, [this] { m_tree->resizeColumnToContents(LiveClusterModel::NameColumn); });
    nameWidth->start();
    // New groups open as they appear, so a joining member is seen at once.
    connect(m_filter, &QAbstractItemModel::rowsInserted, m_tree, [this, nameWidth](const QModelIndex &parentIndex, int first, int last) {
        m_tree->expand(parentIndex);
        for (int row = first; row <= last; ++row)
            m_tree->expand(m_filter->index(row, 0, parentIndex));
        nameWidth->start();
    });

    auto *filterBox = new QLineEdit(this);
    m_filterBox = filterBox;
    filterBox->setPlaceholderText(tr("Filter members, domains, states… (Ctrl+F)"));
    filterBox->setClearButtonEnabled(true);
    // Recursive filtering makes every member's change re-announce all its groups (each summing
    // up to 1,000 members); it only matters while a filter is typed.
    m_filter->setRecursiveFilteringEnabled(false);
    connect(filterBox, &QLineEdit::textChanged, this, &LiveView::applyFilter);
    auto *find = new QShortcut(QKeySequence::Find, this, [filterBox] {
        filterBox->setFocus(Qt::ShortcutFocusReason);
        filterBox->selectAll();
    });
    find->setContext(Qt::WidgetWithChildrenShortcut);
    auto *clear = new QShortcut(QKeySequence(Qt::Key_Escape), filterBox, filterBox, &QLineEdit::clear);
    clear->setContext(Qt::WidgetShortcut);
    auto *treePane = new QWidget(this);
    auto *treeLayout = new QVBoxLayout(treePane);
    treeLayout->setContentsMargins(0, 0, 0, 0);
    treeLayout->addWidget(filterBox);
    treeLayout->addWidget(m_tree, 1);

    m_page->setFrameShape(QFrame::NoFrame);
    m_page->setMaximumHeight(320);
    // Room for a group's summary (ten lines or so) above the charts.
    m_page->setMinimumHeight(m_page->fontMetrics().lineSpacing() * 10);
    auto *right = new QSplitter(Qt::Vertical, this);
    right->setObjectName(QStringLiteral("pageAndCharts"));
    right->addWidget(m_page);
    right->addWidget(m_charts);
    right->setStretchFactor(1, 1);

    auto *top = new QSplitter(Qt::Horizontal, this);
    top->setObjectName(QStringLiteral("treeAndPage"));
    top->addWidget(treePane);
    top->addWidget(right);
    // The tree's columns want a little more room than the charts' two columns of plots.
    top->setStretchFactor(0, 5);
    top->setStretchFactor(1, 4);

    m_eventFilter->setSourceModel(events);
    m_eventFilter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_eventFilter->setFilterKeyColumn(-1);
    m_eventTable->setModel(m_eventFilter);
    m_eventTable->setSortingEnabled(true);
    m_eventTable->sortByColumn(EventLogModel::TimeColumn, Qt::DescendingOrder);
    m_eventTable->verticalHeader()->hide();
    m_eventTable->horizontalHeader()->setStretchLastSection(true);
    m_eventTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    addCopyRowsAction(m_eventTable);
    connect(m_eventTable, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        const QString path = index.data(EventLogModel::SnapshotPathRole).toString();
        if (!path.isEmpty())
            emit snapshotOpenRequested(path);
    });
    setColumnWidths(m_eventTable->horizontalHeader(), {{EventLogModel::TimeColumn, 170},
                                                       {EventLogModel::MemberColumn, 130},
                                                       {EventLogModel::GroupColumn, 190}});
    auto *kind = new QComboBox(this);
    kind->addItem(tr("All events"), QString());
    for (const char *name : {"join", "leave", "failure", "suspect", "refute", "rejoin", "health", "admin", "snapshot"})
        kind->addItem(EventLogModel::kindLabel(QString::fromLatin1(name)), QString::fromLatin1(name));
    connect(kind, &QComboBox::currentIndexChanged, this,
            [this, kind] { static_cast<EventFilter *>(m_eventFilter)->setKind(kind->currentData().toString()); });
    auto *search = new QLineEdit(this);
    search->setPlaceholderText(tr("Search events"));
    search->setClearButtonEnabled(true);
    fitToPlaceholder(search);
    connect(search, &QLineEdit::textChanged, m_eventFilter, &QSortFilterProxyModel::setFilterFixedString);
    auto *eventBar = new QHBoxLayout;
    eventBar->addWidget(kind);
    eventBar->addWidget(search, 1);
    auto *eventPane = new QWidget(this);
    auto *eventLayout = new QVBoxLayout(eventPane);
    eventLayout->setContentsMargins(0, 0, 0, 0);
    eventLayout->addLayout(eventBar);
    eventLayout->addWidget(m_eventTable, 1);
    // Room for a few events even when the charts want all the height: the log is what says why.
    m_eventTable->setMinimumHeight(m_eventTable->horizontalHeader()->sizeHint().height()
                                   + 6 * m_eventTable->verticalHeader()->defaultSectionSize());

    auto *main = new QSplitter(Qt::Vertical, this);
    main->setObjectName(QStringLiteral("clusterAndEvents"));
    main->addWidget(top);
    main->addWidget(eventPane);
    main->setStretchFactor(0, 3);
    main->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(main);
    // The sizes the user gave the panes, kept from one start to the next.
    for (QSplitter *splitter : {top, right, main}) {
        const QString key = QLatin1String("liveView/") + splitter->objectName();
        splitter->restoreState(QSettings().value(key).toByteArray());
        connect(splitter, &QSplitter::splitterMoved, splitter,
                [splitter, key] { QSettings().setValue(key, splitter->saveState()); });
    }

    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, &LiveView::showSelection);
    connect(m_tree, &QTreeView::customContextMenuRequested, this, &LiveView::contextMenu);
    // The page follows the data: a member's own changes, or any change below a selected group.
    // A poll changes every member at once: the page is redrawn once after it, not once per member.
    auto *pageRefresh = new QTimer(this);
    pageRefresh->setSingleShot(true);
    connect(pageRefresh, &QTimer::timeout, this, &LiveView::refreshPage);
    connect(cluster, &LiveCluster::memberChanged, this, [this, pageRefresh](const QString &id) {
        if (!pageRefresh->isActive() && selectedMembers().contains(id))
            pageRefresh->start();
    });
    // A group's charts sum whoever is below it now; a poll that brings a thousand servers at once
    // redraws them once.
    auto *selectionRefresh = new QTimer(this);
    selectionRefresh->setSingleShot(true);
    connect(selectionRefresh, &QTimer::timeout, this, &LiveView::showSelection);
    for (const auto signal : {&LiveCluster::memberAdded, &LiveCluster::memberRemoved})
        connect(cluster, signal, selectionRefresh, qOverload<>(&QTimer::start));
    connect(cluster, &LiveCluster::memberRenamed, selectionRefresh, qOverload<>(&QTimer::start));
    m_tree->setCurrentIndex(m_filter->index(0, 0));
}

LiveView::~LiveView() = default;

bool LiveView::selectMember(const QString &memberId)
{
    const QModelIndex source = m_model->indexOfMember(memberId);
    const QModelIndex index = m_filter->mapFromSource(m_decoration->mapFromSource(source));
    if (!index.isValid())
        return false;
    m_tree->scrollTo(index);
    m_tree->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    return true;
}

QStringList LiveView::selectedMembers() const
{
    return m_tree->currentIndex().data(LiveClusterModel::MemberIdsRole).toStringList();
}

QString LiveView::pageText() const
{
    return m_page->toPlainText();
}

namespace {

TrafficCharts::Composition chartComposition(const QModelIndex &row)
{
    // A sub-domain's members do the same work, so who carries how much of it shows; above that
    // the members are too many and too different to stack.
    const auto kind = LiveClusterModel::Kind(row.data(LiveClusterModel::KindRole).toInt());
    return kind == LiveClusterModel::Kind::SubDomain ? TrafficCharts::Composition::Stacked
                                                     : TrafficCharts::Composition::Summed;
}

// A member by its name and address, a group by its name.
QString chartTitle(const QModelIndex &row)
{
    const QString name = row.siblingAtColumn(LiveClusterModel::NameColumn).data().toString();
    const QString memberId = row.data(LiveClusterModel::MemberIdRole).toString();
    return memberId.isEmpty() || memberId == name ? name : LiveView::tr("%1 (%2)").arg(name, memberId);
}

} // namespace

void LiveView::refreshPage()
{
    const QModelIndex current = m_tree->currentIndex();
    const QString memberId = current.data(LiveClusterModel::MemberIdRole).toString();
    if (!memberId.isEmpty()) {
        const LiveMember *member = m_cluster->member(memberId);
        m_page->setHtml(member ? LivePages::memberHtml(*member) : QString());
        return;
    }
    if (!current.isValid()) {
        m_page->clear();
        return;
    }
    // A group's page: its members by state, the busiest, and what went wrong lately.
    const QString chartNote = chartComposition(current) == TrafficCharts::Composition::Stacked
        ? tr("The charts stack this sub-domain's members, one colour each.")
        : tr("The charts sum the members below this row.");
    const bool loadBalancerGroup = current.data(LiveClusterModel::KindRole).toInt() == int(LiveClusterModel::Kind::LoadBalancer);
    const GroupSummary summary = summarizeGroup(*m_cluster, current.data(LiveClusterModel::MemberIdsRole).toStringList(),
                                                *m_events, loadBalancerGroup);
    m_page->setHtml(LivePages::groupHtml(current.siblingAtColumn(LiveClusterModel::NameColumn).data().toString(), summary,
                                         chartNote));
}

void LiveView::showSelection()
{
    const QModelIndex current = m_tree->currentIndex();
    refreshPage();
    // The row's traffic: above the load balancer's group, its frontends are left out, since the
    // servers behind them carry the same.
    m_charts->setMembers(current.data(LiveClusterModel::TrafficIdsRole).toStringList(),
                         chartTitle(current), chartComposition(current));
}

void LiveView::confirmAndSetState(const QStringList &members, MemberActions::State state)
{
    // Taking traffic away from members deserves a second look.
    if (state != MemberActions::State::Ready) {
        const QString what = state == MemberActions::State::Drain ? tr("Drain") : tr("Put in maintenance");
        const auto answer = QMessageBox::question(
            this, what, tr("%1 %2 member(s)? They stop taking new traffic:\n%3").arg(what).arg(members.size()).arg(members.join(QLatin1Char('\n'))));
        if (answer != QMessageBox::Yes)
            return;
    }
    m_actions.setState(members, state);
}

void LiveView::contextMenu(const QPoint &position)
{
    const QModelIndex index = m_tree->indexAt(position);
    if (!index.isValid())
        return;
    std::unique_ptr<QMenu> menu(menuFor(index));
    menu->exec(m_tree->viewport()->mapToGlobal(position));
}

QMenu *LiveView::menuFor(const QModelIndex &index)
{
    const QStringList members = index.data(LiveClusterModel::MemberIdsRole).toStringList();
    const int kind = index.data(LiveClusterModel::KindRole).toInt();
    const bool isMember = kind == int(LiveClusterModel::Kind::Member);
    const bool isSubDomain = kind == int(LiveClusterModel::Kind::SubDomain);
    // HAProxy's servers are the domains' members: the load balancer's own node is none of them,
    // and the cluster root would take it in with the rest.
    const bool isLoadBalancer = kind == int(LiveClusterModel::Kind::LoadBalancer)
        || (isMember && index.parent().data(LiveClusterModel::KindRole).toInt() == int(LiveClusterModel::Kind::LoadBalancer));
    const bool servesTraffic = !isLoadBalancer && kind != int(LiveClusterModel::Kind::Cluster);
    auto *menu = new QMenu(this);
    menu->setToolTipsVisible(true);
    // What an action does runs once the menu has closed: most of it opens a dialog of its own.
    const auto afterMenu = [this](std::function<void()> act) {
        return [this, act = std::move(act)] { QMetaObject::invokeMethod(this, act, Qt::QueuedConnection); };
    };
    if (servesTraffic) {
        const auto setState = [this, members](MemberActions::State state) { confirmAndSetState(members, state); };
        QAction *ready = menu->addAction(tr("Ready"), this, afterMenu([setState] { setState(MemberActions::State::Ready); }));
        QAction *drain = menu->addAction(tr("Drain"), this, afterMenu([setState] { setState(MemberActions::State::Drain); }));
        QAction *maintenance =
            menu->addAction(tr("Maintenance"), this, afterMenu([setState] { setState(MemberActions::State::Maintenance); }));
        QAction *weight = menu->addAction(tr("Set Weight…"), this, afterMenu([this, members] {
            bool ok = false;
            const int percent = QInputDialog::getInt(this, tr("Set Weight"), tr("Weight, in percent of the initial weight:"),
                                                     100, 0, 256, 1, &ok);
            if (ok)
                m_actions.setWeight(members, percent);
        }));
        for (QAction *action : {ready, drain, maintenance, weight}) {
            action->setEnabled(m_actions.allowed && !members.isEmpty());
            if (!m_actions.allowed)
                action->setToolTip(m_actions.notAllowedReason);
        }
        if (!m_actions.allowed) {
            menu->addSeparator();
            menu->addAction(m_actions.notAllowedReason)->setEnabled(false);
        }
    }
    if (kind == int(LiveClusterModel::Kind::Domain) || kind == int(LiveClusterModel::Kind::LoadBalancer)) {
        menu->addSeparator();
        const QString templateMember = kind == int(LiveClusterModel::Kind::Domain) ? members.value(0) : QString();
        QAction *newSubDomain =
            menu->addAction(tr("New Sub-domain…"), this, afterMenu([this, templateMember] { emit newSubDomainRequested(templateMember); }));
        newSubDomain->setEnabled(m_actions.allowed && m_actions.hasMembership);
        if (!m_actions.hasMembership)
            newSubDomain->setToolTip(tr("Connect with a well-known member too: a new node is configured through the agents"));
    }
    // A new node like this member, or like the first member of this sub-domain: only from a
    // member whose agent can give its configuration.
    const LiveMember *first = members.isEmpty() ? nullptr : m_cluster->member(members.first());
    if ((isMember || isSubDomain) && first && first->hasAgent) {
        menu->addSeparator();
        const QString firstId = members.first();
        menu->addAction(isMember ? tr("Add a Node Like This One…") : tr("Add a Node to This Sub-domain…"), this,
                        afterMenu([this, firstId] { emit addNodeRequested(firstId); }))
            ->setEnabled(m_actions.allowed && m_actions.hasMembership);
        if (isMember)
            menu->addAction(tr("Configure…"), this, afterMenu([this, firstId] { emit configureRequested(firstId); }))
                ->setEnabled(m_actions.allowed && m_actions.hasMembership);
    }
    return menu;
}

void LiveView::applyFilter(const QString &text)
{
    const auto toModel = [this](const QModelIndex &index) { return m_decoration->mapToSource(m_filter->mapToSource(index)); };
    const auto fromModel = [this](const QModelIndex &index) { return m_filter->mapFromSource(m_decoration->mapFromSource(index)); };
    // The user's own expansion, remembered when a filter starts and given back when it is cleared.
    if (!text.isEmpty() && !m_filtering) {
        m_expandedBeforeFilter.clear();
        std::function<void(const QModelIndex &)> remember = [&](const QModelIndex &parent) {
            for (int row = 0; row < m_filter->rowCount(parent); ++row) {
                const QModelIndex child = m_filter->index(row, 0, parent);
                if (m_tree->isExpanded(child))
                    m_expandedBeforeFilter.append(QPersistentModelIndex(toModel(child)));
                remember(child);
            }
        };
        remember(QModelIndex());
        m_filtering = true;
    }
    m_filter->setRecursiveFilteringEnabled(!text.isEmpty());
    m_filter->setFilterFixedString(text);
    if (!text.isEmpty()) {
        m_tree->expandAll(); // every match shows
        return;
    }
    if (std::exchange(m_filtering, false)) {
        m_tree->collapseAll();
        for (const QPersistentModelIndex &expanded : std::as_const(m_expandedBeforeFilter)) {
            if (expanded.isValid())
                m_tree->expand(fromModel(expanded));
        }
        m_expandedBeforeFilter.clear();
    }
}

void LiveView::markMoment(const QDateTime &time)
{
    m_charts->setMarker(double(time.toMSecsSinceEpoch()) / 1000.0);
    const auto *events = static_cast<const EventLogModel *>(m_eventFilter->sourceModel());
    int last = -1;
    for (int row = 0; row < events->rowCount() && events->eventAt(row).time <= time; ++row)
        last = row;
    const QModelIndex shown = last < 0 ? QModelIndex() : m_eventFilter->mapFromSource(events->index(last, 0));
    if (!shown.isValid()) {
        m_eventTable->clearSelection();
        return;
    }
    m_eventTable->selectionModel()->setCurrentIndex(shown, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_eventTable->scrollTo(shown);
}

} // namespace Tribune
