#pragma once

#include <QMainWindow>

class QLabel;
class QSortFilterProxyModel;
class QTreeView;

namespace Tribune {

class ClusterTreeModel;
class ClusterWorkspace;
class FindingsModel;
class NodeDetailsPanel;

// Layout and action wiring of the console: the cluster tree, the selected node's details and
// the findings. The workspace (models/) does the reading and checking.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(ClusterWorkspace *workspace, QWidget *parent = nullptr);
    ~MainWindow() override;

    QTreeView *clusterTree() const { return m_tree; }
    // Selects a node's row in the tree, revealing it.
    bool selectNode(const QString &nodeName);

private:
    void createActions();
    void openFolder();
    void showSelection();
    void rememberSelection();
    void restoreSelection();
    void updateStatus();
    void reportLoadFailure(const QString &details);

    ClusterWorkspace *m_workspace;
    ClusterTreeModel *m_treeModel;
    FindingsModel *m_findingsModel;
    QSortFilterProxyModel *m_treeFilter;
    QTreeView *m_tree;
    NodeDetailsPanel *m_details;
    QLabel *m_status;
    QString m_selectedNode;
};

} // namespace Tribune
