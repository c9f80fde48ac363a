#include "mainwindow.h"

#include "addnodewizard.h"
#include "configview.h"
#include "findingspanel.h"
#include "nodeeditdialog.h"
#include "snapshotcomparedialog.h"
#include "snapshotwindow.h"
#include "liveview.h"
#include "trafficcharts.h"

#include "cluster/clusterworkspace.h"
#include "live/clusterconnection.h"
#include "live/groupsummary.h"
#include "live/livecluster.h"
#include "live/livesession.h"
#include "live/sessionkeeper.h"
#include "planner/addnodeflow.h"
#include "planner/nodeeditflow.h"
#include "planner/nodesettings.h"
#include "snapshot/snapshotcompare.h"
#include "snapshot/snapshotexport.h"

#include <QAction>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>
#include <QProgressDialog>
#include <QSettings>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTabWidget>
#include <QTimer>
#include <QTreeView>
#include <QUrl>

namespace Tribune {

MainWindow::MainWindow(ClusterWorkspace *workspace, QWidget *parent)
    : MainWindow(workspace, nullptr, MemberActions{}, parent)
{
}

MainWindow::MainWindow(ClusterWorkspace *workspace, LiveSession *session, const MemberActions &actions, QWidget *parent)
    : QMainWindow(parent)
    , m_workspace(workspace)
    , m_session(session)
    , m_tabs(new QTabWidget(this))
    , m_configView(new ConfigView(workspace, this))
    , m_status(new QLabel(this))
{
    setWindowTitle(tr("Tribune"));
    m_tabs->setDocumentMode(true);
    // Data ages even when nothing happens: refresh the status once a second.
    auto *ticker = new QTimer(this);
    connect(ticker, &QTimer::timeout, this, &MainWindow::updateStatus);
    ticker->start(1000);
    m_tabs->addTab(m_configView, tr("Configuration files"));
    setCentralWidget(m_tabs);
    // A normal widget, not a permanent one: a message (a failure, a connection being tried) hides
    // it while it shows, where a permanent widget would squeeze the message out of sight.
    m_status->setObjectName(QStringLiteral("endpointStatus"));
    statusBar()->addWidget(m_status, 1);
    createActions();

    connect(m_configView, &ConfigView::summaryChanged, this, &MainWindow::updateStatus);
    connect(m_configView, &ConfigView::configureRequested, this, &MainWindow::openNodeEditor);
    // A finding opens its file at its line; Fix… opens the form at the setting written there.
    FindingsPanel *findings = m_configView->findingsPanel();
    connect(findings, &FindingsPanel::openRequested, this,
            [this](const QString &node, const QString &file, int line) { openFinding(node, file, line, false); });
    connect(findings, &FindingsPanel::fixRequested, this,
            [this](const QString &node, const QString &file, int line) { openFinding(node, file, line, true); });
    findings->setFixAvailable([this](const QString &node, const QString &file, int line) {
        const NodeConfig *config = nodeNamed(node);
        return config && Planner::settingAt(*config, file, line).has_value();
    });
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::updateStatus);
    connect(workspace, &ClusterWorkspace::reloaded, this, [this] {
        const QString title = m_workspace->title();
        setWindowTitle(title.isEmpty() ? tr("Tribune") : tr("%1 — Tribune").arg(title));
    });
    connect(workspace, &ClusterWorkspace::loadFailed, this, [this](const QList<Config::ConfigError> &errors) {
        QStringList lines;
        for (const Config::ConfigError &error : errors)
            lines.append(error.toString());
        reportLoadFailure(lines.join(QLatin1Char('\n')));
    });
    if (session)
        attachSession(session, actions);
    updateStatus();
    resize(1280, 800);
    // Where the user left it last time.
    const QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    QMainWindow::closeEvent(event);
}

