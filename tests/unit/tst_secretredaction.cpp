// Secrets redacted from the upstream configuration files: every password value replaced, every
// other line byte for byte as it was, flags that merely mention passwords kept.
#include "config/secretredaction.h"

#include <QDir>
#include <QFile>
#include <QTest>

using Tribune::Config::redactSecrets;

namespace {

QByteArray upstream(const QString &name)
{
    QFile file(QStringLiteral(TRIBUNE_TEST_DATA "/upstream/carbon-kernel-4.4.x/") + name);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestSecretRedaction final : public QObject
{
    Q_OBJECT

private slots:
    void redactsEverySecretOfTheUpstreamFiles_data();
    void redactsEverySecretOfTheUpstreamFiles();
    void leavesEverythingElse();
    void aChangedSecretShowsAsChanged();
};

void TestSecretRedaction::redactsEverySecretOfTheUpstreamFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("secrets");
    QTest::addColumn<QList<int>>("lines"); // 1-based lines that must change
    QTest::newRow("axis2.xml") << QStringLiteral("axis2.xml") << 7 << QList<int>{266, 267, 274, 418, 437, 438, 445};
    QTest::newRow("carbon.xml") << QStringLiteral("carbon.xml") << 7 << QList<int>{406, 410, 423, 427, 440, 469, 628};
    QTest::newRow("catalina-server.xml") << QStringLiteral("catalina-server.xml") << 1 << QList<int>{77};
    QTest::newRow("master-datasources.xml") << QStringLiteral("master-datasources.xml") << 2 << QList<int>{19, 59};
    QTest::newRow("registry.xml") << QStringLiteral("registry.xml") << 1 << QList<int>{73};
    QTest::newRow("user-mgt.xml") << QStringLiteral("user-mgt.xml") << 4 << QList<int>{24, 76, 120, 178};
}

void TestSecretRedaction::redactsEverySecretOfTheUpstreamFiles()
{
    QFETCH(QString, file);
    QFETCH(int, secrets);
    QFETCH(QList<int>, lines);
    const QByteArray original = upstream(file);
    QVERIFY(!original.isEmpty());
    int count = 0;
    const QByteArray redacted = redactSecrets(original, &count);
    QCOMPARE(count, secrets);
    const QList<QByteArray> before = original.split('\n');
    const QList<QByteArray> after = redacted.split('\n');
    QCOMPARE(after.size(), before.size());
    for (int i = 0; i < before.size(); ++i) {
        const bool secret = lines.contains(i + 1);
        QVERIFY2((before.at(i) != after.at(i)) == secret, qPrintable(QStringLiteral("line %1: %2").arg(i + 1)
                                                                          .arg(QString::fromUtf8(after.at(i)))));
        if (secret) {
            QVERIFY2(after.at(i).contains("[redacted]"), after.at(i).constData());
            for (const char *value : {"wso2carbon", "mailpassword", ">password<", ">admin<", ">123<", "A1b2c3d4"})
                QVERIFY2(!after.at(i).contains(value), after.at(i).constData());
        }
    }
}

void TestSecretRedaction::leavesEverythingElse()
{
    // Flags and comments about passwords are not secrets; an empty value stays empty.
    const QByteArray text = "<EnablePasswordTrim>false</EnablePasswordTrim>\n"
                            "<Property name=\"PasswordsExternallyManaged\">true</Property>\n"
                            "<Property name=\"StoreSaltedPassword\">true</Property>\n"
                            "<!-- Keystore password -->\n"
                            "<password svns:secretAlias=\"WSO2.DB.Password\"></password>\n"
                            "<Bypass>yes</Bypass>\n";
    int count = -1;
    QCOMPARE(redactSecrets(text, &count), text);
    QCOMPARE(count, 0);
    // Attributes in either quotes, property values, and bytes that are not ASCII around them.
    QCOMPARE(redactSecrets("<Connector keystorePass='s3cr\xc3\xa9t' truststorePass=\"x\" port=\"9443\"/>\n"),
             QByteArray("<Connector keystorePass='[redacted]' truststorePass=\"[redacted]\" port=\"9443\"/>\n"));
    QCOMPARE(redactSecrets("<Property name=\"ConnectionPassword\">pw</Property> caf\xc3\xa9\n"),
             QByteArray("<Property name=\"ConnectionPassword\">[redacted]</Property> caf\xc3\xa9\n"));
}

void TestSecretRedaction::aChangedSecretShowsAsChanged()
{
    const QByteArray before = "<url>jdbc:mysql://db:3306/REG</url>\n<password>old</password>\n<KeyPassword>k</KeyPassword>\n";
    const QByteArray after = "<url>jdbc:mysql://db2:3306/REG</url>\n<password>new</password>\n<KeyPassword>k</KeyPassword>\n";
    const auto [was, is] = Tribune::Config::redactChange(before, after);
    QCOMPARE(was, QByteArray("<url>jdbc:mysql://db:3306/REG</url>\n<password>[redacted]</password>\n"
                             "<KeyPassword>[redacted]</KeyPassword>\n"));
    QCOMPARE(is, QByteArray("<url>jdbc:mysql://db2:3306/REG</url>\n<password>[redacted: changed]</password>\n"
                            "<KeyPassword>[redacted]</KeyPassword>\n"));
}

QTEST_GUILESS_MAIN(TestSecretRedaction)
#include "tst_secretredaction.moc"
