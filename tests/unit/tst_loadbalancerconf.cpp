#include "config/configerror.h"
#include "config/loadbalancerconf.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Tribune::Config;

namespace {

QString upstream(const char *name)
{
    return QStringLiteral(TRIBUNE_TEST_DATA "/upstream/stratos-3.0.0-elb/") + QLatin1String(name);
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString describe(const LbSubDomainGroup &g)
{
    return QStringLiteral("%1/%2/%3 hosts=%4 range=%5 port=%6 line=%7")
        .arg(g.service, g.domain, g.subDomain, g.hosts.join(u','), g.tenantRange.toString(),
             g.groupMgtPort ? QString::number(*g.groupMgtPort) : QStringLiteral("-"),
             QString::number(g.line));
}

QStringList describeAll(const QList<LbSubDomainGroup> &groups)
{
    QStringList result;
    for (const LbSubDomainGroup &g : groups)
        result << describe(g);
    return result;
}

LoadBalancerConf parsed(const QString &text)
{
    ConfigError error;
    std::optional<LoadBalancerConf> conf = LoadBalancerConf::parse(text, QStringLiteral("test.conf"), &error);
    if (!conf)
        qFatal("fixture does not parse: %s", qPrintable(error.toString()));
    return *conf;
}

QString upstreamText(const char *name) { return QString::fromUtf8(readAll(upstream(name))); }

// The governance guide's snippet (nested dialect). The guide's page shows it flattened onto one
// line, where "#url_suffix ...;" would comment out the rest; here it is on its original lines.
const char governanceSeedLine[] =
    "governance { hosts governance.cloud-test.wso2.com; #url_suffix governance.wso2.com; domains { "
    "wso2.governance.domain { tenant_range *; group_mgt_port 4000; mgt{ hosts governance.cluster.wso2.com; } } } }";
const char governanceSeed[] = "services {\n"
                              "    governance {\n"
                              "        hosts governance.cloud-test.wso2.com;\n"
                              "        #url_suffix governance.wso2.com;\n"
                              "        domains {\n"
                              "            wso2.governance.domain {\n"
                              "                tenant_range *;\n"
                              "                group_mgt_port 4000;\n"
                              "                mgt{\n"
                              "                    hosts governance.cluster.wso2.com;\n"
                              "                }\n"
                              "            }\n"
                              "        }\n"
                              "    }\n"
                              "}\n";
// The same, kept on one line without the comment (one-line block style).
const char governanceOneLine[] =
    "services {\n"
    "    governance { hosts governance.cloud-test.wso2.com; domains { wso2.governance.domain { tenant_range *; "
    "group_mgt_port 4000; mgt{ hosts governance.cluster.wso2.com; } } } }\n"
    "}\n";

// The ESB clustering guide's snippet: repeated domain blocks, one per sub-domain.
const char esbSeed[] = "services {\n"
                       "    esb {\n"
                       "           domains   {\n"
                       "               wso2.esb.domain {\n"
                       "                   hosts mgt.esb.wso2.com;\n"
                       "                   sub_domain mgt;\n"
                       "                   tenant_range    *;\n"
                       "               }\n"
                       "               wso2.esb.domain {\n"
                       "                   hosts worker.esb.wso2.com;\n"
                       "                   sub_domain worker;\n"
                       "                   tenant_range    *;\n"
                       "               }\n"
                       "           }\n"
                       "       }\n"
                       "}\n";

const char nestedMultiLine[] = "services {\n"
                               "    esb {\n"
                               "        hosts esb.example.com;\n"
                               "        domains {\n"
                               "            wso2.esb.domain {\n"
                               "                tenant_range 1-100;\n"
                               "                group_mgt_port 4100;\n"
                               "                mgt {\n"
                               "                    hosts mgt.esb.example.com;\n"
                               "                }\n"
                               "                worker {\n"
                               "                    hosts worker.esb.example.com,worker2.esb.example.com;\n"
                               "                }\n"
                               "            }\n"
                               "        }\n"
                               "    }\n"
                               "}\n";

const char commented[] = "services {\n"
                         "    appserver {\n"
                         "        hosts as.example.com;\n"
                         "        domains {\n"
                         "            wso2.as.domain {\n"
                         "                tenant_range 1-5; # tenants of team A\n"
                         "                sub_domain worker;\n"
                         "            }\n"
                         "        }\n"
                         "    }\n"
                         "}\n";

// A file whose fifth line (column 17) is the given statement inside a domain block.
QString domainWith(const char *statement)
{
    return QStringLiteral("services {\n    as {\n        domains {\n            d {\n                ")
        + QLatin1String(statement) + QStringLiteral("\n            }\n        }\n    }\n}\n");
}

} // namespace

class TestLoadBalancerConf : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip_data();
    void roundTrip();
    void upstreamGroups();
    void testcaseGroups();
    void nestedDialect_data();
    void nestedDialect();
    void tenantRangeParse_data();
    void tenantRangeParse();
    void tenantRangeOverlap_data();
    void tenantRangeOverlap();
    void setValueKeepsComment();
    void setDomainValue();
    void setDomainValueNested();
    void addDomain();
    void addDomainCrlf();
    void addDomainOneLineAndWithoutDomainsBlock();
    void addDomainRefused();
    void removeDomain();
    void removeNestedSubDomain();
    void genericEdits();
    void refusedEditsLeaveText();
    void errors_data();
    void errors();
    void loadErrors();
};

