// The HAProxy renderer: backend names, the hosts map, tenant rules, refusals with their line,
// acceptance by "haproxy -c", and a live HAProxy routing requests to responders in this process.
#include "config/configerror.h"
#include "config/loadbalancerconf.h"
#include "haproxy/haproxyconfig.h"

#include "livehaproxy.h"

#include <QElapsedTimer>
#include <QFile>
#include <QLocalSocket>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Tribune;
using namespace Tribune::HAProxy;
using TestSupport::adminCommand;

namespace {

QString upstream(const char *name)
{
    return QStringLiteral(TRIBUNE_TEST_DATA "/upstream/stratos-3.0.0-elb/") + QLatin1String(name);
}

QString sampleConf()
{
    return QStringLiteral(TRIBUNE_SAMPLE_CLUSTER "/lb/repository/conf/loadbalancer.conf");
}

Config::LoadBalancerConf loaded(const QString &path)
{
    Config::ConfigError error;
    const std::optional<Config::LoadBalancerConf> conf = Config::LoadBalancerConf::load(path, &error);
    if (!conf)
        qFatal("fixture does not load: %s", qPrintable(error.toString()));
    return *conf;
}

RenderOptions optionsIn(const QTemporaryDir &dir)
{
    RenderOptions options;
    options.adminSocketPath = dir.filePath(QStringLiteral("admin.sock"));
    options.hostsMapPath = dir.filePath(QStringLiteral("hosts.map"));
    return options;
}

bool writeFile(const QString &path, const QString &text)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(text.toUtf8()) >= 0;
}

// Lines of text without comments and blank lines.
QStringList contentLines(const QString &text)
{
    QStringList lines;
    for (const QString &line : text.split(u'\n')) {
        if (!line.trimmed().isEmpty() && !line.trimmed().startsWith(u'#'))
            lines << line;
    }
    return lines;
}

QStringList backends(const QString &config)
{
    QStringList names;
    QRegularExpressionMatchIterator it = QRegularExpression(QStringLiteral("^backend (\\S+)$"),
                                                            QRegularExpression::MultilineOption)
                                             .globalMatch(config);
    while (it.hasNext())
        names << it.next().captured(1);
    return names;
}

// The text of one section ("frontend http-in") up to the next blank line.
QString section(const QString &config, const QString &header)
{
    const qsizetype begin = config.indexOf(header + u'\n');
    return begin < 0 ? QString() : config.mid(begin, config.indexOf(QLatin1String("\n\n"), begin) - begin);
}

// A tiny HTTP server that answers every request with its own name.
struct Responder
{
    explicit Responder(const QByteArray &body) : name(body)
    {
        server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&server, &QTcpServer::newConnection, &server, [this] {
            while (QTcpSocket *socket = server.nextPendingConnection()) {
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    const QByteArray request = socket->property("request").toByteArray() + socket->readAll();
                    socket->setProperty("request", request);
                    if (!request.contains("\r\n\r\n"))
                        return;
                    socket->write("HTTP/1.1 200 OK\r\nContent-Length: " + QByteArray::number(name.size())
                                  + "\r\nConnection: close\r\n\r\n" + name);
                    socket->disconnectFromHost();
                });
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }
    QTcpServer server;
    QByteArray name;
};

// A raw HTTP/1.1 request on loopback; runs the event loop so that the responders can answer.
QByteArray get(quint16 port, const QByteArray &host, const QByteArray &path)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    QByteArray response;
    bool sent = false;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 5000) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        if (!sent && socket.state() == QAbstractSocket::ConnectedState) {
            socket.write("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
            sent = true;
        }
        response += socket.readAll();
        if (socket.state() == QAbstractSocket::UnconnectedState)
            break;
    }
    return response + socket.readAll();
}

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}


} // namespace

class TestHaproxyConfig : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void backendNames();
    void sampleCluster();
    void nestedAndUpstreamDialects();
    void tenantRules();
    void staticServers();
    void refusals_data();
    void refusals();
    void optionRefusals_data();
    void optionRefusals();
    void haproxyAccepts_data();
    void haproxyAccepts();
    void liveRouting();

private:
    QTemporaryDir m_dir;
    QString m_haproxy;
    QString m_pem;
    QString m_tenantsMap;
};

