#include "haproxysupervisor.h"

#include <QCoreApplication>
#include <QLocalSocket>
#include <QProcess>
#include <QTimer>

#include <csignal>
#include <sys/prctl.h>

namespace Tribune::Agent {

namespace {

constexpr int MaxRestartDelayMs = 10000;
constexpr int ReadinessPollMs = 50;
constexpr int ReadinessAttempts = 200; // 10 s

} // namespace

HAProxySupervisor::HAProxySupervisor(QString binary, QString configPath, QString adminSocketPath, QObject *parent)
    : QObject(parent)
    , m_binary(std::move(binary))
    , m_configPath(std::move(configPath))
    , m_adminSocketPath(std::move(adminSocketPath))
    , m_restartTimer(new QTimer(this))
    , m_readinessTimer(new QTimer(this))
{
    m_restartTimer->setSingleShot(true);
    connect(m_restartTimer, &QTimer::timeout, this, &HAProxySupervisor::launch);
    m_readinessTimer->setInterval(ReadinessPollMs);
    connect(m_readinessTimer, &QTimer::timeout, this, &HAProxySupervisor::waitForAdminSocket);
}

HAProxySupervisor::~HAProxySupervisor()
{
    stop();
}

bool HAProxySupervisor::check(const QString &binary, const QString &path, QString *error)
{
    QProcess checker;
    checker.setProcessChannelMode(QProcess::MergedChannels);
    checker.start(binary, {QStringLiteral("-c"), QStringLiteral("-q"), QStringLiteral("-f"), path});
    if (!checker.waitForStarted(5000)) {
        *error = tr("cannot run %1: %2; install the haproxy package").arg(binary, checker.errorString());
        return false;
    }
    checker.waitForFinished(30000);
    if (checker.exitStatus() == QProcess::NormalExit && checker.exitCode() == 0)
        return true;
    *error = tr("HAProxy refuses %1: %2").arg(path, QString::fromLocal8Bit(checker.readAll()).trimmed());
    return false;
}

bool HAProxySupervisor::start(QString *error)
{
    if (!check(m_binary, m_configPath, error))
        return false;
    m_stopping = false;
    launch();
    return true;
}

void HAProxySupervisor::launch()
{
    if (m_process) {
        m_process->deleteLater();
        m_process = nullptr;
    }
    m_process = new QProcess(this);
    m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process->setStandardOutputFile(QProcess::nullDevice());
    QProcess *process = m_process;
    connect(process, &QProcess::finished, this, [this, process](int exitCode, QProcess::ExitStatus status) {
        if (m_stopping || process != m_process)
            return;
        const QString reason = status == QProcess::CrashExit ? tr("HAProxy crashed")
                                                              : tr("HAProxy exited with code %1").arg(exitCode);
        emit crashed(reason);
        m_restartTimer->start(m_restartDelayMs);
        m_restartDelayMs = qMin(m_restartDelayMs * 2, MaxRestartDelayMs);
    });
    // HAProxy must not outlive its agent, even one killed outright: an orphan would hold the
    // listening ports and keep servers no one reconciles any more.
    process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    process->start(m_binary, {QStringLiteral("-W"), QStringLiteral("-db"), QStringLiteral("-f"), m_configPath});
    m_readinessAttempts = 0;
    m_readinessTimer->start();
}

void HAProxySupervisor::waitForAdminSocket()
{
    QLocalSocket probe;
    probe.connectToServer(m_adminSocketPath);
    if (probe.waitForConnected(200)) {
        probe.disconnectFromServer();
        m_readinessTimer->stop();
        m_restartDelayMs = 500;
        emit ready();
        return;
    }
    if (++m_readinessAttempts >= ReadinessAttempts) {
        m_readinessTimer->stop();
        emit crashed(tr("HAProxy's admin socket %1 did not answer").arg(m_adminSocketPath));
    }
}

bool HAProxySupervisor::reload(QString *error)
{
    if (!check(m_binary, m_configPath, error))
        return false;
    if (!isRunning()) {
        launch();
        return true;
    }
    // The master re-reads the configuration and hands the listening sockets to a new worker.
    ::kill(pid_t(m_process->processId()), SIGUSR2);
    m_readinessAttempts = 0;
    QTimer::singleShot(200, m_readinessTimer, qOverload<>(&QTimer::start));
    return true;
}

void HAProxySupervisor::stop()
{
    m_stopping = true;
    m_restartTimer->stop();
    m_readinessTimer->stop();
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(3000)) {
            m_process->kill();
            m_process->waitForFinished(3000);
        }
    }
}

bool HAProxySupervisor::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

qint64 HAProxySupervisor::pid() const
{
    return m_process ? m_process->processId() : 0;
}

} // namespace Tribune::Agent
