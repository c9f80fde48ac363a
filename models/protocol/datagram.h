#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace Tribune::Protocol {

// Member-to-member probes and gossip travel as UDP datagrams, one message each, so that a member
// holds one socket for them whatever the cluster's size (docs/PROTOCOL.md, "Probes and gossip").
// Each datagram is authenticated on its own with the member key:
//   "TRB" version(1 byte) | HMAC-SHA256(member key, first 4 bytes + payload) (32 bytes) | payload
// where the payload is one compact JSON object carrying "ts", the sender's wall clock in ms.
namespace Datagram {

inline constexpr char Version = '2';
inline constexpr qsizetype HeaderBytes = 4 + 32;
inline constexpr qsizetype MaxBytes = 32 * 1024;
// A datagram stamped further than this from the receiver's clock is refused: a recorded one
// cannot be replayed later. Clocks of the cluster's hosts must agree within it (NTP does).
inline constexpr qint64 MaxClockSkewMs = 60000;

// The datagram for message, stamped with nowMs; empty if it would exceed MaxBytes.
QByteArray encode(QJsonObject message, const QByteArray &key, qint64 nowMs);
// The message a datagram carries, or nothing with why: too short or long, another version, a
// wrong proof, not a JSON object, or stamped too far from nowMs.
std::optional<QJsonObject> decode(const QByteArray &datagram, const QByteArray &key, qint64 nowMs, QString *why = nullptr);

} // namespace Datagram
} // namespace Tribune::Protocol
