// tribunectl validate as scripts use it: exit codes, text and JSON output, and messages that name
// the file and line of bad input.
#include "../common/testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "../common/tribunectlrun.h"

using TestSupport::tribunectl;

namespace {




} // namespace

class TestTribunectl : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanClusterExitsZero();
    void errorsExitOne();
    void jsonOutput();
    void singleNodeAndLoadBalancerConf();
    void malformedXmlExitsTwo();
    void missingBraceExitsTwo();
    void unusablePaths_data();
    void unusablePaths();
    void nodePlanWritesACarbonHome();
    void configDiffOfTwoFolders();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestTribunectl::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(TestSupport::copyTree(TestSupport::sampleCluster(), m_dir->path()));
}

void TestTribunectl::cleanClusterExitsZero()
{
    const TestSupport::TribunectlRun run = tribunectl({QStringLiteral("validate"), m_dir->path()});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(QLatin1String("8 nodes checked: 0 errors, 0 warnings")), qPrintable(run.out));
}

void TestTribunectl::errorsExitOne()
{
    const QString carbon = m_dir->path() + QLatin1String("/esb-worker2/repository/conf/carbon.xml");
    QVERIFY(TestSupport::replaceInFile(carbon, "<Offset>2</Offset>", "<Offset>1</Offset>"));
    const TestSupport::TribunectlRun run = tribunectl({QStringLiteral("validate"), m_dir->path()});
    QCOMPARE(run.exitCode, 1);
    const QStringList lines = QString::fromUtf8(TestSupport::readAll(carbon)).split(QLatin1Char('\n'));
    const int offsetLine = int(lines.indexOf(QRegularExpression(QStringLiteral(".*<Offset>1</Offset>.*")))) + 1;
    QVERIFY2(run.out.contains(QStringLiteral("%1:%2: error: on server 127.0.0.1, node esb-manager listens on the same ports")
                                  .arg(carbon)
                                  .arg(offsetLine)),
             qPrintable(run.out));
    // The manager, which keeps its ports, is told as a note.
    QVERIFY2(run.out.contains(QLatin1String("note: on server 127.0.0.1, node esb-worker2 listens on the same ports")),
             qPrintable(run.out));
    QVERIFY2(run.out.contains(QLatin1String("fix: set <Ports><Offset> to 2")), qPrintable(run.out));
    QVERIFY2(run.out.contains(QLatin1String("1 error")), qPrintable(run.out));
}

void TestTribunectl::jsonOutput()
{
    QVERIFY(TestSupport::replaceInFile(m_dir->path() + QLatin1String("/esb-worker1/repository/conf/registry.xml"),
                  "<readOnly>true</readOnly>", "<readOnly>false</readOnly>"));
    const TestSupport::TribunectlRun run = tribunectl({QStringLiteral("validate"), QStringLiteral("--json"), m_dir->path()});
    QCOMPARE(run.exitCode, 1);
    QJsonParseError parseError;
    const QJsonDocument json = QJsonDocument::fromJson(run.out.toUtf8(), &parseError);
    QVERIFY2(!json.isNull(), qPrintable(parseError.errorString()));
    QCOMPARE(json[QLatin1String("nodes")].toInt(), 8);
    QCOMPARE(json[QLatin1String("errors")].toInt(), 1);
    const QJsonObject finding = json[QLatin1String("findings")].toArray().first().toObject();
    QCOMPARE(finding[QLatin1String("rule")].toString(), QStringLiteral("worker-registry-writable"));
    QCOMPARE(finding[QLatin1String("severity")].toString(), QStringLiteral("error"));
    QCOMPARE(finding[QLatin1String("node")].toString(), QStringLiteral("esb-worker1"));
    QVERIFY(finding[QLatin1String("line")].toInt() > 0);
    QVERIFY(!finding[QLatin1String("fix")].toString().isEmpty());
}

void TestTribunectl::singleNodeAndLoadBalancerConf()
{
    // A node's folder alone brings no hosts file: --hosts gives the cluster's, so that no finding
    // depends on this machine's resolver.
    const QString node = m_dir->path() + QLatin1String("/esb-manager");
    const QString hosts = m_dir->path() + QLatin1String("/hosts");
    TestSupport::TribunectlRun run = tribunectl({QStringLiteral("validate"), QStringLiteral("--hosts"), hosts, node});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(QLatin1String("1 node checked")), qPrintable(run.out));
    run = tribunectl({QStringLiteral("validate"), QStringLiteral("--hosts"), hosts, node + QLatin1String("/repository/conf")});
    QCOMPARE(run.exitCode, 0);
    run = tribunectl({QStringLiteral("validate"), QStringLiteral("--hosts"), hosts,
                      m_dir->path() + QLatin1String("/lb/repository/conf/loadbalancer.conf"), node});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(QLatin1String("1 node checked: 0 errors")), qPrintable(run.out));
}

void TestTribunectl::malformedXmlExitsTwo()
{
    const QString axis2 = m_dir->path() + QLatin1String("/esb-worker3/repository/conf/axis2/axis2.xml");
    QVERIFY(TestSupport::replaceInFile(axis2, "</members>", "</member>"));
    const TestSupport::TribunectlRun run = tribunectl({QStringLiteral("validate"), m_dir->path()});
    QCOMPARE(run.exitCode, 2);
    const QStringList lines = QString::fromUtf8(TestSupport::readAll(axis2)).split(QLatin1Char('\n'));
    const qsizetype brokenLine = lines.indexOf(QRegularExpression(QStringLiteral("^\\s*</member>\\s*$")), 0);
    QVERIFY(brokenLine >= 0);
    QVERIFY2(run.err.contains(axis2 + QLatin1Char(':')), qPrintable(run.err));
    QVERIFY2(run.err.contains(QLatin1String("malformed XML")), qPrintable(run.err));
    QVERIFY2(run.out.isEmpty(), qPrintable(run.out));
}