void MainWindow::attachSession(LiveSession *session, const MemberActions &actions)
{
    if (m_liveView) {
        m_tabs->removeTab(m_tabs->indexOf(m_liveView));
        m_liveView->deleteLater();
    }
    m_session = session;
    m_liveView = new LiveView(session->cluster(), session->model(), session->series(), session->events(), actions, this);
    if (m_chartWindowSeconds > 0)
        m_liveView->charts()->setWindowSeconds(m_chartWindowSeconds);
    m_tabs->insertTab(0, m_liveView, tr("Live cluster"));
    // Files and snapshots come from the members' agents: the load balancer alone has none.
    const bool hasMembership = !session->connection()->settings().seeds.isEmpty();
    const QString needsMembership = hasMembership ? QString()
                                                  : tr("Connect with a well-known member too (Cluster › Connect…): "
                                                       "this comes from the members' agents");
    for (QAction *action : {m_checkLive, m_addNode, m_exportSnapshot, m_compareSnapshot}) {
        if (!action)
            continue;
        action->setEnabled(hasMembership && (action != m_checkLive || !m_workspace->isFetching()));
        if (!action->property("ownToolTip").isValid())
            action->setProperty("ownToolTip", action->toolTip());
        action->setToolTip(hasMembership ? action->property("ownToolTip").toString() : needsMembership);
    }
    connect(m_liveView, &LiveView::addNodeRequested, this, &MainWindow::addNode);
    connect(m_liveView, &LiveView::configureRequested, this, &MainWindow::configureNode);
    connect(m_liveView, &LiveView::snapshotOpenRequested, this, [this](const QString &path) { SnapshotWindow::openFile(path, this); });
    connect(m_liveView, &LiveView::newSubDomainRequested, this, [this](const QString &templateMemberId) {
        withLiveFiles([this, templateMemberId] {
            if (AddNodeWizard *wizard = openAddNodeWizard(m_workspace->liveMembers().key(templateMemberId)))
                wizard->focusNewSubDomain();
        });
    });
    m_tabs->setCurrentWidget(m_liveView);
    connect(session->connection(), &ClusterConnection::endpointsChanged, this, &MainWindow::updateStatus);
    connect(session->cluster(), &LiveCluster::eventLogged, this, &MainWindow::announceFailure);
    updateStatus();
}

void MainWindow::followSessions(SessionKeeper *keeper)
{
    connect(keeper, &SessionKeeper::currentChanged, this, [this](LiveSession *session) {
        statusBar()->clearMessage(); // "Connecting to…" is answered
        attachSession(session, MemberActions::of(session));
    });
    connect(keeper, &SessionKeeper::connecting, this, [this](const QString &what) {
        statusBar()->showMessage(m_session ? tr("Connecting to %1… the connection shown stays until it answers.").arg(what)
                                           : tr("Connecting to %1…").arg(what));
    });
    connect(keeper, &SessionKeeper::connectFailed, this, &MainWindow::showConnectFailure);
    if (keeper->current() && keeper->current() != m_session)
        attachSession(keeper->current(), MemberActions::of(keeper->current()));
}

void MainWindow::showConnectFailure(const QString &reason)
{
    const QString kept = m_session ? tr("The connection shown before stays.") : QString();
    statusBar()->showMessage(tr("Could not connect: %1").arg(reason), 30000);
    // Not modal: the live view behind it keeps running, and the user reads it when they look.
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Cannot Connect"),
                                tr("Tribune could not connect to the cluster: %1.").arg(reason), QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("connectFailure"));
    box->setInformativeText(kept + (kept.isEmpty() ? QString() : QStringLiteral(" "))
                            + tr("Check the address and port in Cluster › Connect…, and that the agent or HAProxy "
                                 "runs there."));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::NonModal);
    box->show();
}

MainWindow::~MainWindow() = default;

QTreeView *MainWindow::clusterTree() const
{
    return m_configView->clusterTree();
}

bool MainWindow::selectNode(const QString &nodeName)
{
    m_tabs->setCurrentWidget(m_configView);
    return m_configView->selectNode(nodeName);
}

void MainWindow::setNotifyFailures(bool notify)
{
    m_notifyFailures = notify;
}

void MainWindow::setChartWindowSeconds(int seconds)
{
    m_chartWindowSeconds = seconds;
    if (m_liveView)
        m_liveView->charts()->setWindowSeconds(seconds);
}

namespace {

// How the wizards reach the cluster: as the running cluster was read, and through the HAProxy
// socket the connection names (empty: the load balancer's agent says where it is).
Planner::JoinWatcher::Settings joinSettings(const LiveConfigFetch::Settings &live, const QString &loadBalancerSocket)
{
    return {live.seed, live.keys, live.role, live.tls, loadBalancerSocket, false, 60000, 50};
}

} // namespace

