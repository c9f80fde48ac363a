#pragma once

#include <QByteArray>
#include <QString>
#include <QStringConverter>

#include <optional>
#include <vector>

namespace Tribune::Config {

struct ConfigError;

// A half-open range [begin, end) of characters in a SourceText.
struct TextRange
{
    qsizetype begin = 0;
    qsizetype end = 0;

    qsizetype length() const { return end - begin; }
    bool isEmpty() const { return begin == end; }
};

// The exact text of a configuration file, kept so that writing it back reproduces every byte
// that was not edited: encoding, byte-order mark, line endings, comments and spacing.
class SourceText
{
public:
    SourceText() = default;

    // Decodes bytes in the given encoding. Fails (with the line of the first bad byte) when the
    // bytes are not valid in that encoding, since such a file could not be written back intact.
    static std::optional<SourceText> decode(const QByteArray &bytes, QStringConverter::Encoding encoding,
                                            const QString &fileName, ConfigError *error);
    static SourceText fromString(const QString &text, const QString &fileName = {});

    const QString &text() const { return m_text; }
    const QString &fileName() const { return m_fileName; }
    void setFileName(const QString &fileName) { m_fileName = fileName; }
    QStringConverter::Encoding encoding() const { return m_encoding; }

    QByteArray toBytes() const;

    // 1-based line and column of a character offset.
    int lineAt(qsizetype offset) const;
    int columnAt(qsizetype offset) const;
    qsizetype lineStart(qsizetype offset) const;
    // The newline this file uses ("\r\n" or "\n"), for text inserted into it.
    QString newline() const;
    // The run of spaces and tabs that starts the line holding offset.
    QString indentationAt(qsizetype offset) const;

    void replace(TextRange range, const QString &replacement);

private:
    void indexLines();

    QString m_text;
    QString m_fileName;
    QByteArray m_byteOrderMark;
    QStringConverter::Encoding m_encoding = QStringConverter::Utf8;
    std::vector<qsizetype> m_lineStarts;
};

} // namespace Tribune::Config
