// RegistryXml: the local database, remote instances and mounts of the upstream and sample
// registry.xml files, and edits that change only their own text.
#include "config/configerror.h"
#include "config/registryxml.h"

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

QString kernelRegistry()
{
    return QStringLiteral(TRIBUNE_TEST_DATA "/upstream/carbon-kernel-4.4.x/registry.xml");
}

QString sampleRegistry(const QString &node)
{
    return QStringLiteral(TRIBUNE_SAMPLE_CLUSTER "/") + node + QLatin1String("/repository/conf/registry.xml");
}





QStringList describe(const RegistrySettings &s)
{
    QStringList lines{QStringLiteral("current=%1@%2").arg(s.currentDbConfig, QString::number(s.currentDbConfigLine))};
    for (const RegistryDbConfig &c : s.dbConfigs)
        lines << QStringLiteral("dbConfig %1=%2@%3").arg(c.name, c.dataSource, QString::number(c.line));
    for (const RegistryRemoteInstance &r : s.remoteInstances)
        lines << QStringLiteral("remote %1 id=%2 db=%3 readOnly=%4 cache=%5 root=%6 cacheId=%7 @%8/%9/%10")
                     .arg(r.url, r.id, r.dbConfig, QLatin1String(r.readOnly ? "true" : "false"),
                          QLatin1String(r.enableCache ? "true" : "false"), r.registryRoot, r.cacheId,
                          QString::number(r.line), QString::number(r.readOnlyLine))
                     .arg(r.cacheIdLine);
    for (const RegistryMount &m : s.mounts)
        lines << QStringLiteral("mount %1 overwrite=%2 %3:%4 @%5")
                     .arg(m.path, QLatin1String(m.overwrite ? "true" : "false"), m.instanceId, m.targetPath,
                          QString::number(m.line));
    return lines;
}

// What the file says, for comparing a re-read with the edited original.
QStringList readBack(const RegistryXml &file)
{
    return describe(file.settings());
}

} // namespace

class tst_RegistryXml : public QObject
{
    Q_OBJECT

private slots:
    void readsUpstream();
    void readsSampleWorker();
    void sampleReadOnly_data();
    void sampleReadOnly();
    void wrongDocumentElement();

    void setRemoteInstanceValueExisting();
    void setRemoteInstanceValueNew();
    void setRemoteInstanceValueUnknownId();
    void setDbConfigDataSource();
    void addMountAfterLastMount();
    void addMountFirst();
    void removeMount();
    void setMountTarget();
    void savedFileLoadsBack();
};

