#include "snapshotcomparedialog.h"

#include "diffview.h"

#include "snapshot/snapshotcompare.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <numeric>

namespace Tribune {

namespace {

QString sideTitle(const QString &name, const Snapshot::Snapshot &snapshot)
{
    return QStringLiteral("%1 (%2)").arg(name, QLocale().toString(snapshot.takenAt.toLocalTime(), QLocale::ShortFormat));
}

} // namespace

SnapshotCompareDialog::SnapshotCompareDialog(const Snapshot::Comparison &comparison, QWidget *parent)
    : QDialog(parent)
    , m_members(new QTreeWidget(this))
    , m_traffic(new QTableWidget(this))
    , m_files(new DiffView(this))
    , m_findings(new QTreeWidget(this))
{
    setWindowTitle(tr("Compare Snapshots"));
    const Snapshot::SnapshotDiff &diff = comparison.diff;
    const QString before = sideTitle(comparison.earlierName, comparison.earlier);
    const QString after = sideTitle(comparison.laterName, comparison.later);
    auto *heading = new QLabel(tr("From <b>%1</b> to <b>%2</b>: %n member(s) changed, ", nullptr, int(diff.members.size()))
                                       .arg(before.toHtmlEscaped(), after.toHtmlEscaped())
                                   + tr("%n file(s) differ, ", nullptr,
                                        int(std::accumulate(diff.files.cbegin(), diff.files.cend(), qsizetype(0),
                                                            [](qsizetype sum, const auto &files) { return sum + files.size(); })))
                                   + tr("%n new finding(s), ", nullptr, int(diff.newFindings.size()))
                                   + tr("%n resolved.", nullptr, int(diff.resolvedFindings.size())),
                               this);
    heading->setWordWrap(true);

    m_members->setObjectName(QStringLiteral("memberChanges"));
    m_members->setHeaderLabels({tr("Change"), tr("Member"), tr("Node"), tr("What")});
    m_members->setRootIsDecorated(false);
    for (const Snapshot::MemberChange &change : diff.members) {
        const QString kind = change.kind == Snapshot::MemberChange::Kind::Added     ? tr("added")
                             : change.kind == Snapshot::MemberChange::Kind::Removed ? tr("gone")
                                                                                   : tr("changed");
        auto *item = new QTreeWidgetItem(m_members, {kind, change.id, change.node, change.what.join(QLatin1String(", "))});
        item->setForeground(0, change.kind == Snapshot::MemberChange::Kind::Added     ? QColor(0x1a, 0x7f, 0x37)
                               : change.kind == Snapshot::MemberChange::Kind::Removed ? QColor(0xb3, 0x26, 0x1e)
                                                                                     : QColor(0x9a, 0x67, 0x00));
    }
    m_members->header()->setSectionResizeMode(QHeaderView::ResizeToContents);

    m_traffic->setObjectName(QStringLiteral("domainTraffic"));
    m_traffic->setColumnCount(7);
    m_traffic->setHorizontalHeaderLabels({tr("Domain"), tr("Requests/s before"), tr("after"), tr("5xx/s before"), tr("after"),
                                          tr("Response ms before"), tr("after")});
    m_traffic->setRowCount(int(diff.domains.size()));
    m_traffic->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_traffic->verticalHeader()->hide();
    const auto cell = [](const Snapshot::DomainTraffic &traffic, double value, int decimals) {
        auto *item = new QTableWidgetItem(traffic.sampled ? QLocale().toString(value, 'f', decimals) : tr("—"));
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        if (!traffic.sampled)
            item->setToolTip(tr("No samples of this domain in the minute before the snapshot"));
        return item;
    };
    for (int row = 0; row < diff.domains.size(); ++row) {
        const Snapshot::DomainComparison &domain = diff.domains.at(row);
        m_traffic->setItem(row, 0, new QTableWidgetItem(domain.domain));
        m_traffic->setItem(row, 1, cell(domain.before, domain.before.requestRate, 1));
        m_traffic->setItem(row, 2, cell(domain.after, domain.after.requestRate, 1));
        m_traffic->setItem(row, 3, cell(domain.before, domain.before.errors5xxRate, 2));
        m_traffic->setItem(row, 4, cell(domain.after, domain.after.errors5xxRate, 2));
        m_traffic->setItem(row, 5, cell(domain.before, domain.before.responseTimeMs, 1));
        m_traffic->setItem(row, 6, cell(domain.after, domain.after.responseTimeMs, 1));
    }
    m_traffic->resizeColumnsToContents();

    QList<DiffView::File> files;
    for (auto node = diff.files.cbegin(); node != diff.files.cend(); ++node) {
        for (const Planner::PlannedFile &file : node.value())
            files.append({QStringLiteral("%1: %2").arg(node.key(), file.path), file.before, file.after,
                          QStringLiteral("a/%1/%2").arg(node.key(), file.path), QStringLiteral("b/%1/%2").arg(node.key(), file.path)});
    }
    m_files->setFiles(files);

    m_findings->setObjectName(QStringLiteral("findingChanges"));
    m_findings->setHeaderLabels({tr("Change"), tr("Severity"), tr("Node"), tr("File"), tr("Problem")});
    m_findings->setRootIsDecorated(false);
    for (const auto &[list, label] : {std::pair{&diff.newFindings, tr("new")}, std::pair{&diff.resolvedFindings, tr("resolved")}}) {
        for (const Finding &finding : *list)
            new QTreeWidgetItem(m_findings, {label, severityLabel(finding.severity), finding.node,
                                             QStringLiteral("%1:%2").arg(finding.file).arg(finding.line), finding.message});
    }

    auto *tabs = new QTabWidget(this);
    tabs->addTab(m_members, tr("Members (%1)").arg(diff.members.size()));
    tabs->addTab(m_traffic, tr("Traffic"));
    tabs->addTab(m_files, tr("Files (%1)").arg(files.size()));
    tabs->addTab(m_findings, tr("Findings (%1)").arg(diff.newFindings.size() + diff.resolvedFindings.size()));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(heading);
    layout->addWidget(tabs, 1);
    layout->addWidget(buttons);
    resize(1000, 640);
}

SnapshotCompareDialog::~SnapshotCompareDialog() = default;

SnapshotCompareDialog *SnapshotCompareDialog::showComparison(const Snapshot::Comparison &comparison, QWidget *parent)
{
    if (!comparison.error.isEmpty()) {
        QMessageBox::warning(parent, tr("Cannot Compare"), comparison.error);
        return nullptr;
    }
    auto *dialog = new SnapshotCompareDialog(comparison, parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

} // namespace Tribune
