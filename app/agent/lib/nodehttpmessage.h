#pragma once

// Internal to NodeHttpServer: HTTP/1.x requests parsed, routed and answered as bytes, without any
// I/O, so that the server itself only deals with sockets, buffers and timers.

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>
#include <utility>

namespace Tribune::Agent {

struct MemberIdentity;

namespace Http {

// One parsed request. Header names are in lower case; values are trimmed, in arrival order.
struct Request
{
    QByteArray method;
    QByteArray target;
    bool http10 = false;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;

    // All values of a header joined by ", " (as repeated headers mean), or nothing when absent.
    std::optional<QByteArray> header(QByteArrayView name) const;
    // Whether a comma-separated header lists a token, without regard to case ("Connection: close").
    bool hasToken(QByteArrayView name, QByteArrayView token) const;
};

struct Response
{
    int status = 200;
    QByteArray contentType;
    QByteArray body;
    QByteArray allow; // the Allow header of a 405
};

// Where the head at the start of buffer ends, just past its blank line, or -1 while incomplete.
qsizetype headEnd(const QByteArray &buffer);
// Parses a request head into *request and its Content-Length into *bodyLength. Returns 0, or
// the status to refuse the request with (400, 413, 505).
int parseHead(const QByteArray &head, Request *request, qint64 *bodyLength);
// What the server answers to a complete request.
Response route(const Request &request, const MemberIdentity &member);
// A JSON error body: {"status": 404, "error": "Not Found", "message": ...}.
Response errorResponse(int status, const QString &message);
// Status line, headers and (unless headOnly) body, ready to write.
QByteArray serialize(const Response &response, bool headOnly, bool keepAlive, const QString &memberId);

} // namespace Http
} // namespace Tribune::Agent