std::optional<Snapshot::SnapshotCollector::Settings> MainWindow::snapshotSettings(const QString &failureTitle)
{
    if (!m_session)
        return std::nullopt;
    const ConnectionSettings &connection = m_session->connection()->settings();
    QString error;
    const std::optional<Protocol::AgentClient::Endpoint> seed = Protocol::AgentClient::parseEndpoint(connection.seeds.value(0), &error);
    if (!seed) {
        QMessageBox::warning(this, failureTitle, error);
        return std::nullopt;
    }
    Snapshot::SnapshotCollector::Settings settings;
    settings.cluster = {*seed, connection.keys, connection.role, connection.tls};
    settings.loadBalancerSocket = connection.loadBalancerSocket;
    settings.withHistory = connection.keepHistory;
    settings.historyUrl = connection.historyUrl;
    settings.takenBy = qEnvironmentVariable("USER");
    // The tree as shown: members that failed or left stay in it, though the seed lists them no more.
    for (const LiveMember &member : m_session->cluster()->members()) {
        if (member.state == Protocol::MemberState::Failed || member.state == Protocol::MemberState::Left)
            settings.departed.append(Snapshot::memberOf(member.info, member.state));
    }
    return settings;
}

void MainWindow::exportSnapshot(const QString &chosenPath)
{
    if (!m_session)
        return;
    QString path = chosenPath;
    if (path.isEmpty()) {
        const QString suggested = QStringLiteral("cluster-%1.tribune-snapshot")
                                      .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmm")));
        path = QFileDialog::getSaveFileName(this, tr("Export Snapshot"), suggested, tr("Tribune snapshot (*.tribune-snapshot)"));
    }
    if (path.isEmpty())
        return;
    const std::optional<Snapshot::SnapshotCollector::Settings> settings = snapshotSettings(tr("Cannot Export a Snapshot"));
    if (!settings)
        return;
    auto *exporter = new Snapshot::SnapshotExport(*settings, path, this);
    auto *progress = new QProgressDialog(tr("Taking a snapshot of the running cluster…"), tr("Cancel"), 0, 0, this);
    progress->setObjectName(QStringLiteral("snapshotProgress"));
    progress->setWindowTitle(tr("Export Snapshot"));
    progress->setMinimumDuration(0);
    progress->setAttribute(Qt::WA_DeleteOnClose);
    connect(progress, &QProgressDialog::canceled, exporter, &Snapshot::SnapshotExport::cancel);
    connect(exporter, &Snapshot::SnapshotExport::progress, progress, &QProgressDialog::setLabelText);
    connect(exporter, &Snapshot::SnapshotExport::finished, this, [this, exporter, progress](bool ok, const QString &message) {
        progress->close();
        exporter->deleteLater();
        statusBar()->showMessage(ok ? tr("Snapshot written: %1").arg(message.section(u'\n', 0, 0))
                                    : tr("No snapshot: %1").arg(message),
                                 10000);
        emit snapshotExported(ok, message);
    });
    progress->open();
    exporter->start();
}

void MainWindow::compareWithSnapshot(const QString &chosenPath)
{
    const QString path = chosenPath.isEmpty() ? SnapshotWindow::askForSnapshot(this, tr("Compare With Snapshot")) : chosenPath;
    if (path.isEmpty())
        return;
    const std::optional<Snapshot::SnapshotCollector::Settings> settings = snapshotSettings(tr("Cannot Compare"));
    if (!settings)
        return;
    auto *collector = new Snapshot::SnapshotCollector(*settings, this);
    auto *progress = new QProgressDialog(tr("Taking the running cluster's state to compare…"), tr("Cancel"), 0, 0, this);
    progress->setObjectName(QStringLiteral("compareProgress"));
    progress->setWindowTitle(tr("Compare With Snapshot"));
    progress->setMinimumDuration(0);
    progress->setAttribute(Qt::WA_DeleteOnClose);
    // Cancelled: whatever arrives later is dropped with the collector, or with the dialog that
    // receives the comparison.
    connect(progress, &QProgressDialog::canceled, collector, &QObject::deleteLater);
    connect(progress, &QProgressDialog::canceled, progress, &QWidget::close);
    connect(collector, &Snapshot::SnapshotCollector::progress, progress, &QProgressDialog::setLabelText);
    connect(collector, &Snapshot::SnapshotCollector::finished, this, [this, collector, progress, path](bool ok, const QString &error) {
        collector->deleteLater();
        if (!ok) {
            progress->close();
            QMessageBox::warning(this, tr("Cannot Compare"), tr("The running cluster could not be read: %1").arg(error));
            return;
        }
        progress->setLabelText(tr("Reading %1…").arg(QFileInfo(path).fileName()));
        Snapshot::compareWithFile(collector->snapshot(), tr("running cluster"), path, progress,
                                  [this, progress](const Snapshot::Comparison &comparison) {
                                      progress->close();
                                      if (QDialog *dialog = SnapshotCompareDialog::showComparison(comparison, this))
                                          emit comparisonShown(dialog);
                                  });
    });
    progress->open();
    collector->start();
}

