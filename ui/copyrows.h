#pragma once

class QAbstractItemView;

namespace Tribune {

// Gives a table or tree the standard Copy shortcut (and a Copy action in its context): the
// selected rows go to the clipboard as tab-separated text, one line per row, the visible
// columns in their order on screen.
void addCopyRowsAction(QAbstractItemView *view);

} // namespace Tribune
