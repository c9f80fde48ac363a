#include "datasourcechecker.h"

#include <QCoreApplication>
#include <QMetaObject>
#include <QPointer>
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

DatasourceChecker::~DatasourceChecker() = default;

bool DatasourceChecker::run(std::function<void(const QPointer<DatasourceChecker> &self)> task)
{
    if (m_busy)
        return false;
    m_busy = true;
    // The thread is on its own: a checker closed mid-check does not wait for a database server's
    // timeout; the answer then finds no one and is dropped.
    QThread *thread = QThread::create([task, self = QPointer<DatasourceChecker>(this)] { task(self); });
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
    emit busyChanged(true);
    return true;
}

void DatasourceChecker::answer(const QPointer<DatasourceChecker> &self, quint64 task, std::function<void()> deliver)
{
    // Posted to the GUI thread's application object and run there, where self may be read.
    QMetaObject::invokeMethod(QCoreApplication::instance(), [self, task, deliver] {
        if (!self)
            return;
        self->m_busy = false;
        emit self->busyChanged(false);
        if (self->m_task == task)
            deliver();
    }, Qt::QueuedConnection);
}

bool DatasourceChecker::check(const QList<Config::Datasource> &datasources)
{
    if (m_busy)
        return false;
    const quint64 task = ++m_task;
    return run([task, datasources](const QPointer<DatasourceChecker> &self) {
        const QList<DatasourceCheck> checks = checkDatasources(datasources, TimeoutSeconds);
        answer(self, task, [self, checks] { emit self->checked(checks); });
    });
}

bool DatasourceChecker::createDatabase(const Config::Datasource &datasource, const QString &adminUser,
                                       const QString &adminPassword)
{
    if (m_busy)
        return false;
    const quint64 task = ++m_task;
    return run([task, datasource, adminUser, adminPassword](const QPointer<DatasourceChecker> &self) {
        QString error;
        const bool ok = Planner::createDatabase(datasource, adminUser, adminPassword, &error, TimeoutSeconds);
        const QList<DatasourceCheck> checks = ok ? checkDatasources({datasource}, TimeoutSeconds) : QList<DatasourceCheck>();
        const QString message = ok ? CheckerText::tr("database created and granted to %1").arg(datasource.username) : error;
        answer(self, task, [self, ok, message, checks] {
            emit self->created(ok, message);
            if (ok)
                emit self->checked(checks);
        });
    });
}

void DatasourceChecker::cancel()
{
    ++m_task;
}

} // namespace Tribune::Planner
