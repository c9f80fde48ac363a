#pragma once

#include "datasourcecheck.h"

#include <QObject>


namespace Tribune::Planner {

// Runs datasource checks and database creation (both blocking: a database server may take its
// whole connect timeout to answer) on a thread of their own, one task at a time, and reports on
// the GUI thread. Cancel drops the answer of the task under way; the task itself ends on its own
// within its timeout, also after the checker is gone (its answer is then dropped).
class DatasourceChecker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DatasourceChecker)

public:
    static constexpr int TimeoutSeconds = 5;

    explicit DatasourceChecker(QObject *parent = nullptr);
    ~DatasourceChecker() override;

    bool isBusy() const { return m_busy; }
    // Each starts nothing (and returns false) while a task is under way.
    bool check(const QList<Config::Datasource> &datasources);
    // Creates the datasource's database and grants its user, with administrator credentials
    // used for this task only and then forgotten; then checks it.
    bool createDatabase(const Config::Datasource &datasource, const QString &adminUser, const QString &adminPassword);
    void cancel();

signals:
    void checked(const QList<Tribune::Planner::DatasourceCheck> &checks);
    void created(bool ok, const QString &message);
    void busyChanged(bool busy);

private:
    void setBusy(bool busy);

    bool m_busy = false;
    quint64 m_task = 0; // answers of older (cancelled) tasks are dropped
};

} // namespace Tribune::Planner
