#pragma once

#include <QAbstractTableModel>

namespace Tribune {

class ClusterWorkspace;

// The validator's findings as a table: severity, node, location, message, fix.
class FindingsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FindingsModel)

public:
    enum Column { SeverityColumn, NodeColumn, LocationColumn, MessageColumn, FixColumn, ColumnCount };
    enum Role {
        SeverityRole = Qt::UserRole + 1, // Severity as int
        NodeNameRole,
        FilePathRole,
        LineRole,
        RuleRole,
    };

    explicit FindingsModel(const ClusterWorkspace *workspace, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    const ClusterWorkspace *m_workspace;
};

} // namespace Tribune
