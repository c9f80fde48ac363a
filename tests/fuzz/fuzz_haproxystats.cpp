// libFuzzer target: HAProxy's "show stat" and "show servers state" answers, as read from its
// admin socket.
#include "haproxy/haproxystats.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    (void)Tribune::HAProxy::parseStat(text, &error);
    (void)Tribune::HAProxy::parseServersState(text, &error);
    return 0;
}
