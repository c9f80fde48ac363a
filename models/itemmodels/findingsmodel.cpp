#include "findingsmodel.h"

#include "cluster/clusterworkspace.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace Tribune {

namespace {

// The file as an administrator names it: its path inside the node's repository/conf.
QString shortPath(const QString &path)
{
    const qsizetype conf = path.lastIndexOf(QLatin1String("repository/conf/"));
    return conf >= 0 ? path.mid(conf + 16) : QFileInfo(path).fileName();
}

} // namespace

FindingsModel::FindingsModel(const ClusterWorkspace *workspace, QObject *parent)
    : QAbstractTableModel(parent)
    , m_workspace(workspace)
{
    connect(workspace, &ClusterWorkspace::aboutToReload, this, &FindingsModel::beginResetModel);
    connect(workspace, &ClusterWorkspace::reloaded, this, &FindingsModel::endResetModel);
    connect(workspace, &ClusterWorkspace::aboutToChangeFindings, this, &FindingsModel::beginResetModel);
    connect(workspace, &ClusterWorkspace::findingsChanged, this, &FindingsModel::endResetModel);
}

int FindingsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_workspace->findings().size());
}

int FindingsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FindingsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SeverityColumn: return tr("Severity");
    case NodeColumn: return tr("Node");
    case LocationColumn: return tr("File");
    case MessageColumn: return tr("Problem");
    case FixColumn: return tr("Suggested fix");
    }
    return {};
}

QVariant FindingsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Finding &finding = m_workspace->findings().at(index.row());
    switch (role) {
    case SeverityRole: return int(finding.severity);
    case NodeNameRole: return finding.node;
    case FilePathRole: return finding.file;
    case LineRole: return finding.line;
    case RuleRole: return finding.rule;
    case Qt::ToolTipRole:
        return index.column() == LocationColumn ? QVariant(QDir::toNativeSeparators(finding.file))
                                                : QVariant(finding.message + QLatin1Char('\n') + finding.fix);
    case Qt::DisplayRole:
        switch (index.column()) {
        case SeverityColumn: return severityLabel(finding.severity);
        case NodeColumn: return finding.node.isEmpty() ? tr("load balancer") : finding.node;
        case LocationColumn:
            if (finding.line <= 0)
                return shortPath(finding.file);
            return finding.column > 0 ? QStringLiteral("%1:%2:%3").arg(shortPath(finding.file)).arg(finding.line).arg(finding.column)
                                      : QStringLiteral("%1:%2").arg(shortPath(finding.file)).arg(finding.line);
        case MessageColumn: return finding.message;
        case FixColumn: return finding.fix;
        }
        break;
    default:
        break;
    }
    return {};
}

} // namespace Tribune