void TestTribunectl::missingBraceExitsTwo()
{
    const QString conf = m_dir->path() + QLatin1String("/lb/repository/conf/loadbalancer.conf");
    QByteArray bytes = TestSupport::readAll(conf);
    const qsizetype lastBrace = bytes.lastIndexOf('}');
    QVERIFY(lastBrace > 0);
    bytes.remove(lastBrace, 1);
    QFile file(conf);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(bytes);
    file.close();
    const TestSupport::TribunectlRun run = tribunectl({QStringLiteral("validate"), m_dir->path()});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(QRegularExpression(QStringLiteral("loadbalancer\\.conf:\\d+")).match(run.err).hasMatch(), qPrintable(run.err));
}

void TestTribunectl::unusablePaths_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("no path") << QStringList{QStringLiteral("validate")} << "name at least one PATH";
    QTest::newRow("missing path") << QStringList{QStringLiteral("validate"), QStringLiteral("/nonexistent/cluster")}
                                  << "/nonexistent/cluster: no such file or folder";
    QTest::newRow("folder of nothing") << QStringList{QStringLiteral("validate"), QStringLiteral("@empty")}
                                       << "holds no node";
    QTest::newRow("unknown option") << QStringList{QStringLiteral("validate"), QStringLiteral("--frobnicate"), QStringLiteral(".")}
                                    << "frobnicate";
    QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")} << "unknown command";
}

void TestTribunectl::unusablePaths()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const QString empty = m_dir->path() + QLatin1String("/empty");
    QVERIFY(QDir().mkpath(empty));
    arguments.replaceInStrings(QStringLiteral("@empty"), empty);
    const TestSupport::TribunectlRun run = tribunectl(arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
}

void TestTribunectl::nodePlanWritesACarbonHome()
{
    // A fourth worker like esb-worker3 on 127.0.0.2, which runs workers 1 and 3 already.
    const QString out = m_dir->path() + QLatin1String("/plan");
    const TestSupport::TribunectlRun run =
        tribunectl({QStringLiteral("node"), QStringLiteral("plan"), m_dir->path(), QStringLiteral("--like"),
                    QStringLiteral("esb-worker3"), QStringLiteral("--host"), QStringLiteral("127.0.0.2"),
                    QStringLiteral("--name"), QStringLiteral("esb-worker4"), QStringLiteral("--out"), out});
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    QVERIFY2(run.out.contains(QLatin1String("New node esb-worker4 like esb-worker3 on server 127.0.0.2")), qPrintable(run.out));
    QVERIFY2(run.out.contains(QLatin1String("+++ b/esb-worker4/carbon.xml")), qPrintable(run.out));
    QVERIFY2(run.out.contains(QLatin1String("The plan brings no finding.")), qPrintable(run.out));
    const QJsonObject plan = QJsonDocument::fromJson(TestSupport::readAll(out + QLatin1String("/plan.json"))).object();
    QCOMPARE(plan.value(QLatin1String("node")).toString(), QStringLiteral("esb-worker4"));
    QVERIFY(!plan.value(QLatin1String("blocked")).toBool());
    // The written node validates with the cluster it joins.
    QVERIFY(TestSupport::copyTree(out + QLatin1String("/esb-worker4"), m_dir->path() + QLatin1String("/esb-worker4")));
    QDir(out).removeRecursively();
    const TestSupport::TribunectlRun validated = tribunectl({QStringLiteral("validate"), m_dir->path()});
    QVERIFY2(validated.exitCode == 0 && validated.out.contains(QLatin1String("9 nodes checked: 0 errors, 0 warnings")),
             qPrintable(validated.out));

    // Refused with the reason when the template does not exist.
    const TestSupport::TribunectlRun refused =
        tribunectl({QStringLiteral("node"), QStringLiteral("plan"), m_dir->path(), QStringLiteral("--like"),
                    QStringLiteral("nosuch"), QStringLiteral("--host"), QStringLiteral("127.0.0.2")});
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains(QLatin1String("no node \"nosuch\"")), qPrintable(refused.err));
}

void TestTribunectl::configDiffOfTwoFolders()
{
    const QString worker1 = m_dir->path() + QLatin1String("/esb-worker1");
    const QString worker3 = m_dir->path() + QLatin1String("/esb-worker3");
    const TestSupport::TribunectlRun same = tribunectl({QStringLiteral("config"), QStringLiteral("diff"), worker1, worker1});
    QCOMPARE(same.exitCode, 0);
    QVERIFY(same.out.isEmpty());
    const TestSupport::TribunectlRun differ = tribunectl({QStringLiteral("config"), QStringLiteral("diff"), worker1, worker3});
    QCOMPARE(differ.exitCode, 1);
    QVERIFY2(differ.out.contains(QLatin1String("--- a/carbon.xml\n+++ b/carbon.xml\n")), qPrintable(differ.out));
    QVERIFY2(differ.out.contains(QLatin1String("-        <Offset>0</Offset>\n+        <Offset>3</Offset>\n")), qPrintable(differ.out));
    QVERIFY(!differ.out.contains(QLatin1String("user-mgt.xml"))); // the same on both
    const TestSupport::TribunectlRun missing =
        tribunectl({QStringLiteral("config"), QStringLiteral("diff"), worker1, m_dir->path() + QLatin1String("/nosuch")});
    QCOMPARE(missing.exitCode, 2);
    QVERIFY2(missing.err.contains(QLatin1String("not a node's folder")), qPrintable(missing.err));
}

QTEST_GUILESS_MAIN(TestTribunectl)
#include "tst_tribunectl.moc"
