// libFuzzer target: the XML document index every configuration file goes through (limits on
// size, depth and attributes included), and a walk over what it read.
#include "config/configerror.h"
#include "config/xmldocument.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using Tribune::Config::XmlDocument;
    Tribune::Config::ConfigError error;
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    std::optional<XmlDocument> document = XmlDocument::parse(bytes, QStringLiteral("fuzz.xml"), &error);
    if (!document)
        return 0;
    // Everything reachable from the root, as the readers of each file walk it.
    QList<XmlDocument::Element> pending{document->root()};
    while (!pending.isEmpty()) {
        const XmlDocument::Element element = pending.takeLast();
        (void)document->name(element);
        (void)document->text(element);
        (void)document->line(element);
        pending += document->children(element);
    }
    (void)document->toBytes();
    return 0;
}
