#include "nodehttpserver.h"

#include "nodehttpmessage.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <utility>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

namespace Tribune::Agent {

namespace {

using namespace std::chrono_literals;

constexpr qint64 MaxPendingOutput = 64 * 1024; // stop taking requests while more than this is unsent
constexpr qint64 SocketReadBuffer = 64 * 1024; // Qt stops reading the socket past this: TCP pushes back
constexpr auto LingerTime = 2s;                // how long a closing connection drains the client's input

} // namespace

// One client: reads requests within the size limits, answers them in order, and closes on
// request, on error, or when idle. Parented to the server; deletes itself when the socket ends.
class NodeHttpServer::Connection final : public QObject
{
public:
    Connection(QTcpSocket *socket, NodeHttpServer *server);
    ~Connection() override { leaveCount(); }

    void send(const Http::Response &response, bool headOnly, bool keepAlive);
    // Waiting for a request with nothing half-read and nothing unsent, or done and lingering:
    // what may be closed to make room for a new client.
    bool isIdle() const
    {
        return m_phase == Phase::Lingering
            || (m_phase == Phase::Head && m_buffer.isEmpty() && m_socket->bytesAvailable() == 0
                && m_socket->bytesToWrite() == 0);
    }
    bool isCounted() const { return m_counted; }
    qint64 lastActive() const { return m_lastActive; }
    // Closed for a new client, which takes its place in the count at once.
    void closeForRoom()
    {
        leaveCount();
        drop();
    }

private:
    // Head: waiting for a request head. Body: head parsed, waiting for its body. Closing: the
    // last response is being flushed. Lingering: output shut down, draining input until the
    // client closes, so that unread input cannot reset the connection under the response.
    enum class Phase { Head, Body, Closing, Lingering };

    void pump();
    bool handleNext();
    void onBytesWritten();
    void shutdownWhenFlushed();
    void drop();

    NodeHttpServer *m_server;
    QTcpSocket *m_socket;
    QTimer m_timer; // the idle timeout, then the lingering deadline
    QByteArray m_buffer;
    Phase m_phase = Phase::Head;
    Http::Request m_request;
    qint64 m_bodyLength = 0;
    qint64 m_lastActive = 0; // the server's clock, at the last byte in or out
    bool m_counted = true;

    void leaveCount()
    {
        if (!std::exchange(m_counted, false))
            return;
        --m_server->m_connectionCount;
        m_server->m_connections.removeOne(this);
    }
};

NodeHttpServer::Connection::Connection(QTcpSocket *socket, NodeHttpServer *server)
    : QObject(server)
    , m_server(server)
    , m_socket(socket)
{
    ++m_server->m_connectionCount;
    m_socket->setParent(this);
    m_socket->setReadBufferSize(SocketReadBuffer);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &Connection::drop);
    connect(m_socket, &QTcpSocket::readyRead, this, &Connection::pump);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &Connection::onBytesWritten);
    connect(m_socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    m_timer.start(m_server->m_idleTimeout);
    m_lastActive = m_server->m_clock.elapsed();
    m_server->m_connections.append(this);
}

// Takes in as much input as the current phase allows and answers every complete request,
// until input runs out or too much output waits for a slow reader (resumed from bytesWritten).
void NodeHttpServer::Connection::pump()
{
    m_lastActive = m_server->m_clock.elapsed();
    if (m_phase == Phase::Closing || m_phase == Phase::Lingering) {
        m_socket->readAll(); // discarded: nothing more will be answered
        return;
    }
    while (m_phase == Phase::Head || m_phase == Phase::Body) {
        if (m_socket->bytesToWrite() > MaxPendingOutput)
            return;
        const qint64 room = (m_phase == Phase::Head ? MaxHeaderBytes : m_bodyLength) - m_buffer.size();
        if (room > 0 && m_socket->bytesAvailable() > 0)
            m_buffer += m_socket->read(room);
        if (!handleNext())
            return;
    }
}