void TestHaproxyConfig::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QStringList sbin{QStringLiteral("/usr/sbin"), QStringLiteral("/usr/local/sbin")};
    m_haproxy = QStandardPaths::findExecutable(QStringLiteral("haproxy"));
    if (m_haproxy.isEmpty())
        m_haproxy = QStandardPaths::findExecutable(QStringLiteral("haproxy"), sbin);
    m_tenantsMap = m_dir.filePath(QStringLiteral("tenants.map"));
    QVERIFY(writeFile(m_tenantsMap, QStringLiteral("# tenant domain -> UM_TENANT.UM_ID\nexample.com 12\nseven.com 7\n")));

    // A throwaway self-signed certificate for the HTTPS listener.
    QProcess openssl;
    openssl.setWorkingDirectory(m_dir.path());
    openssl.start(QStringLiteral("openssl"), {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                                              QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"),
                                              QStringLiteral("k"), QStringLiteral("-out"), QStringLiteral("c"),
                                              QStringLiteral("-days"), QStringLiteral("1"), QStringLiteral("-subj"),
                                              QStringLiteral("/CN=test")});
    if (openssl.waitForFinished(60000) && openssl.exitCode() == 0) {
        m_pem = m_dir.filePath(QStringLiteral("test.pem"));
        QFile::copy(m_dir.filePath(QStringLiteral("c")), m_pem);
        QFile pem(m_pem);
        QVERIFY(pem.open(QIODevice::Append));
        QFile key(m_dir.filePath(QStringLiteral("k")));
        QVERIFY(key.open(QIODevice::ReadOnly));
        pem.write(key.readAll());
    }
}

void TestHaproxyConfig::backendNames()
{
    QCOMPARE(backendName(QStringLiteral("wso2.esb.domain"), QStringLiteral("worker")),
             QStringLiteral("wso2.esb.domain:worker"));
    QCOMPARE(backendName(QStringLiteral("wso2.governance.domain"), QString()),
             QStringLiteral("wso2.governance.domain:default"));
}

void TestHaproxyConfig::sampleCluster()
{
    Config::ConfigError error;
    const RenderOptions options = optionsIn(m_dir);
    const std::optional<RenderResult> result = render(loaded(sampleConf()), options, &error);
    QVERIFY2(result, qPrintable(error.toString()));
    QCOMPARE(backends(result->config),
             (QStringList{QStringLiteral("wso2.esb.domain:mgt"), QStringLiteral("wso2.esb.domain:worker"),
                          QStringLiteral("wso2.governance.domain:default")}));
    QCOMPARE(contentLines(result->hostsMap),
             (QStringList{QStringLiteral("mgt.esb.wso2.com wso2.esb.domain:mgt"),
                          QStringLiteral("worker.esb.wso2.com wso2.esb.domain:worker"),
                          QStringLiteral("governance.cluster.wso2.com wso2.governance.domain:default"),
                          // The esb service's own host, which its sub-domains replaced: routed to its workers.
                          QStringLiteral("esb.cloud-test.wso2.com wso2.esb.domain:worker")}));
    const QString &config = result->config;
    QVERIFY(config.contains(QLatin1String("    stats socket ") + options.adminSocketPath
                            + QLatin1String(" mode 600 level admin expose-fd listeners\n")));
    QVERIFY(config.contains(QLatin1String("    log ring@tribune-events local0")));
    QVERIFY(config.contains(QLatin1String("\nring tribune-events\n")));
    QVERIFY(!config.contains(QLatin1String("daemon\n")));
    QVERIFY(config.contains(QLatin1String("default-server check inter 1s fall 2 rise 2 weight 100")));
    QVERIFY(section(config, QStringLiteral("backend wso2.esb.domain:mgt")).contains(QLatin1String("balance roundrobin")));
    QVERIFY(section(config, QStringLiteral("frontend http-in"))
                .contains(QLatin1String("use_backend %[req.hdr(host),lower,word(1,:),map(") + options.hostsMapPath
                          + QLatin1String(")]")));
    QVERIFY(!config.contains(QLatin1String("https-in")));
    QVERIFY(config.contains(QLatin1String("# no HTTPS listener")));
    QVERIFY(result->warnings.join(u'\n').contains(QLatin1String("no HTTPS listener")));
    QVERIFY(!config.contains(QLatin1String("tenant_id"))); // no tenant ranges, no tenant rules
}

