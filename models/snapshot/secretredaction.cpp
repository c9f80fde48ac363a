#include "secretredaction.h"

#include <QRegularExpression>
#include <QString>

namespace Tribune::Snapshot {

namespace {

// Each pattern captures the secret's value as "value"; the rest of the match is kept. A name
// is a secret's when it ends in Password or Pass, whatever the case of its first letter.
const QRegularExpression &elementValue()
{
    static const QRegularExpression pattern(
        QStringLiteral(R"re(<(?:[\w.-]+:)?[\w.-]*(?:[Pp]assword|Pass)(?:\s[^>]*)?>(?<value>[^<]+)</)re"));
    return pattern;
}

// <Property name="ConnectionPassword">, <parameter name="mail.smtp.password">: a named value
// whose name ends in password (not "PasswordsExternallyManaged"); true or false there is a flag
// ("StoreSaltedPassword"), not a secret.
const QRegularExpression &propertyValue()
{
    static const QRegularExpression pattern(
        QStringLiteral(R"re(<[\w.:-]+\s[^>]*\bname\s*=\s*"[^"]*[Pp]assword"[^>]*>(?<value>[^<]+)</)re"));
    return pattern;
}

const QRegularExpression &attributeValue()
{
    static const QRegularExpression pattern(
        QStringLiteral(R"re(\s[\w.-]*(?:[Pp]assword|Pass)\s*=\s*(?:"(?<value>[^"]+)"|'(?<single>[^']+)'))re"));
    return pattern;
}

} // namespace

QByteArray redactSecrets(const QByteArray &file, int *count)
{
    // Latin-1 maps bytes to characters one to one, so the offsets found are byte offsets and
    // every byte not replaced comes back unchanged, UTF-8 or not.
    const QString text = QString::fromLatin1(file);
    struct Span
    {
        qsizetype start;
        qsizetype length;
    };
    QList<Span> secrets;
    for (const QRegularExpression *pattern : {&elementValue(), &propertyValue(), &attributeValue()}) {
        for (auto it = pattern->globalMatch(text); it.hasNext();) {
            const QRegularExpressionMatch match = it.next();
            for (const char *group : {"value", "single"}) {
                const QString name = QString::fromLatin1(group);
                const QString value = match.captured(name).trimmed();
                const bool flag = pattern == &propertyValue()
                    && (value.compare(u"true", Qt::CaseInsensitive) == 0 || value.compare(u"false", Qt::CaseInsensitive) == 0);
                if (match.capturedStart(name) >= 0 && !value.isEmpty() && !flag)
                    secrets.append({match.capturedStart(name), match.capturedLength(name)});
            }
        }
    }
    std::sort(secrets.begin(), secrets.end(), [](const Span &a, const Span &b) { return a.start < b.start; });
    QByteArray redacted;
    redacted.reserve(file.size());
    qsizetype done = 0;
    int replaced = 0;
    for (const Span &secret : std::as_const(secrets)) {
        if (secret.start < done)
            continue; // found by two patterns
        redacted += file.mid(done, secret.start - done);
        redacted += RedactedValue;
        done = secret.start + secret.length;
        ++replaced;
    }
    redacted += file.mid(done);
    if (count)
        *count = replaced;
    return redacted;
}

} // namespace Tribune::Snapshot
