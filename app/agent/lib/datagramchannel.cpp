#include "datagramchannel.h"

#include "protocol/datagram.h"

#include <QDateTime>
#include <QHostInfo>
#include <QSocketNotifier>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace Tribune::Agent {

namespace Datagram = Protocol::Datagram;

namespace {

// Datagrams read in one go before the event loop gets a turn again.
constexpr int MaxDatagramsPerRead = 256;

socklen_t toSockaddr(const QHostAddress &address, quint16 port, sockaddr_storage *storage)
{
    std::memset(storage, 0, sizeof(*storage));
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        auto *in6 = reinterpret_cast<sockaddr_in6 *>(storage);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        const Q_IPV6ADDR bytes = address.toIPv6Address();
        std::memcpy(&in6->sin6_addr, &bytes, sizeof(bytes));
        return sizeof(sockaddr_in6);
    }
    auto *in4 = reinterpret_cast<sockaddr_in *>(storage);
    in4->sin_family = AF_INET;
    in4->sin_port = htons(port);
    in4->sin_addr.s_addr = htonl(address.toIPv4Address());
    return sizeof(sockaddr_in);
}

QHostAddress fromSockaddr(const sockaddr_storage &storage, quint16 *port)
{
    if (storage.ss_family == AF_INET6) {
        const auto *in6 = reinterpret_cast<const sockaddr_in6 *>(&storage);
        *port = ntohs(in6->sin6_port);
        QHostAddress address(reinterpret_cast<const quint8 *>(&in6->sin6_addr));
        // An IPv4 peer on a dual-stack socket: answer it as IPv4.
        bool isV4 = false;
        const quint32 v4 = address.toIPv4Address(&isV4);
        return isV4 ? QHostAddress(v4) : address;
    }
    const auto *in4 = reinterpret_cast<const sockaddr_in *>(&storage);
    *port = ntohs(in4->sin_port);
    return QHostAddress(ntohl(in4->sin_addr.s_addr));
}

} // namespace

DatagramChannel::DatagramChannel(QByteArray memberKey, QObject *parent)
    : QObject(parent)
    , m_key(std::move(memberKey))
{
}

DatagramChannel::~DatagramChannel()
{
    close();
}

bool DatagramChannel::bind(const QHostAddress &address, int port, QString *error)
{
    close();
    // Every address (an empty bind address) is the dual-stack IPv6 any, as QTcpServer listens,
    // or the IPv4 any on a host without IPv6.
    const bool any = address == QHostAddress(QHostAddress::Any) || address == QHostAddress(QHostAddress::AnyIPv6);
    QHostAddress local = any ? QHostAddress(QHostAddress::AnyIPv6) : address;
    int family = local.protocol() == QAbstractSocket::IPv6Protocol ? AF_INET6 : AF_INET;
    int descriptor = ::socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (descriptor < 0 && any && errno == EAFNOSUPPORT) {
        local = QHostAddress(QHostAddress::AnyIPv4);
        family = AF_INET;
        descriptor = ::socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    }
    const auto fail = [&](int code) {
        *error = tr("cannot bind UDP membership port %1:%2: %3").arg(address.toString()).arg(port).arg(QString::fromLocal8Bit(std::strerror(code)));
        if (descriptor >= 0)
            ::close(descriptor);
        return false;
    };
    if (descriptor < 0)
        return fail(errno);
    if (family == AF_INET6) {
        const int v6only = 0;
        ::setsockopt(descriptor, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only));
    }
    sockaddr_storage storage;
    const socklen_t length = toSockaddr(local, quint16(port), &storage);
    if (::bind(descriptor, reinterpret_cast<const sockaddr *>(&storage), length) != 0)
        return fail(errno);
    m_descriptor = descriptor;
    m_dualStack = family == AF_INET6;
    m_notifier = new QSocketNotifier(qintptr(descriptor), QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &DatagramChannel::readPending);
    return true;
}

quint16 DatagramChannel::localPort() const
{
    sockaddr_storage local;
    socklen_t length = sizeof(local);
    if (m_descriptor < 0 || ::getsockname(m_descriptor, reinterpret_cast<sockaddr *>(&local), &length) != 0)
        return 0;
    quint16 port = 0;
    fromSockaddr(local, &port);
    return port;
}

void DatagramChannel::close()
{
    delete m_notifier;
    m_notifier = nullptr;
    if (m_descriptor >= 0)
        ::close(m_descriptor);
    m_descriptor = -1;
}

void DatagramChannel::send(const QString &host, int port, const QJsonObject &message)
{
    QHostAddress address(host);
    if (address.isNull())
        address = m_resolved.value(host);
    if (!address.isNull()) {
        sendTo(address, quint16(port), message);
        return;
    }
    if (m_lookups.contains(host))
        return;
    m_lookups.insert(host, QHostInfo::lookupHost(host, this, [this, host](const QHostInfo &info) {
        m_lookups.remove(host);
        if (!info.addresses().isEmpty())
            m_resolved.insert(host, info.addresses().constFirst());
    }));
}

void DatagramChannel::sendTo(const QHostAddress &address, quint16 port, const QJsonObject &message)
{
    if (m_descriptor < 0)
        return;
    const QByteArray datagram = Datagram::encode(message, m_key, QDateTime::currentMSecsSinceEpoch());
    if (datagram.isEmpty())
        return;
    // An IPv4 peer from a dual-stack socket is addressed as IPv4-mapped IPv6.
    const QHostAddress target = m_dualStack && address.protocol() == QAbstractSocket::IPv4Protocol
        ? QHostAddress(QStringLiteral("::ffff:") + address.toString())
        : address;
    sockaddr_storage storage;
    const socklen_t length = toSockaddr(target, port, &storage);
    // Errors are the network's to have: a full buffer or an unreachable member is a lost datagram.
    if (::sendto(m_descriptor, datagram.constData(), size_t(datagram.size()), MSG_NOSIGNAL,
                 reinterpret_cast<const sockaddr *>(&storage), length) == datagram.size()) {
        m_bytesSent += datagram.size();
        ++m_datagramsSent;
    }
}

void DatagramChannel::readPending()
{
    QByteArray buffer(Datagram::MaxBytes + 1, Qt::Uninitialized);
    for (int read = 0; read < MaxDatagramsPerRead && m_descriptor >= 0; ++read) {
        sockaddr_storage sender;
        socklen_t senderLength = sizeof(sender);
        const ssize_t size = ::recvfrom(m_descriptor, buffer.data(), size_t(buffer.size()), 0,
                                        reinterpret_cast<sockaddr *>(&sender), &senderLength);
        if (size < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return;
            continue; // whatever a read reports, the next datagram is read all the same
        }
        // Larger ones were cut to one byte more than the limit, and are refused for their size.
        const std::optional<QJsonObject> message =
            Datagram::decode(QByteArray::fromRawData(buffer.constData(), qsizetype(size)), m_key,
                             QDateTime::currentMSecsSinceEpoch());
        if (!message) {
            ++m_dropped;
            continue;
        }
        quint16 port = 0;
        const QHostAddress address = fromSockaddr(sender, &port);
        emit received(*message, address, port);
    }
}

} // namespace Tribune::Agent
