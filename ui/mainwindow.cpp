#include "mainwindow.h"

#include "findingspanel.h"
#include "nodedetailspanel.h"
#include "severitydecoration.h"

#include "cluster/clusterworkspace.h"
#include "itemmodels/clustertreemodel.h"
#include "itemmodels/findingsmodel.h"

#include <QAction>
#include <QApplication>
#include <QFileDialog>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

namespace Tribune {

MainWindow::MainWindow(ClusterWorkspace *workspace, QWidget *parent)
    : QMainWindow(parent)
    , m_workspace(workspace)
    , m_treeModel(new ClusterTreeModel(workspace, this))
    , m_findingsModel(new FindingsModel(workspace, this))
    , m_treeFilter(new QSortFilterProxyModel(this))
    , m_tree(new QTreeView(this))
    , m_details(new NodeDetailsPanel(workspace, this))
    , m_status(new QLabel(this))
{
    setWindowTitle(tr("Tribune"));

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
    auto *main = new QSplitter(Qt::Vertical, this);
    main->addWidget(top);
    main->addWidget(findings);
    main->setStretchFactor(0, 3);
    main->setStretchFactor(1, 1);
    setCentralWidget(main);
    statusBar()->addPermanentWidget(m_status, 1);

    createActions();

    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, &MainWindow::showSelection);
    connect(findings, &FindingsPanel::nodeActivated, this, &MainWindow::selectNode);
    // Keep the user's place across a reload: the same node stays selected.
    connect(workspace, &ClusterWorkspace::aboutToReload, this, &MainWindow::rememberSelection);
    connect(workspace, &ClusterWorkspace::reloaded, this, &MainWindow::restoreSelection);
    connect(workspace, &ClusterWorkspace::loadFailed, this, [this](const QList<Config::ConfigError> &errors) {
        QStringList lines;
        for (const Config::ConfigError &error : errors)
            lines.append(error.toString());
        reportLoadFailure(lines.join(QLatin1Char('\n')));
    });
    restoreSelection();
    resize(1280, 800);
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&Cluster"));
    QAction *open = fileMenu->addAction(tr("&Open Cluster Folder…"), this, &MainWindow::openFolder);
    open->setShortcut(QKeySequence::Open);
    open->setIcon(style()->standardIcon(QStyle::SP_DirOpenIcon));
    QAction *reload = fileMenu->addAction(tr("&Reload and Validate"), m_workspace, &ClusterWorkspace::reload);
    reload->setShortcut(QKeySequence::Refresh);
    reload->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
    fileMenu->addSeparator();
    QAction *quit = fileMenu->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    viewMenu->addAction(tr("&Expand All"), m_tree, &QTreeView::expandAll);
    viewMenu->addAction(tr("&Collapse All"), m_tree, &QTreeView::collapseAll);

    QToolBar *toolBar = addToolBar(tr("Cluster"));
    toolBar->setObjectName(QStringLiteral("clusterToolBar"));
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolBar->addAction(open);
    toolBar->addAction(reload);
}

void MainWindow::openFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Open Cluster Folder"), m_workspace->paths().value(0));
    if (!folder.isEmpty())
        m_workspace->open({folder});
}

void MainWindow::reportLoadFailure(const QString &details)
{
    QMessageBox box(QMessageBox::Warning, tr("Cannot Open Cluster"),
                    tr("Some configuration files could not be read. Fix them and reload; the cluster shown "
                       "before stays open."),
                    QMessageBox::Ok, this);
    box.setDetailedText(details);
    box.exec();
}

bool MainWindow::selectNode(const QString &nodeName)
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

void MainWindow::showSelection()
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

void MainWindow::rememberSelection()
{
    m_selectedNode = m_tree->currentIndex().data(ClusterTreeModel::NodeNameRole).toString();
}

void MainWindow::restoreSelection()
{
    m_tree->expandAll();
    for (int column = 0; column < ClusterTreeModel::ColumnCount; ++column)
        m_tree->resizeColumnToContents(column);
    if (m_selectedNode.isEmpty() || !selectNode(m_selectedNode))
        m_tree->setCurrentIndex(m_treeFilter->index(0, 0));
    const QString title = m_workspace->title();
    setWindowTitle(title.isEmpty() ? tr("Tribune") : tr("%1 — Tribune").arg(title));
    updateStatus();
}

void MainWindow::updateStatus()
{
    const QList<Finding> &findings = m_workspace->findings();
    m_status->setText(m_workspace->paths().isEmpty()
                          ? tr("Open a cluster folder to check its configuration.")
                          : tr("%1 nodes · %2 · %3")
                                .arg(m_workspace->facts().size())
                                .arg(errorsAndWarnings(countOf(findings, Severity::Error), countOf(findings, Severity::Warning)),
                                     m_workspace->paths().join(QLatin1String(", "))));
}

} // namespace Tribune
