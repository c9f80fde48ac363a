// NodeHttpServer as a real server on 127.0.0.1: raw HTTP over QTcpSocket (framing, keep-alive,
// limits, closing) and one request through QNetworkAccessManager.
#include "nodehttpserver.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include <memory>
#include <optional>
#include <vector>

using namespace Tribune::Agent;
using namespace std::chrono_literals;

namespace {

struct HttpResponse
{
    int status = 0;
    QMap<QByteArray, QByteArray> headers; // names in lower case
    QByteArray body;

    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

// A raw HTTP client. The server runs on this thread, so waiting spins the event loop (qWaitFor)
// instead of blocking in waitForReadyRead.
class RawClient
{
public:
    explicit RawClient(quint16 port) { m_socket.connectToHost(QHostAddress::LocalHost, port); }

    bool waitConnected()
    {
        return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; }, 5000);
    }
    void send(const QByteArray &bytes) { m_socket.write(bytes); }

    // The next complete response; the body is empty for a HEAD (headOnly) and for 1xx.
    std::optional<HttpResponse> read(bool headOnly = false)
    {
        std::optional<HttpResponse> response;
        const bool arrived = QTest::qWaitFor([&] { return (response = take(headOnly)).has_value(); }, 5000);
        return arrived ? response : std::nullopt;
    }
    // Whether the server closes the connection within the timeout.
    bool waitClosed(int timeoutMs = 5000)
    {
        return QTest::qWaitFor([this] {
            m_buffer += m_socket.readAll();
            return m_socket.state() == QAbstractSocket::UnconnectedState;
        }, timeoutMs);
    }
    bool isOpen() const { return m_socket.state() == QAbstractSocket::ConnectedState; }

private:
    std::optional<HttpResponse> take(bool headOnly)
    {
        m_buffer += m_socket.readAll();
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return std::nullopt;
        const QByteArrayList lines = m_buffer.left(end).split('\n');
        HttpResponse response;
        response.status = lines.constFirst().split(' ').value(1).toInt();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines.at(i).indexOf(':');
            response.headers.insert(lines.at(i).left(colon).toLower(), lines.at(i).mid(colon + 1).trimmed());
        }
        const qsizetype length = headOnly || response.status < 200 ? 0 : response.headers.value("content-length").toLongLong();
        if (m_buffer.size() < end + 4 + length)
            return std::nullopt;
        response.body = m_buffer.mid(end + 4, length);
        m_buffer.remove(0, end + 4 + length);
        return response;
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
};

QByteArray get(const QByteArray &target, const QByteArray &extraHeaders = QByteArray())
{
    return "GET " + target + " HTTP/1.1\r\nHost: node1.example\r\n" + extraHeaders + "\r\n";
}

QByteArray post(const QByteArray &target, const QByteArray &body)
{
    return "POST " + target + " HTTP/1.1\r\nHost: node1.example\r\nContent-Length: " + QByteArray::number(body.size())
        + "\r\n\r\n" + body;
}

} // namespace

class TestNodeHttpServer : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void health();
    void keepAliveTwoRequests();
    void servicesEcho();
    void bodyEcho();
    void tenantPath();
    void unknownPathAndMethod();
    void refused_data();
    void refused();
    void connectionClose_data();
    void connectionClose();
    void expectContinue();
    void idleConnectionCloses();
    void stuckClientsDoNotStallOthers();
    void idleClientsCannotStarveTheHealthCheck();
    void networkAccessManager();
    void listenFailure();

private:
    quint16 port() const { return m_server->port(); }

    const MemberIdentity m_member{QStringLiteral("esb-worker1"), QStringLiteral("wso2.esb.domain"),
                                  QStringLiteral("worker"), QStringLiteral("127.0.0.1"), 9763};
    std::unique_ptr<NodeHttpServer> m_server;
};

