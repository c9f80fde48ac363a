#include "runtimeclient.h"

#include "haproxystats.h"
#include "runtimereply.h"
#include "i18n/trcontexts.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QLocalSocket>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <utility>

namespace Tribune::HAProxy {

namespace {

// HAProxy names: letters, digits, '-', '_', '.', ':' (so nothing the CLI would split or escape).
bool isName(const QString &name)
{
    return !name.isEmpty() && std::all_of(name.cbegin(), name.cend(), [](QChar c) {
               return (c.isLetterOrNumber() && c.unicode() < 128) || QStringView(u"-_.:").contains(c);
           });
}

// One word of a command that needs no escaping: not empty, no space, ';', '\\' or control.
bool isPlainWord(const QString &word)
{
    return !word.isEmpty() && std::none_of(word.cbegin(), word.cend(), [](QChar c) {
               return c.isSpace() || c == u';' || c == u'\\' || c.unicode() < 32;
           });
}

// Why backend/server cannot be named in a command, or an empty string when they can.
QString checkServer(const QString &backend, const QString &server)
{
    if (!isName(backend))
        return HAProxyText::tr("\"%1\" is not an HAProxy backend name "
                               "(letters, digits, '-', '_', '.', ':')").arg(backend);
    if (!isName(server))
        return HAProxyText::tr("\"%1\" is not an HAProxy server name "
                               "(letters, digits, '-', '_', '.', ':')").arg(server);
    return {};
}

// "add server B/S ADDR:PORT [check] weight N ...", then with ready: "enable health" (with check)
// and "set server B/S state ready". *refusal says why the arguments cannot be sent.
QStringList addServerSteps(const QString &backend, const QString &server, const QString &address,
                           quint16 port, const RuntimeClient::ServerOptions &options, bool ready,
                           QString *refusal)
{
    *refusal = checkServer(backend, server);
    if (refusal->isEmpty() && (!isPlainWord(address) || port == 0))
        *refusal = HAProxyText::tr("\"%1\" port %2 is not a server address")
                       .arg(address, QString::number(port));
    for (const QString &word : options.extraKeywords) {
        if (refusal->isEmpty() && !isPlainWord(word))
            *refusal = HAProxyText::tr("\"%1\" is not a server keyword")
                           .arg(word);
    }
    const QString target = backend + u'/' + server;
    const bool bareIpv6 = address.contains(u':') && !address.startsWith(u'[');
    const QString host = bareIpv6 ? u'[' + address + u']' : address;
    QString add = QLatin1String("add server ") + target + u' ' + host + u':' + QString::number(port);
    if (options.check)
        add += QLatin1String(" check");
    add += QLatin1String(" weight ") + QString::number(options.weight);
    for (const QString &word : options.extraKeywords)
        add += u' ' + word;

    QStringList steps{add};
    if (ready && options.check)
        steps.append(QLatin1String("enable health ") + target);
    if (ready)
        steps.append(QLatin1String("set server ") + target + QLatin1String(" state ready"));
    return steps;
}

QString stateWord(RuntimeClient::AdminState state)
{
    switch (state) {
    case RuntimeClient::AdminState::Ready: return QStringLiteral("ready");
    case RuntimeClient::AdminState::Drain: return QStringLiteral("drain");
    case RuntimeClient::AdminState::Maint: break;
    }
    return QStringLiteral("maint");
}

} // namespace

QString RuntimeClient::Address::toString() const
{
    if (kind == Kind::Unix)
        return path;
    const QString hostPart = host.contains(u':') ? u'[' + host + u']' : host;
    return hostPart + u':' + QString::number(port);
}

std::optional<RuntimeClient::Address> RuntimeClient::parseAddress(const QString &text, QString *error)
{
    QString rest = text.trimmed();
    const auto invalid = [&]() -> std::optional<Address> {
        *error = HAProxyText::tr("\"%1\" is neither a socket path nor "
                                 "HOST:PORT (e.g. /run/haproxy/admin.sock or 127.0.0.1:9999)")
                     .arg(text);
        return std::nullopt;
    };
    Address address;
    if (rest.startsWith(u"unix@"))
        rest.remove(0, 5);
    else if (!rest.contains(u'/'))
        address.kind = Address::Kind::Tcp;
    if (address.kind == Address::Kind::Unix) {
        if (rest.isEmpty())
            return invalid();
        // QLocalSocket looks a relative name up in the temporary folder; a path is meant here.
        address.path = QFileInfo(rest).absoluteFilePath();
        return address;
    }
    if (rest.startsWith(u"ipv4@") || rest.startsWith(u"ipv6@"))
        rest.remove(0, 5);
    qsizetype colon = -1;
    if (rest.startsWith(u'[')) {
        const qsizetype close = rest.indexOf(u"]:");
        if (close < 0)
            return invalid();
        address.host = rest.mid(1, close - 1);
        colon = close + 1;
    } else {
        colon = rest.lastIndexOf(u':');
        address.host = rest.left(colon);
        if (address.host.contains(u':'))
            return invalid(); // an IPv6 address needs brackets to tell it from the port
    }
    bool ok = false;
    const int port = colon > 0 ? rest.mid(colon + 1).toInt(&ok) : 0;
    if (!ok || port <= 0 || port > 65535 || address.host.isEmpty() || address.host.contains(u' '))
        return invalid();
    address.port = quint16(port);
    return address;
}

RuntimeClient::RuntimeClient(Address address, QObject *parent)
    : QObject(parent)
    , m_address(std::move(address))
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, [this] {
        onFailed(HAProxyText::tr("no answer within %1 s")
                     .arg(QString::number(m_timeoutMs / 1000.0)));
    });
}

