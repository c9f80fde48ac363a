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

using LineDiff = dtl::Diff<QString, std::vector<QString>>;

// The edit script of two versions, line by line.
LineDiff composedDiff(const QByteArray &before, const QByteArray &after)
{
    LineDiff diff(linesOf(before), linesOf(after));
    diff.compose();
    return diff;
}

} // namespace

QString unifiedDiff(const QByteArray &before, const QByteArray &after, const QString &beforeName,
                    const QString &afterName)
{
    if (before == after)
        return {};
    LineDiff diff = composedDiff(before, after);
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

QList<SideBySideRow> sideBySideDiff(const QByteArray &before, const QByteArray &after, int context)
{
    using Kind = SideBySideRow::Kind;
    if (before == after)
        return {};
    const LineDiff diff = composedDiff(before, after);
    // Every row, unchanged ones included; a run of removals and the additions right after it
    // pair up as changed lines.
    QList<SideBySideRow> all;
    QList<SideBySideRow> removed;
    QList<SideBySideRow> added;
    const auto flush = [&] {
        const qsizetype paired = std::max(removed.size(), added.size());
        for (qsizetype i = 0; i < paired; ++i) {
            SideBySideRow row;
            if (i < removed.size()) {
                row.beforeLine = removed.at(i).beforeLine;
                row.before = removed.at(i).before;
            }
            if (i < added.size()) {
                row.afterLine = added.at(i).afterLine;
                row.after = added.at(i).after;
            }
            row.kind = i >= added.size() ? Kind::Removed : i >= removed.size() ? Kind::Added : Kind::Changed;
            all.append(row);
        }
        removed.clear();
        added.clear();
    };
    for (const auto &element : diff.getSes().getSequence()) {
        const auto &info = element.second;
        if (info.type == dtl::SES_DELETE) {
            removed.append({Kind::Removed, int(info.beforeIdx), 0, element.first, {}});
        } else if (info.type == dtl::SES_ADD) {
            added.append({Kind::Added, 0, int(info.afterIdx), {}, element.first});
        } else {
            flush();
            all.append({Kind::Same, int(info.beforeIdx), int(info.afterIdx), element.first, element.first});
        }
    }
    flush();
    // Unchanged lines further than `context` from any change collapse into gaps.
    QList<bool> keep(all.size(), false);
    for (qsizetype i = 0; i < all.size(); ++i) {
        if (all.at(i).kind == Kind::Same)
            continue;
        for (qsizetype j = std::max<qsizetype>(0, i - context); j <= std::min<qsizetype>(all.size() - 1, i + context); ++j)
            keep[j] = true;
    }
    QList<SideBySideRow> rows;
    for (qsizetype i = 0; i < all.size(); ++i) {
        if (keep.at(i))
            rows.append(all.at(i));
        else if (rows.isEmpty() || rows.constLast().kind != Kind::Gap)
            rows.append({Kind::Gap, 0, 0, {}, {}});
    }
    return rows;
}

} // namespace Tribune::Planner
