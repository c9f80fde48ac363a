// CarbonXml: host names, the port offset and the listening ports of upstream and sample
// carbon.xml files, and edits that change only their own text.
#include "config/carbonxml.h"
#include "config/configerror.h"

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

QString kernelCarbon()
{
    return QStringLiteral(TRIBUNE_TEST_DATA "/upstream/carbon-kernel-4.4.x/carbon.xml");
}

QString sampleCarbon(const QString &node)
{
    return QStringLiteral(TRIBUNE_SAMPLE_CLUSTER "/") + node + QLatin1String("/repository/conf/carbon.xml");
}





QStringList describe(const QList<ListenPort> &ports)
{
    QStringList lines;
    for (const ListenPort &port : ports)
        lines << QStringLiteral("%1=%2@%3").arg(port.name, QString::number(port.port), QString::number(port.line));
    return lines;
}

QStringList describe(const CarbonSettings &settings)
{
    return QStringList{settings.hostName, settings.mgtHostName, QString::number(settings.offset),
                       QString::number(settings.offsetLine)}
        + describe(settings.ports);
}

// What the file says, for comparing a re-read with the edited original.
QStringList readBack(const CarbonXml &file)
{
    return describe(file.settings());
}

} // namespace

class tst_CarbonXml : public QObject
{
    Q_OBJECT

private slots:
    void readsUpstream();
    void portsExcludeOffsetAndProxyPorts();
    void wrongDocumentElement();
    void sampleNodes_data();
    void sampleNodes();

    void setOffset();
    void setOffsetCreatesMissingElements();
    void setHostNameAdds();
    void setHostNameChanges();
    void setMgtHostNameAdds();
    void savedFileLoadsBack();
};

