#pragma once

#include <QByteArray>

namespace Tribune::Protocol {

// Cuts a connection's byte stream into frames: a 4-byte big-endian length, then that many bytes
// of payload (docs/PROTOCOL.md). A length above the caller's limit is refused as soon as its
// four bytes are in, before any of the payload is waited for.
class FrameDecoder
{
public:
    enum class Result { Frame, NeedMore, TooLarge };

    void append(const QByteArray &bytes) { m_buffer += bytes; }
    // The next whole frame's payload, if one is in. TooLarge: *announced says the length the
    // frame claimed; the stream cannot be read further.
    Result next(qint64 limit, QByteArray *payload, quint32 *announced);
    qsizetype buffered() const { return m_buffer.size(); }

private:
    QByteArray m_buffer;
};

} // namespace Tribune::Protocol