void TestHaproxyConfig::nestedAndUpstreamDialects()
{
    const QString nested = QStringLiteral("services {\n    governance {\n        hosts governance.cloud-test.wso2.com;\n"
                                          "        domains {\n            wso2.governance.domain {\n"
                                          "                tenant_range *;\n                group_mgt_port 4000;\n"
                                          "                mgt {\n                    hosts Governance.Cluster.wso2.com;\n"
                                          "                }\n            }\n        }\n    }\n}\n");
    Config::ConfigError error;
    const auto conf = Config::LoadBalancerConf::parse(nested, QStringLiteral("nested.conf"), &error);
    QVERIFY2(conf, qPrintable(error.toString()));
    std::optional<RenderResult> result = render(*conf, optionsIn(m_dir), &error);
    QVERIFY2(result, qPrintable(error.toString()));
    QCOMPARE(backends(result->config), QStringList{QStringLiteral("wso2.governance.domain:mgt")});
    // The service-level host is routed too, not dropped.
    QCOMPARE(contentLines(result->hostsMap),
             (QStringList{QStringLiteral("governance.cluster.wso2.com wso2.governance.domain:mgt"),
                          QStringLiteral("governance.cloud-test.wso2.com wso2.governance.domain:mgt")}));

    result = render(loaded(upstream("loadbalancer.conf")), optionsIn(m_dir), &error);
    QVERIFY2(result, qPrintable(error.toString()));
    QCOMPARE(backends(result->config), QStringList{QStringLiteral("aaa.appserver.domain.bbb:default")});
    QCOMPARE(contentLines(result->hostsMap),
             QStringList{QStringLiteral("appserver.cloud-test.wso2.com.aaa.demo aaa.appserver.domain.bbb:default")});
}

void TestHaproxyConfig::tenantRules()
{
    RenderOptions options = optionsIn(m_dir);
    options.tenantsMapPath = m_tenantsMap;
    Config::ConfigError error;
    const std::optional<RenderResult> result = render(loaded(upstream("loadbalancer-testcase.conf")), options, &error);
    QVERIFY2(result, qPrintable(error.toString()));
    QCOMPARE(backends(result->config),
             (QStringList{QStringLiteral("wso2.as1.domain:worker"), QStringLiteral("wso2.as2.domain:worker1"),
                          QStringLiteral("wso2.as3.domain:nirmal"), QStringLiteral("wso2.as3.domain:nirmal2"),
                          QStringLiteral("wso2.esb.domain:nirmal"), QStringLiteral("wso2.esb.domain:mgt")}));
    // Only "*" groups are in the map; as2.cloud-test.wso2.com is served for tenants 1-5 only.
    QCOMPARE(contentLines(result->hostsMap),
             (QStringList{QStringLiteral("appserver.cloud-test.wso2.com wso2.esb.domain:nirmal"),
                          QStringLiteral("as.cloud-test.wso2.com wso2.esb.domain:nirmal"),
                          QStringLiteral("esb.cloud-test.wso2.com wso2.esb.domain:mgt"),
                          QStringLiteral("mgt.as.cloud-test.wso2.com wso2.esb.domain:mgt")}));
    QVERIFY(result->warnings.join(u'\n').contains(QLatin1String("as2.cloud-test.wso2.com")));

    const QStringList frontend = section(result->config, QStringLiteral("frontend http-in")).split(u'\n');
    const auto at = [&frontend](const QString &text) -> qsizetype {
        for (qsizetype i = 0; i < frontend.size(); ++i) {
            if (frontend.at(i).trimmed() == text)
                return i;
        }
        return -1;
    };
    const qsizetype mapRule = at(QLatin1String("use_backend %[req.hdr(host),lower,word(1,:),map(") + options.hostsMapPath
                                 + QLatin1String(")]"));
    QVERIFY(mapRule > 0);
    const qsizetype captureRule = at(QStringLiteral(
        "http-request set-var(txn.tenant_domain) path,field(3,/),lower if { path_beg /t/ }"));
    QVERIFY(captureRule > 0);
    QVERIFY(at(QLatin1String("http-request set-var(txn.tenant_id) var(txn.tenant_domain),map_str_int(") + m_tenantsMap
               + QLatin1String(") if { var(txn.tenant_domain) -m found }"))
            > captureRule);
    const QList<QPair<QString, QString>> ranges{{QStringLiteral("wso2.as1.domain:worker"), QStringLiteral("1:5")},
                                                {QStringLiteral("wso2.as2.domain:worker1"), QStringLiteral("7")},
                                                {QStringLiteral("wso2.as3.domain:nirmal"), QStringLiteral("10:20")},
                                                {QStringLiteral("wso2.as3.domain:nirmal2"), QStringLiteral("21:25")}};
    qsizetype previous = captureRule;
    for (const auto &[backend, range] : ranges) {
        const qsizetype acl = at(QLatin1String("acl tenants_") + backend + QLatin1String(" var(txn.tenant_id) -m int ") + range);
        const qsizetype rule = at(QLatin1String("use_backend ") + backend + QLatin1String(" if hosts_") + backend
                                  + QLatin1String(" tenants_") + backend);
        QVERIFY2(acl > previous && rule > acl && rule < mapRule, qPrintable(backend));
        previous = rule;
    }
    QVERIFY(at(QStringLiteral("acl hosts_wso2.as3.domain:nirmal req.hdr(host),lower,word(1,:) -m str "
                              "appserver.cloud-test.wso2.com as.cloud-test.wso2.com"))
            > 0);
    QVERIFY(!section(result->config, QStringLiteral("frontend http-in")).contains(QLatin1String("wso2.esb.domain:nirmal if")));
}