void TestLoadBalancerConf::roundTrip_data()
{
    QTest::addColumn<QByteArray>("bytes");
    const QByteArray testcase = readAll(upstream("loadbalancer-testcase.conf"));
    QVERIFY(!testcase.isEmpty());
    QTest::newRow("upstream loadbalancer.conf") << readAll(upstream("loadbalancer.conf"));
    QTest::newRow("upstream testcase") << testcase;
    QTest::newRow("testcase CRLF") << QByteArray(testcase).replace("\n", "\r\n");
    QTest::newRow("testcase with BOM") << QByteArray("\xEF\xBB\xBF") + testcase;
    QTest::newRow("governance seed") << QByteArray(governanceSeed);
    QTest::newRow("governance one line") << QByteArray(governanceOneLine);
    QTest::newRow("esb seed") << QByteArray(esbSeed);
    QTest::newRow("nested multi-line") << QByteArray(nestedMultiLine);
    QTest::newRow("no final newline") << QByteArray("loadbalancer {\n\tinstances 1; # one\n}");
    QTest::newRow("comments only") << QByteArray("# nothing here\n\n#\n");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("non-ASCII comment") << QByteArray("# r\xC3\xA9partiteur\nservices { }\n");
}

void TestLoadBalancerConf::roundTrip()
{
    QFETCH(QByteArray, bytes);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString in = dir.filePath(QStringLiteral("in.conf"));
    const QString out = dir.filePath(QStringLiteral("out.conf"));
    QFile file(in);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
    file.close();

    ConfigError error;
    const std::optional<LoadBalancerConf> conf = LoadBalancerConf::load(in, &error);
    QVERIFY2(conf, qPrintable(error.toString()));
    QCOMPARE(conf->toBytes(), bytes);
    QVERIFY2(conf->save(out, &error), qPrintable(error.toString()));
    QCOMPARE(readAll(out), bytes);
}

void TestLoadBalancerConf::upstreamGroups()
{
    ConfigError error;
    const std::optional<LoadBalancerConf> conf = LoadBalancerConf::load(upstream("loadbalancer.conf"), &error);
    QVERIFY2(conf, qPrintable(error.toString()));
    QCOMPARE(conf->services(), QStringList{QStringLiteral("appserver")});
    QCOMPARE(describeAll(conf->groups()),
             QStringList{QStringLiteral("appserver/aaa.appserver.domain.bbb/ hosts=appserver.cloud-test.wso2.com.aaa.demo "
                                        "range=* port=- line=66")});
    const LbConfNode *lb = conf->root().block(u"loadbalancer");
    QVERIFY(lb);
    QCOMPARE(lb->statement(u"server_startup_delay")->value, QStringLiteral("600000"));
    QCOMPARE(lb->statement(u"session_timeout")->value, QStringLiteral("90000"));
    QVERIFY(!lb->statement(u"mb_server_url")); // commented out
}

void TestLoadBalancerConf::testcaseGroups()
{
    ConfigError error;
    const std::optional<LoadBalancerConf> conf = LoadBalancerConf::load(upstream("loadbalancer-testcase.conf"), &error);
    QVERIFY2(conf, qPrintable(error.toString()));
    QCOMPARE(conf->services(), (QStringList{QStringLiteral("appserver"), QStringLiteral("esb")}));
    const QStringList expected{
        QStringLiteral("appserver/wso2.as1.domain/worker hosts=as2.cloud-test.wso2.com range=1-5 port=- line=47"),
        QStringLiteral("appserver/wso2.as2.domain/worker1 hosts=appserver.cloud-test.wso2.com,as.cloud-test.wso2.com "
                       "range=7 port=- line=53"),
        QStringLiteral("appserver/wso2.as3.domain/nirmal hosts=appserver.cloud-test.wso2.com,as.cloud-test.wso2.com "
                       "range=10-20 port=- line=56"),
        QStringLiteral("appserver/wso2.as3.domain/nirmal2 hosts=appserver.cloud-test.wso2.com,as.cloud-test.wso2.com "
                       "range=21-25 port=- line=61"),
        QStringLiteral("appserver/wso2.esb.domain/nirmal hosts=appserver.cloud-test.wso2.com,as.cloud-test.wso2.com "
                       "range=* port=- line=66"),
        QStringLiteral("esb/wso2.esb.domain/mgt hosts=esb.cloud-test.wso2.com,mgt.as.cloud-test.wso2.com "
                       "range=* port=- line=76"),
    };
    QCOMPARE(describeAll(conf->groups()), expected);
    const QList<LbSubDomainGroup> groups = conf->groups();
    QCOMPARE(groups.at(0).tenantRange, (TenantRange{false, 1, 5}));
    QCOMPARE(groups.at(1).tenantRange, (TenantRange{false, 7, 7}));
    QVERIFY(groups.at(4).tenantRange.all);
}

