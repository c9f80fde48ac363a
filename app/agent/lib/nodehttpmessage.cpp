#include "nodehttpmessage.h"

#include "nodehttpserver.h"

#include <QByteArrayList>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>
#include <QUrl>

#include <algorithm>

namespace Tribune::Agent::Http {

std::optional<QByteArray> Request::header(QByteArrayView name) const
{
    std::optional<QByteArray> joined;
    for (const auto &[key, value] : headers) {
        if (key != name)
            continue;
        joined = joined ? QByteArray(*joined + ", " + value) : value;
    }
    return joined;
}

bool Request::hasToken(QByteArrayView name, QByteArrayView token) const
{
    const QByteArrayList tokens = header(name).value_or(QByteArray()).split(',');
    for (const QByteArray &item : tokens) {
        if (item.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200: return QByteArrayLiteral("OK");
    case 400: return QByteArrayLiteral("Bad Request");
    case 404: return QByteArrayLiteral("Not Found");
    case 405: return QByteArrayLiteral("Method Not Allowed");
    case 413: return QByteArrayLiteral("Content Too Large");
    case 503: return QByteArrayLiteral("Service Unavailable");
    case 505: return QByteArrayLiteral("HTTP Version Not Supported");
    default: return QByteArrayLiteral("Error");
    }
}

// RFC 9110 token characters: methods and header names.
bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && !QByteArrayView("!#$%&'*+-.^_`|~").contains(c))
            return false;
    }
    return true;
}

Response jsonResponse(int status, const QJsonObject &object)
{
    return Response{status, QByteArrayLiteral("application/json"), QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n', {}};
}

Response methodNotAllowed(const QByteArray &allow)
{
    Response response = errorResponse(405, QStringLiteral("allowed methods: ") + QString::fromLatin1(allow));
    response.allow = allow;
    return response;
}

// The services echo: what the member saw of the request, for load-balancer and routing tests.
Response echo(const Request &request, const QByteArray &path, const QByteArray &query, const QByteArray &service,
              const QByteArray &tenant, const MemberIdentity &member)
{
    QJsonObject headers;
    for (const char *name : {"Host", "X-Forwarded-For", "User-Agent"}) {
        if (const std::optional<QByteArray> value = request.header(QByteArray(name).toLower()))
            headers.insert(QLatin1String(name), QString::fromUtf8(*value));
    }
    QJsonObject json{{QStringLiteral("service"), QUrl::fromPercentEncoding(service)},
                     {QStringLiteral("method"), QString::fromLatin1(request.method)},
                     {QStringLiteral("path"), QString::fromUtf8(path)},
                     {QStringLiteral("query"), QString::fromUtf8(query)},
                     {QStringLiteral("headers"), headers},
                     {QStringLiteral("member"), QJsonObject{{QStringLiteral("memberId"), member.memberId},
                                                            {QStringLiteral("domain"), member.domain},
                                                            {QStringLiteral("subDomain"), member.subDomain},
                                                            {QStringLiteral("host"), member.host},
                                                            {QStringLiteral("httpPort"), member.httpPort}}}};
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless | QStringDecoder::Flag::ConvertInitialBom);
    const QString text = decoder(request.body);
    const bool isText = !decoder.hasError();
    json.insert(QStringLiteral("body"), isText ? text : QString::fromLatin1(request.body.toBase64()));
    json.insert(QStringLiteral("bodyEncoding"), isText ? QStringLiteral("text") : QStringLiteral("base64"));
    if (!tenant.isNull())
        json.insert(QStringLiteral("tenant"), QUrl::fromPercentEncoding(tenant));
    return jsonResponse(200, json);
}

// Header values must not carry line breaks or other controls, whatever the configuration says.
QByteArray headerValue(const QString &text)
{
    QByteArray bytes = text.toUtf8();
    for (char &c : bytes) {
        if (uchar(c) < 0x20 || uchar(c) == 0x7f)
            c = ' ';
    }
    return bytes;
}

} // namespace

// Where the head ends, just past its blank line (CRLF or bare LF line ends), or -1 while incomplete.
qsizetype headEnd(const QByteArray &buffer)
{
    const qsizetype crlf = buffer.indexOf("\n\r\n");
    const qsizetype lf = buffer.indexOf("\n\n");
    if (lf >= 0 && (crlf < 0 || lf < crlf))
        return lf + 2;
    return crlf >= 0 ? crlf + 3 : -1;
}

