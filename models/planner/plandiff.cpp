#include "plandiff.h"

#include <QStringList>

#include <dtl/dtl.hpp>

#include <vector>

namespace Tribune::Planner {

namespace {

std::vector<QString> linesOf(const QByteArray &bytes)
{
    std::vector<QString> lines;
    if (bytes.isEmpty())
        return lines;
    QString text = QString::fromUtf8(bytes);
    if (text.endsWith(u'\n'))
        text.chop(1);
    for (const QString &line : text.split(u'\n'))
        lines.push_back(line.endsWith(u'\r') ? line.chopped(1) : line);
    return lines;
}

// "a,b" as unified diffs write a range; an empty range starts before its first line.
QString range(long long start, long long count)
{
    return QStringLiteral("%1,%2").arg(count == 0 && start > 0 ? start - 1 : start).arg(count);
}

} // namespace

QString unifiedDiff(const QByteArray &before, const QByteArray &after, const QString &beforeName,
                    const QString &afterName)
{
    if (before == after)
        return {};
    const std::vector<QString> a = linesOf(before);
    const std::vector<QString> b = linesOf(after);
    dtl::Diff<QString, std::vector<QString>> diff(a, b);
    diff.compose();
    diff.composeUnifiedHunks();
    QString out = QStringLiteral("--- %1\n+++ %2\n").arg(before.isEmpty() ? QStringLiteral("/dev/null") : beforeName,
                                                         after.isEmpty() ? QStringLiteral("/dev/null") : afterName);
    const auto append = [&out](const auto &elements) {
        for (const auto &element : elements) {
            const QChar mark = element.second.type == dtl::SES_ADD      ? u'+'
                               : element.second.type == dtl::SES_DELETE ? u'-'
                                                                        : u' ';
            out += mark + element.first + u'\n';
        }
    };
    for (const auto &hunk : diff.getUniHunks()) {
        out += QStringLiteral("@@ -%1 +%2 @@\n").arg(range(hunk.a, hunk.b), range(hunk.c, hunk.d));
        append(hunk.common[0]);
        append(hunk.change);
        append(hunk.common[1]);
    }
    return out;
}

} // namespace Tribune::Planner
