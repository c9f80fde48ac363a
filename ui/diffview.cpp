#include "diffview.h"

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
    m_sideBySide->horizontalHeader()->setSectionResizeMode(BeforeLineColumn, QHeaderView::ResizeToContents);
    m_sideBySide->horizontalHeader()->setSectionResizeMode(AfterLineColumn, QHeaderView::ResizeToContents);
    m_sideBySide->horizontalHeader()->setSectionResizeMode(BeforeColumn, QHeaderView::Stretch);
    m_sideBySide->horizontalHeader()->setSectionResizeMode(AfterColumn, QHeaderView::Stretch);
    addTab(m_unified, tr("&Unified"));
    addTab(m_sideBySide, tr("Side by &Side"));
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
    for (const File &file : files) {
        unified += Planner::unifiedDiff(file.before, file.after, file.beforeName, file.afterName);
        const QList<Planner::SideBySideRow> rows = Planner::sideBySideDiff(file.before, file.after);
        if (rows.isEmpty())
            continue;
        int row = addRow();
        QTableWidgetItem *title = cell(file.title);
        QFont bold = m_sideBySide->font();
        bold.setBold(true);
        title->setFont(bold);
        m_sideBySide->setItem(row, 0, title);
        m_sideBySide->setSpan(row, 0, 1, ColumnCount);
        for (const Planner::SideBySideRow &line : rows) {
            row = addRow();
            if (line.kind == Kind::Gap) {
                QTableWidgetItem *gap = cell(QStringLiteral("⋯"));
                gap->setForeground(hunkColour());
                m_sideBySide->setItem(row, 0, gap);
                m_sideBySide->setSpan(row, 0, 1, ColumnCount);
                continue;
            }
            const QColor before = line.kind == Kind::Changed ? changedColour()
                                  : line.kind == Kind::Removed ? removedColour()
                                                               : QColor();
            const QColor after = line.kind == Kind::Changed ? changedColour()
                                 : line.kind == Kind::Added ? addedColour()
                                                            : QColor();
            m_sideBySide->setItem(row, BeforeLineColumn, cell(line.beforeLine ? QString::number(line.beforeLine) : QString()));
            m_sideBySide->setItem(row, BeforeColumn, cell(line.before, before));
            m_sideBySide->setItem(row, AfterLineColumn, cell(line.afterLine ? QString::number(line.afterLine) : QString()));
            m_sideBySide->setItem(row, AfterColumn, cell(line.after, after));
        }
    }
    m_unified->setPlainText(unified);
}

} // namespace Tribune
