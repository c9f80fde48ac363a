// UserMgtXml: the user store's datasource in the upstream and sample user-mgt.xml, and edits that
// change only their own text.
#include "config/configerror.h"
#include "config/usermgtxml.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "../common/bytecompare.h"
#include "../common/testsupport.h"

using namespace Tribune::Config;
using TestSupport::readAll;
using TestSupport::replaceUnique;

namespace {

QString kernelUserMgt()
{
    return QStringLiteral(TRIBUNE_TEST_DATA "/upstream/carbon-kernel-4.4.x/user-mgt.xml");
}

QString sampleUserMgt(const QString &node)
{
    return QStringLiteral(TRIBUNE_SAMPLE_CLUSTER "/") + node + QLatin1String("/repository/conf/user-mgt.xml");
}




} // namespace

class tst_UserMgtXml : public QObject
{
    Q_OBJECT

private slots:
    void readsUpstream();
    void sampleNodes_data();
    void sampleNodes();
    void wrongDocumentElement();
    void setDataSource();
    void setDataSourceAddsProperty();
    void setDataSourceWithoutConfiguration();
    void savedFileLoadsBack();
};

void tst_UserMgtXml::readsUpstream()
{
    ConfigError error;
    const std::optional<UserMgtXml> file = UserMgtXml::load(kernelUserMgt(), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    const UserMgtSettings settings = file->settings();
    QCOMPARE(settings.dataSource, QStringLiteral("jdbc/WSO2CarbonDB"));
    QCOMPARE(settings.dataSourceLine, 30);
    QCOMPARE(settings.adminUser, QStringLiteral("admin"));
}

void tst_UserMgtXml::sampleNodes_data()
{
    QTest::addColumn<QString>("node");
    for (const char *node : {"esb-manager", "esb-worker1", "esb-worker2", "esb-worker3", "greg1", "greg2", "greg3"})
        QTest::newRow(node) << QString::fromLatin1(node);
}

void tst_UserMgtXml::sampleNodes()
{
    QFETCH(QString, node);
    ConfigError error;
    const std::optional<UserMgtXml> file = UserMgtXml::load(sampleUserMgt(node), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    // Every ESB and Governance Registry node keeps its users in the shared WSO2_USER_DB.
    QCOMPARE(file->settings().dataSource, QStringLiteral("jdbc/WSO2UMDB"));
    QCOMPARE(file->settings().adminUser, QStringLiteral("admin"));
}

void tst_UserMgtXml::wrongDocumentElement()
{
    ConfigError error;
    QVERIFY(!UserMgtXml::parse(readAll(QStringLiteral(TRIBUNE_TEST_DATA "/upstream/carbon-kernel-4.4.x/registry.xml")),
                               QStringLiteral("registry.xml"), &error));
    QCOMPARE(error.file, QStringLiteral("registry.xml"));
    QVERIFY(error.message.contains(QLatin1String("UserManager")));
}

void tst_UserMgtXml::setDataSource()
{
    const QByteArray original = readAll(kernelUserMgt());
    ConfigError error;
    std::optional<UserMgtXml> file = UserMgtXml::parse(original, kernelUserMgt(), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY2(file->setDataSource(QStringLiteral("jdbc/WSO2UMDB"), &error), qPrintable(error.toString()));
    const QByteArray expected = replaceUnique(original, "<Property name=\"dataSource\">jdbc/WSO2CarbonDB</Property>",
                                              "<Property name=\"dataSource\">jdbc/WSO2UMDB</Property>");
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(file->toBytes(), expected);
    QCOMPARE(file->settings().dataSource, QStringLiteral("jdbc/WSO2UMDB"));
    QCOMPARE(file->settings().dataSourceLine, 30);

    const std::optional<UserMgtXml> reread = UserMgtXml::parse(file->toBytes(), kernelUserMgt(), &error);
    QVERIFY2(reread, qPrintable(error.toString()));
    QCOMPARE(reread->settings().dataSource, QStringLiteral("jdbc/WSO2UMDB"));
    COMPARE_BYTES(reread->toBytes(), expected);

    QVERIFY(file->setDataSource(QStringLiteral("jdbc/WSO2CarbonDB"), &error));
    COMPARE_BYTES(file->toBytes(), original);
}

void tst_UserMgtXml::setDataSourceAddsProperty()
{
    ConfigError error;
    std::optional<UserMgtXml> file = UserMgtXml::parse(QByteArray("<UserManager>\n"
                                                                  "    <Realm>\n"
                                                                  "        <Configuration>\n"
                                                                  "            <AdminUser>\n"
                                                                  "                <UserName>root</UserName>\n"
                                                                  "            </AdminUser>\n"
                                                                  "        </Configuration>\n"
                                                                  "    </Realm>\n"
                                                                  "</UserManager>\n"),
                                                       QStringLiteral("user-mgt.xml"), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QCOMPARE(file->settings().dataSource, QString());
    QCOMPARE(file->settings().dataSourceLine, 0);
    QCOMPARE(file->settings().adminUser, QStringLiteral("root"));
    QVERIFY2(file->setDataSource(QStringLiteral("jdbc/UM&DB"), &error), qPrintable(error.toString()));
    COMPARE_BYTES(file->toBytes(), QByteArray("<UserManager>\n"
                                              "    <Realm>\n"
                                              "        <Configuration>\n"
                                              "            <AdminUser>\n"
                                              "                <UserName>root</UserName>\n"
                                              "            </AdminUser>\n"
                                              "            <Property name=\"dataSource\">jdbc/UM&amp;DB</Property>\n"
                                              "        </Configuration>\n"
                                              "    </Realm>\n"
                                              "</UserManager>\n"));
    QCOMPARE(file->settings().dataSource, QStringLiteral("jdbc/UM&DB"));
    QCOMPARE(file->settings().dataSourceLine, 7);
}

void tst_UserMgtXml::setDataSourceWithoutConfiguration()
{
    const QByteArray original("<UserManager>\n    <Realm/>\n</UserManager>\n");
    ConfigError error;
    std::optional<UserMgtXml> file = UserMgtXml::parse(original, QStringLiteral("user-mgt.xml"), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY(!file->setDataSource(QStringLiteral("jdbc/X"), &error));
    QCOMPARE(error.file, QStringLiteral("user-mgt.xml"));
    QVERIFY(error.message.contains(QLatin1String("Configuration")));
    COMPARE_BYTES(file->toBytes(), original);
}

void tst_UserMgtXml::savedFileLoadsBack()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("user-mgt.xml"));
    ConfigError error;
    std::optional<UserMgtXml> file = UserMgtXml::load(sampleUserMgt(QStringLiteral("greg1")), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY(file->setDataSource(QStringLiteral("jdbc/WSO2CarbonDB"), &error));
    QVERIFY2(file->save(path, &error), qPrintable(error.toString()));
    const std::optional<UserMgtXml> loaded = UserMgtXml::load(path, &error);
    QVERIFY2(loaded, qPrintable(error.toString()));
    QCOMPARE(loaded->settings().dataSource, QStringLiteral("jdbc/WSO2CarbonDB"));
    const QByteArray expected = replaceUnique(readAll(sampleUserMgt(QStringLiteral("greg1"))),
                                              "<Property name=\"dataSource\">jdbc/WSO2UMDB</Property>",
                                              "<Property name=\"dataSource\">jdbc/WSO2CarbonDB</Property>");
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(readAll(path), expected);
}

QTEST_GUILESS_MAIN(tst_UserMgtXml)
#include "tst_usermgtxml.moc"