void TestHaproxyConfig::staticServers()
{
    RenderOptions options = optionsIn(m_dir);
    options.servers.insert(QStringLiteral("wso2.esb.domain:worker"),
                           {{QStringLiteral("w1"), QStringLiteral("10.0.0.5"), 8281, 100},
                            {QStringLiteral("w2"), QStringLiteral("::1"), 8282, 50}});
    options.servers.insert(QStringLiteral("no.such.domain:x"), {{QStringLiteral("x1"), QStringLiteral("10.0.0.9"), 1, 100}});
    Config::ConfigError error;
    const std::optional<RenderResult> result = render(loaded(sampleConf()), options, &error);
    QVERIFY2(result, qPrintable(error.toString()));
    const QString worker = section(result->config, QStringLiteral("backend wso2.esb.domain:worker"));
    QVERIFY2(worker.contains(QLatin1String("    server w1 10.0.0.5:8281 weight 100\n    server w2 [::1]:8282 weight 50")),
             qPrintable(worker));
    QVERIFY(!section(result->config, QStringLiteral("backend wso2.esb.domain:mgt")).contains(QLatin1String("server ")));
    QVERIFY(result->warnings.join(u'\n').contains(QLatin1String("no.such.domain:x")));

    // HAProxy refuses two servers of one name in a backend.
    options.servers[QStringLiteral("wso2.esb.domain:worker")][1].name = QStringLiteral("w1");
    QVERIFY(!render(loaded(sampleConf()), options, &error));
    QVERIFY2(error.line == 0 && error.message.contains(QLatin1String("unique")), qPrintable(error.message));
}

void TestHaproxyConfig::refusals_data()
{
    QTest::addColumn<QString>("domains");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("fragment");
    // Domain blocks inside "services { as { domains { ... } } }", starting on line 4.
    QTest::newRow("no hosts") << QStringLiteral("a.domain {\n tenant_range *;\n}\n") << 4 << QStringLiteral("no hosts");
    QTest::newRow("ambiguous host") << QStringLiteral("a.domain {\n hosts x.com;\n}\nb.domain {\n hosts y.com, X.com;\n}\n")
                                    << 7 << QStringLiteral("host 'x.com' already routes to backend 'a.domain:default'");
    QTest::newRow("same backend twice")
        << QStringLiteral("a.domain {\n hosts x.com;\n sub_domain w;\n}\na.domain {\n hosts y.com;\n sub_domain w;\n}\n")
        << 8 << QStringLiteral("backend 'a.domain:w' is already defined by line 4");
    QTest::newRow("host with port") << QStringLiteral("a.domain {\n hosts x.com:8280;\n}\n") << 4
                                    << QStringLiteral("host 'x.com:8280'");
    QTest::newRow("wildcard host") << QStringLiteral("a.domain {\n hosts ok.com, *.x.com;\n}\n") << 4
                                   << QStringLiteral("host '*.x.com'");
    QTest::newRow("bad domain name") << QStringLiteral("a/domain {\n hosts x.com;\n}\n") << 4
                                     << QStringLiteral("cannot name an HAProxy backend");
    QTest::newRow("tenant range without tenants map")
        << QStringLiteral("a.domain {\n hosts x.com;\n}\nb.domain {\n hosts x.com;\n tenant_range 3-9;\n}\n") << 7
        << QStringLiteral("tenants 3-9 only");
}

