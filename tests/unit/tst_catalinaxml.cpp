// CatalinaXml: the HTTP and HTTPS connectors of the upstream and sample catalina-server.xml, and
// proxyPort edits that change only that attribute.
#include "config/catalinaxml.h"
#include "config/configerror.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "../common/bytecompare.h"
#include "../common/testsupport.h"

using namespace Tribune::Config;
using TestSupport::readAll;
using TestSupport::replaceUnique;

namespace {

QString kernelCatalina()
{
    return QStringLiteral(TRIBUNE_TEST_DATA "/upstream/carbon-kernel-4.4.x/catalina-server.xml");
}

QString sampleCatalina(const QString &node)
{
    return QStringLiteral(TRIBUNE_SAMPLE_CLUSTER "/") + node + QLatin1String("/repository/conf/tomcat/catalina-server.xml");
}




QStringList describe(const QList<CatalinaConnector> &connectors)
{
    QStringList lines;
    for (const CatalinaConnector &c : connectors)
        lines << QStringLiteral("%1 proxy=%2 %3 @%4")
                     .arg(QString::number(c.port), c.proxyPort ? QString::number(*c.proxyPort) : QStringLiteral("-"),
                          QLatin1String(c.secure ? "https" : "http"), QString::number(c.line));
    return lines;
}

} // namespace

class tst_CatalinaXml : public QObject
{
    Q_OBJECT

private slots:
    void readsUpstream();
    void sampleNodes_data();
    void sampleNodes();
    void secureDetection();
    void wrongDocumentElement();
    void setProxyPortAdds();
    void setProxyPortChanges();
    void setProxyPortUnknownConnector();
    void savedFileLoadsBack();
};