void TestLoadBalancerConf::nestedDialect_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("governance seed")
        << QString::fromLatin1(governanceSeed)
        << QStringList{QStringLiteral("governance/wso2.governance.domain/mgt hosts=governance.cluster.wso2.com "
                                      "range=* port=4000 line=9")};
    QTest::newRow("governance one line")
        << QString::fromLatin1(governanceOneLine)
        << QStringList{QStringLiteral("governance/wso2.governance.domain/mgt hosts=governance.cluster.wso2.com "
                                      "range=* port=4000 line=2")};
    QTest::newRow("esb seed (repeated domains)")
        << QString::fromLatin1(esbSeed)
        << QStringList{QStringLiteral("esb/wso2.esb.domain/mgt hosts=mgt.esb.wso2.com range=* port=- line=4"),
                       QStringLiteral("esb/wso2.esb.domain/worker hosts=worker.esb.wso2.com range=* port=- line=9")};
    QTest::newRow("nested multi-line")
        << QString::fromLatin1(nestedMultiLine)
        << QStringList{QStringLiteral("esb/wso2.esb.domain/mgt hosts=mgt.esb.example.com range=1-100 port=4100 line=8"),
                       QStringLiteral("esb/wso2.esb.domain/worker hosts=worker.esb.example.com,worker2.esb.example.com "
                                      "range=1-100 port=4100 line=11")};
    QTest::newRow("defaults and service values inherited")
        << QStringLiteral("services {\n defaults { tenant_range 3-4; group_mgt_port 4500; }\n"
                          " as { hosts a.com b.com; domains { d { } } }\n}\n")
        << QStringList{QStringLiteral("as/d/ hosts=a.com,b.com range=3-4 port=4500 line=3")};
}

void TestLoadBalancerConf::nestedDialect()
{
    QFETCH(QString, text);
    QFETCH(QStringList, expected);
    QCOMPARE(describeAll(parsed(text).groups()), expected);
}

void TestLoadBalancerConf::tenantRangeParse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("normalized");
    QTest::newRow("all") << QStringLiteral("*") << true << QStringLiteral("*");
    QTest::newRow("one") << QStringLiteral("7") << true << QStringLiteral("7");
    QTest::newRow("zero") << QStringLiteral("0") << true << QStringLiteral("0");
    QTest::newRow("range") << QStringLiteral("10-20") << true << QStringLiteral("10-20");
    QTest::newRow("spaced range") << QStringLiteral(" 10 - 20 ") << true << QStringLiteral("10-20");
    QTest::newRow("single-id range") << QStringLiteral("5-5") << true << QStringLiteral("5");
    QTest::newRow("reversed") << QStringLiteral("5-1") << false << QString();
    QTest::newRow("negative") << QStringLiteral("-3") << false << QString();
    QTest::newRow("signed") << QStringLiteral("+3") << false << QString();
    QTest::newRow("word") << QStringLiteral("all") << false << QString();
    QTest::newRow("empty") << QString() << false << QString();
    QTest::newRow("open end") << QStringLiteral("1-") << false << QString();
    QTest::newRow("three parts") << QStringLiteral("1-2-3") << false << QString();
    QTest::newRow("list") << QStringLiteral("1,2") << false << QString();
    QTest::newRow("overflow") << QStringLiteral("99999999999") << false << QString();
    QTest::newRow("star and number") << QStringLiteral("*-5") << false << QString();
}

void TestLoadBalancerConf::tenantRangeParse()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(QString, normalized);
    QString why;
    const std::optional<TenantRange> range = TenantRange::parse(text, &why);
    QCOMPARE(range.has_value(), valid);
    if (valid) {
        QCOMPARE(range->toString(), normalized);
        QVERIFY(why.isEmpty());
    } else {
        QVERIFY(why.contains(QLatin1String("tenant_range")));
    }
}

