#include "eventlogmodel.h"

#include <QRegularExpression>

namespace Tribune {

EventLogModel::EventLogModel(QObject *parent, int limit)
    : QAbstractTableModel(parent)
    , m_limit(limit)
{
}

void EventLogModel::setNameOf(std::function<QString(const QString &)> nameOf)
{
    m_nameOf = std::move(nameOf);
}

void EventLogModel::learnName(const QString &memberId)
{
    if (!m_nameOf || memberId.isEmpty())
        return;
    const QString name = m_nameOf(memberId);
    if (!name.isEmpty() && name != memberId)
        m_names.insert(memberId, name);
}

QString EventLogModel::memberText(const QString &memberId) const
{
    const QString name = m_names.value(memberId);
    return name.isEmpty() ? memberId : name;
}

void EventLogModel::append(const LiveEvent &event)
{
    learnName(event.memberId);
    if (int(m_events.size()) >= m_limit) {
        beginRemoveRows({}, 0, 0);
        m_events.pop_front();
        endRemoveRows();
    }
    const int row = int(m_events.size());
    beginInsertRows({}, row, row);
    m_events.push_back(event);
    endInsertRows();
}

void EventLogModel::prepend(const QList<LiveEvent> &events)
{
    const int room = m_limit - int(m_events.size());
    const int count = std::min(room, int(events.size()));
    if (count <= 0)
        return;
    for (int i = 0; i < count; ++i)
        learnName(events.at(events.size() - count + i).memberId);
    beginInsertRows({}, 0, count - 1);
    // The newest of the earlier events go right before the live ones.
    for (int i = count - 1; i >= 0; --i)
        m_events.push_front(events.at(events.size() - count + i));
    endInsertRows();
}

int EventLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

int EventLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return tr("Time");
    case KindColumn: return tr("Event");
    case MemberColumn: return tr("Member");
    case GroupColumn: return tr("Domain / sub-domain");
    case ReasonColumn: return tr("Reason");
    }
    return {};
}

QString EventLogModel::kindLabel(const QString &kind)
{
    static const QHash<QString, const char *> labels = {
        {QStringLiteral("join"), QT_TR_NOOP("join")},         {QStringLiteral("leave"), QT_TR_NOOP("leave")},
        {QStringLiteral("failure"), QT_TR_NOOP("failure")},   {QStringLiteral("suspect"), QT_TR_NOOP("suspect")},
        {QStringLiteral("refute"), QT_TR_NOOP("refute")},     {QStringLiteral("rejoin"), QT_TR_NOOP("rejoin")},
        {QStringLiteral("health"), QT_TR_NOOP("health")},     {QStringLiteral("admin"), QT_TR_NOOP("admin")},
        {QStringLiteral("snapshot"), QT_TR_NOOP("snapshot")},
    };
    const char *label = labels.value(kind);
    return label ? tr(label) : kind;
}

bool EventLogModel::isProblem(const LiveEvent &event)
{
    return event.kind == u"failure" || event.kind == u"suspect" || event.reason.contains(u"DOWN");
}

QString EventLogModel::snapshotPathOf(const LiveEvent &event)
{
    static const QRegularExpression path(QStringLiteral(R"re((/\S.*\.tribune-snapshot)$)re"));
    if (event.kind != u"snapshot")
        return {};
    return path.match(event.reason).captured(1);
}

QVariant EventLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LiveEvent &event = m_events.at(size_t(index.row()));
    switch (role) {
    case KindRole: return event.kind;
    case MemberIdRole: return event.memberId;
    case IsProblemRole: return isProblem(event);
    case SnapshotPathRole: return snapshotPathOf(event);
    case Qt::ToolTipRole:
        if (index.column() == MemberColumn && memberText(event.memberId) != event.memberId)
            return event.memberId;
        return snapshotPathOf(event).isEmpty() ? QVariant() : QVariant(tr("Double-click to open this snapshot"));
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn: return event.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
        case KindColumn: return kindLabel(event.kind);
        case MemberColumn: return memberText(event.memberId);
        case GroupColumn:
            return event.subDomain.isEmpty() ? event.domain : event.domain + QLatin1String(" / ") + event.subDomain;
        case ReasonColumn: return event.reason;
        }
        return {};
    default: return {};
    }
}

} // namespace Tribune
