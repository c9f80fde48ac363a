#include "secretredaction.h"

#include <QRegularExpression>
#include <QString>

#include <functional>

namespace Tribune::Config {

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

namespace {

struct Span
{
    qsizetype start;
    qsizetype length;
};

// Where the secrets of a file are, in file order, without overlaps.
QList<Span> secretsOf(const QByteArray &file)
{
    // Latin-1 maps bytes to characters one to one, so the offsets found are byte offsets and
    // every byte not replaced comes back unchanged, UTF-8 or not.
    const QString text = QString::fromLatin1(file);
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
    QList<Span> distinct;
    for (const Span &secret : std::as_const(secrets)) {
        if (distinct.isEmpty() || secret.start >= distinct.constLast().start + distinct.constLast().length)
            distinct.append(secret); // a value two patterns found counts once
    }
    return distinct;
}

// The file with each secret replaced by what replacement says for its index.
QByteArray replaced(const QByteArray &file, const QList<Span> &secrets, const std::function<QByteArray(int)> &replacement)
{
    QByteArray result;
    result.reserve(file.size());
    qsizetype done = 0;
    for (int i = 0; i < secrets.size(); ++i) {
        result += file.mid(done, secrets.at(i).start - done);
        result += replacement(i);
        done = secrets.at(i).start + secrets.at(i).length;
    }
    result += file.mid(done);
    return result;
}

} // namespace

QByteArray redactSecrets(const QByteArray &file, int *count)
{
    const QList<Span> secrets = secretsOf(file);
    if (count)
        *count = int(secrets.size());
    return replaced(file, secrets, [](int) { return QByteArray(RedactedValue); });
}

std::pair<QByteArray, QByteArray> redactChange(const QByteArray &before, const QByteArray &after)
{
    const QList<Span> was = secretsOf(before);
    const QList<Span> is = secretsOf(after);
    const auto valueOf = [](const QByteArray &file, const Span &span) { return file.mid(span.start, span.length); };
    return {replaced(before, was, [](int) { return QByteArray(RedactedValue); }),
            replaced(after, is, [&](int i) {
                const bool same = i < was.size() && valueOf(before, was.at(i)) == valueOf(after, is.at(i));
                return QByteArray(same ? RedactedValue : ChangedValue);
            })};
}

} // namespace Tribune::Config
