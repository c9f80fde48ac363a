// Unified diffs of configuration files, as plans and "config diff" show them.
#include "planner/plandiff.h"

#include <QTest>

using Tribune::Planner::SideBySideRow;
using Tribune::Planner::sideBySideDiff;
using Tribune::Planner::unifiedDiff;

namespace {
// A row as text: kind, line numbers and both sides, to compare whole diffs at once.
QString describe(const QList<SideBySideRow> &rows)
{
    QStringList lines;
    for (const SideBySideRow &row : rows) {
        const char *kind = row.kind == SideBySideRow::Kind::Same      ? "="
                           : row.kind == SideBySideRow::Kind::Changed ? "~"
                           : row.kind == SideBySideRow::Kind::Removed ? "-"
                           : row.kind == SideBySideRow::Kind::Added   ? "+"
                                                                      : "...";
        lines.append(QStringLiteral("%1 %2:%3 %4|%5").arg(QLatin1String(kind)).arg(row.beforeLine).arg(row.afterLine)
                         .arg(row.before, row.after));
    }
    return lines.join(u'\n');
}
} // namespace

class TestPlanDiff final : public QObject
{
    Q_OBJECT

private slots:
    void changedLineWithContext();
    void addedAndRemovedFiles();
    void equalFilesHaveNoDiff();
    void sideBySidePairsChangesAndCollapsesTheRest();
};

void TestPlanDiff::changedLineWithContext()
{
    const QByteArray before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
    const QByteArray after = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
    QCOMPARE(unifiedDiff(before, after, QStringLiteral("a/f"), QStringLiteral("b/f")),
             // libdtl keeps one more line of context after a change than before it; the ranges say so.
             QStringLiteral("--- a/f\n+++ b/f\n@@ -2,8 +2,8 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n 9\n"));
    // CRLF files compare by line, whatever their line ends.
    QCOMPARE(unifiedDiff("a\r\nb\r\n", "a\r\nc\r\n", QStringLiteral("x"), QStringLiteral("y")),
             QStringLiteral("--- x\n+++ y\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"));
}

void TestPlanDiff::addedAndRemovedFiles()
{
    QCOMPARE(unifiedDiff(QByteArray(), "new\n", QStringLiteral("a/f"), QStringLiteral("b/f")),
             QStringLiteral("--- /dev/null\n+++ b/f\n@@ -0,0 +1,1 @@\n+new\n"));
    QCOMPARE(unifiedDiff("old\n", QByteArray(), QStringLiteral("a/f"), QStringLiteral("b/f")),
             QStringLiteral("--- a/f\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-old\n"));
}

void TestPlanDiff::equalFilesHaveNoDiff()
{
    QVERIFY(unifiedDiff("same\n", "same\n", QStringLiteral("a"), QStringLiteral("b")).isEmpty());
}

void TestPlanDiff::sideBySidePairsChangesAndCollapsesTheRest()
{
    const QByteArray before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n";
    const QByteArray after = "1\n2\nthree\n4\n5\n6\n7\n8\n9\nten\nten and a half\n11\n";
    QCOMPARE(describe(sideBySideDiff(before, after, 1)),
             QStringLiteral("... 0:0 |\n"
                            "= 2:2 2|2\n"
                            "~ 3:3 3|three\n"
                            "= 4:4 4|4\n"
                            "... 0:0 |\n"
                            "= 9:9 9|9\n"
                            "~ 10:10 10|ten\n"
                            "+ 0:11 |ten and a half\n"
                            "= 11:12 11|11\n"
                            "- 12:0 12|"));
    QCOMPARE(describe(sideBySideDiff(QByteArray(), "new\n")), QStringLiteral("+ 0:1 |new"));
    QVERIFY(sideBySideDiff("same\n", "same\n").isEmpty());
}

QTEST_GUILESS_MAIN(TestPlanDiff)
#include "tst_plandiff.moc"
