#include "datasourcechecker.h"

#include <QCoreApplication>
#include <QMetaObject>
#include <QThread>

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

DatasourceChecker::~DatasourceChecker()
{
    if (m_thread) {
        m_thread->wait(); // bounded by the task's timeout
        delete m_thread;
    }
}

bool DatasourceChecker::run(std::function<void()> task)
{
    if (m_thread)
        return false;
    m_thread = QThread::create(std::move(task));
    connect(m_thread, &QThread::finished, this, [this] {
        m_thread->deleteLater();
        m_thread = nullptr;
        emit busyChanged(false);
    });
    m_thread->start();
    emit busyChanged(true);
    return true;
}

bool DatasourceChecker::check(const QList<Config::Datasource> &datasources)
{
    const quint64 task = ++m_task;
    // The checker outlives the thread (its destructor waits for it), and an answer posted to it
    // is dropped with it.
    return run([this, task, datasources] {
        const QList<DatasourceCheck> checks = checkDatasources(datasources, TimeoutSeconds);
        QMetaObject::invokeMethod(this, [this, task, checks] {
            if (m_task == task)
                emit checked(checks);
        }, Qt::QueuedConnection);
    });
}

bool DatasourceChecker::createDatabase(const Config::Datasource &datasource, const QString &adminUser,
                                       const QString &adminPassword)
{
    const quint64 task = ++m_task;
    return run([this, task, datasource, adminUser, adminPassword] {
        QString error;
        const bool ok = Planner::createDatabase(datasource, adminUser, adminPassword, &error, TimeoutSeconds);
        const QList<DatasourceCheck> checks = ok ? checkDatasources({datasource}, TimeoutSeconds) : QList<DatasourceCheck>();
        const QString message = ok ? CheckerText::tr("database created and granted to %1").arg(datasource.username) : error;
        QMetaObject::invokeMethod(this, [this, task, ok, message, checks] {
            if (m_task != task)
                return;
            emit created(ok, message);
            if (ok)
                emit checked(checks);
        }, Qt::QueuedConnection);
    });
}

void DatasourceChecker::cancel()
{
    ++m_task;
}

} // namespace Tribune::Planner
