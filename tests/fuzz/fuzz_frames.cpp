// libFuzzer target: the membership protocol's byte stream as a peer sends it, cut into frames
// in arbitrary chunks under the handshake's and the session's limits, and each frame's JSON read
// by the message parsers a connection uses.
#include "protocol/connection.h"
#include "protocol/framedecoder.h"
#include "protocol/member.h"
#include "protocol/messages.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace Tribune::Protocol;
    if (size < 1)
        return 0;
    // The first byte chooses how the stream arrives: in chunks of 1..256 bytes.
    const qsizetype chunk = qsizetype(data[0]) + 1;
    const QByteArray stream(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    FrameDecoder decoder;
    bool authenticated = false;
    for (qsizetype at = 0; at < stream.size(); at += chunk) {
        decoder.append(stream.mid(at, chunk));
        for (;;) {
            QByteArray payload;
            quint32 announced = 0;
            const FrameDecoder::Result result =
                decoder.next(authenticated ? Connection::MaxFrameBytes : Connection::MaxHandshakeFrameBytes, &payload, &announced);
            if (result == FrameDecoder::Result::TooLarge)
                return 0; // the connection closes here
            if (result == FrameDecoder::Result::NeedMore)
                break;
            authenticated = true; // the first frame stands for the handshake
            const QJsonObject message = QJsonDocument::fromJson(payload).object();
            (void)messageOf(message);
            (void)messageNameOf(message);
            (void)MembershipEvent::fromJson(message);
            (void)MemberInfo::fromJson(message.value(QLatin1String("member")).toObject());
            for (const QJsonValue &member : message.value(QLatin1String("members")).toArray())
                (void)MemberInfo::fromJson(member.toObject().value(QLatin1String("info")).toObject());
        }
    }
    return 0;
}