void TestLoadBalancerConf::tenantRangeOverlap_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<bool>("overlaps");
    QTest::newRow("all/all") << QStringLiteral("*") << QStringLiteral("*") << true;
    QTest::newRow("all/one") << QStringLiteral("*") << QStringLiteral("7") << true;
    QTest::newRow("one/all") << QStringLiteral("7") << QStringLiteral("*") << true;
    QTest::newRow("adjacent") << QStringLiteral("10-20") << QStringLiteral("21-25") << false;
    QTest::newRow("shared end") << QStringLiteral("10-20") << QStringLiteral("20-25") << true;
    QTest::newRow("inside") << QStringLiteral("1-100") << QStringLiteral("7") << true;
    QTest::newRow("disjoint ids") << QStringLiteral("7") << QStringLiteral("8") << false;
    QTest::newRow("before") << QStringLiteral("1-5") << QStringLiteral("7") << false;
}

void TestLoadBalancerConf::tenantRangeOverlap()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(bool, overlaps);
    const TenantRange ra = *TenantRange::parse(a, nullptr);
    const TenantRange rb = *TenantRange::parse(b, nullptr);
    QCOMPARE(ra.overlaps(rb), overlaps);
    QCOMPARE(rb.overlaps(ra), overlaps);
    QVERIFY(ra.contains(ra.first));
    const TenantRange tens{false, 10, 20};
    QVERIFY(!tens.contains(9));
    QVERIFY(tens.contains(20) && tens.contains(10));
    QVERIFY(TenantRange().contains(123456));
}

void TestLoadBalancerConf::setValueKeepsComment()
{
    LoadBalancerConf conf = parsed(QString::fromLatin1(commented));
    ConfigError error;
    QVERIFY2(conf.setDomainValue(QStringLiteral("appserver"), QStringLiteral("wso2.as.domain"), QStringLiteral("worker"),
                                 QStringLiteral("tenant_range"), QStringLiteral("6-9"), &error),
             qPrintable(error.toString()));
    QString expected = QString::fromLatin1(commented);
    expected.replace(QLatin1String("tenant_range 1-5; # tenants of team A"),
                     QLatin1String("tenant_range 6-9; # tenants of team A"));
    QCOMPARE(conf.source().text(), expected);
    QCOMPARE(conf.groups().first().tenantRange, (TenantRange{false, 6, 9}));

    // The upstream testcase: a trailing comment after a tab-separated value.
    LoadBalancerConf upstreamConf = parsed(upstreamText("loadbalancer-testcase.conf"));
    const LbConfNode *delay = upstreamConf.root().block(u"loadbalancer")->statement(u"server_startup_delay");
    QVERIFY(delay);
    QVERIFY2(upstreamConf.setValue(*delay, QStringLiteral("20000"), &error), qPrintable(error.toString()));
    expected = upstreamText("loadbalancer-testcase.conf");
    expected.replace(QLatin1String("server_startup_delay\t\t15000; #default will be 60000ms"),
                     QLatin1String("server_startup_delay\t\t20000; #default will be 60000ms"));
    QCOMPARE(upstreamConf.source().text(), expected);
}

void TestLoadBalancerConf::setDomainValue()
{
    const QString original = upstreamText("loadbalancer-testcase.conf");
    LoadBalancerConf conf = parsed(original);
    ConfigError error;
    const QString as = QStringLiteral("appserver");
    QVERIFY2(conf.setDomainValue(as, QStringLiteral("wso2.as1.domain"), QStringLiteral("worker"),
                                 QStringLiteral("tenant_range"), QStringLiteral("1-6"), &error),
             qPrintable(error.toString()));
    QString expected = original;
    expected.replace(QLatin1String("tenant_range    1-5;"), QLatin1String("tenant_range    1-6;"));
    QCOMPARE(conf.source().text(), expected);

    // A key the domain lacks is added after its last statement, indented like it.
    QVERIFY2(conf.setDomainValue(as, QStringLiteral("wso2.as3.domain"), QStringLiteral("nirmal"), QStringLiteral("hosts"),
                                 QStringLiteral("as3.example.com, as3b.example.com"), &error),
             qPrintable(error.toString()));
    expected.replace(QLatin1String("tenant_range    10-20;\n"),
                     QLatin1String("tenant_range    10-20;\n                hosts as3.example.com, as3b.example.com;\n"));
    QCOMPARE(conf.source().text(), expected);
    QCOMPARE(conf.groups().at(2).hosts, (QStringList{QStringLiteral("as3.example.com"), QStringLiteral("as3b.example.com")}));

    // Unknown group.
    QVERIFY(!conf.setDomainValue(as, QStringLiteral("wso2.as3.domain"), QStringLiteral("nope"),
                                 QStringLiteral("tenant_range"), QStringLiteral("1"), &error));
    QVERIFY(error.message.contains(QLatin1String("nope")));
    QCOMPARE(conf.source().text(), expected);
}

