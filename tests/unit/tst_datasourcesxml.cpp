// DatasourcesXml: the JDBC datasources of the upstream and sample master-datasources.xml, and
// edits that change only their own text.
#include "config/configerror.h"
#include "config/datasourcesxml.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "../common/bytecompare.h"
#include "../common/rereadcheck.h"
#include "../common/testsupport.h"

using namespace Tribune::Config;
using TestSupport::readAll;
using TestSupport::replaceUnique;

namespace {

QString kernelDatasources()
{
    return QStringLiteral(TRIBUNE_TEST_DATA "/upstream/carbon-kernel-4.4.x/master-datasources.xml");
}

QString sampleDatasources(const QString &node)
{
    return QStringLiteral(TRIBUNE_SAMPLE_CLUSTER "/") + node
        + QLatin1String("/repository/conf/datasources/master-datasources.xml");
}




QStringList describe(const Datasource &d)
{
    QStringList lines{QStringLiteral("%1 (%2) jndi=%3@%4 type=%5 @%6")
                          .arg(d.name, d.description, d.jndiName, QString::number(d.jndiLine), d.definitionType,
                               QString::number(d.line)),
                      QStringLiteral("url=%1@%2 user=%3 password=%4 driver=%5")
                          .arg(d.url, QString::number(d.urlLine), d.username, d.password, d.driverClassName)};
    for (const auto &[key, value] : d.pool)
        lines << key + QLatin1Char('=') + value;
    return lines;
}

QStringList describe(const QList<Datasource> &list)
{
    QStringList lines;
    for (const Datasource &d : list)
        lines += describe(d);
    return lines;
}

const Datasource *find(const QList<Datasource> &list, QStringView name)
{
    for (const Datasource &d : list) {
        if (d.name == name)
            return &d;
    }
    return nullptr;
}

// What the file says, for comparing a re-read with the edited original.
QStringList readBack(const DatasourcesXml &file)
{
    return describe(file.datasources());
}

} // namespace

class tst_DatasourcesXml : public QObject
{
    Q_OBJECT

private slots:
    void readsUpstream();
    void readsSample();
    void wrongDocumentElement();

    void setValue_data();
    void setValue();
    void setValueAddsPoolSetting();
    void setValueUnknownDatasource();
    void addDatasource();
    void addDatasourceCreatesList();
    void removeDatasource();
    void savedFileLoadsBack();
};

