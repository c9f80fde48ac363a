#pragma once

#include <QObject>
#include <QString>

class QProcess;
class QTimer;

namespace Tribune::Agent {

// Runs HAProxy in master-worker mode (haproxy -W -db -f CONFIG) and keeps it running: a crash
// is followed by a restart with backoff. A reload is checked first (haproxy -c) and then done
// seamlessly by the master (SIGUSR2): listeners stay open, established connections finish on
// the old worker. ready() comes once the admin socket answers, after a start, restart or reload.
class HAProxySupervisor final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HAProxySupervisor)

public:
    HAProxySupervisor(QString binary, QString configPath, QString adminSocketPath, QObject *parent = nullptr);
    ~HAProxySupervisor() override;

    // Checks the configuration and starts HAProxy; false with the reason if the check fails.
    bool start(QString *error);
    // Checks the (already rewritten) configuration and reloads; on a failed check the running
    // HAProxy keeps its old configuration.
    bool reload(QString *error);
    void stop();
    bool isRunning() const;
    qint64 pid() const;

    // haproxy -c -f path: whether HAProxy accepts a configuration, and its complaint if not.
    static bool check(const QString &binary, const QString &path, QString *error);

signals:
    void ready();
    void crashed(const QString &reason);

private:
    void launch();
    void waitForAdminSocket();

    QString m_binary;
    QString m_configPath;
    QString m_adminSocketPath;
    QProcess *m_process = nullptr;
    QTimer *m_restartTimer;
    QTimer *m_readinessTimer;
    int m_restartDelayMs = 500;
    int m_readinessAttempts = 0;
    bool m_stopping = false;
};

} // namespace Tribune::Agent
