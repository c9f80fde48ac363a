#pragma once

#include "livecluster.h"

#include <QAbstractTableModel>

#include <QHash>

#include <deque>
#include <functional>

namespace Tribune {

// The console's event log: every join, leave, failure, health change and admin action, newest
// last. Rows are appended as events come and the oldest dropped past the limit.
class EventLogModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventLogModel)

public:
    static constexpr int DefaultLimit = 10000;
    enum Column { TimeColumn, KindColumn, MemberColumn, GroupColumn, ReasonColumn, ColumnCount };
    enum Role {
        KindRole = Qt::UserRole + 1,
        MemberIdRole,
        IsProblemRole,
        SnapshotPathRole, // a "snapshot" line's file (the flight recorder's), else empty
    };

    explicit EventLogModel(QObject *parent = nullptr, int limit = DefaultLimit);

    // How members are named in the Member column (their node's name, the address in the tooltip);
    // a name is learnt when an event of the member comes, so it stays after the member has gone.
    void setNameOf(std::function<QString(const QString &memberId)> nameOf);
    // The member's name as the log shows it, else its id.
    QString memberText(const QString &memberId) const;

    void append(const LiveEvent &event);
    // Earlier events (from the history store), put before the live ones.
    void prepend(const QList<LiveEvent> &events);
    const LiveEvent &eventAt(int row) const { return m_events.at(size_t(row)); }
    // Whether an event is trouble: a failure, a suspicion, or the load balancer finding a member DOWN.
    static bool isProblem(const LiveEvent &event);
    // A kind ("join", "failure"…) in words; the kinds themselves stay as they are for filters.
    static QString kindLabel(const QString &kind);
    // The snapshot file a "snapshot" line names (its reason ends with the file's path), else empty.
    static QString snapshotPathOf(const LiveEvent &event);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void learnName(const QString &memberId);

    int m_limit;
    std::function<QString(const QString &)> m_nameOf;
    QHash<QString, QString> m_names; // member id -> name, for members that have one
    std::deque<LiveEvent> m_events;
};

} // namespace Tribune
