#include "datagram.h"

#include "keyring.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>

namespace Tribune::Protocol::Datagram {

namespace {

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(Tribune::Protocol::Datagram)
};

const QByteArray Magic = QByteArray("TRB", 3).append(Version);

QByteArray proof(const QByteArray &key, const QByteArray &payload)
{
    QMessageAuthenticationCode mac(QCryptographicHash::Sha256, key);
    mac.addData(Magic);
    mac.addData(payload);
    return mac.result();
}

std::optional<QJsonObject> refuse(QString *why, const QString &reason)
{
    if (why)
        *why = reason;
    return std::nullopt;
}

} // namespace

QByteArray encode(QJsonObject message, const QByteArray &key, qint64 nowMs)
{
    message.insert(QStringLiteral("ts"), nowMs);
    const QByteArray payload = QJsonDocument(message).toJson(QJsonDocument::Compact);
    if (HeaderBytes + payload.size() > MaxBytes)
        return {};
    QByteArray datagram;
    datagram.reserve(HeaderBytes + payload.size());
    datagram.append(Magic).append(proof(key, payload)).append(payload);
    return datagram;
}

std::optional<QJsonObject> decode(const QByteArray &datagram, const QByteArray &key, qint64 nowMs, QString *why)
{
    if (datagram.size() <= HeaderBytes || datagram.size() > MaxBytes)
        return refuse(why, Text::tr("a datagram of %n byte(s) is not one of the protocol's", nullptr, int(datagram.size())));
    if (!datagram.startsWith(Magic))
        return refuse(why, Text::tr("not a membership datagram of protocol version 2"));
    const QByteArray payload = datagram.mid(HeaderBytes);
    if (key.isEmpty() || !equalConstantTime(datagram.mid(4, 32), proof(key, payload)))
        return refuse(why, Text::tr("the datagram's proof does not match the member key"));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(payload, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return refuse(why, Text::tr("the datagram holds no JSON object"));
    QJsonObject message = document.object();
    const qint64 stamped = message.value(QLatin1String("ts")).toInteger(-1);
    if (stamped < 0 || qAbs(nowMs - stamped) > MaxClockSkewMs)
        return refuse(why, Text::tr("the datagram is stamped %1 ms away from this host's clock").arg(nowMs - stamped));
    message.remove(QStringLiteral("ts"));
    return message;
}

} // namespace Tribune::Protocol::Datagram