void tst_CarbonXml::readsUpstream()
{
    ConfigError error;
    const std::optional<CarbonXml> file = CarbonXml::load(kernelCarbon(), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    const CarbonSettings settings = file->settings();
    QCOMPARE(settings.offset, 0);
    QCOMPARE(settings.offsetLine, 127);
    // Both host names are commented out upstream.
    QCOMPARE(settings.hostName, QString());
    QCOMPARE(settings.mgtHostName, QString());
    QCOMPARE(describe(settings.ports),
             (QStringList{QStringLiteral("JMX/RMIRegistryPort=9999@132"), QStringLiteral("JMX/RMIServerPort=11111@134"),
                          QStringLiteral("EmbeddedLDAP/LDAPServerPort=10389@140"),
                          QStringLiteral("EmbeddedLDAP/KDCServerPort=8000@142"),
                          QStringLiteral("ThriftEntitlementReceivePort=10500@150")}));
}

void tst_CarbonXml::portsExcludeOffsetAndProxyPorts()
{
    ConfigError error;
    const std::optional<CarbonXml> file = CarbonXml::parse(
        QByteArray("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
                   "<Server xmlns=\"http://wso2.org/projects/carbon/carbon.xml\">\n"
                   "    <HostName>  node.example.com  </HostName>\n"
                   "    <Ports>\n"
                   "        <Offset>7</Offset>\n"
                   "        <JMX>\n"
                   "            <RMIRegistryPort>9999</RMIRegistryPort>\n"
                   "            <RMIServerPort>not a port</RMIServerPort>\n"
                   "        </JMX>\n"
                   "        <ThriftEntitlementReceivePort>10500</ThriftEntitlementReceivePort>\n"
                   "        <WorkerHttpProxyPort>80</WorkerHttpProxyPort>\n"
                   "        <WorkerHttpsProxyPort>443</WorkerHttpsProxyPort>\n"
                   "        <Disabled>0</Disabled>\n"
                   "    </Ports>\n"
                   "</Server>\n"),
        QStringLiteral("carbon.xml"), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    const CarbonSettings settings = file->settings();
    QCOMPARE(settings.hostName, QStringLiteral("node.example.com"));
    QCOMPARE(settings.offset, 7);
    QCOMPARE(settings.offsetLine, 5);
    QCOMPARE(describe(settings.ports),
             (QStringList{QStringLiteral("JMX/RMIRegistryPort=9999@7"), QStringLiteral("ThriftEntitlementReceivePort=10500@10")}));
}

void tst_CarbonXml::wrongDocumentElement()
{
    ConfigError error;
    QVERIFY(!CarbonXml::parse(readAll(QStringLiteral(TRIBUNE_TEST_DATA "/upstream/carbon-kernel-4.4.x/registry.xml")),
                              QStringLiteral("registry.xml"), &error));
    QCOMPARE(error.file, QStringLiteral("registry.xml"));
    QVERIFY2(error.message.contains(QLatin1String("Server")), qPrintable(error.message));
}

void tst_CarbonXml::sampleNodes_data()
{
    QTest::addColumn<QString>("node");
    QTest::addColumn<int>("offset");
    QTest::addColumn<QString>("hostName");
    QTest::addColumn<QString>("mgtHostName");
    QTest::newRow("lb") << QStringLiteral("lb") << 0 << QStringLiteral("elb.wso2.com") << QString();
    QTest::newRow("esb-manager") << QStringLiteral("esb-manager") << 1 << QStringLiteral("worker.esb.wso2.com")
                                 << QStringLiteral("mgt.esb.wso2.com");
    QTest::newRow("esb-worker1") << QStringLiteral("esb-worker1") << 0 << QStringLiteral("worker.esb.wso2.com") << QString();
    QTest::newRow("esb-worker2") << QStringLiteral("esb-worker2") << 2 << QStringLiteral("worker.esb.wso2.com") << QString();
    QTest::newRow("esb-worker3") << QStringLiteral("esb-worker3") << 3 << QStringLiteral("worker.esb.wso2.com") << QString();
    const QString greg = QStringLiteral("governance.cluster.wso2.com");
    QTest::newRow("greg1") << QStringLiteral("greg1") << 3 << greg << greg;
    QTest::newRow("greg2") << QStringLiteral("greg2") << 4 << greg << greg;
    QTest::newRow("greg3") << QStringLiteral("greg3") << 5 << greg << greg;
}

void tst_CarbonXml::sampleNodes()
{
    QFETCH(QString, node);
    QFETCH(int, offset);
    QFETCH(QString, hostName);
    QFETCH(QString, mgtHostName);
    ConfigError error;
    const std::optional<CarbonXml> file = CarbonXml::load(sampleCarbon(node), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    const CarbonSettings settings = file->settings();
    QCOMPARE(settings.offset, offset);
    QCOMPARE(settings.offsetLine, 81);
    QCOMPARE(settings.hostName, hostName);
    QCOMPARE(settings.mgtHostName, mgtHostName);
    QCOMPARE(settings.ports.size(), 5);
    QCOMPARE(settings.ports.at(0).name, QStringLiteral("JMX/RMIRegistryPort"));
    QCOMPARE(settings.ports.at(0).port, 9999);
}

void tst_CarbonXml::setOffset()
{
    const QByteArray original = readAll(kernelCarbon());
    ConfigError error;
    std::optional<CarbonXml> file = CarbonXml::parse(original, kernelCarbon(), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY2(file->setOffset(3, &error), qPrintable(error.toString()));
    const QByteArray expected = replaceUnique(original, "<Offset>0</Offset>", "<Offset>3</Offset>");
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(file->toBytes(), expected);
    QCOMPARE(file->settings().offset, 3);
    QCOMPARE(file->settings().offsetLine, 127);
    // The ports are those before the offset: unchanged.
    QCOMPARE(file->settings().ports.at(0).port, 9999);
    VERIFY_REREAD(*file, readBack);

    QVERIFY(file->setOffset(0, &error));
    COMPARE_BYTES(file->toBytes(), original);
}

void tst_CarbonXml::setOffsetCreatesMissingElements()
{
    ConfigError error;
    std::optional<CarbonXml> file = CarbonXml::parse(
        QByteArray("<Server>\n    <HostName>x</HostName>\n</Server>\n"), QStringLiteral("carbon.xml"), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QCOMPARE(file->settings().offset, 0);
    QCOMPARE(file->settings().offsetLine, 0);
    QVERIFY2(file->setOffset(2, &error), qPrintable(error.toString()));
    COMPARE_BYTES(file->toBytes(), QByteArray("<Server>\n    <HostName>x</HostName>\n    <Ports>\n"
                                              "        <Offset>2</Offset>\n    </Ports>\n</Server>\n"));
    QCOMPARE(file->settings().offset, 2);
    QCOMPARE(file->settings().offsetLine, 4);
    VERIFY_REREAD(*file, readBack);
}

void tst_CarbonXml::setHostNameAdds()
{
    const QByteArray original = readAll(kernelCarbon());
    ConfigError error;
    std::optional<CarbonXml> file = CarbonXml::parse(original, kernelCarbon(), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY2(file->setHostName(QStringLiteral("node1.example.com"), &error), qPrintable(error.toString()));
    // Added as the last child of <Server>, indented like the element before it.
    const QByteArray expected = replaceUnique(original, "   </APIManagement>\n",
                                              "   </APIManagement>\n   <HostName>node1.example.com</HostName>\n");
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(file->toBytes(), expected);
    QCOMPARE(file->settings().hostName, QStringLiteral("node1.example.com"));
    QCOMPARE(file->settings().mgtHostName, QString());
    VERIFY_REREAD(*file, readBack);

    // Setting it again changes only the value.
    QVERIFY2(file->setHostName(QStringLiteral("node2.example.com"), &error), qPrintable(error.toString()));
    const QByteArray expected2 = replaceUnique(expected, "<HostName>node1.example.com</HostName>",
                                               "<HostName>node2.example.com</HostName>");
    QVERIFY(!expected2.isEmpty());
    COMPARE_BYTES(file->toBytes(), expected2);
    QCOMPARE(file->settings().hostName, QStringLiteral("node2.example.com"));
}

void tst_CarbonXml::setHostNameChanges()
{
    const QString path = sampleCarbon(QStringLiteral("esb-manager"));
    const QByteArray original = readAll(path);
    ConfigError error;
    std::optional<CarbonXml> file = CarbonXml::parse(original, path, &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY2(file->setHostName(QStringLiteral("esb.example.com"), &error), qPrintable(error.toString()));
    const QByteArray expected = replaceUnique(original, "<HostName>worker.esb.wso2.com</HostName>",
                                              "<HostName>esb.example.com</HostName>");
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(file->toBytes(), expected);
    QCOMPARE(file->settings().hostName, QStringLiteral("esb.example.com"));
    QCOMPARE(file->settings().mgtHostName, QStringLiteral("mgt.esb.wso2.com"));
    VERIFY_REREAD(*file, readBack);
}

void tst_CarbonXml::setMgtHostNameAdds()
{
    const QString path = sampleCarbon(QStringLiteral("lb"));
    const QByteArray original = readAll(path);
    ConfigError error;
    std::optional<CarbonXml> file = CarbonXml::parse(original, path, &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY2(file->setMgtHostName(QStringLiteral("mgt.elb.example.com"), &error), qPrintable(error.toString()));
    const CarbonSettings settings = file->settings();
    QCOMPARE(settings.mgtHostName, QStringLiteral("mgt.elb.example.com"));
    QCOMPARE(settings.hostName, QStringLiteral("elb.wso2.com"));
    // Exactly one line was added; without it the file is the original.
    const QByteArray actual = file->toBytes();
    const QByteArray line("    <MgtHostName>mgt.elb.example.com</MgtHostName>\n");
    QCOMPARE(actual.count(line), 1);
    COMPARE_BYTES(QByteArray(actual).replace(line, QByteArray()), original);
    VERIFY_REREAD(*file, readBack);
}

void tst_CarbonXml::savedFileLoadsBack()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("carbon.xml"));
    ConfigError error;
    std::optional<CarbonXml> file = CarbonXml::load(sampleCarbon(QStringLiteral("esb-worker2")), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY(file->setOffset(6, &error));
    QVERIFY2(file->save(path, &error), qPrintable(error.toString()));
    const std::optional<CarbonXml> loaded = CarbonXml::load(path, &error);
    QVERIFY2(loaded, qPrintable(error.toString()));
    QCOMPARE(loaded->settings().offset, 6);
    COMPARE_BYTES(readAll(path),
                  replaceUnique(readAll(sampleCarbon(QStringLiteral("esb-worker2"))), "<Offset>2</Offset>",
                                "<Offset>6</Offset>"));
}

QTEST_GUILESS_MAIN(tst_CarbonXml)
#include "tst_carbonxml.moc"