void MainWindow::withLiveFiles(const std::function<void()> &then)
{
    if (!m_session)
        return;
    // Planned on the running cluster's files as they are now: read them first.
    const QMetaObject::Connection opening =
        connect(m_workspace, &ClusterWorkspace::liveFetchFinished, this, [then](bool ok) {
            if (ok)
                then();
        }, Qt::SingleShotConnection);
    if (!readLiveFiles())
        disconnect(opening);
}

void MainWindow::addNode(const QString &templateMemberId)
{
    withLiveFiles([this, templateMemberId] { openAddNodeWizard(m_workspace->liveMembers().key(templateMemberId)); });
}

const NodeConfig *MainWindow::nodeNamed(const QString &name) const
{
    for (const NodeConfig &node : m_workspace->cluster().nodes()) {
        if (node.name() == name)
            return &node;
    }
    return nullptr;
}

NodeEditDialog *MainWindow::openNodeEditor(const QString &node)
{
    const std::optional<LiveConfigFetch::Settings> live = m_workspace->liveSettings();
    const QString socket = m_session ? m_session->connection()->settings().loadBalancerSocket : QString();
    auto *flow = new Planner::NodeEditFlow(m_workspace, live ? joinSettings(*live, socket) : Planner::JoinWatcher::Settings());
    auto *dialog = new NodeEditDialog(flow, node, this);
    flow->setParent(dialog);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

void MainWindow::openFinding(const QString &node, const QString &file, int line, bool fix)
{
    const NodeConfig *config = nodeNamed(node);
    const QString path = config ? Planner::confRelativePath(*config, file) : QString();
    if (path.isEmpty())
        return;
    NodeEditDialog *dialog = openNodeEditor(node);
    if (!fix || !dialog->focusSettingAt(path, line))
        dialog->showFileAt(path, line);
}

void MainWindow::configureNode(const QString &memberId)
{
    withLiveFiles([this, memberId] {
        const QString node = m_workspace->liveMembers().key(memberId);
        const std::optional<LiveConfigFetch::Settings> live = m_workspace->liveSettings();
        if (node.isEmpty() || !live) {
            QMessageBox::warning(this, tr("Cannot Configure the Node"),
                                 tr("%1 did not send its files; it may have left the cluster.").arg(memberId));
            return;
        }
        openNodeEditor(node);
    });
}



AddNodeWizard *MainWindow::openAddNodeWizard(const QString &templateNode)
{
    const ConnectionSettings &settings = m_session->connection()->settings();
    const std::optional<LiveConfigFetch::Settings> live = m_workspace->liveSettings();
    if (!live)
        return nullptr;
    auto *flow = new Planner::AddNodeFlow(m_workspace, joinSettings(*live, settings.loadBalancerSocket));
    auto *wizard = new AddNodeWizard(flow, templateNode, settings.keyFile, this);
    flow->setParent(wizard);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    wizard->open();
    return wizard;
}

void MainWindow::checkLiveFiles()
{
    m_revealLiveFiles = readLiveFiles();
}

bool MainWindow::readLiveFiles()
{
    if (!m_session)
        return false;
    const ConnectionSettings &settings = m_session->connection()->settings();
    QString error;
    const std::optional<Protocol::AgentClient::Endpoint> seed =
        Protocol::AgentClient::parseEndpoint(settings.seeds.value(0), &error);
    if (!seed) {
        QMessageBox::warning(this, tr("Cannot Read the Running Cluster"), error);
        return false;
    }
    m_workspace->openLive({*seed, settings.keys, settings.role, settings.tls});
    return true;
}

void MainWindow::openFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Open Cluster Folder"), m_workspace->paths().value(0));
    if (!folder.isEmpty() && m_workspace->open({folder}))
        m_tabs->setCurrentWidget(m_configView);
}

