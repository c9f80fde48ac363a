#include "haproxysupervisor.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QLocalSocket>
#include <QLockFile>
#include <QProcess>
#include <QSocketNotifier>
#include <QThread>
#include <QTimer>

#include <csignal>
#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace Tribune::Agent {

namespace {

constexpr int MaxRestartDelayMs = 10000;
constexpr int ReadinessPollMs = 50;
constexpr int ReadinessAttempts = 200; // 10 s
// HAProxy empties its pid file before it forks and the master writes it afterwards, also on
// every reload: a missing pid is "not yet" for this long.
constexpr int PidFilePollMs = 50;
constexpr int PidFileAttempts = 100; // 5 s
constexpr qint64 MaxSmallFileBytes = 64 * 1024;

QByteArray readSmallFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.read(MaxSmallFileBytes);
}

qint64 pidIn(const QString &pidFile)
{
    bool ok = false;
    const qint64 pid = readSmallFile(pidFile).trimmed().toLongLong(&ok);
    return ok && pid > 0 ? pid : 0;
}

// A process descriptor: signals sent through it reach that process or nobody, and it turns
// readable when the process ends.
int openPidfd(qint64 pid)
{
    return int(::syscall(SYS_pidfd_open, pid_t(pid), 0));
}

bool signalPidfd(int pidfd, int signal)
{
    return ::syscall(SYS_pidfd_send_signal, pidfd, signal, nullptr, 0) == 0;
}

bool waitForExit(int pidfd, int timeoutMs)
{
    pollfd exited{pidfd, POLLIN, 0};
    return ::poll(&exited, 1, timeoutMs) > 0;
}

struct MasterLookup
{
    qint64 pid = 0;       // alive HAProxy named by the pid file
    bool ours = false;    // ...running this configuration
    QString commandLine;  // for people, when it is not ours
};

MasterLookup lookUpMaster(const HAProxySupervisor::Paths &paths)
{
    MasterLookup found;
    const qint64 pid = pidIn(paths.pidFile);
    if (!pid)
        return found;
    // Empty once the process is gone, zombies included.
    const QList<QByteArray> arguments = readSmallFile(QStringLiteral("/proc/%1/cmdline").arg(pid)).split('\0');
    if (arguments.size() < 2 || !QFileInfo(QString::fromLocal8Bit(arguments.first())).fileName().contains(u"haproxy"))
        return found;
    found.pid = pid;
    const QString config = QFileInfo(paths.config).canonicalFilePath();
    for (qsizetype i = 0; i + 1 < arguments.size(); ++i) {
        if (arguments.at(i) == "-f" && QFileInfo(QString::fromLocal8Bit(arguments.at(i + 1))).canonicalFilePath() == config)
            found.ours = true;
    }
    if (!found.ours) {
        for (const QByteArray &argument : arguments)
            found.commandLine += QString::fromLocal8Bit(argument) + QLatin1Char(' ');
        found.commandLine = found.commandLine.trimmed();
    }
    return found;
}

// A pidfd of the master of this configuration, or -1. Checked again once open, so that the
// descriptor cannot stand for a process that took over the pid in between.
int openMaster(const HAProxySupervisor::Paths &paths, qint64 *pid)
{
    const MasterLookup before = lookUpMaster(paths);
    if (!before.ours)
        return -1;
    const int pidfd = openPidfd(before.pid);
    if (pidfd < 0)
        return -1;
    const MasterLookup after = lookUpMaster(paths);
    if (!after.ours || after.pid != before.pid) {
        ::close(pidfd);
        return -1;
    }
    *pid = before.pid;
    return pidfd;
}

bool socketAnswers(const QString &path)
{
    QLocalSocket probe;
    probe.connectToServer(path);
    const bool answered = probe.waitForConnected(200);
    probe.abort();
    return answered;
}

QString lastLines(const QString &path, int count)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    if (file.size() > MaxSmallFileBytes)
        file.seek(file.size() - MaxSmallFileBytes);
    const QStringList lines = QString::fromLocal8Bit(file.readAll()).trimmed().split(QLatin1Char('\n'));
    return lines.mid(qMax(0, lines.size() - count)).join(QLatin1String("; "));
}

} // namespace

