#pragma once

#include <QSyntaxHighlighter>

namespace Tribune {

// Colours XML (and loadbalancer.conf's comments) in a raw file view: tags, attribute names and
// values, comments, across lines where a comment spans them.
class XmlHighlighter final : public QSyntaxHighlighter
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(XmlHighlighter)

public:
    explicit XmlHighlighter(QTextDocument *document);
    ~XmlHighlighter() override;

protected:
    void highlightBlock(const QString &text) override;
};

} // namespace Tribune
