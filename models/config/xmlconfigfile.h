#pragma once

#include "xmldocument.h"

namespace Tribune::Config {

// Base of the typed configuration files: owns the lossless document, loads it while checking
// the document element, and saves it.
class XmlConfigFile
{
public:
    const XmlDocument &document() const { return m_document; }
    const QString &fileName() const { return m_document.fileName(); }
    QByteArray toBytes() const { return m_document.toBytes(); }
    bool save(const QString &path, ConfigError *error) const { return m_document.save(path, error); }

protected:
    explicit XmlConfigFile(XmlDocument document) : m_document(std::move(document)) {}

    // Parses bytes and checks that the document element is rootName.
    static std::optional<XmlDocument> parseWithRoot(const QByteArray &bytes, const QString &fileName,
                                                    QStringView rootName, ConfigError *error);
    static std::optional<XmlDocument> loadWithRoot(const QString &path, QStringView rootName,
                                                   ConfigError *error);
    template<typename File>
    static std::optional<File> wrap(std::optional<XmlDocument> document)
    {
        if (!document)
            return std::nullopt;
        return File(std::move(*document));
    }

    // The element at a path of child names below the document element ("Ports/JMX"), or none.
    XmlDocument::Element elementAt(QStringView path) const;
    // Like elementAt, creating missing elements along the way.
    XmlDocument::Element ensureElement(QStringView path, ConfigError *error);
    // Sets the text of the element at path, creating it when missing.
    bool setTextAt(QStringView path, const QString &value, ConfigError *error);
    // Fills in a "not found" error naming what is missing.
    bool notFound(const QString &what, ConfigError *error) const;

    XmlDocument m_document;
};

} // namespace Tribune::Config
