// Axis2Xml: the clustering section and transport receivers of the upstream and sample files, and
// edits that change only their own bytes and read back the same from scratch.
#include "config/axis2xml.h"
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

QString upstream(const QString &relative)
{
    return QStringLiteral(TRIBUNE_TEST_DATA "/upstream/") + relative;
}

QString kernelAxis2()
{
    return upstream(QStringLiteral("carbon-kernel-4.4.x/axis2.xml"));
}

QString elbAxis2()
{
    return upstream(QStringLiteral("stratos-3.0.0-elb/axis2.xml"));
}

QString sampleAxis2(const QString &node)
{
    return QStringLiteral(TRIBUNE_SAMPLE_CLUSTER "/") + node + QLatin1String("/repository/conf/axis2/axis2.xml");
}





// Everything clustering() reports, one line per item, to compare two readings.
QStringList describe(const Axis2Clustering &c)
{
    QStringList lines;
    lines << QStringLiteral("present=%1 class=%2 enabled=%3 line=%4")
                 .arg(QLatin1String(c.present ? "yes" : "no"), c.agentClass, QLatin1String(c.enabled ? "yes" : "no"),
                      QString::number(c.line));
    for (const NamedValue &p : c.parameters)
        lines << QStringLiteral("parameter %1=%2 @%3").arg(p.name, p.value, QString::number(p.line));
    for (const NamedValue &p : c.properties)
        lines << QStringLiteral("property %1=%2 @%3").arg(p.name, p.value, QString::number(p.line));
    for (const WellKnownMember &m : c.members)
        lines << QStringLiteral("member %1:%2 @%3").arg(m.host, QString::number(m.port), QString::number(m.line));
    lines << QStringLiteral("groupManagement=%1").arg(QLatin1String(c.groupManagementEnabled ? "yes" : "no"));
    for (const ApplicationDomain &d : c.applicationDomains)
        lines << QStringLiteral("domain %1 (%2) %3 sub=%4 port=%5 @%6")
                     .arg(d.name, d.description, d.agent, d.subDomain, QString::number(d.port), QString::number(d.line));
    return lines;
}

QStringList describe(const QList<TransportReceiver> &receivers)
{
    QStringList lines;
    for (const TransportReceiver &r : receivers)
        lines << QStringLiteral("%1 %2 port=%3 @%4")
                     .arg(r.name, r.className, r.port ? QString::number(*r.port) : QStringLiteral("-"),
                          QString::number(r.line));
    return lines;
}

QStringList describe(const QList<Axis2Clustering::PortMapping> &mappings)
{
    QStringList lines;
    for (const Axis2Clustering::PortMapping &m : mappings)
        lines << QStringLiteral("%1->%2 @%3").arg(QString::number(m.loadBalancerPort), QString::number(m.memberPort),
                                                  QString::number(m.line));
    return lines;
}

QStringList memberList(const Axis2Clustering &c)
{
    QStringList list;
    for (const WellKnownMember &m : c.members)
        list << m.host + QLatin1Char(':') + QString::number(m.port);
    return list;
}

std::optional<Axis2Xml> parseFile(const QString &path, ConfigError *error)
{
    return Axis2Xml::parse(readAll(path), path, error);
}

// What the file says, for comparing a re-read with the edited original.
QStringList readBack(const Axis2Xml &file)
{
    return describe(file.clustering()) + describe(file.transportReceivers());
}

} // namespace

class tst_Axis2Xml : public QObject
{
    Q_OBJECT

private slots:
    void readsCarbonKernel();
    void readsStratosElb();
    void defaults();
    void noClusteringSection();
    void wrongDocumentElement();
    void transportReceivers_data();
    void transportReceivers();
    void readsSampleEsbManager();
    void sampleNodes_data();
    void sampleNodes();

    void setClusteringEnabled();
    void setParameterExisting();
    void setParameterNew();
    void removeParameter();
    void setPropertyExisting();
    void setPropertyNew();
    void removeProperty();
    void setWellKnownMembers();
    void editsCreateMissingSections();
    void editsWithoutClusteringFail();
    void savedFileLoadsBack();
};