// Queued commands are dropped without calling back: their callers may be going away too.
RuntimeClient::~RuntimeClient()
{
    if (m_socket)
        m_socket->disconnect(this);
}

void RuntimeClient::send(const QString &command, Callback done)
{
    QString refusal;
    if (command.trimmed().isEmpty())
        refusal = HAProxyText::tr("an empty command is not sent");
    else if (command.contains(u'\n') || command.contains(u'\r'))
        refusal = HAProxyText::tr("a command to HAProxy's admin socket "
                                  "must be one line: \"%1\"")
                      .arg(command);
    enqueue({command}, std::move(done), refusal);
}

void RuntimeClient::enqueue(QStringList commands, Callback done, QString refusal)
{
    m_jobs.push_back(Job{std::move(commands), std::move(done), std::move(refusal)});
    schedule();
}

// Starts the next job from the event loop, so that no callback runs inside send() or inside
// another job's callback.
void RuntimeClient::schedule()
{
    if (m_socket || m_scheduled || m_jobs.empty())
        return;
    m_scheduled = true;
    QMetaObject::invokeMethod(this, [this] {
        m_scheduled = false;
        startNext();
    }, Qt::QueuedConnection);
}

void RuntimeClient::startNext()
{
    if (m_socket || m_jobs.empty())
        return;
    Job &job = m_jobs.front();
    if (!job.refusal.isEmpty()) {
        finishCommand(Reply{job.commands.value(0), QString(), false, job.refusal});
        return;
    }
    openConnection(job.commands.at(job.next));
}

