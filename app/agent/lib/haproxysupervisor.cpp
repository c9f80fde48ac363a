#include "haproxysupervisor.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QLocalSocket>
#include <QProcess>
#include <QThread>
#include <QTimer>

#include <cerrno>
#include <csignal>

namespace Tribune::Agent {

namespace {

constexpr int MaxRestartDelayMs = 10000;
constexpr int ReadinessPollMs = 50;
constexpr int ReadinessAttempts = 200; // 10 s
constexpr int LivenessPollMs = 500;
constexpr qint64 MaxSmallFileBytes = 64 * 1024;

QByteArray readSmallFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.read(MaxSmallFileBytes);
}

// Alive and not a zombie waiting for whoever adopted it to reap it.
bool processAlive(qint64 pid)
{
    if (pid <= 0 || (::kill(pid_t(pid), 0) != 0 && errno == ESRCH))
        return false;
    const QByteArray stat = readSmallFile(QStringLiteral("/proc/%1/stat").arg(pid));
    const qsizetype afterName = stat.lastIndexOf(')');
    return afterName < 0 || stat.mid(afterName + 2, 1) != "Z";
}

bool waitForExit(qint64 pid, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (processAlive(pid)) {
        if (deadline.hasExpired())
            return false;
        QThread::msleep(20);
    }
    return true;
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
    return paths;
}

HAProxySupervisor::HAProxySupervisor(Paths paths, QObject *parent)
    : QObject(parent)
    , m_paths(std::move(paths))
    , m_restartTimer(new QTimer(this))
    , m_readinessTimer(new QTimer(this))
    , m_liveness(new QTimer(this))
{
    m_restartTimer->setSingleShot(true);
    connect(m_restartTimer, &QTimer::timeout, this, &HAProxySupervisor::launch);
    m_readinessTimer->setInterval(ReadinessPollMs);
    connect(m_readinessTimer, &QTimer::timeout, this, &HAProxySupervisor::waitForAdminSocket);
    m_liveness->setInterval(LivenessPollMs);
    connect(m_liveness, &QTimer::timeout, this, &HAProxySupervisor::watchMaster);
}

// HAProxy outlives its agent on purpose: nothing to stop here.
HAProxySupervisor::~HAProxySupervisor() = default;

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
    bool ok = false;
    const qint64 pid = readSmallFile(paths.pidFile).trimmed().toLongLong(&ok);
    if (!ok || !processAlive(pid))
        return 0;
    // The pid may have been reused since: it must be HAProxy, and run this configuration.
    const QList<QByteArray> arguments = readSmallFile(QStringLiteral("/proc/%1/cmdline").arg(pid)).split('\0');
    if (arguments.isEmpty() || !QFileInfo(QString::fromLocal8Bit(arguments.first())).fileName().contains(u"haproxy"))
        return 0;
    const QByteArray config = QFile::encodeName(paths.config);
    for (qsizetype i = 0; i + 1 < arguments.size(); ++i) {
        if (arguments.at(i) == "-f" && arguments.at(i + 1) == config)
            return pid;
    }
    return 0;
}

bool HAProxySupervisor::stopRunning(const Paths &paths, int timeoutMs, QString *message)
{
    const qint64 pid = runningMaster(paths);
    if (!pid) {
        QFile::remove(paths.pidFile);
        *message = tr("no HAProxy of %1 is running").arg(paths.config);
        return true;
    }
    // The master stops its workers; established connections are cut.
    ::kill(pid_t(pid), SIGTERM);
    bool stopped = waitForExit(pid, timeoutMs);
    if (!stopped) {
        ::kill(pid_t(pid), SIGKILL);
        stopped = waitForExit(pid, 2000);
    }
    if (!stopped) {
        *message = tr("HAProxy (pid %1) of %2 does not stop, even killed").arg(pid).arg(paths.config);
        return false;
    }
    QFile::remove(paths.pidFile);
    *message = tr("stopped HAProxy (pid %1) of %2").arg(pid).arg(paths.config);
    return true;
}

bool HAProxySupervisor::start(QString *error)
{
    m_masterPid = runningMaster(m_paths);
    if (m_masterPid) {
        m_adopted = true;
        m_liveness->start();
        m_readinessAttempts = 0;
        m_readinessTimer->start();
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
    m_masterPid = runningMaster(m_paths);
    if (!m_masterPid) {
        restartLater(tr("HAProxy started but %1 names no running master; see %2").arg(m_paths.pidFile, m_paths.logFile));
        return;
    }
    m_liveness->start();
    m_readinessAttempts = 0;
    m_readinessTimer->start();
}

void HAProxySupervisor::watchMaster()
{
    if (!processAlive(m_masterPid))
        restartLater(tr("HAProxy's master (pid %1) is gone").arg(m_masterPid));
}

void HAProxySupervisor::restartLater(const QString &reason)
{
    m_liveness->stop();
    m_readinessTimer->stop();
    m_masterPid = 0;
    emit crashed(reason);
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
    if (!m_masterPid) {
        if (!m_restartTimer->isActive())
            launch();
        return true;
    }
    // The master re-reads the configuration and hands the listening sockets to a new worker.
    ::kill(pid_t(m_masterPid), SIGUSR2);
    m_readinessAttempts = 0;
    QTimer::singleShot(200, m_readinessTimer, qOverload<>(&QTimer::start));
    return true;
}

} // namespace Tribune::Agent