void TestHaproxyConfig::refusals()
{
    QFETCH(QString, domains);
    QFETCH(int, line);
    QFETCH(QString, fragment);
    Config::ConfigError error;
    const auto conf = Config::LoadBalancerConf::parse(
        QLatin1String("services {\n as {\n  domains {\n") + domains + QLatin1String("  }\n }\n}\n"),
        QStringLiteral("refused.conf"), &error);
    QVERIFY2(conf, qPrintable(error.toString()));
    QVERIFY(!render(*conf, optionsIn(m_dir), &error));
    QCOMPARE(error.file, QStringLiteral("refused.conf"));
    QCOMPARE(error.line, line);
    QVERIFY2(error.message.contains(fragment), qPrintable(error.message));
}

void TestHaproxyConfig::optionRefusals_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("no admin socket") << QStringLiteral("adminSocketPath") << QString() << false;
    QTest::newRow("relative admin socket") << QStringLiteral("adminSocketPath") << QStringLiteral("admin.sock") << false;
    QTest::newRow("admin socket too long")
        << QStringLiteral("adminSocketPath") << (QLatin1String("/tmp/") + QString(95, u'a')) << false;
    QTest::newRow("space in hosts map") << QStringLiteral("hostsMapPath") << QStringLiteral("/tmp/my maps/h.map") << false;
    QTest::newRow("admin tcp on loopback") << QStringLiteral("adminTcpAddress") << QStringLiteral("127.0.0.1:9999") << true;
    QTest::newRow("admin tcp on ::1") << QStringLiteral("adminTcpAddress") << QStringLiteral("[::1]:9999") << true;
    QTest::newRow("admin tcp public") << QStringLiteral("adminTcpAddress") << QStringLiteral("10.1.2.3:9999") << false;
    QTest::newRow("admin tcp any") << QStringLiteral("adminTcpAddress") << QStringLiteral("0.0.0.0:9999") << false;
    QTest::newRow("admin tcp no port") << QStringLiteral("adminTcpAddress") << QStringLiteral("127.0.0.1") << false;
    QTest::newRow("bind host name") << QStringLiteral("bindAddress") << QStringLiteral("lb.example.com") << false;
    QTest::newRow("bind ipv6") << QStringLiteral("bindAddress") << QStringLiteral("::") << true;
}

void TestHaproxyConfig::optionRefusals()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(bool, accepted);
    RenderOptions options = optionsIn(m_dir);
    if (field == u"adminSocketPath")
        options.adminSocketPath = value;
    else if (field == u"hostsMapPath")
        options.hostsMapPath = value;
    else if (field == u"adminTcpAddress")
        options.adminTcpAddress = value;
    else
        options.bindAddress = value;
    Config::ConfigError error;
    const std::optional<RenderResult> result = render(loaded(sampleConf()), options, &error);
    QCOMPARE(bool(result), accepted);
    QCOMPARE(checkOptions(options).isEmpty(), accepted);
    if (!accepted)
        QVERIFY(error.line == 0 && !error.message.isEmpty());
}

void TestHaproxyConfig::haproxyAccepts_data()
{
    QTest::addColumn<QString>("conf");
    QTest::addColumn<bool>("https");
    const QList<QPair<const char *, QString>> files{{"sample cluster", sampleConf()},
                                                    {"upstream", upstream("loadbalancer.conf")},
                                                    {"upstream testcase", upstream("loadbalancer-testcase.conf")}};
    for (const auto &[name, path] : files) {
        QTest::addRow("%s", name) << path << false;
        QTest::addRow("%s with certificate", name) << path << true;
    }
}

void TestHaproxyConfig::haproxyAccepts()
{
    QFETCH(QString, conf);
    QFETCH(bool, https);
    if (m_haproxy.isEmpty())
        QSKIP("haproxy is not installed");
    if (https && m_pem.isEmpty())
        QSKIP("openssl could not make a certificate");
    RenderOptions options = optionsIn(m_dir);
    options.tenantsMapPath = m_tenantsMap;
    options.adminTcpAddress = QStringLiteral("127.0.0.1:9999"); // -c binds nothing
    if (https)
        options.certificateFile = m_pem;
    Config::ConfigError error;
    const std::optional<RenderResult> result = render(loaded(conf), options, &error);
    QVERIFY2(result, qPrintable(error.toString()));
    QCOMPARE(result->config.contains(QLatin1String("frontend https-in")), https);
    const QString cfg = m_dir.filePath(QStringLiteral("check.cfg"));
    QVERIFY(writeFile(cfg, result->config));
    QVERIFY(writeFile(options.hostsMapPath, result->hostsMap));
    QProcess haproxy;
    haproxy.setProcessChannelMode(QProcess::MergedChannels);
    haproxy.start(m_haproxy, {QStringLiteral("-c"), QStringLiteral("-f"), cfg});
    QVERIFY(haproxy.waitForFinished(30000));
    const QByteArray output = haproxy.readAll();
    QVERIFY2(haproxy.exitCode() == 0, output.constData());
    QVERIFY2(!output.contains("WARNING"), output.constData());
}

