#pragma once

#include <QWidget>

class QTextBrowser;

namespace Tribune {

class ClusterWorkspace;
struct DescriptionRow;

// Everything about the node (or domain) selected in the tree: identity, ports, registries and
// the findings that concern it.
class NodeDetailsPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NodeDetailsPanel)

public:
    explicit NodeDetailsPanel(const ClusterWorkspace *workspace, QWidget *parent = nullptr);

    void showNode(const QString &nodeName);
    void showSummary(const QString &title, int nodes, int errors, int warnings);
    // The text shown, for tests and copying.
    QString plainText() const;

private:
    void render(const QString &title, const QString &subtitle, const QList<DescriptionRow> &rows,
                const QString &findingsHtml);

    const ClusterWorkspace *m_workspace;
    QTextBrowser *m_view;
};

} // namespace Tribune
