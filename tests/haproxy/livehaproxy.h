#pragma once

// A real HAProxy for tests, started in a folder the test owns, stopped (kill and wait) when it
// goes out of scope and killed with the test should the test die; and a responder that passes
// HAProxy's HTTP health checks.

#include "../common/throwawayserver.h"

#include <QByteArray>
#include <QFile>
#include <QLocalSocket>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

namespace TestSupport {

// One command on HAProxy's admin socket, and its whole answer.
inline QByteArray adminCommand(const QString &socketPath, const QByteArray &command)
{
    QLocalSocket socket;
    socket.connectToServer(socketPath);
    if (!socket.waitForConnected(3000))
        return {};
    socket.write(command + '\n');
    socket.waitForDisconnected(3000);
    return socket.readAll();
}

// A loopback port that was free a moment ago.
inline quint16 freePort()
{
    QTcpServer server;
    return server.listen(QHostAddress::LocalHost, 0) ? server.serverPort() : 0;
}

class LiveHAProxy
{
public:
    LiveHAProxy() = default;
    LiveHAProxy(const LiveHAProxy &) = delete;
    LiveHAProxy &operator=(const LiveHAProxy &) = delete;
    ~LiveHAProxy() { stop(); }

    // The haproxy executable (PATH, then the sbin folders), or an empty string.
    static QString executable() { return ThrowawayServer::findExecutable(QStringLiteral("haproxy")); }

    // Writes config to configPath, runs "haproxy -db -f configPath" and waits up to 10 s until
    // adminSocket accepts connections. Returns why it did not start, or an empty string.
    QString start(const QString &configPath, const QString &config, const QString &adminSocket)
    {
        QFile file(configPath);
        if (!file.open(QIODevice::WriteOnly) || file.write(config.toUtf8()) < 0)
            return QStringLiteral("cannot write ") + configPath;
        file.close();
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        dieWithTest(&m_process);
        m_process.start(executable(), {QStringLiteral("-db"), QStringLiteral("-f"), configPath});
        if (!m_process.waitForStarted(5000))
            return m_process.errorString();
        const bool ready = QTest::qWaitFor([&] {
            if (m_process.state() != QProcess::Running)
                return true;
            QLocalSocket probe;
            probe.connectToServer(adminSocket);
            return probe.waitForConnected(100);
        }, 10000);
        if (!ready || m_process.state() != QProcess::Running)
            return QStringLiteral("haproxy did not come up: ") + QString::fromLocal8Bit(m_process.readAll());
        return {};
    }

    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.kill();
        m_process.waitForFinished(10000);
    }

    qint64 processId() const { return m_process.processId(); }

private:
    QProcess m_process;
};

// Answers every request with "200 ok" and closes: a server HAProxy's "option httpchk" finds up.
class HealthResponder
{
public:
    bool listen()
    {
        if (!m_server.listen(QHostAddress::LocalHost, 0))
            return false;
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [socket] {
                    if (!socket->readAll().isEmpty()) {
                        socket->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
                        socket->disconnectFromHost();
                    }
                });
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        return true;
    }
    quint16 port() const { return m_server.serverPort(); }

private:
    QTcpServer m_server;
};

} // namespace TestSupport