void tst_Axis2Xml::readsCarbonKernel()
{
    ConfigError error;
    const std::optional<Axis2Xml> file = Axis2Xml::load(kernelAxis2(), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QCOMPARE(file->fileName(), kernelAxis2());
    const Axis2Clustering c = file->clustering();
    QVERIFY(c.present);
    QCOMPARE(c.agentClass, QStringLiteral("org.wso2.carbon.core.clustering.hazelcast.HazelcastClusteringAgent"));
    QVERIFY(!c.enabled);
    QCOMPARE(c.line, 607);
    QCOMPARE(c.membershipScheme(), QStringLiteral("multicast"));
    QCOMPARE(c.domain(), QStringLiteral("wso2.carbon.domain"));
    QCOMPARE(c.localMemberHost(), QStringLiteral("127.0.0.1"));
    QCOMPARE(c.localMemberPort(), 4000);
    // memberDropTime is not in the file: the default applies.
    QCOMPARE(c.parameter(u"memberDropTime"), nullptr);
    QCOMPARE(c.memberDropTimeMs(), 3000);

    // Only the parameters outside comments, in file order, with their lines.
    QStringList parameters;
    for (const NamedValue &p : c.parameters)
        parameters << QStringLiteral("%1=%2@%3").arg(p.name, p.value, QString::number(p.line));
    QCOMPARE(parameters, (QStringList{QStringLiteral("AvoidInitiation=true@615"),
                                      QStringLiteral("membershipScheme=multicast@630"),
                                      QStringLiteral("domain=wso2.carbon.domain@638"), QStringLiteral("mcastPort=45564@644"),
                                      QStringLiteral("mcastTTL=100@646"), QStringLiteral("mcastTimeout=60@648"),
                                      QStringLiteral("localMemberHost=127.0.0.1@659"),
                                      QStringLiteral("localMemberPort=4000@674")}));

    QCOMPARE(c.properties.size(), 3);
    QCOMPARE(c.properties.at(0).name, QStringLiteral("backendServerURL"));
    QCOMPARE(c.properties.at(0).value, QStringLiteral("https://${hostName}:${httpsPort}/services/"));
    QCOMPARE(c.properties.at(0).line, 689);
    QCOMPARE(c.properties.at(1).name, QStringLiteral("mgtConsoleURL"));
    QCOMPARE(c.properties.at(1).value, QStringLiteral("https://${hostName}:${httpsPort}/"));
    QCOMPARE(c.properties.at(2).name, QStringLiteral("subDomain"));
    QCOMPARE(c.properties.at(2).value, QStringLiteral("worker"));
    QVERIFY(c.property(u"subDomain"));
    QCOMPARE(c.property(u"subDomain")->line, 691);
    QCOMPARE(c.subDomain(), QStringLiteral("worker"));
    QVERIFY(c.portMappings().isEmpty());

    QCOMPARE(c.members.size(), 1);
    QCOMPARE(c.members.at(0).host, QStringLiteral("127.0.0.1"));
    QCOMPARE(c.members.at(0).port, 4000);
    QCOMPARE(c.members.at(0).line, 710);

    QVERIFY(!c.groupManagementEnabled);
    QCOMPARE(c.applicationDomains.size(), 1);
    const ApplicationDomain &domain = c.applicationDomains.at(0);
    QCOMPARE(domain.name, QStringLiteral("wso2.as.domain"));
    QCOMPARE(domain.description, QStringLiteral("AS group"));
    QCOMPARE(domain.agent, QStringLiteral("org.wso2.carbon.core.clustering.hazelcast.HazelcastGroupManagementAgent"));
    QCOMPARE(domain.subDomain, QStringLiteral("worker"));
    QCOMPARE(domain.port, 2222);
    QCOMPARE(domain.line, 722);
}

void tst_Axis2Xml::readsStratosElb()
{
    ConfigError error;
    const std::optional<Axis2Xml> file = Axis2Xml::load(elbAxis2(), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    const Axis2Clustering c = file->clustering();
    QVERIFY(c.present);
    QCOMPARE(c.agentClass, QStringLiteral("org.apache.axis2.clustering.tribes.TribesClusteringAgent"));
    QVERIFY(c.enabled);
    QCOMPARE(c.line, 348);
    QCOMPARE(c.membershipScheme(), QStringLiteral("wka"));
    QCOMPARE(c.domain(), QStringLiteral("lb.domain"));
    QVERIFY(c.parameter(u"memberDropTime"));
    QCOMPARE(c.parameter(u"memberDropTime")->value, QStringLiteral("3000"));
    QCOMPARE(c.parameter(u"memberDropTime")->line, 406);
    QCOMPARE(c.memberDropTimeMs(), 3000);
    QCOMPARE(c.parameterValue(u"mcastFrequency"), QStringLiteral("500"));
    // <!--parameter name="localMemberHost">...</parameter--> is a comment.
    QCOMPARE(c.parameter(u"localMemberHost"), nullptr);
    QCOMPARE(c.localMemberHost(), QString());
    QCOMPARE(c.localMemberPort(), 4000);
    QCOMPARE(c.parameter(u"localMemberPort")->line, 423);

    QStringList names;
    for (const NamedValue &p : c.parameters)
        names << p.name;
    QCOMPARE(names, (QStringList{QStringLiteral("AvoidInitiation"), QStringLiteral("membershipScheme"),
                                 QStringLiteral("domain"), QStringLiteral("synchronizeAll"), QStringLiteral("maxRetries"),
                                 QStringLiteral("mcastAddress"), QStringLiteral("mcastPort"),
                                 QStringLiteral("mcastFrequency"), QStringLiteral("memberDropTime"),
                                 QStringLiteral("mcastBindAddress"), QStringLiteral("localMemberPort"),
                                 QStringLiteral("preserveMessageOrder"), QStringLiteral("atmostOnceMessageSemantics")}));
    QVERIFY(c.properties.isEmpty());
    QCOMPARE(c.subDomain(), QString());
    QVERIFY(c.portMappings().isEmpty());
    QVERIFY(c.members.isEmpty());
    QVERIFY(!c.groupManagementEnabled);
    QVERIFY(c.applicationDomains.isEmpty());
}

void tst_Axis2Xml::defaults()
{
    ConfigError error;
    const std::optional<Axis2Xml> file = Axis2Xml::parse(
        QByteArray("<axisconfig>\n"
                   "    <clustering class=\"org.apache.axis2.clustering.tribes.TribesClusteringAgent\" enable=\" TRUE \">\n"
                   "        <parameter name=\"domain\">  spaced.domain  </parameter>\n"
                   "        <parameter name=\"memberDropTime\">soon</parameter>\n"
                   "    </clustering>\n"
                   "</axisconfig>\n"),
        QStringLiteral("inline.xml"), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    const Axis2Clustering c = file->clustering();
    QVERIFY(c.present);
    QVERIFY(c.enabled);
    QCOMPARE(c.domain(), QStringLiteral("spaced.domain"));
    QCOMPARE(c.membershipScheme(), QString());
    QCOMPARE(c.localMemberPort(), Axis2Clustering::DefaultMemberPort);
    QCOMPARE(c.localMemberPort(), 4000);
    // An unreadable value counts as absent.
    QCOMPARE(c.memberDropTimeMs(), Axis2Clustering::DefaultMemberDropTimeMs);
    QCOMPARE(c.memberDropTimeMs(), 3000);
    QVERIFY(c.members.isEmpty());
    QVERIFY(!c.groupManagementEnabled);
    QVERIFY(file->transportReceivers().isEmpty());
}

void tst_Axis2Xml::noClusteringSection()
{
    ConfigError error;
    const std::optional<Axis2Xml> file =
        Axis2Xml::parse(QByteArray("<axisconfig name=\"AxisJava2.0\">\n</axisconfig>\n"), QStringLiteral("x.xml"), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    const Axis2Clustering c = file->clustering();
    QVERIFY(!c.present);
    QVERIFY(!c.enabled);
    QCOMPARE(c.line, 0);
    QCOMPARE(c.memberDropTimeMs(), 3000);
    QCOMPARE(c.localMemberPort(), 4000);
}

void tst_Axis2Xml::wrongDocumentElement()
{
    ConfigError error;
    QVERIFY(!Axis2Xml::parse(readAll(upstream(QStringLiteral("carbon-kernel-4.4.x/carbon.xml"))),
                             QStringLiteral("carbon.xml"), &error));
    QCOMPARE(error.file, QStringLiteral("carbon.xml"));
    QVERIFY(error.line > 0);
    QVERIFY2(error.message.contains(QLatin1String("axisconfig")), qPrintable(error.message));

    error = {};
    QVERIFY(!Axis2Xml::load(upstream(QStringLiteral("absent/axis2.xml")), &error));
    QVERIFY(!error.message.isEmpty());
    error = {};
    QVERIFY(!Axis2Xml::parse(QByteArray("<axisconfig>\n<clustering>\n</axisconfig>\n"), QStringLiteral("b.xml"), &error));
    QCOMPARE(error.line, 3);
}

void tst_Axis2Xml::transportReceivers_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("carbon-kernel")
        << kernelAxis2()
        << QStringList{QStringLiteral("http org.wso2.carbon.core.transports.http.HttpTransportListener port=9763 @237"),
                       QStringLiteral("https org.wso2.carbon.core.transports.http.HttpsTransportListener port=9443 @280"),
                       QStringLiteral("local org.wso2.carbon.core.transports.local.CarbonLocalTransportReceiver port=- @391")};
    QTest::newRow("stratos-elb")
        << elbAxis2()
        << QStringList{QStringLiteral("http org.apache.synapse.transport.nhttp.HttpCoreNIOListener port=8280 @247"),
                       QStringLiteral("https org.apache.synapse.transport.nhttp.HttpCoreNIOSSLListener port=8243 @256")};
    QTest::newRow("sample esb-manager")
        << sampleAxis2(QStringLiteral("esb-manager"))
        << QStringList{QStringLiteral("http org.apache.synapse.transport.nhttp.HttpCoreNIOListener port=8280 @41"),
                       QStringLiteral("https org.apache.synapse.transport.nhttp.HttpCoreNIOSSLListener port=8243 @51")};
}

void tst_Axis2Xml::transportReceivers()
{
    QFETCH(QString, path);
    QFETCH(QStringList, expected);
    ConfigError error;
    const std::optional<Axis2Xml> file = Axis2Xml::load(path, &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QCOMPARE(describe(file->transportReceivers()), expected);
}

void tst_Axis2Xml::readsSampleEsbManager()
{
    ConfigError error;
    const std::optional<Axis2Xml> file = Axis2Xml::load(sampleAxis2(QStringLiteral("esb-manager")), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    const Axis2Clustering c = file->clustering();
    QVERIFY(c.enabled);
    QCOMPARE(c.agentClass, QStringLiteral("org.apache.axis2.clustering.tribes.TribesClusteringAgent"));
    QCOMPARE(c.membershipScheme(), QStringLiteral("wka"));
    QCOMPARE(c.domain(), QStringLiteral("wso2.esb.domain"));
    QCOMPARE(c.localMemberHost(), QStringLiteral("127.0.0.1"));
    QCOMPARE(c.localMemberPort(), 4001);
    QCOMPARE(c.memberDropTimeMs(), 3000);
    QCOMPARE(c.subDomain(), QStringLiteral("mgt"));
    QCOMPARE(describe(c.portMappings()), (QStringList{QStringLiteral("80->9764 @182"), QStringLiteral("443->9444 @183")}));
    QCOMPARE(c.properties.size(), 5);
    QCOMPARE(memberList(c), QStringList{QStringLiteral("127.0.0.1:4000")});
    QCOMPARE(c.members.at(0).line, 191);
    QVERIFY(!c.groupManagementEnabled);
    QCOMPARE(c.applicationDomains.size(), 1);
    QCOMPARE(c.applicationDomains.at(0).name, QStringLiteral("wso2.esb.domain"));
    QCOMPARE(c.applicationDomains.at(0).description, QStringLiteral("ESB group"));
    QCOMPARE(c.applicationDomains.at(0).subDomain, QString());
    QCOMPARE(c.applicationDomains.at(0).port, 0);
}

void tst_Axis2Xml::sampleNodes_data()
{
    QTest::addColumn<QString>("node");
    QTest::addColumn<QString>("domain");
    QTest::addColumn<QString>("subDomain");
    QTest::addColumn<int>("memberPort");
    QTest::addColumn<QStringList>("members");

    const QString esb = QStringLiteral("wso2.esb.domain");
    const QString greg = QStringLiteral("wso2.governance.domain");
    const QStringList esbWorkers{QStringLiteral("127.0.0.1:4000"), QStringLiteral("127.0.0.1:4001")};
    const QStringList gregMembers{QStringLiteral("127.0.0.1:4000"), QStringLiteral("127.0.0.1:4250")};
    QTest::newRow("lb") << QStringLiteral("lb") << QStringLiteral("wso2.carbon.lb.domain") << QString() << 4000
                        << QStringList();
    QTest::newRow("esb-manager") << QStringLiteral("esb-manager") << esb << QStringLiteral("mgt") << 4001
                                 << QStringList{QStringLiteral("127.0.0.1:4000")};
    QTest::newRow("esb-worker1") << QStringLiteral("esb-worker1") << esb << QStringLiteral("worker") << 4000 << esbWorkers;
    QTest::newRow("esb-worker2") << QStringLiteral("esb-worker2") << esb << QStringLiteral("worker") << 4002 << esbWorkers;
    QTest::newRow("esb-worker3") << QStringLiteral("esb-worker3") << esb << QStringLiteral("worker") << 4001 << esbWorkers;
    QTest::newRow("greg1") << QStringLiteral("greg1") << greg << QString() << 4250 << gregMembers;
    QTest::newRow("greg2") << QStringLiteral("greg2") << greg << QString() << 4251 << gregMembers;
    QTest::newRow("greg3") << QStringLiteral("greg3") << greg << QString() << 4252 << gregMembers;
}

void tst_Axis2Xml::sampleNodes()
{
    QFETCH(QString, node);
    QFETCH(QString, domain);
    QFETCH(QString, subDomain);
    QFETCH(int, memberPort);
    QFETCH(QStringList, members);
    ConfigError error;
    const std::optional<Axis2Xml> file = Axis2Xml::load(sampleAxis2(node), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    const Axis2Clustering c = file->clustering();
    QVERIFY(c.enabled);
    QCOMPARE(c.membershipScheme(), QStringLiteral("wka"));
    QCOMPARE(c.domain(), domain);
    QCOMPARE(c.subDomain(), subDomain);
    QCOMPARE(c.localMemberPort(), memberPort);
    QCOMPARE(memberList(c), members);
}

void tst_Axis2Xml::setClusteringEnabled()
{
    const QByteArray original = readAll(kernelAxis2());
    ConfigError error;
    std::optional<Axis2Xml> file = parseFile(kernelAxis2(), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY2(file->setClusteringEnabled(true, &error), qPrintable(error.toString()));
    const QByteArray expected = replaceUnique(original, "HazelcastClusteringAgent\"\r\n                enable=\"false\">",
                                              "HazelcastClusteringAgent\"\r\n                enable=\"true\">");
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(file->toBytes(), expected);
    QVERIFY(file->clustering().enabled);
    // Nothing else moved: groupManagement stays disabled.
    QVERIFY(!file->clustering().groupManagementEnabled);
    VERIFY_REREAD(*file, readBack);

    QVERIFY(file->setClusteringEnabled(true, &error));
    COMPARE_BYTES(file->toBytes(), expected);
    QVERIFY(file->setClusteringEnabled(false, &error));
    COMPARE_BYTES(file->toBytes(), original);
    QVERIFY(!file->clustering().enabled);
}

void tst_Axis2Xml::setParameterExisting()
{
    const QByteArray original = readAll(kernelAxis2());
    ConfigError error;
    std::optional<Axis2Xml> file = parseFile(kernelAxis2(), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY2(file->setParameter(QStringLiteral("localMemberPort"), QStringLiteral("4100"), &error),
             qPrintable(error.toString()));
    QVERIFY2(file->setParameter(QStringLiteral("membershipScheme"), QStringLiteral("wka"), &error),
             qPrintable(error.toString()));
    QByteArray expected = replaceUnique(original, "<parameter name=\"localMemberPort\">4000</parameter>",
                                        "<parameter name=\"localMemberPort\">4100</parameter>");
    expected = replaceUnique(expected, "<parameter name=\"membershipScheme\">multicast</parameter>",
                             "<parameter name=\"membershipScheme\">wka</parameter>");
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(file->toBytes(), expected);

    const Axis2Clustering c = file->clustering();
    QCOMPARE(c.localMemberPort(), 4100);
    QCOMPARE(c.membershipScheme(), QStringLiteral("wka"));
    QCOMPARE(c.parameter(u"localMemberPort")->line, 674);
    QCOMPARE(c.parameters.size(), 8);
    VERIFY_REREAD(*file, readBack);
}

void tst_Axis2Xml::setParameterNew()
{
    const QByteArray original = readAll(kernelAxis2());
    ConfigError error;
    std::optional<Axis2Xml> file = parseFile(kernelAxis2(), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY2(file->setParameter(QStringLiteral("memberDropTime"), QStringLiteral("5000"), &error),
             qPrintable(error.toString()));
    // After the last plain parameter (localMemberPort), not after "properties"; indented like it, CRLF.
    const QByteArray expected = replaceUnique(original, "        <parameter name=\"localMemberPort\">4000</parameter>\r\n",
                                              "        <parameter name=\"localMemberPort\">4000</parameter>\r\n"
                                              "        <parameter name=\"memberDropTime\">5000</parameter>\r\n");
    QVERIFY(!expected.isEmpty());
    const QByteArray actual = file->toBytes();
    COMPARE_BYTES(actual, expected);
    QCOMPARE(actual.count('\n'), actual.count("\r\n"));

    const Axis2Clustering c = file->clustering();
    QCOMPARE(c.memberDropTimeMs(), 5000);
    QCOMPARE(c.parameter(u"memberDropTime")->line, 675);
    QCOMPARE(c.parameters.size(), 9);
    QCOMPARE(c.parameters.last().name, QStringLiteral("memberDropTime"));
    // Lines after the insertion moved down by one.
    QCOMPARE(c.members.at(0).line, 711);
    VERIFY_REREAD(*file, readBack);
}

void tst_Axis2Xml::removeParameter()
{
    const QByteArray original = readAll(kernelAxis2());
    ConfigError error;
    std::optional<Axis2Xml> file = parseFile(kernelAxis2(), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY2(file->removeParameter(QStringLiteral("mcastTTL"), &error), qPrintable(error.toString()));
    const QByteArray expected =
        replaceUnique(original, "        <parameter name=\"mcastTTL\">100</parameter>\r\n", QByteArray());
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(file->toBytes(), expected);
    QCOMPARE(file->clustering().parameter(u"mcastTTL"), nullptr);
    VERIFY_REREAD(*file, readBack);

    error = {};
    QVERIFY(!file->removeParameter(QStringLiteral("mcastTTL"), &error));
    QVERIFY(error.message.contains(QLatin1String("mcastTTL")));
    COMPARE_BYTES(file->toBytes(), expected);
}

void tst_Axis2Xml::setPropertyExisting()
{
    const QByteArray original = readAll(kernelAxis2());
    ConfigError error;
    std::optional<Axis2Xml> file = parseFile(kernelAxis2(), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY2(file->setProperty(QStringLiteral("subDomain"), QStringLiteral("mgt"), &error), qPrintable(error.toString()));
    const QByteArray expected = replaceUnique(original, "<property name=\"subDomain\" value=\"worker\"/>",
                                              "<property name=\"subDomain\" value=\"mgt\"/>");
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(file->toBytes(), expected);
    QCOMPARE(file->clustering().subDomain(), QStringLiteral("mgt"));
    QCOMPARE(file->clustering().properties.size(), 3);
    VERIFY_REREAD(*file, readBack);
}

void tst_Axis2Xml::setPropertyNew()
{
    const QByteArray original = readAll(kernelAxis2());
    ConfigError error;
    std::optional<Axis2Xml> file = parseFile(kernelAxis2(), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY2(file->setProperty(QStringLiteral("port.mapping.80"), QStringLiteral("9763"), &error),
             qPrintable(error.toString()));
    QVERIFY2(file->setProperty(QStringLiteral("port.mapping.443"), QStringLiteral("9443"), &error),
             qPrintable(error.toString()));
    QVERIFY2(file->setProperty(QStringLiteral("note"), QStringLiteral("a&b \"c\""), &error),
             qPrintable(error.toString()));
    const QByteArray expected =
        replaceUnique(original, "            <property name=\"subDomain\" value=\"worker\"/>\r\n",
                      "            <property name=\"subDomain\" value=\"worker\"/>\r\n"
                      "            <property name=\"port.mapping.80\" value=\"9763\"/>\r\n"
                      "            <property name=\"port.mapping.443\" value=\"9443\"/>\r\n"
                      "            <property name=\"note\" value=\"a&amp;b &quot;c&quot;\"/>\r\n");
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(file->toBytes(), expected);

    const Axis2Clustering c = file->clustering();
    QCOMPARE(describe(c.portMappings()), (QStringList{QStringLiteral("80->9763 @692"), QStringLiteral("443->9443 @693")}));
    QCOMPARE(c.property(u"note")->value, QStringLiteral("a&b \"c\""));
    QCOMPARE(c.subDomain(), QStringLiteral("worker"));
    VERIFY_REREAD(*file, readBack);
}

void tst_Axis2Xml::removeProperty()
{
    const QByteArray original = readAll(kernelAxis2());
    ConfigError error;
    std::optional<Axis2Xml> file = parseFile(kernelAxis2(), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY2(file->removeProperty(QStringLiteral("mgtConsoleURL"), &error), qPrintable(error.toString()));
    const QByteArray expected = replaceUnique(
        original, "            <property name=\"mgtConsoleURL\" value=\"https://${hostName}:${httpsPort}/\"/>\r\n",
        QByteArray());
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(file->toBytes(), expected);
    const Axis2Clustering c = file->clustering();
    QCOMPARE(c.property(u"mgtConsoleURL"), nullptr);
    QCOMPARE(c.properties.size(), 2);
    QCOMPARE(c.property(u"subDomain")->line, 690);
    VERIFY_REREAD(*file, readBack);

    error = {};
    QVERIFY(!file->removeProperty(QStringLiteral("mgtConsoleURL"), &error));
    QVERIFY(!error.message.isEmpty());
    COMPARE_BYTES(file->toBytes(), expected);
}

void tst_Axis2Xml::setWellKnownMembers()
{
    const QByteArray original = readAll(kernelAxis2());
    ConfigError error;
    std::optional<Axis2Xml> file = parseFile(kernelAxis2(), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY2(file->setWellKnownMembers({{QStringLiteral("10.0.0.1"), 4000, 0}, {QStringLiteral("10.0.0.2"), 4001, 0}},
                                       &error),
             qPrintable(error.toString()));
    const QByteArray expected = replaceUnique(original,
                                              "        <members>\r\n"
                                              "            <member>\r\n"
                                              "                <hostName>127.0.0.1</hostName>\r\n"
                                              "                <port>4000</port>\r\n"
                                              "            </member>\r\n"
                                              "        </members>\r\n",
                                              "        <members>\r\n"
                                              "            <member>\r\n"
                                              "                <hostName>10.0.0.1</hostName>\r\n"
                                              "                <port>4000</port>\r\n"
                                              "            </member>\r\n"
                                              "            <member>\r\n"
                                              "                <hostName>10.0.0.2</hostName>\r\n"
                                              "                <port>4001</port>\r\n"
                                              "            </member>\r\n"
                                              "        </members>\r\n");
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(file->toBytes(), expected);

    const Axis2Clustering c = file->clustering();
    QCOMPARE(memberList(c), (QStringList{QStringLiteral("10.0.0.1:4000"), QStringLiteral("10.0.0.2:4001")}));
    QCOMPARE(c.members.at(0).line, 710);
    QCOMPARE(c.members.at(1).line, 714);
    QCOMPARE(c.applicationDomains.at(0).line, 726);
    VERIFY_REREAD(*file, readBack);

    // Back to the original single member: the original bytes.
    QVERIFY2(file->setWellKnownMembers({{QStringLiteral("127.0.0.1"), 4000, 0}}, &error), qPrintable(error.toString()));
    COMPARE_BYTES(file->toBytes(), original);

    // No members at all leaves an empty list.
    QVERIFY2(file->setWellKnownMembers({}, &error), qPrintable(error.toString()));
    QVERIFY(file->clustering().members.isEmpty());
    VERIFY_REREAD(*file, readBack);
}

void tst_Axis2Xml::editsCreateMissingSections()
{
    // The ELB file has neither member properties nor a members list.
    const QByteArray original = readAll(elbAxis2());
    ConfigError error;
    std::optional<Axis2Xml> file = parseFile(elbAxis2(), &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY2(file->setProperty(QStringLiteral("subDomain"), QStringLiteral("worker"), &error),
             qPrintable(error.toString()));
    QVERIFY2(file->setWellKnownMembers({{QStringLiteral("127.0.0.1"), 4000, 0}}, &error), qPrintable(error.toString()));
    QVERIFY2(file->setParameter(QStringLiteral("localMemberHost"), QStringLiteral("10.0.0.5"), &error),
             qPrintable(error.toString()));

    QByteArray expected = replaceUnique(original, "        </stateManager>\n    </clustering>\n",
                                        "        </stateManager>\n"
                                        "        <parameter name=\"properties\">\n"
                                        "            <property name=\"subDomain\" value=\"worker\"/>\n"
                                        "        </parameter>\n"
                                        "        <members>\n"
                                        "            <member>\n"
                                        "                <hostName>127.0.0.1</hostName>\n"
                                        "                <port>4000</port>\n"
                                        "            </member>\n"
                                        "        </members>\n"
                                        "    </clustering>\n");
    expected = replaceUnique(expected, "        <parameter name=\"atmostOnceMessageSemantics\">false</parameter>\n",
                             "        <parameter name=\"atmostOnceMessageSemantics\">false</parameter>\n"
                             "        <parameter name=\"localMemberHost\">10.0.0.5</parameter>\n");
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(file->toBytes(), expected);

    const Axis2Clustering c = file->clustering();
    QCOMPARE(c.subDomain(), QStringLiteral("worker"));
    QCOMPARE(memberList(c), QStringList{QStringLiteral("127.0.0.1:4000")});
    QCOMPARE(c.localMemberHost(), QStringLiteral("10.0.0.5"));
    VERIFY_REREAD(*file, readBack);
}

void tst_Axis2Xml::editsWithoutClusteringFail()
{
    const QByteArray original("<axisconfig name=\"AxisJava2.0\">\n</axisconfig>\n");
    ConfigError error;
    std::optional<Axis2Xml> file = Axis2Xml::parse(original, QStringLiteral("x.xml"), &error);
    QVERIFY2(file, qPrintable(error.toString()));

    error = {};
    QVERIFY(!file->setClusteringEnabled(true, &error));
    QCOMPARE(error.file, QStringLiteral("x.xml"));
    QVERIFY(error.message.contains(QLatin1String("clustering")));
    error = {};
    QVERIFY(!file->setParameter(QStringLiteral("domain"), QStringLiteral("d"), &error));
    QVERIFY(!error.message.isEmpty());
    error = {};
    QVERIFY(!file->setProperty(QStringLiteral("subDomain"), QStringLiteral("mgt"), &error));
    QVERIFY(!error.message.isEmpty());
    error = {};
    QVERIFY(!file->setWellKnownMembers({{QStringLiteral("h"), 1, 0}}, &error));
    QVERIFY(!error.message.isEmpty());
    error = {};
    QVERIFY(!file->removeParameter(QStringLiteral("domain"), &error));
    QVERIFY(!error.message.isEmpty());
    error = {};
    QVERIFY(!file->removeProperty(QStringLiteral("subDomain"), &error));
    QVERIFY(!error.message.isEmpty());
    COMPARE_BYTES(file->toBytes(), original);
}

void tst_Axis2Xml::savedFileLoadsBack()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("axis2.xml"));
    QVERIFY(QFile::copy(sampleAxis2(QStringLiteral("esb-worker1")), path));

    ConfigError error;
    std::optional<Axis2Xml> file = Axis2Xml::load(path, &error);
    QVERIFY2(file, qPrintable(error.toString()));
    QVERIFY(file->setProperty(QStringLiteral("subDomain"), QStringLiteral("mgt"), &error));
    QVERIFY(file->setParameter(QStringLiteral("localMemberPort"), QStringLiteral("4005"), &error));
    QVERIFY(file->setWellKnownMembers({{QStringLiteral("127.0.0.1"), 4000, 0}}, &error));
    QVERIFY2(file->save(path, &error), qPrintable(error.toString()));
    COMPARE_BYTES(readAll(path), file->toBytes());

    const std::optional<Axis2Xml> loaded = Axis2Xml::load(path, &error);
    QVERIFY2(loaded, qPrintable(error.toString()));
    QCOMPARE(describe(loaded->clustering()), describe(file->clustering()));
    QCOMPARE(loaded->clustering().subDomain(), QStringLiteral("mgt"));
    QCOMPARE(loaded->clustering().localMemberPort(), 4005);
    QCOMPARE(memberList(loaded->clustering()), QStringList{QStringLiteral("127.0.0.1:4000")});
}

QTEST_GUILESS_MAIN(tst_Axis2Xml)
#include "tst_axis2xml.moc"
