#include "framedecoder.h"

#include <QtEndian>

namespace Tribune::Protocol {

FrameDecoder::Result FrameDecoder::next(qint64 limit, QByteArray *payload, quint32 *announced)
{
    if (m_buffer.size() < 4)
        return Result::NeedMore;
    const quint32 length = qFromBigEndian<quint32>(m_buffer.constData());
    *announced = length;
    if (qint64(length) > limit)
        return Result::TooLarge;
    if (m_buffer.size() < 4 + qsizetype(length))
        return Result::NeedMore;
    *payload = m_buffer.mid(4, length);
    m_buffer.remove(0, 4 + length);
    return Result::Frame;
}

} // namespace Tribune::Protocol
