#include "diffview.h"

#include "config/secretredaction.h"
#include "planner/plandiff.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QPlainTextEdit>
#include <QSyntaxHighlighter>
#include <QTableWidget>

namespace Tribune {

namespace {

using Kind = Planner::SideBySideRow::Kind;

QColor addedColour() { return QColor(0xd7, 0xf5, 0xdd); }
QColor removedColour() { return QColor(0xfb, 0xdc, 0xdc); }
QColor changedColour() { return QColor(0xfd, 0xf1, 0xc8); }
QColor hunkColour() { return QColor(0x3b, 0x6e, 0xa8); }

// Colours a unified diff's lines by their first character.
class UnifiedDiffHighlighter final : public QSyntaxHighlighter
{
public:
    using QSyntaxHighlighter::QSyntaxHighlighter;

protected:
    void highlightBlock(const QString &text) override
    {
        QTextCharFormat format;
        if (text.startsWith(QLatin1String("+++")) || text.startsWith(QLatin1String("---"))) {
            format.setFontWeight(QFont::Bold);
        } else if (text.startsWith(u'+')) {
            format.setBackground(addedColour());
        } else if (text.startsWith(u'-')) {
            format.setBackground(removedColour());
        } else if (text.startsWith(QLatin1String("@@"))) {
            format.setForeground(hunkColour());
        } else {
            return;
        }
        setFormat(0, int(text.size()), format);
    }
};

enum Column { BeforeLineColumn, BeforeColumn, AfterLineColumn, AfterColumn, ColumnCount };

QTableWidgetItem *cell(const QString &text, const QColor &background = {})
{
    auto *item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    if (background.isValid())
        item->setBackground(background);
    return item;
}

} // namespace

DiffView::DiffView(QWidget *parent)
    : QTabWidget(parent)
    , m_unified(new QPlainTextEdit(this))
    , m_sideBySide(new QTableWidget(0, ColumnCount, this))
{
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_unified->setReadOnly(true);
    m_unified->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_unified->setFont(fixed);
    new UnifiedDiffHighlighter(m_unified->document());
    m_sideBySide->setObjectName(QStringLiteral("sideBySideDiff"));
    m_sideBySide->setFont(fixed);
    m_sideBySide->setHorizontalHeaderLabels({QString(), tr("Before"), QString(), tr("After")});
    m_sideBySide->verticalHeader()->hide();
    m_sideBySide->verticalHeader()->setDefaultSectionSize(m_sideBySide->fontMetrics().height() + 4);
    m_sideBySide->setShowGrid(false);
    m_sideBySide->setWordWrap(false);
    m_sideBySide->setSelectionBehavior(QAbstractItemView::SelectRows);
    // Whole lines, side by side, scrolled sideways rather than cut: a change may be at a line's end.
    m_sideBySide->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_sideBySide->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_sideBySide->setTextElideMode(Qt::ElideNone);
    addTab(m_unified, tr("&Unified"));
    addTab(m_sideBySide, tr("Side by Si&de"));
    setDocumentMode(true);
}

DiffView::~DiffView() = default;

void DiffView::setFiles(const QList<File> &files)
{
    QString unified;
    m_sideBySide->setRowCount(0);
    const auto addRow = [this] {
        const int row = m_sideBySide->rowCount();
        m_sideBySide->insertRow(row);
        return row;
    };
    const auto addSpanning = [&](const QString &text, const QFont &font, const QColor &colour) {
        const int row = addRow();
        QTableWidgetItem *item = cell(text);
        item->setFont(font);
        if (colour.isValid())
            item->setForeground(colour);
        m_sideBySide->setItem(row, 0, item);
        m_sideBySide->setSpan(row, 0, 1, ColumnCount);
    };
    QFont bold = m_sideBySide->font();
    bold.setBold(true);
    QFont italic = m_sideBySide->font();
    italic.setItalic(true);
    for (const File &file : files) {
        if (file.before == file.after)
            continue;
        // Larger than any configuration file: diffed here it would hold the GUI up.
        if (file.before.size() > MaxShownBytes || file.after.size() > MaxShownBytes) {
            const QString note = tr("%1: %2 bytes before, %3 after; too large to show here")
                                     .arg(file.title).arg(file.before.size()).arg(file.after.size());
            unified += QLatin1String("# ") + note + u'\n';
            addSpanning(note, italic, {});
            continue;
        }
        // Passwords show as redacted; one the change changes says so, not what it is.
        const auto [before, after] = Config::redactChange(file.before, file.after);
        unified += Planner::unifiedDiff(before, after, file.beforeName, file.afterName);
        const QList<Planner::SideBySideRow> rows = Planner::sideBySideDiff(before, after);
        addSpanning(file.title, bold, {});
        const bool anyLine = std::any_of(rows.cbegin(), rows.cend(), [](const Planner::SideBySideRow &row) {
            return row.kind != Kind::Same && row.kind != Kind::Gap;
        });
        if (!anyLine) {
            // Bytes differ where lines do not: line ends, or the last newline.
            const QString note = tr("Only line ends differ (CRLF or LF, or the newline at the end).");
            unified += QStringLiteral("--- %1\n+++ %2\n# %3\n").arg(file.beforeName, file.afterName, note);
            addSpanning(note, italic, hunkColour());
            continue;
        }
        for (const Planner::SideBySideRow &line : rows) {
            if (line.kind == Kind::Gap) {
                addSpanning(QStringLiteral("⋯"), m_sideBySide->font(), hunkColour());
                continue;
            }
            const int row = addRow();
            const QColor was = line.kind == Kind::Changed ? changedColour()
                               : line.kind == Kind::Removed ? removedColour()
                                                            : QColor();
            const QColor is = line.kind == Kind::Changed ? changedColour()
                              : line.kind == Kind::Added ? addedColour()
                                                         : QColor();
            m_sideBySide->setItem(row, BeforeLineColumn, cell(line.beforeLine ? QString::number(line.beforeLine) : QString()));
            m_sideBySide->setItem(row, BeforeColumn, cell(line.before, was));
            m_sideBySide->setItem(row, AfterLineColumn, cell(line.afterLine ? QString::number(line.afterLine) : QString()));
            m_sideBySide->setItem(row, AfterColumn, cell(line.after, is));
        }
    }
    m_unified->setPlainText(unified);
    m_sideBySide->resizeColumnsToContents();
}

} // namespace Tribune