void RuntimeClient::openConnection(const QString &command)
{
    m_command = command;
    m_received.clear();
    m_timer->start(m_timeoutMs);
    m_started.start();
    const QString refused =
        HAProxyText::tr("connection refused (is HAProxy running?)");
    if (m_address.kind == Address::Kind::Unix) {
        auto *socket = new QLocalSocket(this);
        m_socket = socket;
        connect(socket, &QLocalSocket::connected, this, &RuntimeClient::onConnected);
        connect(socket, &QLocalSocket::readyRead, this, &RuntimeClient::onReadyRead);
        connect(socket, &QLocalSocket::disconnected, this, &RuntimeClient::onClosed);
        const auto onError = [this, socket, refused](QLocalSocket::LocalSocketError code) {
            switch (code) {
            case QLocalSocket::PeerClosedError:
                return; // the end of every reply; disconnected() follows
            case QLocalSocket::ServerNotFoundError:
                return onFailed(HAProxyText::tr("no socket at that path"));
            case QLocalSocket::ConnectionRefusedError:
                return onFailed(refused);
            case QLocalSocket::SocketAccessError:
                return onFailed(HAProxyText::tr("permission denied"));
            default:
                return onFailed(socket->errorString());
            }
        };
        connect(socket, &QLocalSocket::errorOccurred, this, onError);
        socket->connectToServer(m_address.path);
    } else {
        auto *socket = new QTcpSocket(this);
        m_socket = socket;
        connect(socket, &QTcpSocket::connected, this, &RuntimeClient::onConnected);
        connect(socket, &QTcpSocket::readyRead, this, &RuntimeClient::onReadyRead);
        connect(socket, &QTcpSocket::disconnected, this, &RuntimeClient::onClosed);
        const auto onError = [this, socket, refused](QAbstractSocket::SocketError code) {
            if (code == QAbstractSocket::RemoteHostClosedError)
                return; // the end of every reply; disconnected() follows
            onFailed(code == QAbstractSocket::ConnectionRefusedError ? refused : socket->errorString());
        };
        connect(socket, &QTcpSocket::errorOccurred, this, onError);
        socket->connectToHost(m_address.host, m_address.port);
    }
}

void RuntimeClient::onConnected()
{
    if (m_socket)
        m_socket->write(m_command.toUtf8() + '\n');
}

void RuntimeClient::onReadyRead()
{
    if (!m_socket)
        return;
    // Read in bounded pieces: one readAll() of a flood could itself be the memory problem.
    while (m_socket && m_socket->bytesAvailable() > 0) {
        const QByteArray piece = m_socket->read(std::min<qint64>(m_socket->bytesAvailable(), 1024 * 1024));
        if (m_received.size() + piece.size() > MaxReplyBytes) {
            onFailed(HAProxyText::tr("the reply is larger than %1 MB; this is not HAProxy answering, or "
                                     "not the command asked")
                         .arg(MaxReplyBytes / (1024 * 1024)));
            return;
        }
        m_received += piece;
    }
    if (m_socket && m_started.elapsed() > m_timeoutMs)
        onFailed(HAProxyText::tr("no complete answer within %1 s")
                     .arg(QString::number(m_timeoutMs / 1000.0)));
}

void RuntimeClient::onClosed()
{
    if (!m_socket)
        return;
    onReadyRead();
    if (!m_socket)
        return;
    Reply reply;
    reply.command = m_command;
    reply.text = QString::fromUtf8(m_received);
    reply.error = replyError(reply.command, reply.text);
    reply.ok = reply.error.isEmpty();
    finishCommand(std::move(reply));
}

void RuntimeClient::onFailed(const QString &reason)
{
    if (!m_socket)
        return;
    Reply reply;
    reply.command = m_command;
    reply.text = QString::fromUtf8(m_received);
    reply.error = HAProxyText::tr("HAProxy's admin socket %1: %2")
                      .arg(m_address.toString(), reason);
    finishCommand(std::move(reply));
}

void RuntimeClient::finishCommand(Reply reply)
{
    m_timer->stop();
    if (QIODevice *socket = std::exchange(m_socket, nullptr)) {
        socket->disconnect(this);
        socket->setParent(nullptr); // a callback may delete this client while the socket is emitting
        if (auto *local = qobject_cast<QLocalSocket *>(socket))
            local->abort();
        else if (auto *tcp = qobject_cast<QAbstractSocket *>(socket))
            tcp->abort();
        socket->deleteLater();
    }
    const QPointer<RuntimeClient> self(this);
    emit commandFinished(reply);
    if (!self || m_jobs.empty())
        return;
    Job &job = m_jobs.front();
    if (reply.ok && ++job.next < job.commands.size()) {
        openConnection(job.commands.at(job.next)); // the next step of the same unit, no one between
        return;
    }
    const Callback done = std::move(job.done);
    m_jobs.pop_front();
    schedule();
    if (done)
        done(reply);
}

void RuntimeClient::showStat(std::function<void(const Reply &, const QList<StatRow> &)> done)
{
    send(QStringLiteral("show stat"), [done = std::move(done)](const Reply &reply) {
        if (!reply.ok)
            return done(reply, {});
        QString error;
        std::optional<QList<StatRow>> rows = parseStat(reply.text, &error);
        if (!rows)
            return done(Reply{reply.command, reply.text, false, error}, {});
        done(reply, *rows);
    });
}

