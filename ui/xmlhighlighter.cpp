#include "xmlhighlighter.h"

#include <QRegularExpression>

namespace Tribune {

namespace {

enum State { Normal = -1, InComment = 1 };

QTextCharFormat coloured(const QColor &colour, bool italic = false)
{
    QTextCharFormat format;
    format.setForeground(colour);
    format.setFontItalic(italic);
    return format;
}

} // namespace

XmlHighlighter::XmlHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{
}

XmlHighlighter::~XmlHighlighter() = default;

void XmlHighlighter::highlightBlock(const QString &text)
{
    static const QRegularExpression tag(QStringLiteral("</?[A-Za-z_][\\w.:-]*|/?>|<\\?xml|\\?>"));
    static const QRegularExpression attribute(QStringLiteral("([\\w.:-]+)\\s*=\\s*(\"[^\"]*\"|'[^']*')"));
    static const QRegularExpression confComment(QStringLiteral("^\\s*#.*$"));
    const QTextCharFormat tagFormat = coloured(QColor(0x1f, 0x4e, 0x9c));
    const QTextCharFormat nameFormat = coloured(QColor(0x8a, 0x3f, 0x9e));
    const QTextCharFormat valueFormat = coloured(QColor(0x2f, 0x7d, 0x32));
    const QTextCharFormat commentFormat = coloured(QColor(0x80, 0x80, 0x80), true);

    for (auto it = tag.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        setFormat(int(match.capturedStart()), int(match.capturedLength()), tagFormat);
    }
    for (auto it = attribute.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        setFormat(int(match.capturedStart(1)), int(match.capturedLength(1)), nameFormat);
        setFormat(int(match.capturedStart(2)), int(match.capturedLength(2)), valueFormat);
    }
    if (const QRegularExpressionMatch match = confComment.match(text); match.hasMatch())
        setFormat(0, int(text.size()), commentFormat);

    // Comments last, over whatever they contain; one may go on over several lines.
    setCurrentBlockState(Normal);
    qsizetype start = previousBlockState() == InComment ? 0 : text.indexOf(QLatin1String("<!--"));
    while (start >= 0) {
        const qsizetype end = text.indexOf(QLatin1String("-->"), previousBlockState() == InComment && start == 0 ? 0 : start + 4);
        if (end < 0) {
            setCurrentBlockState(InComment);
            setFormat(int(start), int(text.size() - start), commentFormat);
            break;
        }
        setFormat(int(start), int(end + 3 - start), commentFormat);
        start = text.indexOf(QLatin1String("<!--"), end + 3);
    }
}

} // namespace Tribune
