#include "copyrows.h"

#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QTableView>
#include <QTreeView>

#include <algorithm>

namespace Tribune {

namespace {

struct CopyRowsText
{
    Q_DECLARE_TR_FUNCTIONS(Tribune::CopyRows)
};

QHeaderView *columnsHeader(QAbstractItemView *view)
{
    if (auto *table = qobject_cast<QTableView *>(view))
        return table->horizontalHeader();
    if (auto *tree = qobject_cast<QTreeView *>(view))
        return tree->header();
    return nullptr;
}

QString selectedRowsText(QAbstractItemView *view)
{
    const QItemSelectionModel *selection = view->selectionModel();
    if (!selection || !view->model())
        return {};
    QModelIndexList rows = selection->selectedRows();
    if (rows.isEmpty() && selection->currentIndex().isValid())
        rows = {selection->currentIndex().siblingAtColumn(0)};
    std::sort(rows.begin(), rows.end(), [view](const QModelIndex &a, const QModelIndex &b) {
        return view->visualRect(a).top() < view->visualRect(b).top();
    });
    QHeaderView *header = columnsHeader(view);
    const int columns = view->model()->columnCount(rows.value(0).parent());
    QStringList lines;
    for (const QModelIndex &row : std::as_const(rows)) {
        QStringList cells;
        for (int visual = 0; visual < columns; ++visual) {
            const int column = header ? header->logicalIndex(visual) : visual;
            if (column < 0 || (header && header->isSectionHidden(column)))
                continue;
            cells << row.siblingAtColumn(column).data().toString().replace(QLatin1Char('\t'), QLatin1Char(' ')).replace(QLatin1Char('\n'), QLatin1Char(' '));
        }
        lines << cells.join(QLatin1Char('\t'));
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace

void addCopyRowsAction(QAbstractItemView *view)
{
    auto *copy = new QAction(CopyRowsText::tr("&Copy"), view);
    copy->setObjectName(QStringLiteral("copyRowsAction"));
    copy->setShortcuts(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    QObject::connect(copy, &QAction::triggered, view, [view] {
        const QString text = selectedRowsText(view);
        if (!text.isEmpty())
            QApplication::clipboard()->setText(text);
    });
    view->addAction(copy);
}

} // namespace Tribune