void TestNodeHttpServer::init()
{
    m_server = std::make_unique<NodeHttpServer>(m_member);
    QCOMPARE(m_server->port(), quint16(0));
    QString error;
    QVERIFY2(m_server->listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    QVERIFY(m_server->port() != 0);
}

void TestNodeHttpServer::cleanup()
{
    m_server.reset();
}

void TestNodeHttpServer::health()
{
    RawClient client(port());
    client.send(get("/health"));
    const std::optional<HttpResponse> ok = client.read();
    QVERIFY(ok);
    QCOMPARE(ok->status, 200);
    QVERIFY(ok->headers.value("content-type").startsWith("text/plain"));
    QCOMPARE(ok->body, QByteArray("OK\n"));
    QCOMPARE(ok->headers.value("x-tribune-member"), QByteArray("esb-worker1"));

    // HEAD: the same headers, no body, and the connection stays usable.
    client.send("HEAD /health HTTP/1.1\r\nHost: node1.example\r\n\r\n");
    const std::optional<HttpResponse> head = client.read(true);
    QVERIFY(head);
    QCOMPARE(head->status, 200);
    QCOMPARE(head->headers.value("content-length"), QByteArray("3"));
    client.send(get("/health"));
    QVERIFY(client.read());
    QCOMPARE(m_server->requestCount(), quint64(3));
    QCOMPARE(m_server->requestCount(2), quint64(3));
}

void TestNodeHttpServer::keepAliveTwoRequests()
{
    QSignalSpy served(m_server.get(), &NodeHttpServer::requestServed);
    RawClient client(port());
    client.send(get("/services/first"));
    const std::optional<HttpResponse> first = client.read();
    QVERIFY(first);
    QCOMPARE(first->headers.value("connection"), QByteArray("keep-alive"));
    QCOMPARE(first->json().value(QStringLiteral("service")).toString(), QStringLiteral("first"));

    client.send(post("/services/second", "two"));
    const std::optional<HttpResponse> second = client.read();
    QVERIFY(second);
    QCOMPARE(second->json().value(QStringLiteral("service")).toString(), QStringLiteral("second"));
    QCOMPARE(served.size(), 2);
    QCOMPARE(served.at(1).at(0).toInt(), 200);
    QVERIFY(client.isOpen());
    QCOMPARE(m_server->connectionCount(), 1);
}

void TestNodeHttpServer::servicesEcho()
{
    RawClient client(port());
    client.send(get("/services/echo/echoString?in=hello%20world",
                    "X-Forwarded-For: 10.0.0.7\r\nUser-Agent: haproxy-test\r\nCookie: secret=1\r\n"));
    const std::optional<HttpResponse> response = client.read();
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QCOMPARE(response->headers.value("content-type"), QByteArray("application/json"));
    QCOMPARE(response->headers.value("x-tribune-member"), QByteArray("esb-worker1"));
    const QJsonObject json = response->json();
    QCOMPARE(json.value(QStringLiteral("service")).toString(), QStringLiteral("echo"));
    QCOMPARE(json.value(QStringLiteral("method")).toString(), QStringLiteral("GET"));
    QCOMPARE(json.value(QStringLiteral("path")).toString(), QStringLiteral("/services/echo/echoString"));
    QCOMPARE(json.value(QStringLiteral("query")).toString(), QStringLiteral("in=hello%20world"));
    QVERIFY(!json.contains(QStringLiteral("tenant")));
    const QJsonObject headers = json.value(QStringLiteral("headers")).toObject();
    QCOMPARE(headers.value(QStringLiteral("Host")).toString(), QStringLiteral("node1.example"));
    QCOMPARE(headers.value(QStringLiteral("X-Forwarded-For")).toString(), QStringLiteral("10.0.0.7"));
    QCOMPARE(headers.value(QStringLiteral("User-Agent")).toString(), QStringLiteral("haproxy-test"));
    QVERIFY(!headers.contains(QStringLiteral("Cookie")));
    const QJsonObject member = json.value(QStringLiteral("member")).toObject();
    QCOMPARE(member.value(QStringLiteral("memberId")).toString(), QStringLiteral("esb-worker1"));
    QCOMPARE(member.value(QStringLiteral("domain")).toString(), QStringLiteral("wso2.esb.domain"));
    QCOMPARE(member.value(QStringLiteral("subDomain")).toString(), QStringLiteral("worker"));
    QCOMPARE(member.value(QStringLiteral("host")).toString(), QStringLiteral("127.0.0.1"));
    QCOMPARE(member.value(QStringLiteral("httpPort")).toInt(), 9763);
}

void TestNodeHttpServer::bodyEcho()
{
    RawClient client(port());
    const QString text = QStringLiteral("h\u00e9llo \u2603 <soapenv:Envelope/>");
    client.send(post("/services/echo", text.toUtf8()));
    const std::optional<HttpResponse> textual = client.read();
    QVERIFY(textual);
    QCOMPARE(textual->json().value(QStringLiteral("body")).toString(), text);
    QCOMPARE(textual->json().value(QStringLiteral("bodyEncoding")).toString(), QStringLiteral("text"));

    const QByteArray binary("\x00\xff\xfe\x80 binary", 11);
    client.send(post("/services/echo", binary));
    const std::optional<HttpResponse> encoded = client.read();
    QVERIFY(encoded);
    QCOMPARE(encoded->json().value(QStringLiteral("bodyEncoding")).toString(), QStringLiteral("base64"));
    QCOMPARE(QByteArray::fromBase64(encoded->json().value(QStringLiteral("body")).toString().toLatin1()), binary);
}

void TestNodeHttpServer::tenantPath()
{
    RawClient client(port());
    client.send(get("/t/example.com/services/StockQuote/getQuote?symbol=IBM"));
    const std::optional<HttpResponse> response = client.read();
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    const QJsonObject json = response->json();
    QCOMPARE(json.value(QStringLiteral("tenant")).toString(), QStringLiteral("example.com"));
    QCOMPARE(json.value(QStringLiteral("service")).toString(), QStringLiteral("StockQuote"));
    QCOMPARE(json.value(QStringLiteral("path")).toString(), QStringLiteral("/t/example.com/services/StockQuote/getQuote"));

    client.send(get("/t/example.com/other/StockQuote")); // a tenant, but not its services
    const std::optional<HttpResponse> other = client.read();
    QVERIFY(other);
    QCOMPARE(other->status, 404);
}

void TestNodeHttpServer::unknownPathAndMethod()
{
    RawClient client(port());
    for (const QByteArray &target : {QByteArray("/nothing"), QByteArray("/services/"), QByteArray("/healthz")}) {
        client.send(get(target));
        const std::optional<HttpResponse> response = client.read();
        QVERIFY(response);
        QCOMPARE(response->status, 404);
        QCOMPARE(response->json().value(QStringLiteral("status")).toInt(), 404);
        QVERIFY(!response->json().value(QStringLiteral("error")).toString().isEmpty());
    }
    client.send("DELETE /services/echo HTTP/1.1\r\nHost: x\r\n\r\n");
    const std::optional<HttpResponse> wrongMethod = client.read();
    QVERIFY(wrongMethod);
    QCOMPARE(wrongMethod->status, 405);
    QVERIFY(wrongMethod->headers.value("allow").contains("POST"));
    QVERIFY(client.isOpen()); // client errors in a well-formed request keep the connection
    QCOMPARE(m_server->requestCount(4), quint64(4));
    QCOMPARE(m_server->requestCount(2), quint64(0));
}

// Requests the server refuses, each answered with its status and "Connection: close", then closed.
void TestNodeHttpServer::refused_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    const QByteArray head = "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ";
    QTest::newRow("head of 20 KiB") << QByteArray(head + QByteArray(20 * 1024, 'a') + "\r\n\r\n") << 400;
    QTest::newRow("head of 2 MiB, past the socket buffers") << QByteArray(head + QByteArray(2 << 20, 'a') + "\r\n\r\n") << 400;
    QTest::newRow("body over 1 MiB") << QByteArray("POST /services/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2097152\r\n\r\n"
                                                   + QByteArray(256 * 1024, 'b')) << 413;
    QTest::newRow("garbage") << QByteArray("GARBAGE\r\n\r\n") << 400;
    QTest::newRow("HTTP/0.9") << QByteArray("GET /health\r\n\r\n") << 400;
    QTest::newRow("HTTP/2.0") << QByteArray("GET /health HTTP/2.0\r\n\r\n") << 505;
    QTest::newRow("space before colon") << QByteArray("GET /health HTTP/1.1\r\nHost : x\r\n\r\n") << 400;
    QTest::newRow("chunked") << QByteArray("POST /services/a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") << 400;
    QTest::newRow("bad length") << QByteArray("POST /services/a HTTP/1.1\r\nContent-Length: 1x\r\n\r\n") << 400;
    QTest::newRow("two lengths") << QByteArray("POST /services/a HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab") << 400;
}

