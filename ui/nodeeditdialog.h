#pragma once

#include <QDialog>
#include <QMap>

#include <memory>
#include <vector>

class QComboBox;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QScrollArea;
class QTabWidget;
class QTimer;
class QTreeWidget;
class QVBoxLayout;

namespace Tribune::Planner {
class NodeEditFlow;
struct NodeEdit;
struct NodeSetting;
}

namespace Tribune {

class DiffView;

// Configure… a node of the running cluster: a form of the settings administrators change (and
// the same change for other nodes of its sub-domain, as one plan), a raw view of each file for
// everything else, the diff and what the whole cluster would say, Push, and the node's backups
// with what rolling back to each would change. Everything it does goes through the flow.
class NodeEditDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NodeEditDialog)

public:
    enum Tab { SettingsTab, FilesTab, ChangesTab, BackupsTab };

    NodeEditDialog(Planner::NodeEditFlow *flow, const QString &node, QWidget *parent = nullptr);
    ~NodeEditDialog() override;

    const QString &node() const { return m_node; }
    // The raw view of a file (below repository/conf) with the cursor on a line, for a finding.
    void showFileAt(const QString &path, int line);
    // The form's field for the setting written there; false when the form has none.
    bool focusSettingAt(const QString &path, int line);

public slots:
    void reject() override;

private:
    struct Editor;

    void buildForm();
    void showFile(int index);
    void keepRawText();
    void schedulePlan();
    void plan();
    bool canPush() const;
    void push();
    void onFinished(bool ok, const QString &message);
    void onWorkspaceReloaded();
    void showBackupDiff();
    void rollBack();
    void setBusy(bool busy, const QString &status);

    Planner::NodeEditFlow *m_flow;
    QString m_node;
    std::vector<Editor> m_editors; // the form's fields, each with the setting it shows
    QMap<QString, QByteArray> m_raw; // path -> text typed in the raw view
    std::unique_ptr<Planner::NodeEdit> m_edit;
    QTimer *m_planTimer;
    bool m_busy = false;
    bool m_awaitingReload = false; // a change landed; the workspace is reading the cluster again
    QString m_result;              // what the last push or rollback said

    QLabel *m_summary;
    QListWidget *m_alsoNodes;
    QTabWidget *m_tabs;
    QVBoxLayout *m_formLayout;
    QScrollArea *m_formScroll = nullptr;
    QComboBox *m_rawFile;
    QPlainTextEdit *m_rawEditor;
    QLabel *m_verdict;
    QTreeWidget *m_findings;
    DiffView *m_diff;
    QTreeWidget *m_backups;
    DiffView *m_backupDiff;
    QPushButton *m_rollBack;
    QLabel *m_status;
    QProgressBar *m_progress;
    QPushButton *m_push;
};

} // namespace Tribune
