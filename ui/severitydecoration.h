#pragma once

#include <QIdentityProxyModel>

class QIcon;
class QTreeWidget;

namespace Tribune {

enum class Severity;
struct Finding;

// The icon a finding of that severity shows.
QIcon severityIcon(Severity severity);
// Fills a list of three columns (severity, node, what and how to fix it) with findings.
void showFindings(QTreeWidget *list, const QList<Finding> &findings);

// Adds icons and colours for a model's severity role, so models/ stays free of GUI types.
class SeverityDecoration final : public QIdentityProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SeverityDecoration)

public:
    // severityRole holds a Severity as int (or -1 for none); icons go in iconColumn.
    SeverityDecoration(int severityRole, int iconColumn, QObject *parent = nullptr);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    int m_severityRole;
    int m_iconColumn;
};

} // namespace Tribune
