// Text and bytes meet with the right codec. A QLatin1String (or QLatin1Char, fromLatin1) of a
// literal that holds non-ASCII characters reads the source's UTF-8 bytes one by one: "—" becomes
// "â€”" on screen, and a search for "→ DOWN" never matches. Every such literal in the sources is
// a bug; this test names each by file and line. The literals that must be Unicode are checked
// for what they really hold, too.
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

class TestTextEncoding final : public QObject
{
    Q_OBJECT

private slots:
    void noLatin1LiteralHoldsNonAscii();
    void unicodeLiteralsHoldTheirCharacters();
};

void TestTextEncoding::noLatin1LiteralHoldsNonAscii()
{
    // The literal may be split over lines only by the compiler's concatenation, which the
    // project does not use inside these calls.
    static const QRegularExpression latin1(QStringLiteral(
        "(QLatin1String|QLatin1StringView|QLatin1Char|fromLatin1|QLatin1Literal)\\s*\\(\\s*(u8)?"
        "(\"([^\"\\\\]|\\\\.)*\"|'([^'\\\\]|\\\\.)*')"));
    static const QRegularExpression latin1Suffix(QStringLiteral("\"([^\"\\\\]|\\\\.)*\"_L1"));
    QStringList offenders;
    int scanned = 0;
    for (const char *folder : {"models", "ui", "app"}) {
        QDirIterator files(QStringLiteral(TRIBUNE_SOURCE_DIR "/") + QLatin1String(folder), {QStringLiteral("*.cpp"), QStringLiteral("*.h")},
                           QDir::Files, QDirIterator::Subdirectories);
        while (files.hasNext()) {
            const QString path = files.next();
            QFile file(path);
            QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
            ++scanned;
            const QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n');
            for (qsizetype i = 0; i < lines.size(); ++i) {
                for (const QRegularExpression *pattern : {&latin1, &latin1Suffix}) {
                    for (auto it = pattern->globalMatch(lines.at(i)); it.hasNext();) {
                        const QString literal = it.next().captured(0);
                        if (std::any_of(literal.cbegin(), literal.cend(), [](QChar c) { return c.unicode() > 0x7f; }))
                            offenders.append(QStringLiteral("%1:%2: %3").arg(path).arg(i + 1).arg(literal));
                    }
                }
            }
        }
    }
    QVERIFY(scanned > 100);
    QVERIFY2(offenders.isEmpty(), qPrintable(offenders.join(u'\n')));
}

void TestTextEncoding::unicodeLiteralsHoldTheirCharacters()
{
    // What the console writes in pages and the log: one character each, not their UTF-8 bytes.
    QCOMPARE(QStringLiteral("—").size(), 1);
    QCOMPARE(QStringLiteral("—").at(0).unicode(), char16_t(0x2014));
    QCOMPARE(QStringLiteral("→").at(0).unicode(), char16_t(0x2192));
    QCOMPARE(QStringLiteral("…").at(0).unicode(), char16_t(0x2026));
    QCOMPARE(QStringView(u"·").at(0).unicode(), char16_t(0x00b7));
    // The mistake this test is about, shown: the same bytes through Latin-1 are three characters.
    QCOMPARE(QString::fromLatin1("\xe2\x80\x94").size(), 3);
}

QTEST_APPLESS_MAIN(TestTextEncoding)
#include "tst_textencoding.moc"