void TestNodeHttpServer::refused()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    RawClient client(port());
    client.send(request);
    const std::optional<HttpResponse> response = client.read();
    QVERIFY(response);
    QCOMPARE(response->status, status);
    QCOMPARE(response->headers.value("connection"), QByteArray("close"));
    QVERIFY(client.waitClosed());
    QTRY_COMPARE(m_server->connectionCount(), 0);
}

void TestNodeHttpServer::connectionClose_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<bool>("closes");
    QTest::newRow("1.1 close") << QByteArray("GET /health HTTP/1.1\r\nConnection: close\r\n\r\n") << true;
    QTest::newRow("1.0 default") << QByteArray("GET /health HTTP/1.0\r\n\r\n") << true;
    QTest::newRow("1.0 keep-alive") << QByteArray("GET /health HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n") << false;
    QTest::newRow("bare LF lines") << QByteArray("GET /health HTTP/1.1\nHost: x\n\n") << false;
}

void TestNodeHttpServer::connectionClose()
{
    QFETCH(QByteArray, request);
    QFETCH(bool, closes);
    RawClient client(port());
    client.send(request);
    const std::optional<HttpResponse> response = client.read();
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QCOMPARE(response->headers.value("connection"), closes ? QByteArray("close") : QByteArray("keep-alive"));
    if (closes) {
        QVERIFY(client.waitClosed());
    } else {
        QVERIFY(!client.waitClosed(300));
    }
}

