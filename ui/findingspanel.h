#pragma once

#include <QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace Tribune {

class FindingsModel;

// The validator's findings in a sortable, filterable table. Activating one names its node.
class FindingsPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FindingsPanel)

public:
    explicit FindingsPanel(FindingsModel *model, QWidget *parent = nullptr);

    // Whether "Fix…" is offered for a finding: asked each time its menu opens.
    // The selected finding's whole text (the table elides it), under the table.
    QString detailsText() const;
    QTableView *table() const { return m_table; }

    void setFixAvailable(std::function<bool(const QString &node, const QString &file, int line)> available)
    {
        m_fixAvailable = std::move(available);
    }

signals:
    void nodeActivated(const QString &nodeName);
    // Double-click, or Open File at Line: the finding's file, at its line.
    void openRequested(const QString &nodeName, const QString &file, int line);
    // Fix…: the setting written at the finding's line, in a form.
    void fixRequested(const QString &nodeName, const QString &file, int line);

private:
    void contextMenu(const QPoint &position);

    std::function<bool(const QString &, const QString &, int)> m_fixAvailable;
    QComboBox *m_severity;
    QSortFilterProxyModel *m_filter;
    QTableView *m_table;
    QLabel *m_details;
};

} // namespace Tribune
