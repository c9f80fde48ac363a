#pragma once

#include "sourcetext.h"

#include <QList>
#include <QString>
#include <QXmlStreamAttributes>

#include <optional>
#include <vector>

namespace Tribune::Config {

struct ConfigError;

// An XML configuration file that can be read as a tree of elements and edited without
// disturbing anything the edit does not touch: comments, attribute order and quoting,
// indentation, line endings, encoding and unknown elements survive byte for byte.
//
// Elements are addressed by index (Element). Index 0 is the document element. An edit
// re-reads the whole text, so indices taken before an edit are not valid after it.
class XmlDocument
{
public:
    using Element = int;
    static constexpr Element NoElement = -1;

    // What a configuration file may be, far above any real one (axis2.xml, the largest, is about
    // 30 KB, nests a dozen levels, and has a handful of attributes per element). Past these, a
    // file is refused with where it broke the limit, before any work grows with it.
    static constexpr qint64 MaxFileBytes = 4 * 1024 * 1024;
    static constexpr int MaxDepth = 256;
    static constexpr int MaxAttributes = 256; // per element

    static std::optional<XmlDocument> load(const QString &path, ConfigError *error);
    static std::optional<XmlDocument> parse(const QByteArray &bytes, const QString &fileName,
                                            ConfigError *error);

    // Writes all or nothing (QSaveFile).
    bool save(const QString &path, ConfigError *error) const;
    QByteArray toBytes() const { return m_source.toBytes(); }
    const SourceText &source() const { return m_source; }
    const QString &fileName() const { return m_source.fileName(); }

    Element root() const { return m_elements.empty() ? NoElement : 0; }
    QString name(Element element) const;
    // Character data directly inside the element, entities resolved, surrounding space trimmed.
    QString text(Element element) const;
    QString attribute(Element element, QStringView name) const;
    bool hasAttribute(Element element, QStringView name) const;
    int line(Element element) const;
    Element parent(Element element) const;

    QList<Element> children(Element parent, QStringView name = {}) const;
    Element firstChild(Element parent, QStringView name) const;
    // First child called name whose attribute attributeName equals attributeValue.
    Element childWithAttribute(Element parent, QStringView name, QStringView attributeName,
                               QStringView attributeValue) const;
    // Text of the first child called name; empty when there is none.
    QString childText(Element parent, QStringView name) const;

    // Edits. Each keeps the rest of the file as it was and returns false, with the reason,
    // when the document would not be well-formed afterwards.
    bool setText(Element element, const QString &value, ConfigError *error);
    bool setAttribute(Element element, const QString &name, const QString &value,
                      ConfigError *error);
    // Inserts an XML fragment (which may span lines, indented relative to its first line) as
    // the last child of parent, indented like its siblings. Returns the new element.
    Element appendChild(Element parent, const QString &fragment, ConfigError *error);
    // Inserts a fragment right after sibling, on its own line with the same indentation.
    Element insertAfter(Element sibling, const QString &fragment, ConfigError *error);
    // Removes the element; a line it had to itself goes with it.
    bool remove(Element element, ConfigError *error);

    // Escapes text for element content or a double-quoted attribute value in this file's
    // encoding (characters the encoding lacks become character references).
    QString escaped(const QString &value) const;

private:
    struct Node
    {
        QString name;
        QString qualifiedName;
        QXmlStreamAttributes attributes;
        QString text;
        TextRange startTag;
        TextRange endTag; // empty at startTag.end for <empty/> elements
        int line = 0;
        Element parent = NoElement;
        std::vector<Element> children;

        bool isEmptyTag() const { return endTag.isEmpty(); }
        qsizetype end() const { return isEmptyTag() ? startTag.end : endTag.end; }
    };

    bool reparse(ConfigError *error);
    // Refuses an element with more than MaxAttributes attributes in one linear pass, before the
    // XML reader (whose duplicate-attribute check is quadratic) sees it.
    bool attributesWithinLimit(ConfigError *error) const;
    // Replaces a range, re-reads, and restores the old text if the result is not well-formed.
    bool applyEdit(TextRange range, const QString &replacement, ConfigError *error);
    Element insertFragmentAt(qsizetype offset, TextRange replaced, const QString &prefix,
                             const QString &fragment, const QString &indent,
                             const QString &suffix, ConfigError *error);
    QString indentUnit() const;
    Element elementStartingAt(qsizetype offset) const;
    bool isValid(Element element) const;

    SourceText m_source;
    std::vector<Node> m_elements;
};

} // namespace Tribune::Config