void TestLoadBalancerConf::setDomainValueNested()
{
    LoadBalancerConf conf = parsed(QString::fromLatin1(nestedMultiLine));
    ConfigError error;
    const QString esb = QStringLiteral("esb");
    const QString domain = QStringLiteral("wso2.esb.domain");
    QVERIFY(conf.setDomainValue(esb, domain, QStringLiteral("mgt"), QStringLiteral("hosts"),
                                QStringLiteral("m.example.com"), &error));
    QVERIFY(conf.setDomainValue(esb, domain, QStringLiteral("worker"), QStringLiteral("group_mgt_port"),
                                QStringLiteral("4200"), &error));
    QVERIFY(conf.setDomainValue(esb, domain, QStringLiteral("worker"), QStringLiteral("min_app_instances"),
                                QStringLiteral("2"), &error));
    QString expected = QString::fromLatin1(nestedMultiLine);
    expected.replace(QLatin1String("hosts mgt.esb.example.com;"), QLatin1String("hosts m.example.com;"));
    expected.replace(QLatin1String("group_mgt_port 4100;"), QLatin1String("group_mgt_port 4200;"));
    expected.replace(QLatin1String("worker2.esb.example.com;\n"),
                     QLatin1String("worker2.esb.example.com;\n                    min_app_instances 2;\n"));
    QCOMPARE(conf.source().text(), expected);
    // A domain-level hosts is shared by both sub-domains: setting mgt's hosts must not change worker's.
    LoadBalancerConf shared = parsed(QStringLiteral("services { s { domains { d {\n    hosts both.com;\n"
                                                    "    mgt { }\n    worker { }\n} } } }\n"));
    QVERIFY(shared.setDomainValue(QStringLiteral("s"), QStringLiteral("d"), QStringLiteral("mgt"),
                                  QStringLiteral("hosts"), QStringLiteral("m.com"), &error));
    QCOMPARE(describeAll(shared.groups()), (QStringList{QStringLiteral("s/d/mgt hosts=m.com range=* port=- line=3"),
                                                        QStringLiteral("s/d/worker hosts=both.com range=* port=- line=4")}));
    QVERIFY(!conf.setDomainValue(esb, domain, QStringLiteral("mgt"), QStringLiteral("sub_domain"),
                                 QStringLiteral("x"), &error));
    QCOMPARE(error.line, 8);
}

void TestLoadBalancerConf::addDomain()
{
    const QString original = upstreamText("loadbalancer-testcase.conf");
    LoadBalancerConf conf = parsed(original);
    LbSubDomainGroup group;
    group.domain = QStringLiteral("wso2.esb.domain");
    group.subDomain = QStringLiteral("worker");
    group.hosts = QStringList{QStringLiteral("worker.esb.example.com"), QStringLiteral("w2.esb.example.com")};
    group.tenantRange = TenantRange{false, 1, 10};
    group.groupMgtPort = 4100;
    ConfigError error;
    QVERIFY2(conf.addDomain(QStringLiteral("esb"), group, &error), qPrintable(error.toString()));

    const QLatin1String anchor("tenant_range    *;\n            }");
    const qsizetype at = original.lastIndexOf(anchor) + anchor.size();
    QString expected = original;
    expected.insert(at, QLatin1String("\n            wso2.esb.domain {\n"
                                      "                hosts worker.esb.example.com, w2.esb.example.com;\n"
                                      "                sub_domain worker;\n"
                                      "                tenant_range 1-10;\n"
                                      "                group_mgt_port 4100;\n"
                                      "            }"));
    QCOMPARE(conf.source().text(), expected);
    QCOMPARE(describe(conf.groups().constLast()),
             QStringLiteral("esb/wso2.esb.domain/worker hosts=worker.esb.example.com,w2.esb.example.com "
                            "range=1-10 port=4100 line=80"));
    QCOMPARE(conf.groups().size(), 7);
}

void TestLoadBalancerConf::addDomainCrlf()
{
    QString original = upstreamText("loadbalancer-testcase.conf");
    original.replace(QLatin1String("\n"), QLatin1String("\r\n"));
    LoadBalancerConf conf = parsed(original);
    LbSubDomainGroup group;
    group.domain = QStringLiteral("wso2.new.domain");
    group.subDomain = QStringLiteral("x");
    group.tenantRange = TenantRange{false, 30, 30};
    ConfigError error;
    QVERIFY2(conf.addDomain(QStringLiteral("appserver"), group, &error), qPrintable(error.toString()));
    const QLatin1String anchor("tenant_range    *;\r\n            }");
    QString expected = original;
    expected.insert(original.indexOf(anchor) + anchor.size(),
                    QLatin1String("\r\n            wso2.new.domain {\r\n                sub_domain x;\r\n"
                                  "                tenant_range 30;\r\n            }"));
    QCOMPARE(conf.source().text(), expected);
    QVERIFY(!conf.source().text().contains(QRegularExpression(QStringLiteral("[^\r]\n"))));
}

