#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace Tribune::Planner {

// A unified diff ("--- a", "+++ b", "@@ -a,b +c,d @@" hunks with three lines of context) of two
// versions of a text file, line by line, made with libdtl. Empty when they are equal. Either side
// may be empty (a file added or removed).
QString unifiedDiff(const QByteArray &before, const QByteArray &after, const QString &beforeName,
                    const QString &afterName);

// One row of a side-by-side diff: a line of each version, or of one (the other number is 0).
struct SideBySideRow
{
    enum class Kind { Same, Changed, Removed, Added, Gap }; // Gap: unchanged lines left out
    Kind kind = Kind::Same;
    int beforeLine = 0; // 1-based
    int afterLine = 0;
    QString before;
    QString after;
};

// The two versions line against line, a removed block beside the block added in its place, with
// `context` unchanged lines around each change and a Gap row for the unchanged lines between.
// Empty when they are equal.
QList<SideBySideRow> sideBySideDiff(const QByteArray &before, const QByteArray &after, int context = 3);

} // namespace Tribune::Planner
