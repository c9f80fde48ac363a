#include "severitydecoration.h"

#include "cluster/finding.h"

#include <QApplication>
#include <QIcon>
#include <QStyle>
#include <QTreeWidget>

namespace Tribune {

SeverityDecoration::SeverityDecoration(int severityRole, int iconColumn, QObject *parent)
    : QIdentityProxyModel(parent)
    , m_severityRole(severityRole)
    , m_iconColumn(iconColumn)
{
}

QVariant SeverityDecoration::data(const QModelIndex &index, int role) const
{
    if (role != Qt::DecorationRole || index.column() != m_iconColumn)
        return QIdentityProxyModel::data(index, role);
    bool ok = false;
    const int severity = QIdentityProxyModel::data(index, m_severityRole).toInt(&ok);
    if (!ok || severity < 0)
        return QIdentityProxyModel::data(index, role);
    return severityIcon(Severity(severity));
}

QIcon severityIcon(Severity severity)
{
    QStyle *style = QApplication::style();
    switch (severity) {
    case Severity::Error: return style->standardIcon(QStyle::SP_MessageBoxCritical);
    case Severity::Warning: return style->standardIcon(QStyle::SP_MessageBoxWarning);
    case Severity::Info: return style->standardIcon(QStyle::SP_MessageBoxInformation);
    }
    return {};
}

void showFindings(QTreeWidget *list, const QList<Finding> &findings)
{
    list->clear();
    for (const Finding &finding : findings) {
        auto *item = new QTreeWidgetItem(list, {severityLabel(finding.severity), finding.node,
                                                finding.fix.isEmpty() ? finding.message
                                                                      : finding.message + QStringLiteral(" — ") + finding.fix});
        item->setIcon(0, severityIcon(finding.severity));
        item->setToolTip(2, item->text(2));
    }
    // Severity and node as wide as their words in this language; the finding takes the rest.
    list->resizeColumnToContents(0);
    list->resizeColumnToContents(1);
}

} // namespace Tribune
