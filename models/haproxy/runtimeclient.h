#pragma once

#include "runtimereply.h"

#include <QMap>
#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QStringList>

#include <deque>
#include <functional>
#include <optional>

class QIODevice;
class QTimer;

namespace Tribune::HAProxy {

struct ServerState;
struct StatRow;

// A client of HAProxy's runtime API (the "stats socket", level admin): a unix socket or a TCP
// "host:port". Commands run strictly one after another in the order given, each on its own
// short connection in non-interactive mode ("command\n", then read until HAProxy closes), and
// each completes once through its callback, always from the event loop, never inside the call.
// Destroying the client drops what is still queued without calling back.
class RuntimeClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RuntimeClient)

public:
    static constexpr int DefaultTimeoutMs = 5000;
    // The largest reply taken: "show stat" of 1,000 servers is about 230 KB; a socket that writes
    // more is not HAProxy answering, and the command fails rather than filling memory.
    static constexpr qsizetype MaxReplyBytes = 32 * 1024 * 1024;

    struct Address
    {
        enum class Kind { Unix, Tcp };
        Kind kind = Kind::Unix;
        QString path; // Kind::Unix
        QString host; // Kind::Tcp
        quint16 port = 0;
        QString toString() const; // the path, or "host:port" ("[v6]:port")
    };
    // A socket path (anything with a '/', or "unix@<path>"; made absolute, since QLocalSocket
    // would look a relative one up in the temporary folder), or "HOST:PORT", "[IPv6]:PORT",
    // "ipv4@HOST:PORT"; nullopt with *error (translated) otherwise.
    static std::optional<Address> parseAddress(const QString &text, QString *error);

    enum class AdminState { Ready, Drain, Maint };
    // Keywords for a dynamic server; "check" starts health checks once enabled (addServerReady
    // enables them), weight 100 keeps "weight N%" meaningful.
    struct ServerOptions
    {
        bool check = true;
        int weight = 100;
        QStringList extraKeywords; // e.g. {"inter", "2s"}: appended as they are, one word each
    };

    using Callback = std::function<void(const Reply &)>;

    explicit RuntimeClient(Address address, QObject *parent = nullptr);
    ~RuntimeClient() override;

    const Address &address() const { return m_address; }
    // How long one command may take, connection included, before it fails (default 5 s).
    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    // Commands queued or running; 0 when idle.
    int pendingCount() const { return int(m_jobs.size()); }

    // Queues one command line; its reply's ok follows replyError(). A command holding a line
    // break is refused (ok=false) without being sent.
    void send(const QString &command, Callback done);

    // "show stat", "show servers state", "show info", parsed; on failure (or a reply that does
    // not parse: ok becomes false) the list or map is empty.
    void showStat(std::function<void(const Reply &, const QList<StatRow> &)> done);
    void showServersState(std::function<void(const Reply &, const QList<ServerState> &)> done);
    void showInfo(std::function<void(const Reply &, const QMap<QString, QString> &)> done);

    // "set server B/S state ready|drain|maint".
    void setServerState(const QString &backend, const QString &server, AdminState state, Callback done);
    // "set server B/S weight N": absolute, 0..256.
    void setWeight(const QString &backend, const QString &server, int weight, Callback done);
    // "enable health B/S" / "disable health B/S": start or stop the server's health checks.
    void enableHealth(const QString &backend, const QString &server, Callback done);
    void disableHealth(const QString &backend, const QString &server, Callback done);

    // "add server B/S ADDR:PORT check weight 100 ...": the new server starts in maintenance.
    void addServer(const QString &backend, const QString &server, const QString &address,
                   quint16 port, const ServerOptions &options, Callback done);
    // addServer, then "enable health" (with check) and "set server B/S state ready", run as one
    // unit in the queue; stops at the first step that fails.
    void addServerReady(const QString &backend, const QString &server, const QString &address,
                        quint16 port, const ServerOptions &options, Callback done);
    // "set server B/S state maint", "shutdown sessions server B/S", "del server B/S", as one unit:
    // HAProxy deletes only a server in maintenance without connections.
    void deleteServer(const QString &backend, const QString &server, Callback done);

    // "add map", "del map", "set map" on a map file the configuration loads; key and value are
    // escaped, so spaces and ';' are safe. set fails when the key is not there.
    void addMapEntry(const QString &mapPath, const QString &key, const QString &value, Callback done);
    void deleteMapEntry(const QString &mapPath, const QString &key, Callback done);
    void setMapEntry(const QString &mapPath, const QString &key, const QString &value, Callback done);

signals:
    // Every command that completed, in order: for a log of what was done to the load balancer.
    void commandFinished(const Tribune::HAProxy::Reply &reply);

private:
    struct Job
    {
        QStringList commands; // run in turn; the job stops at the first that fails
        Callback done;
        QString refusal;      // set: fail at its turn without connecting
        qsizetype next = 0;
    };

    void enqueue(QStringList commands, Callback done, QString refusal = {});
    void schedule();
    void startNext();
    void openConnection(const QString &command);
    void onConnected();
    // Takes what the socket has, failing the command once the reply is too large or too late.
    void onReadyRead();
    void onClosed();
    void onFailed(const QString &reason);
    void finishCommand(Reply reply);

    Address m_address;
    int m_timeoutMs = DefaultTimeoutMs;
    std::deque<Job> m_jobs;
    QIODevice *m_socket = nullptr; // the connection of the running command
    QString m_command;             // the running command
    QByteArray m_received;
    QTimer *m_timer;
    QElapsedTimer m_started; // of the running command: a socket that never stops writing keeps the
                             // event loop too busy for m_timer to be the only guard
    bool m_scheduled = false;
};

} // namespace Tribune::HAProxy