void tst_RegistryXml::readsUpstream()
{
    ConfigError error;
    const std::optional<RegistryXml> file = RegistryXml::load(kernelRegistry(), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    const RegistrySettings s = file->settings();
    QCOMPARE(s.currentDbConfig, QStringLiteral("wso2registry"));
    QCOMPARE(s.currentDbConfigLine, 25);
    QCOMPARE(s.dbConfigs.size(), 1);
    QCOMPARE(s.dbConfigs.at(0).name, QStringLiteral("wso2registry"));
    QCOMPARE(s.dbConfigs.at(0).dataSource, QStringLiteral("jdbc/WSO2CarbonDB"));
    QCOMPARE(s.dbConfigs.at(0).line, 30);
    QVERIFY(s.dbConfig(u"wso2registry"));
    QCOMPARE(s.dbConfig(u"wso2registry")->dataSource, QStringLiteral("jdbc/WSO2CarbonDB"));
    QCOMPARE(s.dbConfig(u"absent"), nullptr);
    // The remote instances and the mount are all commented out upstream.
    QVERIFY(s.remoteInstances.isEmpty());
    QCOMPARE(s.remoteInstance(u"instanceid"), nullptr);
    QVERIFY(s.mounts.isEmpty());
    QCOMPARE(s.mount(u"/_system/config"), nullptr);
}

void tst_RegistryXml::readsSampleWorker()
{
    ConfigError error;
    const std::optional<RegistryXml> file = RegistryXml::load(sampleRegistry(QStringLiteral("esb-worker1")), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    const RegistrySettings s = file->settings();
    QCOMPARE(s.currentDbConfig, QStringLiteral("wso2registry"));
    QCOMPARE(s.dbConfigs.size(), 2);
    QCOMPARE(s.dbConfig(u"wso2registry")->dataSource, QStringLiteral("jdbc/WSO2CarbonDB"));
    QCOMPARE(s.dbConfig(u"sharedregistry")->dataSource, QStringLiteral("jdbc/WSO2RegistryDB"));
    QCOMPARE(s.dbConfig(u"sharedregistry")->line, 36);

    QCOMPARE(s.remoteInstances.size(), 1);
    const RegistryRemoteInstance *remote = s.remoteInstance(u"instanceid");
    QVERIFY(remote);
    QCOMPARE(remote->url, QStringLiteral("https://localhost:9443/registry"));
    QCOMPARE(remote->dbConfig, QStringLiteral("sharedregistry"));
    QVERIFY(remote->readOnly);
    QVERIFY(remote->enableCache);
    QCOMPARE(remote->registryRoot, QStringLiteral("/"));
    QCOMPARE(remote->cacheId, QStringLiteral("regadmin@jdbc:mysql://127.0.0.1:3306/REGISTRY_DB"));
    QCOMPARE(remote->line, 43);
    QCOMPARE(remote->readOnlyLine, 46);
    QCOMPARE(remote->cacheIdLine, 49);

    QCOMPARE(s.mounts.size(), 2);
    const RegistryMount &config = s.mounts.at(0);
    QCOMPARE(config.path, QStringLiteral("/_system/config"));
    QVERIFY(config.overwrite);
    QCOMPARE(config.instanceId, QStringLiteral("instanceid"));
    QCOMPARE(config.targetPath, QStringLiteral("/_system/esbnodes"));
    QCOMPARE(config.line, 52);
    const RegistryMount *governance = s.mount(u"/_system/governance");
    QVERIFY(governance);
    QCOMPARE(governance->instanceId, QStringLiteral("instanceid"));
    QCOMPARE(governance->targetPath, QStringLiteral("/_system/governance"));
    QCOMPARE(governance->line, 57);
}

void tst_RegistryXml::sampleReadOnly_data()
{
    QTest::addColumn<QString>("node");
    QTest::addColumn<bool>("readOnly");
    QTest::addColumn<QString>("configTarget");
    QTest::newRow("esb-manager") << QStringLiteral("esb-manager") << false << QStringLiteral("/_system/esbnodes");
    QTest::newRow("esb-worker1") << QStringLiteral("esb-worker1") << true << QStringLiteral("/_system/esbnodes");
    QTest::newRow("esb-worker2") << QStringLiteral("esb-worker2") << true << QStringLiteral("/_system/esbnodes");
    QTest::newRow("esb-worker3") << QStringLiteral("esb-worker3") << true << QStringLiteral("/_system/esbnodes");
    QTest::newRow("greg1") << QStringLiteral("greg1") << false << QStringLiteral("/_system/config");
    QTest::newRow("greg2") << QStringLiteral("greg2") << false << QStringLiteral("/_system/config");
    QTest::newRow("greg3") << QStringLiteral("greg3") << false << QStringLiteral("/_system/config");
}

void tst_RegistryXml::sampleReadOnly()
{
    QFETCH(QString, node);
    QFETCH(bool, readOnly);
    QFETCH(QString, configTarget);
    ConfigError error;
    const std::optional<RegistryXml> file = RegistryXml::load(sampleRegistry(node), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    const RegistrySettings s = file->settings();
    QVERIFY(s.remoteInstance(u"instanceid"));
    QCOMPARE(s.remoteInstance(u"instanceid")->readOnly, readOnly);
    QVERIFY(s.mount(u"/_system/config"));
    QCOMPARE(s.mount(u"/_system/config")->targetPath, configTarget);
}

void tst_RegistryXml::wrongDocumentElement()
{
    ConfigError error;
    QVERIFY(!RegistryXml::parse(QByteArray("<registry/>\n"), QStringLiteral("r.xml"), &error));
    QCOMPARE(error.file, QStringLiteral("r.xml"));
    QCOMPARE(error.line, 1);
    QVERIFY(error.message.contains(QLatin1String("wso2registry")));
}

void tst_RegistryXml::setRemoteInstanceValueExisting()
{
    const QString path = sampleRegistry(QStringLiteral("esb-worker1"));
    const QByteArray original = readAll(path);
    ConfigError error;
    std::optional<RegistryXml> file = RegistryXml::parse(original, path, &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY2(file->setRemoteInstanceValue(QStringLiteral("instanceid"), QStringLiteral("readOnly"),
                                          QStringLiteral("false"), &error),
             qPrintable(error.toString()));
    const QByteArray expected = replaceUnique(original, "        <readOnly>true</readOnly>\n",
                                              "        <readOnly>false</readOnly>\n");
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(file->toBytes(), expected);
    QVERIFY(!file->settings().remoteInstance(u"instanceid")->readOnly);
    QCOMPARE(file->settings().remoteInstance(u"instanceid")->readOnlyLine, 46);
    VERIFY_REREAD(*file, readBack);

    QVERIFY(file->setRemoteInstanceValue(QStringLiteral("instanceid"), QStringLiteral("readOnly"),
                                         QStringLiteral("true"), &error));
    COMPARE_BYTES(file->toBytes(), original);
}

void tst_RegistryXml::setRemoteInstanceValueNew()
{
    const QString path = sampleRegistry(QStringLiteral("esb-worker1"));
    const QByteArray original = readAll(path);
    ConfigError error;
    std::optional<RegistryXml> file = RegistryXml::parse(original, path, &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY2(file->setRemoteInstanceValue(QStringLiteral("instanceid"), QStringLiteral("username"),
                                          QStringLiteral("admin&co"), &error),
             qPrintable(error.toString()));
    const QByteArray expected =
        replaceUnique(original, "        <cacheId>regadmin@jdbc:mysql://127.0.0.1:3306/REGISTRY_DB</cacheId>\n",
                      "        <cacheId>regadmin@jdbc:mysql://127.0.0.1:3306/REGISTRY_DB</cacheId>\n"
                      "        <username>admin&amp;co</username>\n");
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(file->toBytes(), expected);
    VERIFY_REREAD(*file, readBack);
}

void tst_RegistryXml::setRemoteInstanceValueUnknownId()
{
    const QByteArray original = readAll(kernelRegistry());
    ConfigError error;
    std::optional<RegistryXml> file = RegistryXml::parse(original, kernelRegistry(), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY(!file->setRemoteInstanceValue(QStringLiteral("instanceid"), QStringLiteral("readOnly"),
                                          QStringLiteral("true"), &error));
    QCOMPARE(error.file, kernelRegistry());
    QVERIFY(error.message.contains(QLatin1String("instanceid")));
    COMPARE_BYTES(file->toBytes(), original);
}

void tst_RegistryXml::setDbConfigDataSource()
{
    const QByteArray original = readAll(kernelRegistry());
    ConfigError error;
    std::optional<RegistryXml> file = RegistryXml::parse(original, kernelRegistry(), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY2(file->setDbConfigDataSource(QStringLiteral("wso2registry"), QStringLiteral("jdbc/LocalDB"), &error),
             qPrintable(error.toString()));
    const QByteArray expected = replaceUnique(original, "<dataSource>jdbc/WSO2CarbonDB</dataSource>",
                                              "<dataSource>jdbc/LocalDB</dataSource>");
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(file->toBytes(), expected);
    QCOMPARE(file->settings().dbConfig(u"wso2registry")->dataSource, QStringLiteral("jdbc/LocalDB"));
    VERIFY_REREAD(*file, readBack);

    QVERIFY(!file->setDbConfigDataSource(QStringLiteral("absent"), QStringLiteral("x"), &error));
    QVERIFY(error.message.contains(QLatin1String("absent")));
    COMPARE_BYTES(file->toBytes(), expected);
}

void tst_RegistryXml::addMountAfterLastMount()
{
    const QString path = sampleRegistry(QStringLiteral("esb-worker1"));
    const QByteArray original = readAll(path);
    ConfigError error;
    std::optional<RegistryXml> file = RegistryXml::parse(original, path, &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY2(file->addMount({QStringLiteral("/_system/local"), false, QStringLiteral("instanceid"),
                             QStringLiteral("/_system/nodes/worker1"), 0},
                            &error),
             qPrintable(error.toString()));
    const QByteArray expected =
        replaceUnique(original, "        <targetPath>/_system/governance</targetPath>\n    </mount>\n",
                      "        <targetPath>/_system/governance</targetPath>\n    </mount>\n"
                      "    <mount path=\"/_system/local\" overwrite=\"false\">\n"
                      "        <instanceId>instanceid</instanceId>\n"
                      "        <targetPath>/_system/nodes/worker1</targetPath>\n"
                      "    </mount>\n");
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(file->toBytes(), expected);

    const RegistrySettings s = file->settings();
    QCOMPARE(s.mounts.size(), 3);
    QCOMPARE(s.mounts.at(2).path, QStringLiteral("/_system/local"));
    QVERIFY(!s.mounts.at(2).overwrite);
    QCOMPARE(s.mounts.at(2).instanceId, QStringLiteral("instanceid"));
    QCOMPARE(s.mounts.at(2).targetPath, QStringLiteral("/_system/nodes/worker1"));
    QCOMPARE(s.mounts.at(2).line, 61);
    VERIFY_REREAD(*file, readBack);
}

void tst_RegistryXml::addMountFirst()
{
    const QByteArray original = readAll(kernelRegistry());
    ConfigError error;
    std::optional<RegistryXml> file = RegistryXml::parse(original, kernelRegistry(), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY2(file->addMount({QStringLiteral("/_system/config"), true, QStringLiteral("instanceid"),
                             QStringLiteral("/_system/nodes"), 0},
                            &error),
             qPrintable(error.toString()));
    // The first mount goes at the end of the document element.
    const QByteArray expected = replaceUnique(original, "    </staticConfiguration>\n</wso2registry>",
                                              "    </staticConfiguration>\n"
                                              "    <mount path=\"/_system/config\" overwrite=\"true\">\n"
                                              "        <instanceId>instanceid</instanceId>\n"
                                              "        <targetPath>/_system/nodes</targetPath>\n"
                                              "    </mount>\n"
                                              "</wso2registry>");
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(file->toBytes(), expected);
    QCOMPARE(file->settings().mounts.size(), 1);
    QCOMPARE(file->settings().mount(u"/_system/config")->targetPath, QStringLiteral("/_system/nodes"));
    VERIFY_REREAD(*file, readBack);
}

void tst_RegistryXml::removeMount()
{
    const QString path = sampleRegistry(QStringLiteral("esb-worker1"));
    const QByteArray original = readAll(path);
    ConfigError error;
    std::optional<RegistryXml> file = RegistryXml::parse(original, path, &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY2(file->removeMount(QStringLiteral("/_system/governance"), &error), qPrintable(error.toString()));
    const QByteArray expected = replaceUnique(original,
                                              "    <mount path=\"/_system/governance\" overwrite=\"true\">\n"
                                              "        <instanceId>instanceid</instanceId>\n"
                                              "        <targetPath>/_system/governance</targetPath>\n"
                                              "    </mount>\n",
                                              QByteArray());
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(file->toBytes(), expected);
    QCOMPARE(file->settings().mounts.size(), 1);
    QCOMPARE(file->settings().mount(u"/_system/governance"), nullptr);
    VERIFY_REREAD(*file, readBack);

    error = {};
    QVERIFY(!file->removeMount(QStringLiteral("/_system/governance"), &error));
    QVERIFY(!error.message.isEmpty());
    COMPARE_BYTES(file->toBytes(), expected);

    // Adding it back puts it after the remaining mount; the blank lines around the old place stay.
    QVERIFY(file->addMount({QStringLiteral("/_system/governance"), true, QStringLiteral("instanceid"),
                            QStringLiteral("/_system/governance"), 0},
                           &error));
    QByteArray restored = replaceUnique(original, "    </mount>\n\n    <mount path=\"/_system/governance\"",
                                        "    </mount>\n    <mount path=\"/_system/governance\"");
    restored = replaceUnique(restored, "    </mount>\n\n    <versionResourcesOnChange>",
                             "    </mount>\n\n\n    <versionResourcesOnChange>");
    QVERIFY(!restored.isEmpty());
    COMPARE_BYTES(file->toBytes(), restored);
}

void tst_RegistryXml::setMountTarget()
{
    const QString path = sampleRegistry(QStringLiteral("esb-worker1"));
    const QByteArray original = readAll(path);
    ConfigError error;
    std::optional<RegistryXml> file = RegistryXml::parse(original, path, &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY2(file->setMountTarget(QStringLiteral("/_system/config"), QStringLiteral("other"),
                                  QStringLiteral("/_system/nodes"), &error),
             qPrintable(error.toString()));
    const QByteArray expected = replaceUnique(original,
                                              "    <mount path=\"/_system/config\" overwrite=\"true\">\n"
                                              "        <instanceId>instanceid</instanceId>\n"
                                              "        <targetPath>/_system/esbnodes</targetPath>\n",
                                              "    <mount path=\"/_system/config\" overwrite=\"true\">\n"
                                              "        <instanceId>other</instanceId>\n"
                                              "        <targetPath>/_system/nodes</targetPath>\n");
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(file->toBytes(), expected);
    const RegistrySettings settings = file->settings(); // mount() points into it
    const RegistryMount *mount = settings.mount(u"/_system/config");
    QVERIFY(mount);
    QCOMPARE(mount->instanceId, QStringLiteral("other"));
    QCOMPARE(mount->targetPath, QStringLiteral("/_system/nodes"));
    // The other mount is untouched.
    QCOMPARE(file->settings().mount(u"/_system/governance")->instanceId, QStringLiteral("instanceid"));
    VERIFY_REREAD(*file, readBack);

    QVERIFY(!file->setMountTarget(QStringLiteral("/absent"), QStringLiteral("x"), QStringLiteral("/y"), &error));
    QVERIFY(error.message.contains(QLatin1String("/absent")));
    COMPARE_BYTES(file->toBytes(), expected);
}

void tst_RegistryXml::savedFileLoadsBack()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("registry.xml"));
    ConfigError error;
    std::optional<RegistryXml> file = RegistryXml::load(sampleRegistry(QStringLiteral("esb-worker2")), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY(file->setRemoteInstanceValue(QStringLiteral("instanceid"), QStringLiteral("readOnly"),
                                         QStringLiteral("false"), &error));
    QVERIFY(file->removeMount(QStringLiteral("/_system/governance"), &error));
    QVERIFY2(file->save(path, &error), qPrintable(error.toString()));
    COMPARE_BYTES(readAll(path), file->toBytes());
    const std::optional<RegistryXml> loaded = RegistryXml::load(path, &error);
    QVERIFY2(loaded, qPrintable(error.toString()));
    QCOMPARE(describe(loaded->settings()), describe(file->settings()));
    QVERIFY(!loaded->settings().remoteInstance(u"instanceid")->readOnly);
    QCOMPARE(loaded->settings().mounts.size(), 1);
}

QTEST_GUILESS_MAIN(tst_RegistryXml)
#include "tst_registryxml.moc"
