#pragma once

#include "connection.h"
#include "member.h"

#include <QDateTime>
#include <QHash>
#include <QMap>
#include <QStringList>
#include <QObject>

#include <functional>
#include <optional>

class QTimer;

namespace Tribune::Protocol {

// What a push or a rollback did.
struct ConfigResult
{
    bool ok = false;
    QString message;
    int backup = 0; // the backup holding what was replaced; 0 when nothing changed
};

// One backup a node keeps of its files.
struct BackupInfo
{
    int number = 0;
    QDateTime time;
    QString actor;
    QString reason;
    QStringList files;
};

QList<MemberView> memberViewsOf(const QJsonArray &members);

// A console's connection to one agent's membership port: the view and its changes in order,
// resumed without gap or duplicate after a reconnect, and requests (health, configuration).
class AgentClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentClient)

public:
    static constexpr int RequestTimeoutMs = 10000;

    struct Endpoint
    {
        QString host;
        quint16 port = 0;
        QString toString() const { return host + QLatin1Char(':') + QString::number(port); }
    };
    // "host:port", with the reason when it is not one.
    static std::optional<Endpoint> parseEndpoint(const QString &text, QString *error);

    AgentClient(Endpoint endpoint, KeyRing keys, Role role, TlsOptions tls = {}, QObject *parent = nullptr);
    ~AgentClient() override;

    // Connects; with auto-reconnect, tries again with backoff (up to 5 s) whenever it is lost,
    // except after the agent refused the key.
    void open();
    void setAutoReconnect(bool enabled) { m_autoReconnect = enabled; }
    bool isConnected() const { return m_connection && m_connection->isAuthenticated(); }
    const Endpoint &endpoint() const { return m_endpoint; }
    Role role() const { return m_role; }

    // Asks for the view and then every change; after a reconnect, resumes where it stopped.
    void subscribe();
    // Sends a request; onReply gets the answer (or an error object: "type" = "error") once.
    void request(QJsonObject message, std::function<void(const QJsonObject &)> onReply);

    // Typed requests: each returns its request number, and its answer comes as the signal
    // named after it with that number, or as requestFailed (the agent's error code, or
    // "timeout", "disconnected", "not-connected").
    qint64 members();
    qint64 health();
    qint64 configGet();
    // Writes files (paths relative to repository/conf) on the node and deletes those removed,
    // all or nothing; to a provisioning agent, the node's first configuration.
    qint64 configPush(const QMap<QString, QByteArray> &files, const QStringList &removed = {});
    qint64 configBackups();
    // What a backup holds: the files a rollback to it puts back, and those it removes.
    qint64 configBackup(int number);
    qint64 rollback(int backup);

signals:
    void connected();
    void disconnected(const QString &reason);
    void refused(const QString &reason);
    void snapshotReceived(qint64 epoch, qint64 sequence, const QList<Tribune::Protocol::MemberView> &members);
    void eventReceived(const Tribune::Protocol::MembershipEvent &event);
    // The answers to the typed requests.
    void membersReceived(qint64 request, const QList<Tribune::Protocol::MemberView> &members);
    void healthReceived(qint64 request, const QJsonObject &report);
    void configReceived(qint64 request, const QMap<QString, QByteArray> &files);
    void configResultReceived(qint64 request, const Tribune::Protocol::ConfigResult &result);
    void backupsReceived(qint64 request, const QList<Tribune::Protocol::BackupInfo> &backups);
    void backupReceived(qint64 request, const QMap<QString, QByteArray> &files, const QStringList &absent);
    void requestFailed(qint64 request, const QString &code, const QString &message);

private:
    void onMessage(const QJsonObject &message);
    void onClosed(const QString &reason);
    void sendSubscribe();
    void failPending(const QString &reason);
    qint64 typedRequest(QJsonObject message, std::function<void(qint64, const QJsonObject &)> onAnswer);

    Endpoint m_endpoint;
    KeyRing m_keys;
    Role m_role;
    TlsOptions m_tls;
    Connection *m_connection = nullptr;
    QTimer *m_reconnectTimer;
    int m_reconnectDelayMs = 250;
    bool m_autoReconnect = false;
    bool m_refused = false;
    bool m_subscribed = false;
    qint64 m_epoch = -1;
    qint64 m_lastSequence = -1;
    qint64 m_nextRequestId = 1;
    struct Pending
    {
        std::function<void(const QJsonObject &)> onReply;
        QTimer *timeout;
    };
    QHash<qint64, Pending> m_pending;
};

} // namespace Tribune::Protocol
