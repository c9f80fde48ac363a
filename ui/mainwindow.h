#pragma once

#include <QMainWindow>

#include "snapshot/snapshotcollector.h"

#include <functional>
#include <optional>

class QAction;
class QDialog;
class QLabel;
class QSystemTrayIcon;
class QTabWidget;
class QTreeView;

namespace Tribune {

class ClusterWorkspace;
class ConfigView;
class LiveSession;
class AddNodeWizard;
class LiveView;
class NodeConfig;
class NodeEditDialog;
class SessionKeeper;
struct HistoryEvent;
struct MemberActions;

// Layout and action wiring of the console: the live cluster (when connected) and the cluster's
// configuration files, each in its own tab; menus, tool bar and status bar.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    // session may be null: then only the configuration tab shows until one is attached.
    MainWindow(ClusterWorkspace *workspace, LiveSession *session, const MemberActions &actions, QWidget *parent = nullptr);
    explicit MainWindow(ClusterWorkspace *workspace, QWidget *parent = nullptr);

    // Shows a live session in the first tab, in place of any shown before.
    void attachSession(LiveSession *session, const MemberActions &actions);
    // Follows the console's sessions: shows each that becomes current, says in the status bar
    // while a new connection is tried, and in a dialog why one could not be made.
    void followSessions(SessionKeeper *keeper);
    // The status bar's own line (endpoints and how fresh their data is), and whether it warns.
    QString statusText() const;
    bool statusWarns() const { return m_statusWarns; }
    ~MainWindow() override;

    ConfigView *configView() const { return m_configView; }
    LiveView *liveView() const { return m_liveView; }
    QTreeView *clusterTree() const;
    bool selectNode(const QString &nodeName);

    // Whether a failure also shows as a desktop notification (the status bar always says it).
    void setNotifyFailures(bool notify);
    bool notifyFailures() const { return m_notifyFailures; }
    // Cluster › Export Snapshot…; with a path, written there without asking where.
    void exportSnapshot(const QString &path);
    // Cluster › Compare With Snapshot…: the running cluster against a snapshot file; with a path,
    // that one without asking. comparisonShown() tells the dialog.
    void compareWithSnapshot(const QString &path);
    // The local documentation (README.md) Help › Documentation opens; empty when there is none.
    static QString documentationPath();
    // The charts' window for the live view now and those of later sessions.
    void setChartWindowSeconds(int seconds);

signals:
    // The user asked to connect to a cluster (Cluster → Connect…).
    void connectRequested();
    // The user asked for the preferences (Cluster → Preferences…).
    void preferencesRequested();
    // Export Snapshot… ended: message says what was written, or why nothing was.
    void snapshotExported(bool ok, const QString &message);
    void comparisonShown(QDialog *dialog);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void openDocumentation();
    // How to take a snapshot of the session's cluster; nothing (said in a dialog titled so) when it cannot.
    std::optional<Snapshot::SnapshotCollector::Settings> snapshotSettings(const QString &failureTitle);
    void openFolder();
    void checkLiveFiles();
    // Reads the running cluster's files into the workspace (liveFetchFinished follows); false when it cannot start.
    bool readLiveFiles();
    // The Add Node wizard, on the running cluster's files read again first.
    void addNode(const QString &templateMemberId);
    AddNodeWizard *openAddNodeWizard(const QString &templateNode);
    // The Configure dialog for a member, on the running cluster's files read again first.
    void configureNode(const QString &memberId);
    // The Configure dialog on the node as the workspace has it (pushes only when it is live).
    NodeEditDialog *openNodeEditor(const QString &node);
    // A finding's file at its line, or with fix, the form's field for the setting there.
    void openFinding(const QString &node, const QString &file, int line, bool fix);
    const NodeConfig *nodeNamed(const QString &name) const;
    // Reads the running cluster's files, then does what was asked with them.
    void withLiveFiles(const std::function<void()> &then);
    void reportLoadFailure(const QString &details);
    void updateStatus();
    void showConnectFailure(const QString &reason);
    // A failure shows in the status bar, and as a desktop notification where there is one.
    void announceFailure(const HistoryEvent &event);

    ClusterWorkspace *m_workspace;
    LiveSession *m_session;
    QTabWidget *m_tabs;
    ConfigView *m_configView;
    LiveView *m_liveView = nullptr;
    QLabel *m_status;
    bool m_statusWarns = false;
    QAction *m_checkLive = nullptr;
    QAction *m_addNode = nullptr;
    QAction *m_exportSnapshot = nullptr;
    QAction *m_compareSnapshot = nullptr;
    bool m_revealLiveFiles = false; // the read was asked for to be seen: show it when done
    QSystemTrayIcon *m_tray = nullptr;
    bool m_notifyFailures = true;
    int m_chartWindowSeconds = 0; // 0: the charts' own default
};

} // namespace Tribune
