#pragma once

#include "clusterconnection.h"

#include <QObject>

#include <memory>

namespace Tribune {

class LiveSession;

// The console's one live session, and the switch to another: a new connection replaces the
// current one only once it has answered, so a wrong port or an unreachable seed leaves the
// working connection as it was and says why it could not connect.
class SessionKeeper final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionKeeper)

public:
    explicit SessionKeeper(QObject *parent = nullptr);
    ~SessionKeeper() override;

    LiveSession *current() const { return m_current.get(); }
    // The connection being tried, until it answers or fails (else null).
    LiveSession *pending() const { return m_pending.get(); }

    // Makes a session of these settings current at once and starts it: the command line's
    // connection, whose failures show in the status bar while it keeps trying.
    void adopt(ConnectionSettings settings, const QString &title);
    // Tries these settings; the session becomes current once it is established. A connection
    // already being tried is given up for this one.
    void connectTo(ConnectionSettings settings, const QString &title);
    void cancelPending();

signals:
    void connecting(const QString &what);
    // The session shown from now on; the one before is deleted later, with its view.
    void currentChanged(Tribune::LiveSession *session);
    void connectFailed(const QString &reason);

private:
    void makeCurrent(std::unique_ptr<LiveSession> session);

    std::unique_ptr<LiveSession> m_current;
    std::unique_ptr<LiveSession> m_pending;
};

} // namespace Tribune
