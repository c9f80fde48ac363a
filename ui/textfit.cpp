#include "textfit.h"

#include <QAbstractItemModel>
#include <QHeaderView>
#include <QLineEdit>
#include <QStyle>

#include <algorithm>

namespace Tribune {

int headerTextWidth(const QHeaderView *header, int column)
{
    const QString text = header->model() ? header->model()->headerData(column, header->orientation()).toString() : QString();
    const int margins = 2 * header->style()->pixelMetric(QStyle::PM_HeaderMargin, nullptr, header);
    const int arrow = header->isSortIndicatorShown() ? header->style()->pixelMetric(QStyle::PM_HeaderMarkSize, nullptr, header) : 0;
    return header->fontMetrics().horizontalAdvance(text) + margins + arrow + 4;
}

void setColumnWidths(QHeaderView *header, const QList<std::pair<int, int>> &columnWidths)
{
    for (const auto &[column, width] : columnWidths)
        header->resizeSection(column, std::max(width, headerTextWidth(header, column)));
}

void fitToPlaceholder(QLineEdit *field)
{
    // The frame, the text margins and the clear button, besides the text itself.
    const int chrome = 2 * field->style()->pixelMetric(QStyle::PM_DefaultFrameWidth, nullptr, field) + 16
        + (field->isClearButtonEnabled() ? field->style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, field) + 8 : 0);
    field->setMinimumWidth(field->fontMetrics().horizontalAdvance(field->placeholderText()) + chrome);
}

} // namespace Tribune