void TestNodeHttpServer::expectContinue()
{
    RawClient client(port());
    client.send("POST /services/upload HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
    const std::optional<HttpResponse> interim = client.read();
    QVERIFY(interim);
    QCOMPARE(interim->status, 100);
    client.send("hello");
    const std::optional<HttpResponse> final = client.read();
    QVERIFY(final);
    QCOMPARE(final->status, 200);
    QCOMPARE(final->json().value(QStringLiteral("body")).toString(), QStringLiteral("hello"));
    QCOMPARE(m_server->requestCount(), quint64(1));
}

void TestNodeHttpServer::idleConnectionCloses()
{
    QCOMPARE(m_server->idleTimeout(), std::chrono::milliseconds(30s));
    m_server->setIdleTimeout(200ms);
    RawClient silent(port());
    RawClient partial(port()); // a head that never completes is idle too
    QVERIFY(partial.waitConnected());
    partial.send("GET /health HTTP/1.1\r\nHo");
    QVERIFY(silent.waitClosed(3000));
    QVERIFY(partial.waitClosed(3000));
    QTRY_COMPARE(m_server->connectionCount(), 0);
}

void TestNodeHttpServer::stuckClientsDoNotStallOthers()
{
    RawClient stuckHead(port());
    RawClient stuckBody(port());
    RawClient neverReads(port());
    QVERIFY(stuckHead.waitConnected() && stuckBody.waitConnected() && neverReads.waitConnected());
    stuckHead.send("GET /services/slow HTTP/1.1\r\nHost: x\r\n");
    stuckBody.send("POST /services/slow HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nonly part");
    // Requests whose responses nobody reads: the server stops taking them once output backs up.
    QByteArray flood;
    for (int i = 0; i < 2000; ++i)
        flood += post("/services/flood", QByteArray(1024, 'f'));
    neverReads.send(flood);
    QTest::qWait(200);

    RawClient healthy(port());
    healthy.send(get("/health"));
    const std::optional<HttpResponse> response = healthy.read();
    QVERIFY(response);
    QCOMPARE(response->status, 200);

    stuckHead.send("\r\n");
    const std::optional<HttpResponse> late = stuckHead.read();
    QVERIFY(late);
    QCOMPARE(late->json().value(QStringLiteral("service")).toString(), QStringLiteral("slow"));
}

void TestNodeHttpServer::idleClientsCannotStarveTheHealthCheck()
{
    // More idle connections than the server holds (all from one address, as a load balancer's
    // are): the longest idle ones make room, and the health check is answered 200, not 503.
    std::vector<std::unique_ptr<RawClient>> idle;
    for (int i = 0; i < NodeHttpServer::MaxConnections + 8; ++i) {
        idle.push_back(std::make_unique<RawClient>(port()));
        QVERIFY(idle.back()->waitConnected());
    }
    QTRY_COMPARE(m_server->connectionCount(), NodeHttpServer::MaxConnections);
    RawClient healthy(port());
    QVERIFY(healthy.waitConnected());
    healthy.send(get("/health"));
    const std::optional<HttpResponse> response = healthy.read();
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QVERIFY(m_server->connectionCount() <= NodeHttpServer::MaxConnections);
    // The first idle ones were closed, the newest kept.
    QVERIFY(idle.front()->waitClosed(2000));
    QVERIFY(idle.back()->isOpen());
}

void TestNodeHttpServer::networkAccessManager()
{
    QNetworkAccessManager manager;
    manager.setProxy(QNetworkProxy::NoProxy);
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/services/echo?via=qnam").arg(port())));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("text/plain"));
    request.setRawHeader("X-Forwarded-For", "192.0.2.1");
    std::unique_ptr<QNetworkReply> reply(manager.post(request, QByteArrayLiteral("ping")));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    QVERIFY(finished.wait(5000));
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(reply->rawHeader("X-Tribune-Member"), QByteArray("esb-worker1"));
    const QJsonObject json = QJsonDocument::fromJson(reply->readAll()).object();
    QCOMPARE(json.value(QStringLiteral("method")).toString(), QStringLiteral("POST"));
    QCOMPARE(json.value(QStringLiteral("query")).toString(), QStringLiteral("via=qnam"));
    QCOMPARE(json.value(QStringLiteral("body")).toString(), QStringLiteral("ping"));
    QCOMPARE(json.value(QStringLiteral("headers")).toObject().value(QStringLiteral("X-Forwarded-For")).toString(),
             QStringLiteral("192.0.2.1"));
}

void TestNodeHttpServer::listenFailure()
{
    NodeHttpServer second(m_member);
    QString error;
    QVERIFY(!second.listen(QHostAddress::LocalHost, port(), &error));
    QVERIFY(error.contains(QString::number(port())));
    QCOMPARE(second.port(), quint16(0));
}

QTEST_GUILESS_MAIN(TestNodeHttpServer)
#include "tst_nodehttpserver.moc"
