#pragma once

#include <QByteArray>
#include <QString>

namespace Tribune::Planner {

// A unified diff ("--- a", "+++ b", "@@ -a,b +c,d @@" hunks with three lines of context) of two
// versions of a text file, line by line, made with libdtl. Empty when they are equal. Either side
// may be empty (a file added or removed).
QString unifiedDiff(const QByteArray &before, const QByteArray &after, const QString &beforeName,
                    const QString &afterName);

} // namespace Tribune::Planner