void tst_CatalinaXml::readsUpstream()
{
    ConfigError error;
    const std::optional<CatalinaXml> file = CatalinaXml::load(kernelCatalina(), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    // proxyPort is only mentioned in comments upstream.
    QCOMPARE(describe(file->connectors()),
             (QStringList{QStringLiteral("9763 proxy=- http @28"), QStringLiteral("9443 proxy=- https @53")}));
}

void tst_CatalinaXml::sampleNodes_data()
{
    QTest::addColumn<QString>("node");
    QTest::addColumn<QStringList>("expected");
    // Every node publishes the load balancer's ports, 8280 and 8243.
    const QStringList esb{QStringLiteral("9763 proxy=8280 http @28"), QStringLiteral("9443 proxy=8243 https @54")};
    const QStringList greg = esb;
    QTest::newRow("esb-manager") << QStringLiteral("esb-manager") << esb;
    QTest::newRow("esb-worker1") << QStringLiteral("esb-worker1") << esb;
    QTest::newRow("esb-worker2") << QStringLiteral("esb-worker2") << esb;
    QTest::newRow("esb-worker3") << QStringLiteral("esb-worker3") << esb;
    QTest::newRow("greg1") << QStringLiteral("greg1") << greg;
    QTest::newRow("greg2") << QStringLiteral("greg2") << greg;
    QTest::newRow("greg3") << QStringLiteral("greg3") << greg;
}

void tst_CatalinaXml::sampleNodes()
{
    QFETCH(QString, node);
    QFETCH(QStringList, expected);
    ConfigError error;
    const std::optional<CatalinaXml> file = CatalinaXml::load(sampleCatalina(node), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QCOMPARE(describe(file->connectors()), expected);
}

void tst_CatalinaXml::secureDetection()
{
    ConfigError error;
    const std::optional<CatalinaXml> file = CatalinaXml::parse(
        QByteArray("<Server port=\"8005\">\n"
                   "    <Service name=\"Catalina\">\n"
                   "        <Connector port=\"1\"/>\n"
                   "        <Connector port=\"2\" scheme=\"https\"/>\n"
                   "        <Connector port=\"3\" SSLEnabled=\"true\"/>\n"
                   "        <Connector port=\"4\" secure=\"true\"/>\n"
                   "        <Connector port=\"5\" scheme=\"http\" secure=\"false\" SSLEnabled=\"false\" proxyPort=\"x\"/>\n"
                   "    </Service>\n"
                   "    <Service name=\"Other\">\n"
                   "        <Connector port='6' proxyPort='81'/>\n"
                   "    </Service>\n"
                   "</Server>\n"),
        QStringLiteral("catalina-server.xml"), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QCOMPARE(describe(file->connectors()),
             (QStringList{QStringLiteral("1 proxy=- http @3"), QStringLiteral("2 proxy=- https @4"),
                          QStringLiteral("3 proxy=- https @5"), QStringLiteral("4 proxy=- https @6"),
                          QStringLiteral("5 proxy=- http @7"), QStringLiteral("6 proxy=81 http @10")}));
}

void tst_CatalinaXml::wrongDocumentElement()
{
    ConfigError error;
    QVERIFY(!CatalinaXml::parse(readAll(QStringLiteral(TRIBUNE_TEST_DATA "/upstream/carbon-kernel-4.4.x/user-mgt.xml")),
                                QStringLiteral("user-mgt.xml"), &error));
    QCOMPARE(error.file, QStringLiteral("user-mgt.xml"));
    QVERIFY(error.message.contains(QLatin1String("Server")));
}

void tst_CatalinaXml::setProxyPortAdds()
{
    const QByteArray original = readAll(kernelCatalina());
    ConfigError error;
    std::optional<CatalinaXml> file = CatalinaXml::parse(original, kernelCatalina(), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY2(file->setProxyPort(9763, 80, &error), qPrintable(error.toString()));
    // A new attribute after the last one of the 9763 connector; nothing else changes.
    const QByteArray expected = replaceUnique(original, "URIEncoding=\"UTF-8\"/>\n\n        <!--",
                                              "URIEncoding=\"UTF-8\" proxyPort=\"80\"/>\n\n        <!--");
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(file->toBytes(), expected);
    QCOMPARE(describe(file->connectors()),
             (QStringList{QStringLiteral("9763 proxy=80 http @28"), QStringLiteral("9443 proxy=- https @53")}));

    // Changing it then touches only its value.
    QVERIFY2(file->setProxyPort(9763, 8080, &error), qPrintable(error.toString()));
    const QByteArray expected2 = replaceUnique(expected, "proxyPort=\"80\"/>", "proxyPort=\"8080\"/>");
    QVERIFY(!expected2.isEmpty());
    COMPARE_BYTES(file->toBytes(), expected2);

    const std::optional<CatalinaXml> reread = CatalinaXml::parse(file->toBytes(), kernelCatalina(), &error);
    QVERIFY2(reread, qPrintable(error.toString()));
    QCOMPARE(describe(reread->connectors()), describe(file->connectors()));
    COMPARE_BYTES(reread->toBytes(), expected2);
}

void tst_CatalinaXml::setProxyPortChanges()
{
    const QString path = sampleCatalina(QStringLiteral("esb-worker1"));
    const QByteArray original = readAll(path);
    ConfigError error;
    std::optional<CatalinaXml> file = CatalinaXml::parse(original, path, &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY2(file->setProxyPort(9763, 80, &error), qPrintable(error.toString()));
    const QByteArray expected = replaceUnique(original, "port=\"9763\"\n                   proxyPort=\"8280\"\n",
                                              "port=\"9763\"\n                   proxyPort=\"80\"\n");
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(file->toBytes(), expected);
    QCOMPARE(describe(file->connectors()),
             (QStringList{QStringLiteral("9763 proxy=80 http @28"), QStringLiteral("9443 proxy=8243 https @54")}));
}

void tst_CatalinaXml::setProxyPortUnknownConnector()
{
    const QByteArray original = readAll(kernelCatalina());
    ConfigError error;
    std::optional<CatalinaXml> file = CatalinaXml::parse(original, kernelCatalina(), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    // 9764 is the 9763 connector after an offset of 1: connectors are addressed before the offset.
    QVERIFY(!file->setProxyPort(9764, 80, &error));
    QCOMPARE(error.file, kernelCatalina());
    QVERIFY(error.message.contains(QLatin1String("9764")));
    COMPARE_BYTES(file->toBytes(), original);
}

void tst_CatalinaXml::savedFileLoadsBack()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("catalina-server.xml"));
    ConfigError error;
    std::optional<CatalinaXml> file = CatalinaXml::load(kernelCatalina(), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY(file->setProxyPort(9763, 80, &error));
    QVERIFY(file->setProxyPort(9443, 443, &error));
    QVERIFY2(file->save(path, &error), qPrintable(error.toString()));
    COMPARE_BYTES(readAll(path), file->toBytes());
    const std::optional<CatalinaXml> loaded = CatalinaXml::load(path, &error);
    QVERIFY2(loaded, qPrintable(error.toString()));
    QCOMPARE(describe(loaded->connectors()),
             (QStringList{QStringLiteral("9763 proxy=80 http @28"), QStringLiteral("9443 proxy=443 https @53")}));
}

QTEST_GUILESS_MAIN(tst_CatalinaXml)
#include "tst_catalinaxml.moc"
