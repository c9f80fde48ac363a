#pragma once

#include <QWidget>

class QComboBox;
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

signals:
    void nodeActivated(const QString &nodeName);

private:
    QComboBox *m_severity;
    QSortFilterProxyModel *m_filter;
    QTableView *m_table;
};

} // namespace Tribune
