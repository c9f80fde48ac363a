#include "xmldocument.h"

#include "configerror.h"
#include "i18n/trcontexts.h"

#include <QCoreApplication>
#include <QFile>
#include <QRegularExpression>
#include <QSaveFile>
#include <QXmlStreamReader>

namespace Tribune::Config {

namespace {

// The encoding named by the XML declaration; UTF-8 when there is none (the XML default).
std::optional<QStringConverter::Encoding> declaredEncoding(const QByteArray &bytes, QString *name)
{
    static const QRegularExpression declaration(
        QStringLiteral(R"(^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["'])"));
    const QString head = QString::fromLatin1(bytes.left(200));
    const QRegularExpressionMatch match = declaration.match(head);
    if (!match.hasMatch())
        return QStringConverter::Utf8;
    *name = match.captured(1);
    const QString lower = name->toLower();
    // Latin-1 decodes and re-encodes every byte unchanged, so ASCII files round-trip with it too.
    if (lower == u"iso-8859-1" || lower == u"latin1" || lower == u"latin-1" || lower == u"us-ascii"
        || lower == u"ascii")
        return QStringConverter::Latin1;
    const std::optional<QStringConverter::Encoding> known =
        QStringConverter::encodingForName(name->toLatin1().constData());
    return known;
}

// Position just past the attribute list of a start tag: before "/>" or ">" and the space
// in front of them.
qsizetype attributeListEnd(QStringView tag)
{
    qsizetype end = tag.size() - 1; // at '>'
    if (end > 0 && tag[end - 1] == u'/')
        --end;
    while (end > 0 && tag[end - 1].isSpace())
        --end;
    return end;
}

// Finds the value of attribute name inside a start tag's text: [begin, end) without quotes.
std::optional<TextRange> findAttributeValue(QStringView tag, QStringView name)
{
    qsizetype i = 1; // skip '<'
    while (i < tag.size() && !tag[i].isSpace() && tag[i] != u'>' && tag[i] != u'/')
        ++i; // element name
    while (i < tag.size()) {
        while (i < tag.size() && tag[i].isSpace())
            ++i;
        const qsizetype nameBegin = i;
        while (i < tag.size() && tag[i] != u'=' && !tag[i].isSpace() && tag[i] != u'>'
               && tag[i] != u'/')
            ++i;
        const QStringView attributeName = tag.sliced(nameBegin, i - nameBegin);
        if (attributeName.isEmpty())
            return std::nullopt;
        while (i < tag.size() && tag[i].isSpace())
            ++i;
        if (i >= tag.size() || tag[i] != u'=')
            return std::nullopt;
        ++i;
        while (i < tag.size() && tag[i].isSpace())
            ++i;
        if (i >= tag.size())
            return std::nullopt;
        const QChar quote = tag[i];
        const qsizetype valueBegin = ++i;
        while (i < tag.size() && tag[i] != quote)
            ++i;
        if (attributeName == name)
            return TextRange{valueBegin, i};
        ++i;
    }
    return std::nullopt;
}

const QXmlStreamAttribute *findAttribute(const QXmlStreamAttributes &attributes, QStringView name)
{
    for (const QXmlStreamAttribute &attribute : attributes) {
        if (attribute.qualifiedName() == name)
            return &attribute;
    }
    return nullptr;
}

} // namespace

std::optional<XmlDocument> XmlDocument::load(const QString &path, ConfigError *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = {path, 0, 0, ConfigText::tr("cannot read the file: %1").arg(file.errorString())};
        return std::nullopt;
    }
    return parse(file.readAll(), path, error);
}

std::optional<XmlDocument> XmlDocument::parse(const QByteArray &bytes, const QString &fileName,
                                              ConfigError *error)
{
    if (bytes.size() > MaxFileBytes) {
        if (error)
            *error = {fileName, 0, 0,
                      ConfigText::tr("the file is %1 MB, more than the %2 MB a configuration file may be; it is not one")
                          .arg(double(bytes.size()) / (1024 * 1024), 0, 'f', 1)
                          .arg(MaxFileBytes / (1024 * 1024))};
        return std::nullopt;
    }
    QString encodingName;
    const std::optional<QStringConverter::Encoding> encoding = declaredEncoding(bytes, &encodingName);
    if (!encoding) {
        if (error)
            *error = {fileName, 1, 0,
                      ConfigText::tr("unsupported encoding \"%1\" in the XML declaration; use UTF-8 or "
                                     "ISO-8859-1")
                          .arg(encodingName)};
        return std::nullopt;
    }
    std::optional<SourceText> source = SourceText::decode(bytes, *encoding, fileName, error);
    if (!source)
        return std::nullopt;
    XmlDocument document;
    document.m_source = std::move(*source);
    if (!document.reparse(error))
        return std::nullopt;
    return document;
}

namespace {

// A '&' that starts no entity reference is the commonest way to break a configuration file: a
// JDBC URL pasted with its parameters ("?a=b&c=d"). The parser only says what it expected.
void explainBareAmpersand(const QString &text, qsizetype errorOffset, ConfigError *error)
{
    static const QRegularExpression reference(QStringLiteral("^&(#[0-9]+|#x[0-9A-Fa-f]+|[A-Za-z_:][A-Za-z0-9_.:-]*);"));
    const qsizetype lineStart = text.lastIndexOf(u'\n', qMax<qsizetype>(0, errorOffset - 1)) + 1;
    for (qsizetype at = text.lastIndexOf(u'&', qMax<qsizetype>(0, errorOffset - 1)); at >= lineStart;
         at = at > 0 ? text.lastIndexOf(u'&', at - 1) : -1) {
        if (reference.match(text, at, QRegularExpression::NormalMatch, QRegularExpression::AnchorAtOffsetMatchOption)
                .hasMatch())
            continue;
        const QString word = text.mid(at, 24).section(QRegularExpression(QStringLiteral("[\\s=<\"]")), 0, 0);
        error->column = int(at - lineStart + 1);
        error->message += ConfigText::tr(" (a bare '&' at \"%1\": write it as &amp;)")
                              .arg(word);
        return;
    }
}

} // namespace

bool XmlDocument::attributesWithinLimit(ConfigError *error) const
{
    const QString &text = m_source.text();
    const qsizetype size = text.size();
    const auto skipPast = [&text](qsizetype from, QStringView end) {
        const qsizetype at = text.indexOf(end, from);
        return at < 0 ? text.size() : at + end.size();
    };
    for (qsizetype at = text.indexOf(u'<'); at >= 0 && at < size; at = text.indexOf(u'<', at)) {
        const QStringView rest = QStringView(text).mid(at);
        if (rest.startsWith(u"<!--")) {
            at = skipPast(at + 4, u"-->");
        } else if (rest.startsWith(u"<![CDATA[")) {
            at = skipPast(at + 9, u"]]>");
        } else if (rest.startsWith(u"<?")) {
            at = skipPast(at + 2, u"?>");
        } else if (rest.startsWith(u"<!") || rest.startsWith(u"</")) {
            at = skipPast(at + 2, u">");
        } else {
            // A start tag: its attributes are its '=' outside quoted values.
            int attributes = 0;
            QChar quote;
            qsizetype end = at + 1;
            for (; end < size; ++end) {
                const QChar c = text.at(end);
                if (!quote.isNull()) {
                    if (c == quote)
                        quote = QChar();
                } else if (c == u'"' || c == u'\'') {
                    quote = c;
                } else if (c == u'=') {
                    ++attributes;
                } else if (c == u'>') {
                    break;
                }
            }
            if (attributes > MaxAttributes) {
                if (error)
                    *error = {m_source.fileName(), m_source.lineAt(at), m_source.columnAt(at),
                              ConfigText::tr("an element with %1 attributes, more than the %2 a configuration file may have")
                                  .arg(attributes)
                                  .arg(MaxAttributes)};
                return false;
            }
            at = end + 1;
        }
    }
    return true;
}

bool XmlDocument::reparse(ConfigError *error)
{
    if (!attributesWithinLimit(error))
        return false;
    std::vector<Node> elements;
    std::vector<Element> open;
    const QString &text = m_source.text();
    QXmlStreamReader reader(text);
    while (!reader.atEnd()) {
        switch (reader.readNext()) {
        case QXmlStreamReader::StartElement: {
            // The reader reports the offset just past '>'; '<' cannot occur inside a start tag,
            // so the nearest '<' before it opens the tag.
            const qsizetype end = reader.characterOffset();
            const qsizetype begin = text.lastIndexOf(u'<', end - 1);
            // Whatever walks the tree (ports, mounts, datasources) may recurse: a depth no
            // configuration has is refused here, once, for all of them.
            if (open.size() >= size_t(MaxDepth)) {
                if (error)
                    *error = {m_source.fileName(), m_source.lineAt(begin), m_source.columnAt(begin),
                              ConfigText::tr("elements nested more than %1 deep; a configuration file nests a dozen").arg(MaxDepth)};
                return false;
            }
            Node node;
            node.name = reader.name().toString();
            node.qualifiedName = reader.qualifiedName().toString();
            node.attributes = reader.attributes();
            node.startTag = {begin, end};
            node.endTag = {end, end};
            node.line = m_source.lineAt(begin);
            node.parent = open.empty() ? NoElement : open.back();
            const Element index = Element(elements.size());
            if (node.parent != NoElement)
                elements[size_t(node.parent)].children.push_back(index);
            elements.push_back(std::move(node));
            open.push_back(index);
            break;
        }
        case QXmlStreamReader::EndElement: {
            Node &node = elements[size_t(open.back())];
            const qsizetype end = reader.characterOffset();
            if (end != node.startTag.end)
                node.endTag = {text.lastIndexOf(u'<', end - 1), end};
            open.pop_back();
            break;
        }
        case QXmlStreamReader::Characters:
            if (!open.empty())
                elements[size_t(open.back())].text += reader.text();
            break;
        default:
            break;
        }
    }
    if (reader.hasError()) {
        if (error) {
            *error = {m_source.fileName(), int(reader.lineNumber()), int(reader.columnNumber()),
                      ConfigText::tr("malformed XML: %1").arg(reader.errorString())};
            explainBareAmpersand(text, reader.characterOffset(), error);
        }
        return false;
    }
    if (elements.empty()) {
        if (error)
            *error = {m_source.fileName(), 1, 0, ConfigText::tr("the file holds no XML element")};
        return false;
    }
    m_elements = std::move(elements);
    return true;
}

bool XmlDocument::save(const QString &path, ConfigError *error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(toBytes()) < 0 || !file.commit()) {
        if (error)
            *error = {path, 0, 0, ConfigText::tr("cannot write the file: %1").arg(file.errorString())};
        return false;
    }
    return true;
}

bool XmlDocument::isValid(Element element) const
{
    return element >= 0 && size_t(element) < m_elements.size();
}

QString XmlDocument::name(Element element) const
{
    return isValid(element) ? m_elements[size_t(element)].name : QString();
}

QString XmlDocument::text(Element element) const
{
    return isValid(element) ? m_elements[size_t(element)].text.trimmed() : QString();
}

QString XmlDocument::attribute(Element element, QStringView name) const
{
    const QXmlStreamAttribute *found = isValid(element) ? findAttribute(m_elements[size_t(element)].attributes, name) : nullptr;
    return found ? found->value().toString() : QString();
}

bool XmlDocument::hasAttribute(Element element, QStringView name) const
{
    return isValid(element) && findAttribute(m_elements[size_t(element)].attributes, name);
}

int XmlDocument::line(Element element) const
{
    return isValid(element) ? m_elements[size_t(element)].line : 0;
}

XmlDocument::Element XmlDocument::parent(Element element) const
{
    return isValid(element) ? m_elements[size_t(element)].parent : NoElement;
}

QList<XmlDocument::Element> XmlDocument::children(Element parent, QStringView name) const
{
    QList<Element> result;
    if (!isValid(parent))
        return result;
    for (const Element child : m_elements[size_t(parent)].children) {
        if (name.isEmpty() || m_elements[size_t(child)].name == name)
            result.append(child);
    }
    return result;
}

XmlDocument::Element XmlDocument::firstChild(Element parent, QStringView name) const
{
    if (!isValid(parent))
        return NoElement;
    for (const Element child : m_elements[size_t(parent)].children) {
        if (m_elements[size_t(child)].name == name)
            return child;
    }
    return NoElement;
}

XmlDocument::Element XmlDocument::childWithAttribute(Element parent, QStringView name,
                                                     QStringView attributeName,
                                                     QStringView attributeValue) const
{
    if (!isValid(parent))
        return NoElement;
    for (const Element child : m_elements[size_t(parent)].children) {
        const Node &node = m_elements[size_t(child)];
        const QXmlStreamAttribute *attribute = node.name == name ? findAttribute(node.attributes, attributeName) : nullptr;
        if (attribute && attribute->value() == attributeValue)
            return child;
    }
    return NoElement;
}

QString XmlDocument::childText(Element parent, QStringView name) const
{
    return text(firstChild(parent, name));
}

QString XmlDocument::escaped(const QString &value) const
{
    const bool narrow = m_source.encoding() == QStringConverter::Latin1;
    QString result;
    result.reserve(value.size());
    for (qsizetype i = 0; i < value.size(); ++i) {
        const QChar c = value.at(i);
        switch (c.unicode()) {
        case '&': result += QLatin1String("&amp;"); break;
        case '<': result += QLatin1String("&lt;"); break;
        case '>': result += QLatin1String("&gt;"); break;
        case '"': result += QLatin1String("&quot;"); break;
        default:
            if (narrow && c.unicode() > 0xFF) {
                // One reference per character: a surrogate pair is one code point, and a
                // reference to a lone surrogate is not well-formed.
                char32_t code = c.unicode();
                if (c.isHighSurrogate() && i + 1 < value.size() && value.at(i + 1).isLowSurrogate())
                    code = QChar::surrogateToUcs4(c, value.at(++i));
                result += QLatin1String("&#x") + QString::number(uint(code), 16) + QLatin1Char(';');
            } else {
                result += c;
            }
        }
    }
    return result;
}

bool XmlDocument::applyEdit(TextRange range, const QString &replacement, ConfigError *error)
{
    const SourceText before = m_source;
    m_source.replace(range, replacement);
    ConfigError parseError;
    if (!reparse(&parseError)) {
        m_source = before;
        reparse(nullptr);
        if (error)
            *error = {m_source.fileName(), parseError.line, parseError.column,
                      ConfigText::tr("the edit would leave the file malformed (%1)").arg(parseError.message)};
        return false;
    }
    return true;
}

bool XmlDocument::setText(Element element, const QString &value, ConfigError *error)
{
    if (!isValid(element))
        return false;
    const Node &node = m_elements[size_t(element)];
    if (!node.children.empty()) {
        if (error)
            *error = {m_source.fileName(), node.line, 0,
                      ConfigText::tr("<%1> holds other elements; its text cannot be replaced").arg(node.name)};
        return false;
    }
    if (node.isEmptyTag()) {
        const QStringView tag = QStringView(m_source.text()).sliced(node.startTag.begin, node.startTag.length());
        const QString open = tag.first(attributeListEnd(tag)).toString() + QLatin1Char('>');
        return applyEdit(node.startTag,
                         open + escaped(value) + QLatin1String("</") + node.qualifiedName + QLatin1Char('>'),
                         error);
    }
    // Keep the whitespace around a value the way the file has it.
    const QStringView inner = QStringView(m_source.text()).sliced(node.startTag.end, node.endTag.begin - node.startTag.end);
    qsizetype lead = 0;
    while (lead < inner.size() && inner[lead].isSpace())
        ++lead;
    qsizetype trail = 0;
    while (trail < inner.size() - lead && inner[inner.size() - 1 - trail].isSpace())
        ++trail;
    const TextRange range = lead == inner.size()
        ? TextRange{node.startTag.end, node.endTag.begin}
        : TextRange{node.startTag.end + lead, node.endTag.begin - trail};
    return applyEdit(range, escaped(value), error);
}

bool XmlDocument::setAttribute(Element element, const QString &name, const QString &value,
                               ConfigError *error)
{
    if (!isValid(element))
        return false;
    const Node &node = m_elements[size_t(element)];
    const QStringView tag = QStringView(m_source.text()).sliced(node.startTag.begin, node.startTag.length());
    if (const std::optional<TextRange> found = findAttributeValue(tag, name)) {
        QString text = escaped(value);
        if (tag[found->begin - 1] == u'\'') {
            text.replace(QLatin1String("&quot;"), QLatin1String("\""));
            text.replace(QLatin1Char('\''), QLatin1String("&apos;"));
        }
        return applyEdit({node.startTag.begin + found->begin, node.startTag.begin + found->end}, text,
                         error);
    }
    const qsizetype at = node.startTag.begin + attributeListEnd(tag);
    return applyEdit({at, at}, QLatin1Char(' ') + name + QLatin1String("=\"") + escaped(value) + QLatin1Char('"'),
                     error);
}

QString XmlDocument::indentUnit() const
{
    // The step between the document element's indentation and its first child's.
    const Element top = root();
    if (isValid(top) && !m_elements[0].children.empty()) {
        const QString outer = m_source.indentationAt(m_elements[0].startTag.begin);
        const QString inner = m_source.indentationAt(m_elements[size_t(m_elements[0].children.front())].startTag.begin);
        if (inner.size() > outer.size())
            return inner.mid(outer.size());
    }
    return QStringLiteral("    ");
}

XmlDocument::Element XmlDocument::elementStartingAt(qsizetype offset) const
{
    for (size_t i = 0; i < m_elements.size(); ++i) {
        if (m_elements[i].startTag.begin == offset)
            return Element(i);
    }
    return NoElement;
}

XmlDocument::Element XmlDocument::insertFragmentAt(qsizetype offset, TextRange replaced,
                                                   const QString &prefix, const QString &fragment,
                                                   const QString &indent, const QString &suffix,
                                                   ConfigError *error)
{
    const QString newline = m_source.newline();
    QString body = fragment;
    body.replace(QLatin1Char('\n'), newline + indent);
    const SourceText before = m_source;
    if (!applyEdit(replaced, prefix + body + suffix, error))
        return NoElement;
    const Element inserted = elementStartingAt(offset + prefix.size());
    if (inserted == NoElement) {
        // Refused: leave the text as it was, like any other refused edit.
        m_source = before;
        reparse(nullptr);
        if (error)
            *error = {m_source.fileName(), m_source.lineAt(offset), 0, ConfigText::tr("the fragment holds no element")};
    }
    return inserted;
}

XmlDocument::Element XmlDocument::appendChild(Element parent, const QString &fragment, ConfigError *error)
{
    if (!isValid(parent))
        return NoElement;
    const Node &node = m_elements[size_t(parent)];
    const QString newline = m_source.newline();
    if (!node.children.empty())
        return insertAfter(node.children.back(), fragment, error);

    const QString parentIndent = m_source.indentationAt(node.startTag.begin);
    const QString indent = parentIndent + indentUnit();
    if (node.isEmptyTag()) {
        const QStringView tag = QStringView(m_source.text()).sliced(node.startTag.begin, node.startTag.length());
        const QString open = tag.first(attributeListEnd(tag)).toString() + QLatin1Char('>') + newline + indent;
        return insertFragmentAt(node.startTag.begin, node.startTag, open, fragment, indent,
                                newline + parentIndent + QLatin1String("</") + node.qualifiedName + QLatin1Char('>'),
                                error);
    }
    // Insert before the closing tag, after any comment or text already inside.
    qsizetype at = node.endTag.begin;
    while (at > node.startTag.end && m_source.text().at(at - 1).isSpace())
        --at;
    const QString prefix = newline + indent;
    return insertFragmentAt(at, {at, node.endTag.begin}, prefix, fragment, indent, newline + parentIndent,
                            error);
}

XmlDocument::Element XmlDocument::insertAfter(Element sibling, const QString &fragment, ConfigError *error)
{
    if (!isValid(sibling))
        return NoElement;
    const Node &node = m_elements[size_t(sibling)];
    const QString indent = m_source.indentationAt(node.startTag.begin);
    const qsizetype at = node.end();
    return insertFragmentAt(at, {at, at}, m_source.newline() + indent, fragment, indent, QString(), error);
}

bool XmlDocument::remove(Element element, ConfigError *error)
{
    if (!isValid(element) || element == root())
        return false;
    const Node &node = m_elements[size_t(element)];
    const QString &text = m_source.text();
    TextRange range{node.startTag.begin, node.end()};
    const qsizetype lineBegin = m_source.lineStart(range.begin);
    qsizetype lineEnd = range.end;
    while (lineEnd < text.size() && (text.at(lineEnd) == u' ' || text.at(lineEnd) == u'\t' || text.at(lineEnd) == u'\r'))
        ++lineEnd;
    const bool aloneOnLine = QStringView(text).sliced(lineBegin, range.begin - lineBegin).trimmed().isEmpty()
        && (lineEnd == text.size() || text.at(lineEnd) == u'\n');
    if (aloneOnLine)
        range = {lineBegin, lineEnd < text.size() ? lineEnd + 1 : lineEnd};
    return applyEdit(range, QString(), error);
}

} // namespace Tribune::Config
