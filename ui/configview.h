#pragma once

#include <QWidget>

class QSortFilterProxyModel;
class QTreeView;

namespace Tribune {

class ClusterTreeModel;
class ClusterWorkspace;
class FindingsModel;
class FindingsPanel;
class NodeDetailsPanel;

// The cluster as its files describe it: the tree of domains, sub-domains and nodes, the
// selected node's details and the validator's findings.
class ConfigView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConfigView)

public:
    explicit ConfigView(ClusterWorkspace *workspace, QWidget *parent = nullptr);
    ~ConfigView() override;

    QTreeView *clusterTree() const { return m_tree; }
    bool selectNode(const QString &nodeName);
    // "8 nodes · 1 error, 0 warnings · PATH", for the status bar.
    QString summary() const;
    FindingsPanel *findingsPanel() const { return m_findings; }
    // Files that cannot be changed from here (a snapshot's): no Configure….
    void setReadOnly(bool readOnly) { m_readOnly = readOnly; }

signals:
    void summaryChanged(const QString &summary);
    // Configure… on a node of the tree.
    void configureRequested(const QString &nodeName);

private:
    void showSelection();
    void rememberSelection();
    void restoreSelection();

    ClusterWorkspace *m_workspace;
    ClusterTreeModel *m_treeModel;
    FindingsModel *m_findingsModel;
    QSortFilterProxyModel *m_treeFilter;
    QTreeView *m_tree;
    NodeDetailsPanel *m_details;
    FindingsPanel *m_findings = nullptr;
    QString m_selectedNode;
    bool m_readOnly = false;
};

} // namespace Tribune
