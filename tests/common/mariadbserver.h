#pragma once

// A throwaway MariaDB server a test starts for itself on 127.0.0.1 (see ThrowawayServer), whose
// root logs in through the socket.

#include "throwawayserver.h"

#include <pwd.h>
#include <unistd.h>

namespace TestSupport {

inline const QString MariaDbInstallLine =
    QStringLiteral("sudo apt-get install -y mariadb-server mariadb-client libqt6sql6-mysql");

// --user for the server: root, as ARCHITECTURE.md has it, when the test runs as root; otherwise
// the user the test runs as (mariadb-install-db must give the data folder to that user).
inline QString serverUser()
{
    const passwd *entry = ::getpwuid(::geteuid());
    return ::geteuid() == 0 || !entry ? QStringLiteral("root") : QString::fromLocal8Bit(entry->pw_name);
}

// A throwaway MariaDB server whose root logs in through the socket.
class MariaDbServer final
{
public:
    bool start(QString *error);
    void stop() { m_server.stop(); }
    // Runs statements as root through the socket.
    bool sql(const QString &statements, QString *error) const;
    int port() const { return m_server.port(); }

private:
    ThrowawayServer m_server{QStringLiteral("mariadbd.log")};
    QString m_client;
};

inline bool MariaDbServer::start(QString *error)
{
    const QString installDb = ThrowawayServer::findExecutable(QStringLiteral("mariadb-install-db"));
    const QString server = ThrowawayServer::findExecutable(QStringLiteral("mariadbd"));
    m_client = ThrowawayServer::findExecutable(QStringLiteral("mariadb"));
    if (installDb.isEmpty() || server.isEmpty() || m_client.isEmpty()) {
        *error = QStringLiteral("MariaDB is not installed (mariadb-install-db, mariadbd and mariadb are needed). Run: ")
            + MariaDbInstallLine;
        return false;
    }
    const QString datadir = m_server.path(QStringLiteral("data"));
    if (!m_server.run(installDb,
                      {QStringLiteral("--no-defaults"), QLatin1String("--user=") + serverUser(),
                       QLatin1String("--datadir=") + datadir,
                       QStringLiteral("--auth-root-authentication-method=normal"), QStringLiteral("--skip-test-db")},
                      error))
        return false;
    const QString socket = m_server.path(QStringLiteral("mariadb.sock"));
    const auto arguments = [&](int port) {
        return QStringList{QStringLiteral("--no-defaults"), QLatin1String("--user=") + serverUser(),
                           QLatin1String("--datadir=") + datadir, QLatin1String("--socket=") + socket,
                           QLatin1String("--port=") + QString::number(port), QStringLiteral("--bind-address=127.0.0.1"),
                           QStringLiteral("--skip-log-bin"), QStringLiteral("--skip-name-resolve")};
    };
    const auto ready = [this] {
        QString ignored;
        return sql(QStringLiteral("SELECT 1"), &ignored);
    };
    return m_server.start(server, arguments, ready, error); // SIGTERM is a clean shutdown
}

inline bool MariaDbServer::sql(const QString &statements, QString *error) const
{
    return m_server.run(m_client,
                        {QStringLiteral("--no-defaults"), QStringLiteral("--protocol=socket"),
                         QLatin1String("--socket=") + m_server.path(QStringLiteral("mariadb.sock")),
                         QStringLiteral("--user=root"), QStringLiteral("--batch"), QStringLiteral("-e"), statements},
                        error, 30000);
}

} // namespace TestSupport