HAProxySupervisor::Paths HAProxySupervisor::pathsIn(const QString &runtimeFolder, const QString &binary)
{
    Paths paths;
    paths.binary = binary;
    paths.config = runtimeFolder + QLatin1String("/haproxy.cfg");
    paths.adminSocket = runtimeFolder + QLatin1String("/admin.sock");
    paths.pidFile = runtimeFolder + QLatin1String("/haproxy.pid");
    paths.logFile = runtimeFolder + QLatin1String("/haproxy.log");
    paths.agentLock = runtimeFolder + QLatin1String("/agent.lock");
    return paths;
}

HAProxySupervisor::HAProxySupervisor(Paths paths, QObject *parent)
    : QObject(parent)
    , m_paths(std::move(paths))
    , m_restartTimer(new QTimer(this))
    , m_readinessTimer(new QTimer(this))
    , m_pidFileTimer(new QTimer(this))
{
    m_restartTimer->setSingleShot(true);
    connect(m_restartTimer, &QTimer::timeout, this, &HAProxySupervisor::launch);
    m_readinessTimer->setInterval(ReadinessPollMs);
    connect(m_readinessTimer, &QTimer::timeout, this, &HAProxySupervisor::waitForAdminSocket);
    m_pidFileTimer->setInterval(PidFilePollMs);
    connect(m_pidFileTimer, &QTimer::timeout, this, &HAProxySupervisor::waitForPidFile);
}

