#pragma once

#include <QObject>
#include <QString>

class QProcess;
class QSocketNotifier;
class QTimer;

namespace Tribune::Agent {

// Runs HAProxy as a daemon in master-worker mode (haproxy -W -D -p PIDFILE -f CONFIG) and keeps
// it running. HAProxy is not the agent's child: it keeps serving while the agent restarts or
// is upgraded, and a starting agent adopts the master its pid file names instead of starting a
// second one. The master is held by a pidfd once found: signals reach it and no process that
// reuses its pid, and its exit is an event (a new master is then started with backoff). A
// reload is checked first (haproxy -c) and then done seamlessly by the master (SIGUSR2):
// listeners stay open, established connections finish on the old worker. ready() comes once
// the admin socket answers, after a start, adoption, restart or reload. HAProxy stops only on
// request: stopRunning(), which `tribune-agent --role lb --stop-haproxy` calls.
class HAProxySupervisor final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HAProxySupervisor)

public:
    struct Paths
    {
        QString binary = QStringLiteral("haproxy");
        QString config;      // haproxy.cfg
        QString adminSocket; // the stats socket the configuration opens
        QString pidFile;     // the master's pid, written by HAProxy
        QString logFile;     // what HAProxy says before it detaches
        QString agentLock;   // held by the agent that supervises this HAProxy
    };
    // The files of a runtime folder: haproxy.cfg, admin.sock, haproxy.pid, haproxy.log, agent.lock.
    static Paths pathsIn(const QString &runtimeFolder, const QString &binary = QStringLiteral("haproxy"));

    explicit HAProxySupervisor(Paths paths, QObject *parent = nullptr);
    ~HAProxySupervisor() override;

    // Adopts the running master of this configuration, or checks the configuration and starts
    // HAProxy; false with the reason if neither can be done.
    bool start(QString *error);
    // Whether start() found HAProxy running and took it over.
    bool adopted() const { return m_adopted; }
    // Checks the (already rewritten) configuration and reloads; on a failed check the running
    // HAProxy keeps its old configuration.
    bool reload(QString *error);
    qint64 pid() const { return m_masterPid; }

    // haproxy -c -f path: whether HAProxy accepts a configuration, and its complaint if not.
    static bool check(const QString &binary, const QString &path, QString *error);
    // The master the pid file names, if it is alive and runs this configuration; else 0.
    static qint64 runningMaster(const Paths &paths);
    // Stops the master the pid file names (SIGTERM, then SIGKILL after timeoutMs) and removes
    // the pid file. True when nothing of it runs any more, also when nothing ran; false (and
    // nothing done) while its agent still runs, which would start it again, or when the pid
    // file names an HAProxy of another configuration.
    static bool stopRunning(const Paths &paths, int timeoutMs, QString *message);

signals:
    void ready();
    // A new master runs: it read the configuration file as it is now.
    void launched();
    void crashed(const QString &reason);

private:
    void launch();
    void onLauncherFinished(int exitCode);
    void waitForPidFile();
    void adopt(qint64 pid, int pidfd);
    void releaseMaster();
    void waitForAdminSocket();
    void restartLater(const QString &reason);

    Paths m_paths;
    QProcess *m_launcher = nullptr;
    QTimer *m_restartTimer;
    QTimer *m_readinessTimer;
    QTimer *m_pidFileTimer;
    QSocketNotifier *m_exitNotifier = nullptr;
    qint64 m_masterPid = 0;
    int m_pidfd = -1;
    int m_restartDelayMs = 500;
    int m_readinessAttempts = 0;
    int m_pidFileAttempts = 0;
    bool m_adopted = false;
};

} // namespace Tribune::Agent
