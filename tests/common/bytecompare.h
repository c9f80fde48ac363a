#pragma once

// Byte-for-byte comparison for the lossless configuration tests: where two files first differ,
// and the original with exactly one snippet replaced, the way an edit should change it.

#include <QByteArray>
#include <QString>
#include <QTest>

namespace TestSupport {

// Where two byte strings first differ, with context; empty when they are equal.
inline QString difference(const QByteArray &actual, const QByteArray &expected)
{
    if (actual == expected)
        return {};
    qsizetype at = 0;
    while (at < actual.size() && at < expected.size() && actual.at(at) == expected.at(at))
        ++at;
    const auto excerpt = [at](const QByteArray &bytes) -> QString {
        QString text = QString::fromLatin1(bytes.mid(qMax<qsizetype>(0, at - 60), 140));
        text.replace(u'\r', QLatin1String("\\r"));
        text.replace(u'\n', QLatin1String("\\n"));
        return text;
    };
    return QStringLiteral("bytes differ at offset %1 (actual size %2, expected size %3)\n   actual: ...%4...\n expected: ...%5...")
        .arg(QString::number(at), QString::number(actual.size()), QString::number(expected.size()), excerpt(actual),
             excerpt(expected));
}

// The original with its only occurrence of from replaced by to; empty when from is missing or repeated.
inline QByteArray replaceUnique(const QByteArray &original, const QByteArray &from, const QByteArray &to)
{
    if (original.count(from) != 1)
        return {};
    QByteArray result = original;
    return result.replace(from, to);
}

} // namespace TestSupport

#define COMPARE_BYTES(actual, expected)                                                                                \
    do {                                                                                                               \
        const QString why = TestSupport::difference((actual), (expected));                                             \
        QVERIFY2(why.isEmpty(), qPrintable(why));                                                                      \
    } while (false)