void tst_DatasourcesXml::readsUpstream()
{
    ConfigError error;
    const std::optional<DatasourcesXml> file = DatasourcesXml::load(kernelDatasources(), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    const QList<Datasource> list = file->datasources();
    // The SAMPLE_DATA_SOURCE is commented out.
    QCOMPARE(list.size(), 1);
    const Datasource &d = list.at(0);
    QCOMPARE(d.name, QStringLiteral("WSO2_CARBON_DB"));
    QCOMPARE(d.description, QStringLiteral("The datasource used for registry and user manager"));
    QCOMPARE(d.jndiName, QStringLiteral("jdbc/WSO2CarbonDB"));
    QCOMPARE(d.definitionType, QStringLiteral("RDBMS"));
    QCOMPARE(d.url, QStringLiteral("jdbc:h2:./repository/database/WSO2CARBON_DB;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=60000"));
    QCOMPARE(d.username, QStringLiteral("wso2carbon"));
    QCOMPARE(d.password, QStringLiteral("wso2carbon"));
    QCOMPARE(d.driverClassName, QStringLiteral("org.h2.Driver"));
    using Pair = std::pair<QString, QString>;
    QCOMPARE(d.pool, (QList<Pair>{{QStringLiteral("maxActive"), QStringLiteral("50")},
                                  {QStringLiteral("maxWait"), QStringLiteral("60000")},
                                  {QStringLiteral("testOnBorrow"), QStringLiteral("true")},
                                  {QStringLiteral("validationQuery"), QStringLiteral("SELECT 1")},
                                  {QStringLiteral("validationInterval"), QStringLiteral("30000")},
                                  {QStringLiteral("defaultAutoCommit"), QStringLiteral("false")}}));
    QCOMPARE(d.line, 9);
    QCOMPARE(d.jndiLine, 13);
    QCOMPARE(d.urlLine, 17);
}

void tst_DatasourcesXml::readsSample()
{
    ConfigError error;
    const std::optional<DatasourcesXml> file =
        DatasourcesXml::load(sampleDatasources(QStringLiteral("esb-worker1")), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    const QList<Datasource> list = file->datasources();
    QCOMPARE(list.size(), 3);
    QCOMPARE(list.at(0).name, QStringLiteral("WSO2_CARBON_DB"));
    QCOMPARE(list.at(0).url, QStringLiteral("jdbc:mysql://127.0.0.1:3306/REGISTRY_LOCAL2?autoReconnect=true"));
    QCOMPARE(list.at(0).username, QStringLiteral("regadmin"));
    QCOMPARE(list.at(0).urlLine, 18);
    QCOMPARE(list.at(1).name, QStringLiteral("REGISTRY_DB"));
    QCOMPARE(list.at(1).jndiName, QStringLiteral("jdbc/WSO2RegistryDB"));
    QCOMPARE(list.at(2).name, QStringLiteral("WSO2_USER_DB"));
    QCOMPARE(list.at(2).jndiName, QStringLiteral("jdbc/WSO2UMDB"));
    QCOMPARE(list.at(2).url, QStringLiteral("jdbc:mysql://127.0.0.1:3306/WSO2_USER_DB"));
    QCOMPARE(list.at(2).driverClassName, QStringLiteral("com.mysql.jdbc.Driver"));
    QCOMPARE(list.at(2).line, 54);
}

void tst_DatasourcesXml::wrongDocumentElement()
{
    ConfigError error;
    QVERIFY(!DatasourcesXml::parse(QByteArray("<datasources/>\n"), QStringLiteral("d.xml"), &error));
    QCOMPARE(error.file, QStringLiteral("d.xml"));
    QVERIFY(error.message.contains(QLatin1String("datasources-configuration")));
}

void tst_DatasourcesXml::setValue_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QByteArray>("before");
    QTest::addColumn<QByteArray>("after");
    QTest::newRow("url")
        << QStringLiteral("url") << QStringLiteral("jdbc:mysql://db.example.com:3306/CARBON?autoReconnect=true&useSSL=false")
        << QByteArray("<url>jdbc:h2:./repository/database/WSO2CARBON_DB;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=60000</url>")
        << QByteArray("<url>jdbc:mysql://db.example.com:3306/CARBON?autoReconnect=true&amp;useSSL=false</url>");
    QTest::newRow("username") << QStringLiteral("username") << QStringLiteral("regadmin")
                              << QByteArray("<username>wso2carbon</username>") << QByteArray("<username>regadmin</username>");
    QTest::newRow("password") << QStringLiteral("password") << QStringLiteral("s3cr<et>")
                              << QByteArray("<password>wso2carbon</password>")
                              << QByteArray("<password>s3cr&lt;et&gt;</password>");
    QTest::newRow("driverClassName") << QStringLiteral("driverClassName") << QStringLiteral("com.mysql.jdbc.Driver")
                                     << QByteArray("<driverClassName>org.h2.Driver</driverClassName>")
                                     << QByteArray("<driverClassName>com.mysql.jdbc.Driver</driverClassName>");
    QTest::newRow("maxActive") << QStringLiteral("maxActive") << QStringLiteral("80")
                               << QByteArray("<maxActive>50</maxActive>") << QByteArray("<maxActive>80</maxActive>");
    QTest::newRow("jndiName") << QStringLiteral("jndiName") << QStringLiteral("jdbc/LocalDB")
                              << QByteArray("<name>jdbc/WSO2CarbonDB</name>") << QByteArray("<name>jdbc/LocalDB</name>");
    QTest::newRow("description") << QStringLiteral("description") << QStringLiteral("Local registry")
                                 << QByteArray("<description>The datasource used for registry and user manager</description>")
                                 << QByteArray("<description>Local registry</description>");
}

void tst_DatasourcesXml::setValue()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QByteArray, before);
    QFETCH(QByteArray, after);
    const QByteArray original = readAll(kernelDatasources());
    ConfigError error;
    std::optional<DatasourcesXml> file = DatasourcesXml::parse(original, kernelDatasources(), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY2(file->setValue(QStringLiteral("WSO2_CARBON_DB"), key, value, &error), qPrintable(error.toString()));
    const QByteArray expected = replaceUnique(original, before, after);
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(file->toBytes(), expected);

    const Datasource d = file->datasources().at(0);
    if (key == u"url")
        QCOMPARE(d.url, value);
    else if (key == u"username")
        QCOMPARE(d.username, value);
    else if (key == u"password")
        QCOMPARE(d.password, value);
    else if (key == u"driverClassName")
        QCOMPARE(d.driverClassName, value);
    else if (key == u"maxActive")
        QCOMPARE(d.pool.at(0), std::make_pair(key, value));
    else if (key == u"jndiName")
        QCOMPARE(d.jndiName, value);
    else
        QCOMPARE(d.description, value);
    VERIFY_REREAD(*file, readBack);
}

