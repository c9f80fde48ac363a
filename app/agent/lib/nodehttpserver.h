#pragma once

#include <QHostAddress>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QString>

#include <array>
#include <chrono>

class QTcpServer;

namespace Tribune::Agent {

// Who answers: the Carbon member this agent stands for, echoed in every services response so a
// load-balancer test shows which member served it.
struct MemberIdentity
{
    QString memberId;
    QString domain;    // e.g. "wso2.esb.domain"
    QString subDomain; // e.g. "worker"
    QString host;
    int httpPort = 0; // 9763 + offset
};

// What `tribune-agent --serve-http` answers on the node's HTTP port, like the vendor guide's
// sample proxy service behind a load balancer:
//   GET|HEAD /health                               200 text/plain "OK\n" (HAProxy's httpchk)
//   GET|POST /services/<name>[/...][?query]        200 JSON echo of the request and the member
//   GET|POST /t/<tenant>/services/<name>[...]      the same, plus "tenant"
//   anything else                                  404 JSON error (405 for a known path, wrong method)
// Minimal HTTP/1.1 with keep-alive and Content-Length bodies; every response carries
// X-Tribune-Member. Event-driven on the calling thread: no connection can stall another, input
// and output per connection are bounded, idle connections close.
class NodeHttpServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NodeHttpServer)

public:
    static constexpr qsizetype MaxHeaderBytes = 16 * 1024; // request line + headers; more is 400
    static constexpr qint64 MaxBodyBytes = 1024 * 1024;    // Content-Length above this is 413
    static constexpr int MaxConnections = 512;             // beyond this, the longest idle one closes; if
                                                           // none is idle, 503 and close the new one

    explicit NodeHttpServer(const MemberIdentity &member, QObject *parent = nullptr);
    ~NodeHttpServer() override;

    // Starts listening; on failure returns false and says why in *error (when given).
    bool listen(const QHostAddress &address, quint16 port, QString *error);
    quint16 port() const; // the bound port (useful after listening on port 0); 0 when not listening
    const MemberIdentity &member() const { return m_member; }

    // A connection with no complete request and no output progress for this long is closed.
    void setIdleTimeout(std::chrono::milliseconds timeout) { m_idleTimeout = timeout; }
    std::chrono::milliseconds idleTimeout() const { return m_idleTimeout; }

    quint64 requestCount() const { return m_requestCount; } // responses sent, any status
    // Responses by status class: statusClass 1..5 counts 1xx..5xx (100 Continue is not counted).
    quint64 requestCount(int statusClass) const;
    int connectionCount() const { return m_connectionCount; }

signals:
    // After each response is queued, on the server's thread. Slots must not delete the server
    // directly (use deleteLater): the connection that emitted it is still running.
    void requestServed(int status);

private:
    class Connection; // one client socket, its buffers and timers (nodehttpserver.cpp)

    void acceptPending();
    void countServed(int status);

    MemberIdentity m_member;
    QTcpServer *m_server = nullptr;
    std::chrono::milliseconds m_idleTimeout{30000};
    quint64 m_requestCount = 0;
    std::array<quint64, 6> m_byStatusClass{}; // index = status / 100
    int m_connectionCount = 0;
    QList<Connection *> m_connections; // open ones, oldest first
    QElapsedTimer m_clock;             // when connections were last active
};

} // namespace Tribune::Agent
