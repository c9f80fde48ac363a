// libFuzzer target: a UDP datagram on a membership port (probes and gossip). The first byte
// chooses what the rest is: the whole datagram as it arrives (its size, version and proof
// checks), or a payload that is given a valid proof, so that the JSON and every SWIM message and
// update reach a real SwimCore with a view of a few members, which then runs for a while.
#include "protocol/datagram.h"
#include "swimcore.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>

#include <cstddef>
#include <cstdint>

namespace {

using namespace Tribune;

const QByteArray Key = QByteArrayLiteral("fuzzing-member-key-of-32-bytes!!");
constexpr qint64 Now = 1718000000000; // the seeds' "ts"

Protocol::MemberInfo member(int index)
{
    Protocol::MemberInfo info;
    info.host = QStringLiteral("127.0.0.1");
    info.port = 4000 + index;
    info.id = info.host + QLatin1Char(':') + QString::number(info.port);
    info.startedAtMs = 1;
    info.domain = QStringLiteral("wso2.esb.domain");
    info.subDomain = QStringLiteral("worker");
    return info;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    QByteArray datagram(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    if (data[0] & 1) {
        QMessageAuthenticationCode mac(QCryptographicHash::Sha256, Key);
        mac.addData(QByteArrayLiteral("TRB2"));
        mac.addData(datagram);
        datagram.prepend(mac.result());
        datagram.prepend(QByteArrayLiteral("TRB2"));
    }
    const std::optional<QJsonObject> message = Protocol::Datagram::decode(datagram, Key, Now);
    if (!message)
        return 0;
    Agent::SwimCore::Hooks hooks;
    hooks.send = [](const QString &, const QJsonObject &) {};
    Agent::SwimCore core(member(0), Agent::SwimTimings(), hooks, 1);
    for (int i = 1; i <= 4; ++i)
        core.learn(member(i), QString(), 0, Agent::SwimCore::Source::List);
    core.receive(*message, [](const QJsonObject &) {}, 10);
    for (qint64 at = 100; at <= 10000; at += 100)
        core.tick(at);
    return 0;
}