void RuntimeClient::showServersState(std::function<void(const Reply &, const QList<ServerState> &)> done)
{
    send(QStringLiteral("show servers state"), [done = std::move(done)](const Reply &reply) {
        if (!reply.ok)
            return done(reply, {});
        QString error;
        std::optional<QList<ServerState>> states = parseServersState(reply.text, &error);
        if (!states)
            return done(Reply{reply.command, reply.text, false, error}, {});
        done(reply, *states);
    });
}

void RuntimeClient::showInfo(std::function<void(const Reply &, const QMap<QString, QString> &)> done)
{
    send(QStringLiteral("show info"), [done = std::move(done)](const Reply &reply) {
        if (!reply.ok)
            return done(reply, {});
        const QMap<QString, QString> info = parseInfo(reply.text);
        if (!info.contains(QStringLiteral("Version")))
            return done(Reply{reply.command, reply.text, false,
                              HAProxyText::tr("not a \"show info\" reply")},
                        {});
        done(reply, info);
    });
}

void RuntimeClient::setServerState(const QString &backend, const QString &server, AdminState state,
                                   Callback done)
{
    const QString command =
        QStringLiteral("set server %1/%2 state %3").arg(backend, server, stateWord(state));
    enqueue({command}, std::move(done), checkServer(backend, server));
}

void RuntimeClient::setWeight(const QString &backend, const QString &server, int weight, Callback done)
{
    const QString command =
        QStringLiteral("set server %1/%2 weight %3").arg(backend, server, QString::number(weight));
    enqueue({command}, std::move(done), checkServer(backend, server));
}

void RuntimeClient::enableHealth(const QString &backend, const QString &server, Callback done)
{
    enqueue({QStringLiteral("enable health %1/%2").arg(backend, server)}, std::move(done),
            checkServer(backend, server));
}

void RuntimeClient::disableHealth(const QString &backend, const QString &server, Callback done)
{
    enqueue({QStringLiteral("disable health %1/%2").arg(backend, server)}, std::move(done),
            checkServer(backend, server));
}

void RuntimeClient::addServer(const QString &backend, const QString &server, const QString &address,
                              quint16 port, const ServerOptions &options, Callback done)
{
    QString refusal;
    QStringList steps = addServerSteps(backend, server, address, port, options, false, &refusal);
    enqueue(std::move(steps), std::move(done), std::move(refusal));
}

void RuntimeClient::addServerReady(const QString &backend, const QString &server, const QString &address,
                                   quint16 port, const ServerOptions &options, Callback done)
{
    QString refusal;
    QStringList steps = addServerSteps(backend, server, address, port, options, true, &refusal);
    enqueue(std::move(steps), std::move(done), std::move(refusal));
}

void RuntimeClient::deleteServer(const QString &backend, const QString &server, Callback done)
{
    const QString target = backend + u'/' + server;
    enqueue({QStringLiteral("set server %1 state maint").arg(target),
             QStringLiteral("shutdown sessions server %1").arg(target),
             QStringLiteral("del server %1").arg(target)},
            std::move(done), checkServer(backend, server));
}

void RuntimeClient::addMapEntry(const QString &mapPath, const QString &key, const QString &value,
                                Callback done)
{
    send(QLatin1String("add map ") + escapeArgument(mapPath) + u' ' + escapeArgument(key) + u' '
             + escapeArgument(value),
         std::move(done));
}

void RuntimeClient::deleteMapEntry(const QString &mapPath, const QString &key, Callback done)
{
    send(QLatin1String("del map ") + escapeArgument(mapPath) + u' ' + escapeArgument(key),
         std::move(done));
}

void RuntimeClient::setMapEntry(const QString &mapPath, const QString &key, const QString &value,
                                Callback done)
{
    send(QLatin1String("set map ") + escapeArgument(mapPath) + u' ' + escapeArgument(key) + u' '
             + escapeArgument(value),
         std::move(done));
}

} // namespace Tribune::HAProxy