// Answers the request at the front of the buffer if it is complete. Returns whether the
// connection is ready for the next one.
bool NodeHttpServer::Connection::handleNext()
{
    if (m_phase == Phase::Head) {
        // Clients may send stray line breaks after a body; they are no request.
        const auto request = std::find_if(m_buffer.cbegin(), m_buffer.cend(), [](char c) { return c != '\r' && c != '\n'; });
        m_buffer.remove(0, request - m_buffer.cbegin());
        const qsizetype end = Http::headEnd(m_buffer);
        if (end > MaxHeaderBytes || (end < 0 && m_buffer.size() >= MaxHeaderBytes)) {
            send(Http::errorResponse(400, QStringLiteral("request head exceeds %1 bytes").arg(MaxHeaderBytes)), false, false);
            return false;
        }
        if (end < 0)
            return false;
        m_request = Http::Request();
        const int refusal = Http::parseHead(m_buffer.left(end), &m_request, &m_bodyLength);
        m_buffer.remove(0, end);
        if (refusal != 0) {
            const QString message = refusal == 413 ? QStringLiteral("body exceeds %1 bytes").arg(MaxBodyBytes)
                                                   : QStringLiteral("malformed or unsupported request");
            send(Http::errorResponse(refusal, message), false, false);
            return false;
        }
        m_phase = Phase::Body;
        if (m_buffer.size() < m_bodyLength && !m_request.http10 && m_request.hasToken("expect", "100-continue"))
            m_socket->write(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
    }
    if (m_buffer.size() < m_bodyLength)
        return false;
    m_request.body = m_buffer.left(m_bodyLength);
    m_buffer.remove(0, m_bodyLength);
    m_phase = Phase::Head;

    const bool keepAlive = m_request.http10 ? m_request.hasToken("connection", "keep-alive")
                                            : !m_request.hasToken("connection", "close");
    send(Http::route(m_request, m_server->m_member), m_request.method == "HEAD", keepAlive);
    return m_phase == Phase::Head;
}

void NodeHttpServer::Connection::send(const Http::Response &response, bool headOnly, bool keepAlive)
{
    m_socket->write(Http::serialize(response, headOnly, keepAlive, m_server->m_member.memberId));
    m_timer.start(m_server->m_idleTimeout);
    if (!keepAlive) {
        m_phase = Phase::Closing;
        m_buffer.clear();
        m_socket->readAll();
        shutdownWhenFlushed();
    }
    m_server->countServed(response.status);
}

void NodeHttpServer::Connection::onBytesWritten()
{
    m_lastActive = m_server->m_clock.elapsed();
    if (m_phase == Phase::Closing) {
        shutdownWhenFlushed();
    } else if (m_phase != Phase::Lingering) {
        m_timer.start(m_server->m_idleTimeout); // a slow reader that makes progress is not idle
        pump();
    }
}

// Once the last response is out, ends output only (the client reads it, then end of stream) and
// keeps draining input for a while; closing outright with unread input would send a reset.
void NodeHttpServer::Connection::shutdownWhenFlushed()
{
    if (m_socket->bytesToWrite() > 0)
        return;
#ifdef Q_OS_UNIX
    m_phase = Phase::Lingering;
    ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    m_timer.start(LingerTime);
#else
    m_socket->disconnectFromHost();
#endif
}

void NodeHttpServer::Connection::drop()
{
    m_socket->abort();
    deleteLater();
}

NodeHttpServer::NodeHttpServer(const MemberIdentity &member, QObject *parent)
    : QObject(parent)
    , m_member(member)
    , m_server(new QTcpServer(this))
{
    m_clock.start();
    connect(m_server, &QTcpServer::newConnection, this, &NodeHttpServer::acceptPending);
}

// Connections go first, while the counters they update on destruction still exist.
NodeHttpServer::~NodeHttpServer()
{
    m_server->close();
    const QObjectList connections = children();
    for (QObject *child : connections) {
        if (child != m_server)
            delete child;
    }
}

bool NodeHttpServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (m_server->isListening())
        m_server->close();
    if (m_server->listen(address, port))
        return true;
    if (error)
        *error = tr("Cannot listen on %1 port %2: %3").arg(address.toString(), QString::number(port), m_server->errorString());
    return false;
}

quint16 NodeHttpServer::port() const
{
    return m_server->isListening() ? m_server->serverPort() : quint16(0);
}

quint64 NodeHttpServer::requestCount(int statusClass) const
{
    return statusClass >= 1 && statusClass <= 5 ? m_byStatusClass.at(size_t(statusClass)) : 0;
}

void NodeHttpServer::acceptPending()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        // At the limit, the connection idle the longest makes room: every proxied request and
        // health check comes from the load balancer's one address, so idle clients must not
        // starve it (520 idle ones made a health check answer 503 and HAProxy mark the node DOWN).
        if (m_connectionCount >= MaxConnections) {
            Connection *oldest = nullptr;
            for (Connection *open : std::as_const(m_connections)) {
                if (open->isCounted() && open->isIdle() && (!oldest || open->lastActive() < oldest->lastActive()))
                    oldest = open;
            }
            if (oldest)
                oldest->closeForRoom();
        }
        auto *connection = new Connection(socket, this);
        if (m_connectionCount > MaxConnections)
            connection->send(Http::errorResponse(503, QStringLiteral("too many connections")), false, false);
    }
}

void NodeHttpServer::countServed(int status)
{
    ++m_requestCount;
    if (status >= 100 && status < 600)
        ++m_byStatusClass.at(size_t(status / 100));
    emit requestServed(status);
}

} // namespace Tribune::Agent