void TestLoadBalancerConf::addDomainOneLineAndWithoutDomainsBlock()
{
    LoadBalancerConf oneLine = parsed(QString::fromLatin1(governanceOneLine));
    LbSubDomainGroup group;
    group.domain = QStringLiteral("wso2.other.domain");
    group.tenantRange = TenantRange{false, 5, 5};
    ConfigError error;
    QVERIFY2(oneLine.addDomain(QStringLiteral("governance"), group, &error), qPrintable(error.toString()));
    QString expected = QString::fromLatin1(governanceOneLine);
    expected.replace(QLatin1String("governance.cluster.wso2.com; } }"),
                     QLatin1String("governance.cluster.wso2.com; } } wso2.other.domain { tenant_range 5; }"));
    QCOMPARE(oneLine.source().text(), expected);

    const QString noDomains = QStringLiteral("services {\n    foo {\n        hosts foo.example.com;\n    }\n}\n");
    LoadBalancerConf conf = parsed(noDomains);
    group.domain = QStringLiteral("wso2.foo.domain");
    group.tenantRange = TenantRange();
    QVERIFY2(conf.addDomain(QStringLiteral("foo"), group, &error), qPrintable(error.toString()));
    QCOMPARE(conf.source().text(),
             QStringLiteral("services {\n    foo {\n        hosts foo.example.com;\n        domains {\n"
                            "            wso2.foo.domain {\n                tenant_range *;\n            }\n"
                            "        }\n    }\n}\n"));
    QCOMPARE(describeAll(conf.groups()), QStringList{QStringLiteral("foo/wso2.foo.domain/ hosts=foo.example.com range=* port=- line=5")});
}

void TestLoadBalancerConf::addDomainRefused()
{
    const QString original = upstreamText("loadbalancer-testcase.conf");
    LoadBalancerConf conf = parsed(original);
    ConfigError error;
    LbSubDomainGroup group;
    group.domain = QStringLiteral("wso2.as3.domain");
    group.subDomain = QStringLiteral("nirmal2");
    QVERIFY(!conf.addDomain(QStringLiteral("appserver"), group, &error));
    QVERIFY(error.message.contains(QLatin1String("already")));
    QVERIFY(!conf.addDomain(QStringLiteral("nosuch"), group, &error));
    QVERIFY(error.message.contains(QLatin1String("nosuch")));
    // appserver gives its domains sub_domain worker1, so a default sub-domain cannot be written.
    group.subDomain.clear();
    QVERIFY(!conf.addDomain(QStringLiteral("appserver"), group, &error));
    group.subDomain = QStringLiteral("bad name");
    QVERIFY(!conf.addDomain(QStringLiteral("appserver"), group, &error));
    group.subDomain = QStringLiteral("fine");
    group.tenantRange = TenantRange{false, 9, 2};
    QVERIFY(!conf.addDomain(QStringLiteral("appserver"), group, &error));
    group.tenantRange = TenantRange();
    group.groupMgtPort = 70000;
    QVERIFY(!conf.addDomain(QStringLiteral("appserver"), group, &error));
    QVERIFY(error.message.contains(QLatin1String("group_mgt_port")));
    QCOMPARE(conf.source().text(), original);
    QCOMPARE(conf.groups().size(), 6);
}

void TestLoadBalancerConf::removeDomain()
{
    const QString original = upstreamText("loadbalancer-testcase.conf");
    LoadBalancerConf conf = parsed(original);
    ConfigError error;
    QVERIFY2(conf.removeDomain(QStringLiteral("appserver"), QStringLiteral("wso2.as3.domain"), QStringLiteral("nirmal2"), &error),
             qPrintable(error.toString()));
    QString expected = original;
    expected.remove(QLatin1String("            wso2.as3.domain {\n                sub_domain nirmal2;\n"
                                  "                tenant_range    21-25;\n            }\n"));
    QCOMPARE(conf.source().text(), expected);
    QCOMPARE(conf.groups().size(), 5);
    QVERIFY(!conf.removeDomain(QStringLiteral("appserver"), QStringLiteral("wso2.as3.domain"), QStringLiteral("nirmal2"), &error));
    QCOMPARE(conf.source().text(), expected);
}