void TestHaproxyConfig::liveRouting()
{
    if (m_haproxy.isEmpty())
        QSKIP("haproxy is not installed");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Responder star("star-backend");   // wso2.esb.domain:nirmal, tenant_range *
    Responder tenants("tenants-10-20"); // wso2.as3.domain:nirmal, tenant_range 10-20
    QVERIFY(star.server.isListening() && tenants.server.isListening());

    RenderOptions options = optionsIn(dir);
    options.bindAddress = QStringLiteral("127.0.0.1");
    options.httpPort = freePort();
    options.tenantsMapPath = m_tenantsMap;
    options.servers.insert(QStringLiteral("wso2.esb.domain:nirmal"),
                           {{QStringLiteral("a"), QStringLiteral("127.0.0.1"), star.server.serverPort(), 100}});
    options.servers.insert(QStringLiteral("wso2.as3.domain:nirmal"),
                           {{QStringLiteral("b"), QStringLiteral("127.0.0.1"), tenants.server.serverPort(), 100}});
    Config::ConfigError error;
    const std::optional<RenderResult> result = render(loaded(upstream("loadbalancer-testcase.conf")), options, &error);
    QVERIFY2(result, qPrintable(error.toString()));
    const QString cfg = dir.filePath(QStringLiteral("haproxy.cfg"));
    QVERIFY(writeFile(cfg, result->config));
    QVERIFY(writeFile(options.hostsMapPath, result->hostsMap));

    QProcess haproxy; // its destructor kills HAProxy should a check below return early
    haproxy.setProcessChannelMode(QProcess::MergedChannels);
    haproxy.start(m_haproxy, {QStringLiteral("-db"), QStringLiteral("-f"), cfg});
    QVERIFY(haproxy.waitForStarted(5000));
    const quint16 port = quint16(options.httpPort);
    QElapsedTimer ready;
    ready.start();
    while (get(port, "nowhere.example", "/").isEmpty() && ready.elapsed() < 10000)
        QVERIFY2(haproxy.state() == QProcess::Running, haproxy.readAll().constData());

    // Host routing through the map, case and port ignored; unknown hosts get 503.
    QVERIFY(get(port, "nowhere.example", "/").startsWith("HTTP/1.1 503"));
    QTRY_VERIFY_WITH_TIMEOUT(get(port, "appserver.cloud-test.wso2.com", "/carbon/").endsWith("star-backend"), 5000);
    QVERIFY(get(port, "AS.cloud-test.wso2.com:8280", "/").endsWith("star-backend"));
    // Tenant routing: example.com is tenant 12, in 10-20; unknown tenants fall to the map.
    QVERIFY(get(port, "as.cloud-test.wso2.com:8280", "/t/example.com/services/echo").endsWith("tenants-10-20"));
    QVERIFY(get(port, "appserver.cloud-test.wso2.com", "/t/Example.COM/").endsWith("tenants-10-20"));
    QVERIFY(get(port, "appserver.cloud-test.wso2.com", "/t/other.org/").endsWith("star-backend"));
    // Tenant 7's backend (wso2.as2.domain:worker1) has no servers yet: the tenant rule took it.
    QVERIFY(get(port, "appserver.cloud-test.wso2.com", "/t/seven.com/").startsWith("HTTP/1.1 503"));
    // The tenant host rules do not catch other hosts: esb.cloud-test.wso2.com goes to wso2.esb.domain:mgt.
    QVERIFY(get(port, "esb.cloud-test.wso2.com", "/t/example.com/").startsWith("HTTP/1.1 503"));

    // The admin socket speaks the runtime API; a member going down lands in the ring.
    QVERIFY(adminCommand(options.adminSocketPath, "show backend").contains("wso2.as3.domain:nirmal"));
    tenants.server.close();
    QTRY_VERIFY_WITH_TIMEOUT(adminCommand(options.adminSocketPath, "show events tribune-events")
                                 .contains("wso2.as3.domain:nirmal/b is DOWN"),
                             10000);

    haproxy.terminate();
    QVERIFY(haproxy.waitForFinished(10000));
}

QTEST_GUILESS_MAIN(TestHaproxyConfig)
#include "tst_haproxyconfig.moc"
