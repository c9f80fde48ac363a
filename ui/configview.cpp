#include "configview.h"

#include "findingspanel.h"
#include "nodedetailspanel.h"
#include "severitydecoration.h"

#include "cluster/clusterworkspace.h"
#include "itemmodels/clustertreemodel.h"
#include "itemmodels/findingsmodel.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTreeView>
#include <QVBoxLayout>

namespace Tribune {

ConfigView::ConfigView(ClusterWorkspace *workspace, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_treeModel(new ClusterTreeModel(workspace, this))
    , m_findingsModel(new FindingsModel(workspace, this))
    , m_treeFilter(new QSortFilterProxyModel(this))
    , m_tree(new QTreeView(this))
    , m_details(new NodeDetailsPanel(workspace, this))
{
    auto *decorated = new SeverityDecoration(ClusterTreeModel::SeverityRole, ClusterTreeModel::FindingsColumn, this);
    decorated->setSourceModel(m_treeModel);
    m_treeFilter->setSourceModel(decorated);
    m_treeFilter->setRecursiveFilteringEnabled(true);
    m_treeFilter->setAutoAcceptChildRows(true);
    m_treeFilter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_treeFilter->setFilterKeyColumn(-1);

    m_tree->setModel(m_treeFilter);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->header()->setStretchLastSection(true);
    m_tree->header()->setSectionResizeMode(ClusterTreeModel::NameColumn, QHeaderView::ResizeToContents);

    auto *filter = new QLineEdit(this);
    filter->setPlaceholderText(tr("Filter nodes, domains, hosts…"));
    filter->setClearButtonEnabled(true);
    connect(filter, &QLineEdit::textChanged, m_treeFilter, &QSortFilterProxyModel::setFilterFixedString);

    auto *treePane = new QWidget(this);
    auto *treeLayout = new QVBoxLayout(treePane);
    treeLayout->setContentsMargins(0, 0, 0, 0);
    treeLayout->addWidget(filter);
    treeLayout->addWidget(m_tree, 1);

    auto *top = new QSplitter(Qt::Horizontal, this);
    top->addWidget(treePane);
    top->addWidget(m_details);
    top->setStretchFactor(0, 3);
    top->setStretchFactor(1, 2);

    auto *findings = new FindingsPanel(m_findingsModel, this);
    m_findings = findings;
    auto *main = new QSplitter(Qt::Vertical, this);
    main->addWidget(top);
    main->addWidget(findings);
    main->setStretchFactor(0, 3);
    main->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(main);

    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, &ConfigView::showSelection);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_tree, &QTreeView::customContextMenuRequested, this, [this](const QPoint &position) {
        const QString node = m_tree->indexAt(position).data(ClusterTreeModel::NodeNameRole).toString();
        if (node.isEmpty() || m_readOnly)
            return;
        QMenu menu(this);
        QAction *configure = menu.addAction(tr("&Configure…"));
        if (menu.exec(m_tree->viewport()->mapToGlobal(position)) == configure)
            emit configureRequested(node);
    });
    connect(findings, &FindingsPanel::nodeActivated, this, &ConfigView::selectNode);
    // Keep the user's place across a reload: the same node stays selected.
    connect(workspace, &ClusterWorkspace::aboutToReload, this, &ConfigView::rememberSelection);
    connect(workspace, &ClusterWorkspace::reloaded, this, &ConfigView::restoreSelection);
    connect(workspace, &ClusterWorkspace::aboutToChangeFindings, this, &ConfigView::rememberSelection);
    connect(workspace, &ClusterWorkspace::findingsChanged, this, &ConfigView::restoreSelection);
    restoreSelection();
}

ConfigView::~ConfigView() = default;

bool ConfigView::selectNode(const QString &nodeName)
{
    const QModelIndex source = m_treeModel->indexOfNode(nodeName);
    if (!source.isValid())
        return false;
    const QModelIndex decorated = static_cast<QIdentityProxyModel *>(m_treeFilter->sourceModel())->mapFromSource(source);
    const QModelIndex index = m_treeFilter->mapFromSource(decorated);
    if (!index.isValid())
        return false;
    m_tree->scrollTo(index);
    m_tree->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    return true;
}

void ConfigView::showSelection()
{
    const QModelIndex index = m_tree->currentIndex();
    const QString node = index.data(ClusterTreeModel::NodeNameRole).toString();
    if (!node.isEmpty()) {
        m_details->showNode(node);
        return;
    }
    const QModelIndex name = index.siblingAtColumn(ClusterTreeModel::NameColumn);
    m_details->showSummary(name.isValid() ? name.data().toString() : m_workspace->title(),
                           index.data(ClusterTreeModel::NodeCountRole).toInt(),
                           index.data(ClusterTreeModel::ErrorCountRole).toInt(),
                           index.data(ClusterTreeModel::WarningCountRole).toInt());
}

void ConfigView::rememberSelection()
{
    m_selectedNode = m_tree->currentIndex().data(ClusterTreeModel::NodeNameRole).toString();
}

void ConfigView::restoreSelection()
{
    m_tree->expandAll();
    for (int column = 0; column < ClusterTreeModel::ColumnCount; ++column)
        m_tree->resizeColumnToContents(column);
    if (m_selectedNode.isEmpty() || !selectNode(m_selectedNode))
        m_tree->setCurrentIndex(m_treeFilter->index(0, 0));
    emit summaryChanged(summary());
}

QString ConfigView::summary() const
{
    const QList<Finding> &findings = m_workspace->findings();
    if (m_workspace->paths().isEmpty())
        return tr("Open a cluster folder to check its configuration.");
    return tr("%1 nodes · %2 · %3")
        .arg(m_workspace->facts().size())
        .arg(errorsAndWarnings(countOf(findings, Severity::Error), countOf(findings, Severity::Warning)),
             m_workspace->isLive() ? m_workspace->title() : m_workspace->paths().join(QLatin1String(", ")));
}

} // namespace Tribune