void TestLoadBalancerConf::removeNestedSubDomain()
{
    const QString original = QString::fromLatin1(nestedMultiLine);
    LoadBalancerConf conf = parsed(original);
    ConfigError error;
    QVERIFY(conf.removeDomain(QStringLiteral("esb"), QStringLiteral("wso2.esb.domain"), QStringLiteral("worker"), &error));
    QString expected = original;
    expected.remove(QLatin1String("                worker {\n"
                                  "                    hosts worker.esb.example.com,worker2.esb.example.com;\n"
                                  "                }\n"));
    QCOMPARE(conf.source().text(), expected);
    // The last sub-domain goes with its domain block.
    QVERIFY(conf.removeDomain(QStringLiteral("esb"), QStringLiteral("wso2.esb.domain"), QStringLiteral("mgt"), &error));
    QCOMPARE(conf.source().text(), QStringLiteral("services {\n    esb {\n        hosts esb.example.com;\n"
                                                  "        domains {\n        }\n    }\n}\n"));
    QVERIFY(conf.groups().isEmpty());

    LoadBalancerConf oneLine = parsed(QString::fromLatin1(governanceOneLine));
    QVERIFY(oneLine.removeDomain(QStringLiteral("governance"), QStringLiteral("wso2.governance.domain"),
                                 QStringLiteral("mgt"), &error));
    expected = QString::fromLatin1(governanceOneLine);
    expected.replace(QLatin1String("domains { wso2.governance.domain { tenant_range *; group_mgt_port 4000; mgt{ hosts "
                                   "governance.cluster.wso2.com; } } }"),
                     QLatin1String("domains { }"));
    QCOMPARE(oneLine.source().text(), expected);
}

void TestLoadBalancerConf::genericEdits()
{
    const QString original = upstreamText("loadbalancer.conf");
    LoadBalancerConf conf = parsed(original);
    ConfigError error;
    QVERIFY(conf.addStatement(*conf.root().block(u"loadbalancer"), QStringLiteral("mb_server_url"),
                              QStringLiteral("mb.example.com:5672"), &error));
    QString expected = original;
    expected.replace(QLatin1String("    fail_over true;\n"),
                     QLatin1String("    fail_over true;\n    mb_server_url mb.example.com:5672;\n"));
    QCOMPARE(conf.source().text(), expected);

    // Removing a statement takes its line and its trailing comment.
    QVERIFY(conf.remove(*conf.root().block(u"loadbalancer")->statement(u"server_startup_delay"), &error));
    expected.remove(QLatin1String("    server_startup_delay 600000; #default will be 60000ms\n"));
    QCOMPARE(conf.source().text(), expected);

    // Empty blocks, on one line and over two lines.
    LoadBalancerConf empty = parsed(QStringLiteral("a {}\nb {\n}\n"));
    QVERIFY(empty.addStatement(*empty.root().block(u"a"), QStringLiteral("x"), QStringLiteral("1"), &error));
    QVERIFY(empty.addStatement(*empty.root().block(u"b"), QStringLiteral("y"), QString(), &error));
    QVERIFY(empty.addStatement(empty.root(), QStringLiteral("z"), QStringLiteral("3"), &error));
    QCOMPARE(empty.source().text(), QStringLiteral("a { x 1; }\nb {\n    y;\n}\nz 3;\n"));
    QVERIFY(empty.setValue(*empty.root().block(u"b")->statement(u"y"), QStringLiteral("2"), &error));
    QVERIFY(empty.setValue(*empty.root().statement(u"z"), QString(), &error));
    QVERIFY(empty.remove(*empty.root().block(u"a")->statement(u"x"), &error));
    QCOMPARE(empty.source().text(), QStringLiteral("a { }\nb {\n    y 2;\n}\nz;\n"));

    LoadBalancerConf blank; // default-constructed: an empty file that can be built up
    QVERIFY(blank.groups().isEmpty());
    QVERIFY(blank.addStatement(blank.root(), QStringLiteral("x"), QStringLiteral("1"), &error));
    QCOMPARE(blank.toBytes(), QByteArray("x 1;\n"));
}

void TestLoadBalancerConf::refusedEditsLeaveText()
{
    const QString original = upstreamText("loadbalancer-testcase.conf");
    LoadBalancerConf conf = parsed(original);
    ConfigError error;
    const QString as = QStringLiteral("appserver");
    QVERIFY(!conf.setDomainValue(as, QStringLiteral("wso2.as2.domain"), QStringLiteral("worker1"),
                                 QStringLiteral("tenant_range"), QStringLiteral("abc"), &error));
    QCOMPARE(error.line, 54);
    QVERIFY(error.message.contains(QLatin1String("abc")));
    QVERIFY(!conf.setDomainValue(as, QStringLiteral("wso2.as2.domain"), QStringLiteral("worker1"),
                                 QStringLiteral("tenant_range"), QStringLiteral("1; x 2"), &error));
    QVERIFY(!conf.setDomainValue(as, QStringLiteral("wso2.as2.domain"), QStringLiteral("worker1"),
                                 QStringLiteral("bad key"), QStringLiteral("1"), &error));
    QVERIFY(!conf.addStatement(conf.root(), QStringLiteral("x"), QStringLiteral("{"), &error));
    QCOMPARE(conf.source().text(), original);

    // A node taken before an edit is refused, not dereferenced.
    const LbConfNode stale = *conf.root().block(u"loadbalancer");
    QVERIFY(!conf.remove(stale, &error));
    QVERIFY(!conf.setValue(*conf.root().block(u"loadbalancer"), QStringLiteral("1"), &error));
    QCOMPARE(conf.source().text(), original);
}