// Parses a request head into *request and its Content-Length into *bodyLength. Returns 0, or the
// status to refuse the request with. Folded lines, spaces before a colon, Transfer-Encoding and
// disagreeing Content-Length values are refused: they are how requests get smuggled past proxies.
int parseHead(const QByteArray &head, Request *request, qint64 *bodyLength)
{
    QByteArrayList lines = head.split('\n');
    for (QByteArray &line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
    }
    while (!lines.isEmpty() && lines.constLast().isEmpty())
        lines.removeLast();
    if (lines.isEmpty())
        return 400;

    const QByteArrayList parts = lines.constFirst().split(' ');
    if (parts.size() != 3 || !isToken(parts.at(0)) || parts.at(1).isEmpty())
        return 400;
    if (parts.at(2) == "HTTP/1.0")
        request->http10 = true;
    else if (parts.at(2) != "HTTP/1.1")
        return parts.at(2).startsWith("HTTP/") ? 505 : 400;
    request->method = parts.at(0);
    request->target = parts.at(1);
    // Absolute form ("http://host/path") names the same resource as its path.
    if (request->target.startsWith("http://") || request->target.startsWith("https://")) {
        const qsizetype slash = request->target.indexOf('/', request->target.indexOf("//") + 2);
        request->target = slash < 0 ? QByteArrayLiteral("/") : request->target.mid(slash);
    }
    if (!request->target.startsWith('/'))
        return 400;

    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(QByteArrayView(line).first(colon)))
            return 400;
        request->headers.append({line.left(colon).toLower(), line.mid(colon + 1).trimmed()});
    }

    *bodyLength = 0;
    if (request->header("transfer-encoding"))
        return 400; // bodies come with Content-Length only
    if (const std::optional<QByteArray> length = request->header("content-length")) {
        std::optional<qint64> agreed;
        for (const QByteArray &item : length->split(',')) {
            const QByteArray digits = item.trimmed();
            if (digits.isEmpty() || !std::all_of(digits.cbegin(), digits.cend(), [](char c) { return c >= '0' && c <= '9'; }))
                return 400;
            const qint64 value = digits.size() > 15 ? NodeHttpServer::MaxBodyBytes + 1 : digits.toLongLong();
            if (agreed && *agreed != value)
                return 400;
            agreed = value;
        }
        *bodyLength = agreed.value_or(0);
    }
    return *bodyLength > NodeHttpServer::MaxBodyBytes ? 413 : 0;
}

Response errorResponse(int status, const QString &message)
{
    return jsonResponse(status, QJsonObject{{QStringLiteral("status"), status},
                                            {QStringLiteral("error"), QString::fromLatin1(reasonPhrase(status))},
                                            {QStringLiteral("message"), message}});
}

Response route(const Request &request, const MemberIdentity &member)
{
    const qsizetype mark = request.target.indexOf('?');
    const QByteArray path = mark < 0 ? request.target : request.target.left(mark);
    const QByteArray query = mark < 0 ? QByteArray() : request.target.mid(mark + 1);
    const bool get = request.method == "GET" || request.method == "HEAD";
    const bool post = request.method == "POST";

    if (path == "/health")
        return get ? Response{200, QByteArrayLiteral("text/plain; charset=utf-8"), QByteArrayLiteral("OK\n"), {}}
                   : methodNotAllowed(QByteArrayLiteral("GET, HEAD"));

    QByteArrayList segments = path.mid(1).split('/');
    QByteArray tenant; // null unless the path is tenant-qualified
    if (segments.size() >= 4 && segments.at(0) == "t" && !segments.at(1).isEmpty() && segments.at(2) == "services") {
        tenant = segments.at(1);
        segments.remove(0, 2);
    }
    if (segments.size() >= 2 && segments.at(0) == "services" && !segments.at(1).isEmpty()) {
        if (!get && !post)
            return methodNotAllowed(QByteArrayLiteral("GET, HEAD, POST"));
        return echo(request, path, query, segments.at(1), tenant, member);
    }
    return errorResponse(404, QStringLiteral("no resource at ") + QString::fromUtf8(path));
}

QByteArray serialize(const Response &response, bool headOnly, bool keepAlive, const QString &memberId)
{
    QByteArray bytes = "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reasonPhrase(response.status)
        + "\r\nServer: tribune-agent\r\nContent-Type: " + response.contentType
        + "\r\nContent-Length: " + QByteArray::number(response.body.size())
        + "\r\nConnection: " + (keepAlive ? "keep-alive" : "close")
        + "\r\nX-Tribune-Member: " + headerValue(memberId) + "\r\n";
    if (!response.allow.isEmpty())
        bytes += "Allow: " + response.allow + "\r\n";
    bytes += "\r\n";
    if (!headOnly)
        bytes += response.body;
    return bytes;
}

} // namespace Tribune::Agent::Http
