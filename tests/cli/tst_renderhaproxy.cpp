// tribunectl render-haproxy as scripts and the agent use it: files written, exit codes, and
// refusals that name the file and line of loadbalancer.conf.
#include "../common/testsupport.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "../common/tribunectlrun.h"

using TestSupport::tribunectl;

namespace {



QString haproxyPath()
{
    const QString found = QStandardPaths::findExecutable(QStringLiteral("haproxy"));
    return found.isEmpty() ? QStandardPaths::findExecutable(QStringLiteral("haproxy"),
                                                            {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/local/sbin")})
                           : found;
}

// "haproxy -c -f cfg": empty when valid, else HAProxy's output.
QString haproxyCheck(const QString &cfg)
{
    QProcess haproxy;
    haproxy.setProcessChannelMode(QProcess::MergedChannels);
    haproxy.start(haproxyPath(), {QStringLiteral("-c"), QStringLiteral("-f"), cfg});
    if (!haproxy.waitForFinished(30000))
        return QStringLiteral("haproxy did not finish");
    return haproxy.exitCode() == 0 ? QString() : QString::fromUtf8(haproxy.readAll());
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

QString testcaseConf() { return TestSupport::testData(QStringLiteral("upstream/stratos-3.0.0-elb/loadbalancer-testcase.conf")); }

} // namespace

class TestRenderHaproxy : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void writesConfigAndHostsMap();
    void stdoutWithAllOptions();
    void listensWhereTheLoadBalancerFilesSay();
    void refusalExitsOneWithLine();
    void unusableInput_data();
    void unusableInput();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestRenderHaproxy::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestRenderHaproxy::writesConfigAndHostsMap()
{
    const QString cfg = m_dir->filePath(QStringLiteral("lb/haproxy.cfg"));
    QVERIFY(QDir().mkpath(m_dir->filePath(QStringLiteral("lb"))));
    const TestSupport::TribunectlRun run = tribunectl({QStringLiteral("render-haproxy"),
                                TestSupport::sampleCluster() + QLatin1String("/lb/repository/conf/loadbalancer.conf"),
                                QStringLiteral("-o"), cfg});
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.isEmpty());
    QVERIFY2(run.err.contains(QLatin1String("warning: no certificate given")), qPrintable(run.err));
    const QString config = QString::fromUtf8(TestSupport::readAll(cfg));
    // The admin socket and the hosts map default to the output's folder.
    QVERIFY(config.contains(QLatin1String("stats socket ") + m_dir->filePath(QStringLiteral("lb/admin.sock"))));
    QVERIFY(config.contains(QLatin1String("map(") + m_dir->filePath(QStringLiteral("lb/hosts.map")) + u')'));
    const QByteArray hostsMap = TestSupport::readAll(m_dir->filePath(QStringLiteral("lb/hosts.map")));
    QVERIFY2(hostsMap.contains("\nmgt.esb.wso2.com wso2.esb.domain:mgt\nworker.esb.wso2.com wso2.esb.domain:worker\n"
                               "governance.cluster.wso2.com wso2.governance.domain:default\n"),
             hostsMap.constData());
    if (haproxyPath().isEmpty())
        QSKIP("haproxy is not installed");
    const QString problem = haproxyCheck(cfg);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TestRenderHaproxy::stdoutWithAllOptions()
{
    QProcess openssl;
    openssl.setWorkingDirectory(m_dir->path());
    openssl.start(QStringLiteral("openssl"),
                  QStringLiteral("req -x509 -newkey rsa:2048 -nodes -keyout k -out c -days 1 -subj /CN=test").split(u' '));
    if (!openssl.waitForFinished(60000) || openssl.exitCode() != 0)
        QSKIP("openssl could not make a certificate");
    const QString pem = m_dir->filePath(QStringLiteral("test.pem"));
    QVERIFY(writeFile(pem, TestSupport::readAll(m_dir->filePath(QStringLiteral("c")))
                               + TestSupport::readAll(m_dir->filePath(QStringLiteral("k")))));
    const QString tenants = m_dir->filePath(QStringLiteral("tenants.map"));
    QVERIFY(writeFile(tenants, "example.com 12\n"));
    const QString hostsMap = m_dir->filePath(QStringLiteral("routes.map"));
    const QString socket = m_dir->filePath(QStringLiteral("a.sock"));

    const TestSupport::TribunectlRun run = tribunectl({QStringLiteral("render-haproxy"), testcaseConf(), QStringLiteral("--hosts-map"), hostsMap,
                                QStringLiteral("--admin-socket"), socket, QStringLiteral("--admin-tcp"),
                                QStringLiteral("127.0.0.1:19999"), QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
                                QStringLiteral("--http-port"), QStringLiteral("18080"), QStringLiteral("--https-port"),
                                QStringLiteral("18443"), QStringLiteral("--certificate"), pem,
                                QStringLiteral("--tenants-map"), tenants});
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.contains(QLatin1String("stats socket ") + socket + QLatin1String(" mode 600 level admin")));
    QVERIFY(run.out.contains(QLatin1String("stats socket ipv4@127.0.0.1:19999 level admin")));
    QVERIFY(run.out.contains(QLatin1String("bind 127.0.0.1:18080\n")));
    QVERIFY(run.out.contains(QLatin1String("bind 127.0.0.1:18443 ssl crt ") + pem));
    QVERIFY(run.out.contains(QLatin1String("map_str_int(") + tenants + u')'));
    QVERIFY(run.err.contains(QLatin1String("as2.cloud-test.wso2.com"))); // served for tenants 1-5 only
    QVERIFY(TestSupport::readAll(hostsMap).contains("\nappserver.cloud-test.wso2.com wso2.esb.domain:nirmal\n"));
    if (haproxyPath().isEmpty())
        QSKIP("haproxy is not installed");
    const QString cfg = m_dir->filePath(QStringLiteral("stdout.cfg"));
    QVERIFY(writeFile(cfg, run.out.toUtf8()));
    const QString problem = haproxyCheck(cfg);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TestRenderHaproxy::listensWhereTheLoadBalancerFilesSay()
{
    // The ESB guide moves the ELB's http transport to port 80: HAProxy listens there, unless a
    // flag says otherwise.
    const QString conf = m_dir->filePath(QStringLiteral("lb/repository/conf"));
    QVERIFY(TestSupport::copyTree(TestSupport::sampleCluster() + QLatin1String("/lb/repository/conf"), conf));
    QVERIFY(TestSupport::replaceInFile(conf + QLatin1String("/axis2/axis2.xml"),
                                       "<parameter name=\"port\" locked=\"false\">8280</parameter>",
                                       "<parameter name=\"port\" locked=\"false\">80</parameter>"));
    const QString cfg = m_dir->filePath(QStringLiteral("haproxy.cfg"));
    const QStringList render{QStringLiteral("render-haproxy"), conf + QLatin1String("/loadbalancer.conf"),
                             QStringLiteral("-o"), cfg};
    TestSupport::TribunectlRun run = tribunectl(render);
    QCOMPARE(run.exitCode, 0);
    QString config = QString::fromUtf8(TestSupport::readAll(cfg));
    QVERIFY2(config.contains(QLatin1String("bind *:80\n")), qPrintable(config));
    QVERIFY(!config.contains(QLatin1String(":8280")));

    run = tribunectl(render + QStringList{QStringLiteral("--http-port"), QStringLiteral("8081")});
    QCOMPARE(run.exitCode, 0);
    config = QString::fromUtf8(TestSupport::readAll(cfg));
    QVERIFY2(config.contains(QLatin1String("bind *:8081\n")), qPrintable(config));
}

void TestRenderHaproxy::refusalExitsOneWithLine()
{
    const QString cfg = m_dir->filePath(QStringLiteral("haproxy.cfg"));
    const TestSupport::TribunectlRun run = tribunectl({QStringLiteral("render-haproxy"), testcaseConf(), QStringLiteral("-o"), cfg});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(testcaseConf() + QLatin1String(":47: domain 'wso2.as1.domain' serves tenants 1-5 only")),
             qPrintable(run.err));
    QVERIFY(!QFile::exists(cfg));
}

void TestRenderHaproxy::unusableInput_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    const QString conf = testcaseConf();
    QTest::newRow("no file") << QStringList{} << QStringLiteral("name one loadbalancer.conf");
    QTest::newRow("missing file") << QStringList{QStringLiteral("/nonexistent/loadbalancer.conf")}
                                  << QStringLiteral("/nonexistent/loadbalancer.conf");
    QTest::newRow("public admin tcp") << QStringList{conf, QStringLiteral("--admin-tcp"), QStringLiteral("10.1.2.3:9999")}
                                      << QStringLiteral("loopback");
    QTest::newRow("port not a number") << QStringList{conf, QStringLiteral("--http-port"), QStringLiteral("http")}
                                       << QStringLiteral("numbers");
    QTest::newRow("port out of range") << QStringList{conf, QStringLiteral("--http-port"), QStringLiteral("70000")}
                                       << QStringLiteral("65535");
    QTest::newRow("unknown option") << QStringList{conf, QStringLiteral("--frobnicate")} << QStringLiteral("frobnicate");
}

void TestRenderHaproxy::unusableInput()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const TestSupport::TribunectlRun run = tribunectl(QStringList{QStringLiteral("render-haproxy")} + arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
}

QTEST_GUILESS_MAIN(TestRenderHaproxy)
#include "tst_renderhaproxy.moc"
