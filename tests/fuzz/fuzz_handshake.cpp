// libFuzzer target: the handshake as an agent's membership port meets it. Each input is what a
// peer writes on a fresh loopback connection before it hangs up, read by a real server-side
// Connection: its hello and nonce, the peer's frames, its "auth" with a role and a key proof,
// the proof checked in constant time, every error path. Nobody without the key may get in: an
// input that authenticates is reported as a crash.
#include "protocol/connection.h"
#include "protocol/keyring.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

using namespace Tribune::Protocol;

constexpr int InputLimitMs = 500;

QTcpServer *server = nullptr;
KeyRing *keys = nullptr;

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    new QCoreApplication(*argc, *argv); // lives as long as the process
    keys = new KeyRing(KeyRing::generate());
    server = new QTcpServer;
    if (!server->listen(QHostAddress::LocalHost, 0))
        std::abort();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QTcpSocket peer;
    peer.connectToHost(QHostAddress::LocalHost, server->serverPort());
    if (!peer.waitForConnected(2000) || !server->waitForNewConnection(2000))
        std::abort();
    QPointer<Connection> connection = new Connection(server->nextPendingConnection(), Connection::Side::Server, *keys,
                                                     Role::Member);
    connection->start();
    peer.write(reinterpret_cast<const char *>(data), qint64(size));
    peer.flush();
    peer.disconnectFromHost();
    QElapsedTimer since;
    since.start();
    while (connection && !connection->isClosed() && since.elapsed() < InputLimitMs) {
        if (connection->isAuthenticated())
            __builtin_trap(); // a peer without the key was let in
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        peer.waitForReadyRead(1);
        peer.readAll();
    }
    if (connection && connection->isAuthenticated())
        __builtin_trap();
    if (connection)
        connection->close(QStringLiteral("input done"));
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    return 0;
}
