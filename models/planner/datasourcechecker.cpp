#include "datasourcechecker.h"

#include "concurrency/background.h"

#include <QCoreApplication>

namespace Tribune::Planner {

namespace {
struct CheckerText
{
    Q_DECLARE_TR_FUNCTIONS(Tribune::Planner::DatasourceChecker)
};
} // namespace

DatasourceChecker::DatasourceChecker(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<QList<Tribune::Planner::DatasourceCheck>>();
}

DatasourceChecker::~DatasourceChecker() = default;

void DatasourceChecker::setBusy(bool busy)
{
    m_busy = busy;
    emit busyChanged(busy);
}

bool DatasourceChecker::check(const QList<Config::Datasource> &datasources)
{
    if (m_busy)
        return false;
    const quint64 task = ++m_task;
    setBusy(true);
    runInBackground<QList<DatasourceCheck>>(
        this, [datasources] { return checkDatasources(datasources, TimeoutSeconds); },
        [this, task](const QList<DatasourceCheck> &checks) {
            setBusy(false);
            if (m_task == task)
                emit checked(checks);
        });
    return true;
}

bool DatasourceChecker::createDatabase(const Config::Datasource &datasource, const QString &adminUser,
                                       const QString &adminPassword)
{
    if (m_busy)
        return false;
    const quint64 task = ++m_task;
    setBusy(true);
    struct Created
    {
        bool ok = false;
        QString message;
        QList<DatasourceCheck> checks;
    };
    runInBackground<Created>(
        this,
        [datasource, adminUser, adminPassword] {
            Created created;
            QString error;
            created.ok = Planner::createDatabase(datasource, adminUser, adminPassword, &error, TimeoutSeconds);
            created.message = created.ok ? CheckerText::tr("database created and granted to %1").arg(datasource.username)
                                         : error;
            if (created.ok)
                created.checks = checkDatasources({datasource}, TimeoutSeconds);
            return created;
        },
        [this, task](const Created &created) {
            setBusy(false);
            if (m_task != task)
                return;
            emit this->created(created.ok, created.message);
            if (created.ok)
                emit checked(created.checks);
        });
    return true;
}

void DatasourceChecker::cancel()
{
    ++m_task;
}

} // namespace Tribune::Planner
