#pragma once

#include <QList>
#include <utility>

class QHeaderView;
class QLineEdit;

namespace Tribune {

// Widths that follow the language the console speaks: German and French words are longer.

// Sets each (column, width) pair, widening a column whose header text needs more (with room for
// the sort arrow).
void setColumnWidths(QHeaderView *header, const QList<std::pair<int, int>> &columnWidths);

// A field at least as wide as its placeholder text.
void fitToPlaceholder(QLineEdit *field);

// The width a header section needs to show its text whole.
int headerTextWidth(const QHeaderView *header, int column);

} // namespace Tribune