void tst_DatasourcesXml::setValueAddsPoolSetting()
{
    const QByteArray original = readAll(kernelDatasources());
    ConfigError error;
    std::optional<DatasourcesXml> file = DatasourcesXml::parse(original, kernelDatasources(), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY2(file->setValue(QStringLiteral("WSO2_CARBON_DB"), QStringLiteral("minIdle"), QStringLiteral("5"), &error),
             qPrintable(error.toString()));
    const QByteArray expected = replaceUnique(original, "                    <defaultAutoCommit>false</defaultAutoCommit>\n",
                                              "                    <defaultAutoCommit>false</defaultAutoCommit>\n"
                                              "                    <minIdle>5</minIdle>\n");
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(file->toBytes(), expected);
    QCOMPARE(file->datasources().at(0).pool.size(), 7);
    QCOMPARE(file->datasources().at(0).pool.last(), std::make_pair(QStringLiteral("minIdle"), QStringLiteral("5")));
    VERIFY_REREAD(*file, readBack);
}

void tst_DatasourcesXml::setValueUnknownDatasource()
{
    const QByteArray original = readAll(kernelDatasources());
    ConfigError error;
    std::optional<DatasourcesXml> file = DatasourcesXml::parse(original, kernelDatasources(), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY(!file->setValue(QStringLiteral("SAMPLE_DATA_SOURCE"), QStringLiteral("url"), QStringLiteral("x"), &error));
    QCOMPARE(error.file, kernelDatasources());
    QVERIFY(error.message.contains(QLatin1String("SAMPLE_DATA_SOURCE")));
    COMPARE_BYTES(file->toBytes(), original);
}

void tst_DatasourcesXml::addDatasource()
{
    const QByteArray original = readAll(kernelDatasources());
    ConfigError error;
    std::optional<DatasourcesXml> file = DatasourcesXml::parse(original, kernelDatasources(), &error);
    QVERIFY2(file, qPrintable(error.toString()));

    Datasource added;
    added.name = QStringLiteral("WSO2_USER_DB");
    added.description = QStringLiteral("User store & authorization");
    added.jndiName = QStringLiteral("jdbc/WSO2UMDB");
    added.url = QStringLiteral("jdbc:mysql://127.0.0.1:3306/WSO2_USER_DB?autoReconnect=true&useSSL=false");
    added.username = QStringLiteral("regadmin");
    added.password = QStringLiteral("regadmin");
    added.driverClassName = QStringLiteral("com.mysql.jdbc.Driver");
    added.pool = {{QStringLiteral("maxActive"), QStringLiteral("20")},
                  {QStringLiteral("validationQuery"), QStringLiteral("SELECT 1")}};
    QVERIFY2(file->addDatasource(added, &error), qPrintable(error.toString()));

    const QByteArray expected = replaceUnique(
        original, "        </datasource>\n",
        "        </datasource>\n"
        "        <datasource>\n"
        "            <name>WSO2_USER_DB</name>\n"
        "            <description>User store &amp; authorization</description>\n"
        "            <jndiConfig>\n"
        "                <name>jdbc/WSO2UMDB</name>\n"
        "            </jndiConfig>\n"
        "            <definition type=\"RDBMS\">\n"
        "                <configuration>\n"
        "                    <url>jdbc:mysql://127.0.0.1:3306/WSO2_USER_DB?autoReconnect=true&amp;useSSL=false</url>\n"
        "                    <username>regadmin</username>\n"
        "                    <password>regadmin</password>\n"
        "                    <driverClassName>com.mysql.jdbc.Driver</driverClassName>\n"
        "                    <maxActive>20</maxActive>\n"
        "                    <validationQuery>SELECT 1</validationQuery>\n"
        "                </configuration>\n"
        "            </definition>\n"
        "        </datasource>\n");
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(file->toBytes(), expected);

    const QList<Datasource> list = file->datasources();
    QCOMPARE(list.size(), 2);
    const Datasource *read = find(list, u"WSO2_USER_DB");
    QVERIFY(read);
    added.definitionType = QStringLiteral("RDBMS");
    added.line = 30;
    added.jndiLine = 34;
    added.urlLine = 38;
    QCOMPARE(describe(*read), describe(added));
    // The first one is unchanged.
    QCOMPARE(list.at(0).name, QStringLiteral("WSO2_CARBON_DB"));
    QCOMPARE(list.at(0).url, QStringLiteral("jdbc:h2:./repository/database/WSO2CARBON_DB;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=60000"));
    VERIFY_REREAD(*file, readBack);

    // Values of the new datasource can be edited like any other.
    QVERIFY(file->setValue(QStringLiteral("WSO2_USER_DB"), QStringLiteral("maxActive"), QStringLiteral("40"), &error));
    QCOMPARE(find(file->datasources(), u"WSO2_USER_DB")->pool.at(0).second, QStringLiteral("40"));
    QCOMPARE(file->datasources().at(0).pool.at(0).second, QStringLiteral("50"));
}

void tst_DatasourcesXml::addDatasourceCreatesList()
{
    ConfigError error;
    std::optional<DatasourcesXml> file = DatasourcesXml::parse(
        QByteArray("<datasources-configuration>\n    <providers>\n    </providers>\n</datasources-configuration>\n"),
        QStringLiteral("d.xml"), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY(file->datasources().isEmpty());
    Datasource added;
    added.name = QStringLiteral("DB");
    added.jndiName = QStringLiteral("jdbc/DB");
    added.definitionType = QStringLiteral("RDBMS");
    added.url = QStringLiteral("jdbc:h2:mem:x");
    QVERIFY2(file->addDatasource(added, &error), qPrintable(error.toString()));
    const QList<Datasource> list = file->datasources();
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.at(0).name, QStringLiteral("DB"));
    QCOMPARE(list.at(0).jndiName, QStringLiteral("jdbc/DB"));
    QCOMPARE(list.at(0).url, QStringLiteral("jdbc:h2:mem:x"));
    QVERIFY(file->toBytes().startsWith("<datasources-configuration>\n    <providers>\n    </providers>\n"
                                       "    <datasources>\n        <datasource>\n            <name>DB</name>\n"));
    QVERIFY(file->toBytes().endsWith("        </datasource>\n    </datasources>\n</datasources-configuration>\n"));
    VERIFY_REREAD(*file, readBack);
}

void tst_DatasourcesXml::removeDatasource()
{
    const QByteArray original = readAll(kernelDatasources());
    ConfigError error;
    std::optional<DatasourcesXml> file = DatasourcesXml::parse(original, kernelDatasources(), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY2(file->removeDatasource(QStringLiteral("WSO2_CARBON_DB"), &error), qPrintable(error.toString()));

    // Lines 9 to 29 go: from "        <datasource>" to "        </datasource>" and its newline.
    const qsizetype begin = original.indexOf("        <datasource>\n");
    const qsizetype end = original.indexOf("        </datasource>\n") + qsizetype(sizeof("        </datasource>\n") - 1);
    QVERIFY(begin > 0 && end > begin);
    QVERIFY(original.mid(begin, end - begin).contains("<name>WSO2_CARBON_DB</name>"));
    const QByteArray expected = original.left(begin) + original.mid(end);
    COMPARE_BYTES(file->toBytes(), expected);
    QVERIFY(file->datasources().isEmpty());
    VERIFY_REREAD(*file, readBack);

    error = {};
    QVERIFY(!file->removeDatasource(QStringLiteral("WSO2_CARBON_DB"), &error));
    QVERIFY(!error.message.isEmpty());
    COMPARE_BYTES(file->toBytes(), expected);
}

void tst_DatasourcesXml::savedFileLoadsBack()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("master-datasources.xml"));
    ConfigError error;
    std::optional<DatasourcesXml> file = DatasourcesXml::load(sampleDatasources(QStringLiteral("esb-worker1")), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY(file->setValue(QStringLiteral("REGISTRY_DB"), QStringLiteral("url"),
                           QStringLiteral("jdbc:mysql://10.0.0.9:3306/REGISTRY_DB"), &error));
    QVERIFY(file->removeDatasource(QStringLiteral("WSO2_USER_DB"), &error));
    QVERIFY2(file->save(path, &error), qPrintable(error.toString()));
    COMPARE_BYTES(readAll(path), file->toBytes());
    const std::optional<DatasourcesXml> loaded = DatasourcesXml::load(path, &error);
    QVERIFY2(loaded, qPrintable(error.toString()));
    QCOMPARE(describe(loaded->datasources()), describe(file->datasources()));
    QCOMPARE(loaded->datasources().size(), 2);
    QCOMPARE(find(loaded->datasources(), u"REGISTRY_DB")->url, QStringLiteral("jdbc:mysql://10.0.0.9:3306/REGISTRY_DB"));
}

QTEST_GUILESS_MAIN(tst_DatasourcesXml)
#include "tst_datasourcesxml.moc"
