#pragma once

// HTTP as a client sees it through HAProxy: one request, its status and which member answered.

#include <QElapsedTimer>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>

#include <optional>

struct HttpResponse
{
    int status = 0;
    QByteArray headers;
    QByteArray body;

    QString memberId() const
    {
        return QJsonDocument::fromJson(body)
            .object()
            .value(QLatin1String("member"))
            .toObject()
            .value(QLatin1String("memberId"))
            .toString();
    }
};

// Reads one response (status line, headers, Content-Length body) from a connected socket.
inline std::optional<HttpResponse> readResponse(QTcpSocket &socket, int timeoutMs = 5000)
{
    QElapsedTimer waited;
    waited.start();
    QByteArray data;
    qsizetype headerEnd = -1;
    qint64 length = -1;
    while (waited.elapsed() < timeoutMs) {
        if (headerEnd < 0) {
            headerEnd = data.indexOf("\r\n\r\n");
            if (headerEnd >= 0) {
                length = 0;
                for (const QByteArray &line : data.left(headerEnd).split('\n')) {
                    if (line.toLower().startsWith("content-length:"))
                        length = line.mid(15).trimmed().toLongLong();
                }
            }
        }
        if (headerEnd >= 0 && data.size() >= headerEnd + 4 + length)
            break;
        if (socket.bytesAvailable() == 0 && !socket.waitForReadyRead(100)
            && socket.state() != QAbstractSocket::ConnectedState && socket.bytesAvailable() == 0)
            break;
        data += socket.readAll();
    }
    if (headerEnd < 0 || data.size() < headerEnd + 4 + length)
        return std::nullopt;
    HttpResponse response;
    response.headers = data.left(headerEnd);
    const QList<QByteArray> statusLine = response.headers.left(response.headers.indexOf('\r')).split(' ');
    response.status = statusLine.value(1).toInt();
    response.body = data.mid(headerEnd + 4, length);
    return response;
}

inline QByteArray requestText(const QString &host, const QString &path, bool keepAlive)
{
    return "GET " + path.toUtf8() + " HTTP/1.1\r\nHost: " + host.toUtf8()
        + (keepAlive ? QByteArray("\r\n\r\n") : QByteArray("\r\nConnection: close\r\n\r\n"));
}

// One request on its own connection, to address:port with the given Host header.
inline std::optional<HttpResponse> httpGet(const QHostAddress &address, quint16 port, const QString &host,
                                           const QString &path)
{
    QTcpSocket socket;
    socket.connectToHost(address, port);
    if (!socket.waitForConnected(3000))
        return std::nullopt;
    socket.write(requestText(host, path, false));
    return readResponse(socket);
}

inline std::optional<HttpResponse> httpGet(quint16 port, const QString &host, const QString &path)
{
    return httpGet(QHostAddress(QHostAddress::LocalHost), port, host, path);
}

