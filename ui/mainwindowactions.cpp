// The main window's menus and tool bar: every action, with its standard keys.
#include "mainwindow.h"

#include "configview.h"
#include "liveview.h"
#include "snapshotwindow.h"

#include "cluster/clusterworkspace.h"
#include "live/clusterconnection.h"
#include "live/livecluster.h"
#include "live/livesession.h"

#include <QAction>
#include <QApplication>
#include <QKeySequence>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QToolBar>
#include <QTreeView>

namespace Tribune {

void MainWindow::createActions()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&Cluster"));
    QAction *connectAction = fileMenu->addAction(tr("&Connect…"), this, &MainWindow::connectRequested);
    connectAction->setShortcut(QKeySequence(tr("Ctrl+K")));
    connectAction->setIcon(style()->standardIcon(QStyle::SP_DriveNetIcon));
    QAction *open = fileMenu->addAction(tr("&Open Cluster Folder…"), this, &MainWindow::openFolder);
    open->setShortcuts(QKeySequence::Open);
    open->setIcon(style()->standardIcon(QStyle::SP_DirOpenIcon));
    QAction *reload = fileMenu->addAction(tr("&Reload and Validate"), m_workspace, &ClusterWorkspace::reload);
    reload->setShortcuts(QKeySequence::Refresh);
    reload->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
    m_checkLive = fileMenu->addAction(tr("Check the R&unning Cluster's Files"), this, &MainWindow::checkLiveFiles);
    m_checkLive->setObjectName(QStringLiteral("checkLiveAction"));
    m_checkLive->setToolTip(tr("Read every member's configuration files from its agent and validate the whole "
                               "running cluster"));
    m_checkLive->setIcon(style()->standardIcon(QStyle::SP_FileDialogContentsView));
    m_checkLive->setEnabled(m_session != nullptr);
    m_addNode = fileMenu->addAction(tr("&Add a Node…"), this, [this] { addNode(QString()); });
    m_addNode->setObjectName(QStringLiteral("addNodeAction"));
    m_addNode->setShortcuts(QKeySequence::New);
    m_addNode->setEnabled(m_session != nullptr);
    m_exportSnapshot = fileMenu->addAction(tr("E&xport Snapshot…"), this, [this] { exportSnapshot(QString()); });
    m_exportSnapshot->setObjectName(QStringLiteral("exportSnapshotAction"));
    m_exportSnapshot->setShortcuts(QKeySequence::Save);
    m_exportSnapshot->setToolTip(tr("Write the running cluster to one file: members, health, HAProxy's view, every "
                                    "node's files (passwords redacted), findings, and the last events and samples"));
    m_exportSnapshot->setEnabled(m_session != nullptr);
    m_compareSnapshot = fileMenu->addAction(tr("Co&mpare With Snapshot…"), this, [this] { compareWithSnapshot(QString()); });
    m_compareSnapshot->setObjectName(QStringLiteral("compareSnapshotAction"));
    m_compareSnapshot->setToolTip(tr("What changed since a snapshot: members, each domain's traffic, every node's files, "
                                     "findings"));
    m_compareSnapshot->setEnabled(m_session != nullptr);
    connect(m_workspace, &ClusterWorkspace::liveFetchStarted, this, [this] {
        m_checkLive->setEnabled(false);
        statusBar()->showMessage(tr("Reading every member's files from its agent…"));
    });
    connect(m_workspace, &ClusterWorkspace::liveFetchFinished, this, [this](bool ok, const QStringList &problems) {
        m_checkLive->setEnabled(m_session && !m_session->connection()->settings().seeds.isEmpty());
        statusBar()->clearMessage();
        // Shown when asked for; read for a wizard, they stay behind it.
        if (ok && std::exchange(m_revealLiveFiles, false))
            m_tabs->setCurrentWidget(m_configView);
        if (ok && problems.isEmpty())
            return;
        // Told without stopping the live view behind it.
        auto *box = new QMessageBox(QMessageBox::Warning,
                                    ok ? tr("Some Members' Files Were Not Read") : tr("Cannot Read the Running Cluster"),
                                    problems.join(QLatin1Char('\n')), QMessageBox::Close, this);
        box->setObjectName(QStringLiteral("liveFilesProblems"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
    QAction *openSnapshot = fileMenu->addAction(tr("Open S&napshot…"), this, [this] { SnapshotWindow::askAndOpen(this); });
    openSnapshot->setObjectName(QStringLiteral("openSnapshotAction"));
    openSnapshot->setToolTip(tr("Open a *.tribune-snapshot file in a window of its own, read-only"));
    fileMenu->addSeparator();
    QAction *preferences = fileMenu->addAction(tr("&Preferences…"), this, &MainWindow::preferencesRequested);
    preferences->setObjectName(QStringLiteral("preferencesAction"));
    preferences->setShortcuts(QKeySequence::Preferences);
    preferences->setMenuRole(QAction::PreferencesRole);
    QAction *quit = fileMenu->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setShortcuts(QKeySequence::Quit);

    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    viewMenu->addAction(tr("&Expand All"), this, [this] {
        if (m_liveView && m_tabs->currentWidget() == m_liveView)
            m_liveView->tree()->expandAll();
        else
            m_configView->clusterTree()->expandAll();
    });
    viewMenu->addAction(tr("&Forget Departed Members"), this, [this] {
        if (m_session)
            m_session->cluster()->forgetDeparted();
    });
    viewMenu->addSeparator();
    QAction *fullScreen = viewMenu->addAction(tr("F&ull Screen"), this, [this](bool on) {
        setWindowState(on ? windowState() | Qt::WindowFullScreen : windowState() & ~Qt::WindowFullScreen);
    });
    fullScreen->setObjectName(QStringLiteral("fullScreenAction"));
    fullScreen->setCheckable(true);
    fullScreen->setShortcuts(QKeySequence::FullScreen);

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction *documentation = helpMenu->addAction(tr("&Documentation"), this, &MainWindow::openDocumentation);
    documentation->setObjectName(QStringLiteral("documentationAction"));
    documentation->setShortcuts(QKeySequence::HelpContents);
    QAction *about = helpMenu->addAction(tr("&About Tribune"), this, [this] {
        QMessageBox::about(this, tr("About Tribune"),
                           tr("<h3>Tribune %1</h3><p>A console for application-server clusters: the load balancer, "
                              "the domains and their members, live; their configuration, validated and pushed; "
                              "snapshots of it all.</p><p>Built with Qt %2.</p>")
                               .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion())));
    });
    about->setObjectName(QStringLiteral("aboutAction"));
    about->setMenuRole(QAction::AboutRole);

    QToolBar *toolBar = addToolBar(tr("Cluster"));
    toolBar->setObjectName(QStringLiteral("clusterToolBar"));
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolBar->addAction(connectAction);
    toolBar->addAction(open);
    toolBar->addAction(reload);
    toolBar->addAction(m_checkLive);
}

} // namespace Tribune