QString MainWindow::documentationPath()
{
    // Installed beside the program, or this source tree's when run from a build.
    const QStringList candidates = {
        QApplication::applicationDirPath() + QLatin1String("/../share/doc/tribune/README.md"),
        QStringLiteral("/usr/share/doc/tribune/README.md"),
        QStringLiteral(TRIBUNE_SOURCE_DIR "/README.md"),
    };
    for (const QString &candidate : candidates) {
        if (QFileInfo::exists(candidate))
            return QFileInfo(candidate).canonicalFilePath();
    }
    return {};
}

void MainWindow::openDocumentation()
{
    const QString path = documentationPath();
    if (path.isEmpty() || !QDesktopServices::openUrl(QUrl::fromLocalFile(path)))
        QMessageBox::information(this, tr("Documentation"),
                                 path.isEmpty() ? tr("The documentation is not installed here: it is the README.md and the "
                                                     "docs folder of Tribune's sources.")
                                                : tr("No program here opens %1; open it with a text viewer.").arg(path));
}

void MainWindow::reportLoadFailure(const QString &details)
{
    // Not modal: the findings panel lists the same files, each at its line and column.
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Cannot Open Cluster"),
                                tr("Some configuration files could not be read. The findings list each where it "
                                   "breaks; fix them and reload. The cluster shown before stays open."),
                                QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("loadFailure"));
    box->setDetailedText(details);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::NonModal);
    box->show();
}

void MainWindow::announceFailure(const HistoryEvent &event)
{
    if (event.kind != u"failure")
        return;
    // Named as the tree names it, with its address for those who know it by that.
    const QString name = m_session ? displayNameOf(*m_session->cluster(), event.memberId) : event.memberId;
    const QString text = name == event.memberId ? tr("%1 failed: %2").arg(event.memberId, event.reason)
                                                : tr("%1 (%2) failed: %3").arg(name, event.memberId, event.reason);
    statusBar()->showMessage(text, 15000);
    // A desktop notification where the platform has a tray to show it, unless turned off.
    if (m_notifyFailures && QSystemTrayIcon::isSystemTrayAvailable() && QSystemTrayIcon::supportsMessages()) {
        if (!m_tray) {
            m_tray = new QSystemTrayIcon(windowIcon(), this);
            m_tray->show();
        }
        m_tray->showMessage(tr("Member failed"), text, QSystemTrayIcon::Warning, 10000);
    }
}

QString MainWindow::statusText() const
{
    return m_status->text();
}

void MainWindow::updateStatus()
{
    if (!m_liveView || m_tabs->currentWidget() != m_liveView) {
        m_status->setText(m_configView->summary());
        m_status->setStyleSheet(QString());
        m_statusWarns = false;
        return;
    }
    // Per endpoint: whether it answers, and when its data was last confirmed. Quiet is not
    // staleness: the well-known member confirms its view at every health poll.
    QStringList parts;
    bool warns = false;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const ClusterConnection *connection = m_session->connection();
    int membersConnected = 0;
    int members = 0;
    for (const EndpointStatus &endpoint : connection->endpoints()) {
        if (endpoint.kind == EndpointStatus::Kind::Member) {
            ++members;
            membersConnected += endpoint.connected;
            continue;
        }
        const QString name = endpoint.kind == EndpointStatus::Kind::Seed ? tr("membership %1").arg(endpoint.address)
                                                                        : tr("load balancer %1").arg(endpoint.address);
        const qint64 ageMs = endpoint.lastData.isValid() ? endpoint.lastData.msecsTo(now) : -1;
        if (!endpoint.connected) {
            warns = true;
            parts.append(endpoint.lastError.isEmpty() ? tr("%1: not connected").arg(name)
                                                      : tr("%1: cannot connect: %2").arg(name, endpoint.lastError));
        } else if (ageMs < 0) {
            parts.append(tr("%1: connected, waiting for data").arg(name));
        } else if (ageMs > connection->staleAfterMs()) {
            warns = true;
            parts.append(tr("%1: no answer for %2 s").arg(name).arg(ageMs / 1000));
        } else {
            parts.append(tr("%1: confirmed %2 s ago").arg(name).arg(ageMs / 1000));
        }
    }
    if (members > 0)
        parts.append(tr("health from %1 of %2 members").arg(membersConnected).arg(members));
    m_status->setText((warns ? QStringLiteral("⚠ ") : QString()) + parts.join(QStringLiteral(" · ")));
    m_status->setStyleSheet(warns ? QStringLiteral("color: #b00020; font-weight: bold;") : QString());
    m_statusWarns = warns;
}

} // namespace Tribune