// HAProxy outlives its agent on purpose: only the descriptor goes.
HAProxySupervisor::~HAProxySupervisor()
{
    releaseMaster();
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

qint64 HAProxySupervisor::runningMaster(const Paths &paths)
{
    const MasterLookup found = lookUpMaster(paths);
    return found.ours ? found.pid : 0;
}

bool HAProxySupervisor::stopRunning(const Paths &paths, int timeoutMs, QString *message)
{
    // The agent would start HAProxy again at once.
    QLockFile agent(paths.agentLock);
    agent.setStaleLockTime(0);
    if (!agent.tryLock(0) && agent.error() == QLockFile::LockFailedError) {
        qint64 agentPid = 0;
        QString host;
        QString application;
        agent.getLockInfo(&agentPid, &host, &application);
        *message = tr("the load balancer's agent (pid %1) still supervises HAProxy of %2 and would start it again: "
                      "stop the agent first, then HAProxy")
                       .arg(agentPid)
                       .arg(paths.config);
        return false;
    }
    agent.unlock();

    const MasterLookup found = lookUpMaster(paths);
    if (found.pid && !found.ours) {
        *message = tr("%1 names HAProxy (pid %2) of another configuration (%3); it was not stopped")
                       .arg(paths.pidFile)
                       .arg(found.pid)
                       .arg(found.commandLine);
        return false;
    }
    qint64 pid = 0;
    const int pidfd = openMaster(paths, &pid);
    if (pidfd < 0) {
        if (!pidIn(paths.pidFile) || !lookUpMaster(paths).pid)
            QFile::remove(paths.pidFile);
        *message = tr("no HAProxy of %1 is running").arg(paths.config);
        return true;
    }
    // The master stops its workers; established connections are cut.
    signalPidfd(pidfd, SIGTERM);
    bool stopped = waitForExit(pidfd, timeoutMs);
    if (!stopped) {
        signalPidfd(pidfd, SIGKILL);
        stopped = waitForExit(pidfd, 2000);
    }
    ::close(pidfd);
    if (!stopped) {
        *message = tr("HAProxy (pid %1) of %2 does not stop, even killed").arg(pid).arg(paths.config);
        return false;
    }
    if (pidIn(paths.pidFile) == pid)
        QFile::remove(paths.pidFile);
    *message = tr("stopped HAProxy (pid %1) of %2").arg(pid).arg(paths.config);
    return true;
}

bool HAProxySupervisor::start(QString *error)
{
    qint64 pid = 0;
    int pidfd = openMaster(m_paths, &pid);
    // An HAProxy that answers may be rewriting its pid file (a reload): give it that time.
    for (QDeadlineTimer deadline(PidFilePollMs * PidFileAttempts); pidfd < 0 && !deadline.hasExpired()
                                                                     && socketAnswers(m_paths.adminSocket);) {
        QThread::msleep(PidFilePollMs);
        pidfd = openMaster(m_paths, &pid);
    }
    if (pidfd >= 0) {
        m_adopted = true;
        adopt(pid, pidfd);
        return true;
    }
    // An HAProxy nobody's pid file names would be started twice: refuse instead.
    if (socketAnswers(m_paths.adminSocket)) {
        *error = tr("an HAProxy already answers on %1, but %2 names no running master of %3: stop that HAProxy "
                    "(or restore its pid file) and start again")
                     .arg(m_paths.adminSocket, m_paths.pidFile, m_paths.config);
        return false;
    }
    QFile::remove(m_paths.pidFile);
    if (!check(m_paths.binary, m_paths.config, error))
        return false;
    launch();
    return true;
}

void HAProxySupervisor::launch()
{
    if (m_launcher && m_launcher->state() != QProcess::NotRunning)
        return;
    delete m_launcher;
    m_launcher = new QProcess(this);
    m_launcher->setStandardOutputFile(QProcess::nullDevice());
    m_launcher->setStandardErrorFile(m_paths.logFile, QIODevice::Append);
    connect(m_launcher, &QProcess::finished, this, &HAProxySupervisor::onLauncherFinished);
    connect(m_launcher, &QProcess::errorOccurred, this, [this](QProcess::ProcessError processError) {
        if (processError == QProcess::FailedToStart)
            restartLater(tr("cannot run %1: %2").arg(m_paths.binary, m_launcher->errorString()));
    });
    // -D: the master detaches and is nobody's child, so it outlives the agent; it writes its
    // pid into the pid file, which is how a later agent finds it.
    m_launcher->start(m_paths.binary, {QStringLiteral("-W"), QStringLiteral("-D"), QStringLiteral("-p"), m_paths.pidFile,
                                       QStringLiteral("-f"), m_paths.config});
}

void HAProxySupervisor::onLauncherFinished(int exitCode)
{
    if (exitCode != 0) {
        restartLater(tr("HAProxy did not start (exit code %1): %2").arg(exitCode).arg(lastLines(m_paths.logFile, 3)));
        return;
    }
    m_pidFileAttempts = 0;
    m_pidFileTimer->start();
    waitForPidFile();
}

void HAProxySupervisor::waitForPidFile()
{
    qint64 pid = 0;
    const int pidfd = openMaster(m_paths, &pid);
    if (pidfd >= 0) {
        m_pidFileTimer->stop();
        adopt(pid, pidfd);
        emit launched();
        return;
    }
    if (++m_pidFileAttempts >= PidFileAttempts) {
        m_pidFileTimer->stop();
        restartLater(tr("HAProxy started but %1 names no running master of %2; see %3")
                         .arg(m_paths.pidFile, m_paths.config, m_paths.logFile));
    }
}

void HAProxySupervisor::adopt(qint64 pid, int pidfd)
{
    releaseMaster();
    m_masterPid = pid;
    m_pidfd = pidfd;
    m_exitNotifier = new QSocketNotifier(pidfd, QSocketNotifier::Read, this);
    connect(m_exitNotifier, &QSocketNotifier::activated, this,
            [this] { restartLater(tr("HAProxy's master (pid %1) is gone").arg(m_masterPid)); });
    m_readinessAttempts = 0;
    m_readinessTimer->start();
}

void HAProxySupervisor::releaseMaster()
{
    delete m_exitNotifier;
    m_exitNotifier = nullptr;
    if (m_pidfd >= 0)
        ::close(m_pidfd);
    m_pidfd = -1;
    m_masterPid = 0;
}

void HAProxySupervisor::restartLater(const QString &reason)
{
    m_readinessTimer->stop();
    m_pidFileTimer->stop();
    emit crashed(reason);
    releaseMaster();
    m_restartTimer->start(m_restartDelayMs);
    m_restartDelayMs = qMin(m_restartDelayMs * 2, MaxRestartDelayMs);
}

void HAProxySupervisor::waitForAdminSocket()
{
    if (socketAnswers(m_paths.adminSocket)) {
        m_readinessTimer->stop();
        m_restartDelayMs = 500;
        emit ready();
        return;
    }
    if (++m_readinessAttempts >= ReadinessAttempts) {
        m_readinessTimer->stop();
        emit crashed(tr("HAProxy's admin socket %1 did not answer").arg(m_paths.adminSocket));
    }
}

bool HAProxySupervisor::reload(QString *error)
{
    if (!check(m_paths.binary, m_paths.config, error))
        return false;
    if (m_pidfd < 0) {
        if (!m_restartTimer->isActive() && !m_pidFileTimer->isActive())
            launch();
        return true;
    }
    // The master re-reads the configuration and hands the listening sockets to a new worker.
    signalPidfd(m_pidfd, SIGUSR2);
    m_readinessAttempts = 0;
    QTimer::singleShot(200, m_readinessTimer, qOverload<>(&QTimer::start));
    return true;
}

} // namespace Tribune::Agent
