#include "findingspanel.h"

#include "copyrows.h"
#include "severitydecoration.h"
#include "textfit.h"

#include "cluster/finding.h"
#include "itemmodels/findingsmodel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace Tribune {

namespace {

// Rows of one severity (or all) whose text contains the search words.
class FindingsFilter final : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void setSeverity(int severity)
    {
        m_severity = severity;
        invalidateRowsFilter();
    }
    void setText(const QString &text)
    {
        m_text = text;
        invalidateRowsFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        const QAbstractItemModel *model = sourceModel();
        if (m_severity >= 0 && model->index(row, 0, parent).data(FindingsModel::SeverityRole).toInt() != m_severity)
            return false;
        if (m_text.isEmpty())
            return true;
        for (int column = 0; column < model->columnCount(parent); ++column) {
            if (model->index(row, column, parent).data().toString().contains(m_text, Qt::CaseInsensitive))
                return true;
        }
        return false;
    }

private:
    int m_severity = -1;
    QString m_text;
};

} // namespace

FindingsPanel::FindingsPanel(FindingsModel *model, QWidget *parent)
    : QWidget(parent)
    , m_severity(new QComboBox(this))
    , m_filter(new FindingsFilter(this))
    , m_table(new QTableView(this))
    , m_details(new QLabel(this))
{
    auto *decorated = new SeverityDecoration(FindingsModel::SeverityRole, FindingsModel::SeverityColumn, this);
    decorated->setSourceModel(model);
    m_filter->setSourceModel(decorated);

    m_severity->addItems({tr("All findings"), tr("Errors only"), tr("Warnings only")});
    auto *search = new QLineEdit(this);
    search->setPlaceholderText(tr("Search findings"));
    search->setClearButtonEnabled(true);
    fitToPlaceholder(search);

    m_table->setModel(m_filter);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(FindingsModel::SeverityColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(FindingsModel::MessageColumn, QHeaderView::Interactive);
    // Wide enough for the longest severity word of this language, with its icon.
    int severityWidth = 90;
    for (const Severity severity : {Severity::Error, Severity::Warning, Severity::Info})
        severityWidth = std::max(severityWidth, m_table->fontMetrics().horizontalAdvance(severityLabel(severity)) + 40);
    setColumnWidths(m_table->horizontalHeader(), {{FindingsModel::SeverityColumn, severityWidth},
                                                  {FindingsModel::NodeColumn, 110},
                                                  {FindingsModel::LocationColumn, 190},
                                                  {FindingsModel::MessageColumn, 460}});

    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Findings"), this));
    bar->addStretch(1);
    bar->addWidget(m_severity);
    bar->addWidget(search);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);
    // The table elides long problems (its tooltip holds them); the selected one is here whole.
    m_details->setObjectName(QStringLiteral("findingDetails"));
    m_details->setWordWrap(true);
    m_details->setTextFormat(Qt::PlainText);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->hide();
    layout->addWidget(m_details);

    connect(search, &QLineEdit::textChanged, this,
            [this](const QString &text) { static_cast<FindingsFilter *>(m_filter)->setText(text); });
    connect(m_severity, &QComboBox::currentIndexChanged, this, [this](int choice) {
        // Choices follow Severity's order after "all".
        static_cast<FindingsFilter *>(m_filter)->setSeverity(choice - 1);
    });
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &index) {
        emit nodeActivated(index.data(FindingsModel::NodeNameRole).toString());
    });
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        const QString file = index.data(FindingsModel::FilePathRole).toString();
        if (!file.isEmpty())
            emit openRequested(index.data(FindingsModel::NodeNameRole).toString(), file,
                               index.data(FindingsModel::LineRole).toInt());
    });
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    addCopyRowsAction(m_table);
    connect(m_table, &QTableView::customContextMenuRequested, this, &FindingsPanel::contextMenu);
    const auto showDetails = [this] {
        const QModelIndex current = m_table->currentIndex();
        if (!current.isValid()) {
            m_details->hide();
            return;
        }
        m_details->setText(tr("%1: %2\n%3")
                               .arg(current.siblingAtColumn(FindingsModel::LocationColumn).data().toString(),
                                    current.siblingAtColumn(FindingsModel::MessageColumn).data().toString(),
                                    current.siblingAtColumn(FindingsModel::FixColumn).data().toString()));
        m_details->show();
    };
    connect(m_table->selectionModel(), &QItemSelectionModel::currentChanged, this, showDetails);
    connect(m_filter, &QAbstractItemModel::modelReset, this, showDetails);
}

QString FindingsPanel::detailsText() const
{
    return m_details->isHidden() ? QString() : m_details->text();
}

void FindingsPanel::contextMenu(const QPoint &position)
{
    const QModelIndex index = m_table->indexAt(position);
    if (!index.isValid())
        return;
    const QString node = index.data(FindingsModel::NodeNameRole).toString();
    const QString file = index.data(FindingsModel::FilePathRole).toString();
    const int line = index.data(FindingsModel::LineRole).toInt();
    QMenu menu(this);
    QAction *open = menu.addAction(tr("&Open File at Line"));
    open->setEnabled(!file.isEmpty());
    QAction *fix = menu.addAction(tr("&Fix…"));
    fix->setEnabled(!file.isEmpty() && m_fixAvailable && m_fixAvailable(node, file, line));
    menu.addSeparator();
    menu.addActions(m_table->actions()); // Copy
    QAction *chosen = menu.exec(m_table->viewport()->mapToGlobal(position));
    if (chosen == open)
        emit openRequested(node, file, line);
    else if (chosen == fix)
        emit fixRequested(node, file, line);
}

} // namespace Tribune
