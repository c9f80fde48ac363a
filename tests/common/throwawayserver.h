#pragma once

// A database server that a test starts for itself: a temporary folder for its data, socket and
// log, a port on 127.0.0.1 that was free when chosen, and a process that goes away with the test:
// stopped by the destructor, and killed by the kernel should the test die before that.

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <functional>
#include <grp.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <unistd.h>

namespace TestSupport {

// Makes a program the test starts die with the test, even when the test is killed.
inline void dieWithTest(QProcess *process)
{
    const pid_t parent = ::getpid();
    process->setChildProcessModifier([parent] { // between fork and exec: async-signal-safe calls only
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) // the test died before the line above
            ::_exit(1);
    });
}

class ThrowawayServer final
{
public:
    // logName: the file in the folder that takes the server's output.
    explicit ThrowawayServer(const QString &logName)
        : m_logName(logName)
    {
    }
    ~ThrowawayServer() { stop(); }
    Q_DISABLE_COPY_MOVE(ThrowawayServer)

    // PATH first, then the sbin folders and morePaths: servers are often installed outside PATH.
    static QString findExecutable(const QString &name, const QStringList &morePaths = {})
    {
        const QString found = QStandardPaths::findExecutable(name);
        if (!found.isEmpty())
            return found;
        return QStandardPaths::findExecutable(name, QStringList{QStringLiteral("/usr/sbin"),
                                                                QStringLiteral("/usr/local/sbin")}
                                                        + morePaths);
    }

    QString folder() const { return m_dir.path(); }
    QString path(const QString &name) const { return m_dir.filePath(name); }
    int port() const { return m_port; }
    QString logTail() const
    {
        QFile log(path(m_logName));
        return log.open(QIODevice::ReadOnly) ? QString::fromLocal8Bit(log.readAll().right(2000)) : QString();
    }

    // Runs the programs and the server as user instead of the test's own user, and gives the
    // folder to that user (for servers that refuse to run as root).
    bool runAs(const QString &user, QString *error)
    {
        const passwd *entry = ::getpwnam(user.toLocal8Bit().constData());
        if (!entry) {
            *error = QLatin1String("there is no user '") + user + QLatin1String("' to run the server as");
            return false;
        }
        if (!m_dir.isValid()) {
            *error = QLatin1String("no temporary folder: ") + m_dir.errorString();
            return false;
        }
        if (::chown(QFile::encodeName(m_dir.path()).constData(), entry->pw_uid, entry->pw_gid) != 0) {
            *error = QLatin1String("could not give ") + m_dir.path() + QLatin1String(" to '") + user
                + QLatin1String("': ") + QString::fromLocal8Bit(std::strerror(errno));
            return false;
        }
        m_uid = entry->pw_uid;
        m_gid = entry->pw_gid;
        m_switchUser = true;
        return true;
    }

    // The signal that asks the server to shut down cleanly.
    void setStopSignal(int signal) { m_stopSignal = signal; }

    // Runs a program to its end. On failure *error has what it printed.
    bool run(const QString &program, const QStringList &arguments, QString *error, int timeoutMs = 120000) const
    {
        QProcess process;
        prepare(&process);
        process.start(program, arguments);
        if (process.waitForFinished(timeoutMs) && process.exitStatus() == QProcess::NormalExit
            && process.exitCode() == 0)
            return true;
        const QString reason = process.error() == QProcess::FailedToStart ? process.errorString() : QString();
        process.kill();
        process.waitForFinished(5000);
        QByteArray output = process.readAllStandardError().trimmed();
        if (output.isEmpty())
            output = process.readAllStandardOutput().trimmed();
        *error = QFileInfo(program).fileName() + QLatin1String(" failed: ")
            + (reason.isEmpty() ? QString::fromLocal8Bit(output.right(2000)) : reason);
        return false;
    }

    // Starts program with arguments(port) on a port that is free when chosen and waits until
    // ready() says it answers. Another process may take the port first, so a server that exits
    // while starting up is tried again on another port.
    bool start(const QString &program, const std::function<QStringList(int port)> &arguments,
               const std::function<bool()> &ready, QString *error)
    {
        const QString name = QFileInfo(program).fileName();
        if (!m_dir.isValid()) {
            *error = QLatin1String("no temporary folder: ") + m_dir.errorString();
            return false;
        }
        for (int attempt = 0; attempt < 5; ++attempt) {
            QTcpServer probe;
            if (!probe.listen(QHostAddress::LocalHost, 0)) {
                *error = QLatin1String("no free port: ") + probe.errorString();
                return false;
            }
            m_port = probe.serverPort();
            probe.close();
            prepare(&m_server);
            m_server.setProcessChannelMode(QProcess::MergedChannels);
            m_server.setStandardOutputFile(path(m_logName), QIODevice::Append);
            m_server.start(program, arguments(m_port));
            if (!m_server.waitForStarted(10000)) {
                *error = name + QLatin1String(" did not start: ") + m_server.errorString();
                return false;
            }
            // Also the pause between two looks; returns at once when the server exits.
            for (int wait = 0; wait < 300 && !m_server.waitForFinished(100); ++wait) {
                if (ready())
                    return true;
            }
            if (m_server.state() != QProcess::NotRunning) {
                stop();
                *error = name + QLatin1String(" did not become ready within 30 s: ") + logTail();
                return false;
            }
        }
        *error = name + QLatin1String(" exited while starting up: ") + logTail();
        return false;
    }

    void stop()
    {
        if (m_server.state() == QProcess::NotRunning)
            return;
        ::kill(pid_t(m_server.processId()), m_stopSignal);
        if (!m_server.waitForFinished(20000)) {
            m_server.kill();
            m_server.waitForFinished(5000);
        }
    }

private:
    // Every program runs in the folder, as the chosen user, and dies with this process.
    void prepare(QProcess *process) const
    {
        process->setWorkingDirectory(m_dir.path());
        if (m_switchUser) {
            QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
            environment.insert(QStringLiteral("HOME"), m_dir.path());
            process->setProcessEnvironment(environment);
        }
        const bool switchUser = m_switchUser;
        const uid_t uid = m_uid;
        const gid_t gid = m_gid;
        const pid_t parent = ::getpid();
        // Only async-signal-safe calls: this runs between fork and exec. A change of user clears
        // the parent-death signal, so it is set afterwards.
        process->setChildProcessModifier([switchUser, uid, gid, parent] {
            if (switchUser && (::setgroups(1, &gid) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0)) {
                static const char message[] = "could not switch to the server's user\n";
                [[maybe_unused]] const ssize_t written = ::write(STDERR_FILENO, message, sizeof message - 1);
                ::_exit(126);
            }
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (::getppid() != parent) // the test died before the line above
                ::_exit(1);
        });
    }

    QTemporaryDir m_dir;
    QString m_logName;
    QProcess m_server;
    int m_port = 0;
    int m_stopSignal = SIGTERM;
    bool m_switchUser = false;
    uid_t m_uid = 0;
    gid_t m_gid = 0;
};

} // namespace TestSupport