void TestLoadBalancerConf::errors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("unclosed outer block")
        << QStringLiteral("services {\n    appserver {\n        hosts a;\n    }\n") << 1 << 1 << QStringLiteral("'services'");
    QTest::newRow("unclosed inner block")
        << QStringLiteral("services {\n    appserver {\n        hosts a;\n") << 2 << 5 << QStringLiteral("'appserver'");
    QTest::newRow("unexpected }")
        << QStringLiteral("loadbalancer {\n    instances 1;\n}\n}\n") << 4 << 1 << QStringLiteral("unexpected '}'");
    QTest::newRow("no ; before }")
        << QStringLiteral("loadbalancer {\n    instances 1\n}\n") << 2 << 16 << QStringLiteral("'instances'");
    QTest::newRow("no ; at end of file")
        << QStringLiteral("loadbalancer {\n}\nfail_over true") << 3 << 15 << QStringLiteral("'fail_over'");
    QTest::newRow("no ; before a block")
        << QStringLiteral("a {\n    tenant_range 1-5\n    mgt {\n    }\n}\n") << 2 << 21 << QStringLiteral("'tenant_range'");
    QTest::newRow("reversed tenant_range") << domainWith("tenant_range 5-1;") << 5 << 30 << QStringLiteral("'5-1'");
    QTest::newRow("word tenant_range") << domainWith("tenant_range some;") << 5 << 30 << QStringLiteral("'some'");
    QTest::newRow("negative tenant_range") << domainWith("tenant_range -3;") << 5 << 30 << QStringLiteral("'-3'");
    QTest::newRow("empty tenant_range") << domainWith("tenant_range ;") << 5 << 29 << QStringLiteral("tenant_range");
    QTest::newRow("port too big") << domainWith("group_mgt_port 70000;") << 5 << 32 << QStringLiteral("'70000'");
    QTest::newRow("port word") << domainWith("group_mgt_port four; # x") << 5 << 32 << QStringLiteral("'four'");
    QTest::newRow("stray ;") << QStringLiteral("a 1;\n;\n") << 2 << 1 << QStringLiteral("';'");
    QTest::newRow("block without name") << QStringLiteral("# c\n{\n}\n") << 2 << 1 << QStringLiteral("name");
    QTest::newRow("nested too deep") << QStringLiteral("a {").repeated(100) << 1 << 195 << QStringLiteral("64");
    QTest::newRow("seed flattened onto one line") << QString::fromLatin1(governanceSeedLine) << 1 << 1
                                                  << QStringLiteral("comment on line 1");
    QTest::newRow("CRLF unclosed") << QStringLiteral("x 1;\r\nservices {\r\n    as {\r\n    }\r\n") << 2 << 1
                                   << QStringLiteral("'services'");
}

void TestLoadBalancerConf::errors()
{
    QFETCH(QString, text);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, fragment);
    ConfigError error;
    QVERIFY(!LoadBalancerConf::parse(text, QStringLiteral("bad.conf"), &error));
    QCOMPARE(error.file, QStringLiteral("bad.conf"));
    QCOMPARE(error.line, line);
    QCOMPARE(error.column, column);
    QVERIFY2(error.message.contains(fragment), qPrintable(error.message));
    QVERIFY2(error.message.contains(QLatin1Char(';')), "the message should say what to do"); // "...; do this"
    QVERIFY(!LoadBalancerConf::parse(text, QStringLiteral("bad.conf"), nullptr)); // no error sink: no crash
}

void TestLoadBalancerConf::loadErrors()
{
    ConfigError error;
    QVERIFY(!LoadBalancerConf::load(QStringLiteral("/nonexistent/loadbalancer.conf"), &error));
    QCOMPARE(error.file, QStringLiteral("/nonexistent/loadbalancer.conf"));
    QVERIFY(!error.message.isEmpty());

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("latin1.conf"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("a 1;\n# r\xE9partiteur\n");
    file.close();
    QVERIFY(!LoadBalancerConf::load(path, &error));
    QCOMPARE(error.line, 2);

    const LoadBalancerConf conf = parsed(QStringLiteral("a 1;\n"));
    QVERIFY(!conf.save(dir.filePath(QStringLiteral("missing/dir/out.conf")), &error));
    QVERIFY(!error.message.isEmpty());
}

QTEST_GUILESS_MAIN(TestLoadBalancerConf)
#include "tst_loadbalancerconf.moc"
