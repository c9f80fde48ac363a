#include "sourcetext.h"

#include "configerror.h"
#include "i18n/trcontexts.h"

#include <QCoreApplication>
#include <QStringDecoder>
#include <QStringEncoder>

#include <algorithm>

namespace Tribune::Config {

QString ConfigError::toString() const
{
    QString where = file;
    if (line > 0) {
        where += QLatin1Char(':') + QString::number(line);
        if (column > 0)
            where += QLatin1Char(':') + QString::number(column);
    }
    return where.isEmpty() ? message : where + QLatin1String(": ") + message;
}

namespace {

QByteArray byteOrderMarkOf(const QByteArray &bytes, QStringConverter::Encoding encoding)
{
    static const QByteArray utf8Bom("\xEF\xBB\xBF", 3);
    if (encoding == QStringConverter::Utf8 && bytes.startsWith(utf8Bom))
        return utf8Bom;
    return {};
}

} // namespace

std::optional<SourceText> SourceText::decode(const QByteArray &bytes,
                                             QStringConverter::Encoding encoding,
                                             const QString &fileName, ConfigError *error)
{
    SourceText source;
    source.m_fileName = fileName;
    source.m_encoding = encoding;
    source.m_byteOrderMark = byteOrderMarkOf(bytes, encoding);
    const QByteArrayView body = QByteArrayView(bytes).sliced(source.m_byteOrderMark.size());

    QStringDecoder decoder(encoding, QStringConverter::Flag::Stateless);
    source.m_text = decoder.decode(body);
    if (decoder.hasError()) {
        if (error) {
            // Find the first line that does not decode, to point the user at it.
            int line = 1;
            qsizetype lineBegin = 0;
            for (qsizetype i = 0; i <= body.size(); ++i) {
                if (i == body.size() || body[i] == '\n') {
                    QStringDecoder probe(encoding, QStringConverter::Flag::Stateless);
                    // decode() is lazy: only converting the result runs the decoder.
                    const QString decodedLine = probe.decode(body.sliced(lineBegin, i - lineBegin));
                    if (probe.hasError())
                        break;
                    ++line;
                    lineBegin = i + 1;
                }
            }
            *error = {fileName, line, 0,
                      ConfigText::tr("the file is not valid %1; save it in that "
                                     "encoding or fix its declaration")
                          .arg(QString::fromLatin1(QStringConverter::nameForEncoding(encoding)))};
        }
        return std::nullopt;
    }
    source.indexLines();
    return source;
}

SourceText SourceText::fromString(const QString &text, const QString &fileName)
{
    SourceText source;
    source.m_text = text;
    source.m_fileName = fileName;
    source.indexLines();
    return source;
}

QByteArray SourceText::toBytes() const
{
    QStringEncoder encoder(m_encoding, QStringConverter::Flag::Stateless);
    QByteArray encoded = encoder.encode(m_text);
    return m_byteOrderMark.isEmpty() ? encoded : m_byteOrderMark + encoded;
}

void SourceText::indexLines()
{
    m_lineStarts.clear();
    m_lineStarts.push_back(0);
    for (qsizetype i = 0; i < m_text.size(); ++i) {
        if (m_text.at(i) == QLatin1Char('\n'))
            m_lineStarts.push_back(i + 1);
    }
}

int SourceText::lineAt(qsizetype offset) const
{
    const auto it = std::upper_bound(m_lineStarts.begin(), m_lineStarts.end(), offset);
    return int(it - m_lineStarts.begin());
}

qsizetype SourceText::lineStart(qsizetype offset) const
{
    return m_lineStarts[size_t(lineAt(offset) - 1)];
}

int SourceText::columnAt(qsizetype offset) const
{
    return int(offset - lineStart(offset)) + 1;
}

QString SourceText::newline() const
{
    const qsizetype firstNewline = m_text.indexOf(QLatin1Char('\n'));
    if (firstNewline > 0 && m_text.at(firstNewline - 1) == QLatin1Char('\r'))
        return QStringLiteral("\r\n");
    return QStringLiteral("\n");
}

QString SourceText::indentationAt(qsizetype offset) const
{
    const qsizetype begin = lineStart(offset);
    qsizetype end = begin;
    while (end < m_text.size() && (m_text.at(end) == QLatin1Char(' ') || m_text.at(end) == QLatin1Char('\t')))
        ++end;
    return m_text.mid(begin, end - begin);
}

void SourceText::replace(TextRange range, const QString &replacement)
{
    m_text.replace(range.begin, range.length(), replacement);
    indexLines();
}

} // namespace Tribune::Config
