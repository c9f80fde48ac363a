// libFuzzer target: a node's HTTP request head parser (what HAProxy and any client send to the
// node's HTTP port).
#include "nodehttpmessage.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    namespace Http = Tribune::Agent::Http;
    const QByteArray buffer(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype end = Http::headEnd(buffer);
    Http::Request request;
    qint64 bodyLength = 0;
    (void)Http::parseHead(end >= 0 ? buffer.left(end) : buffer, &request, &bodyLength);
    return 0;
}
