// tribunectl service install: the instance name systemd expects and the drop-in it writes.
#include "cli/servicecommand.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Tribune::Cli;

class TestServiceCommand : public QObject
{
    Q_OBJECT

private slots:
    void escapesPathsAsSystemdDoes_data();
    void escapesPathsAsSystemdDoes();
    void writesTheDropInOfTheNodesOwner();
    void theLoadBalancerKeepsItsHAProxyAndLowPorts();
    void specifiersAndVariablesStayLiteral();
    void refusesAKeyFileTheAgentCannotRead();
    void refusesWhatCannotRun_data();
    void refusesWhatCannotRun();

private:
    int run(const QStringList &arguments, QString *output = nullptr)
    {
        QString out;
        QString err;
        QTextStream outStream(&out);
        QTextStream errStream(&err);
        const int code = runService(arguments, outStream, errStream);
        if (output)
            *output = out + err;
        return code;
    }
    QString makeNode(const QTemporaryDir &root, const QString &carbonHome, uid_t owner)
    {
        const QString onDisk = root.path() + carbonHome;
        if (!QDir().mkpath(onDisk + QStringLiteral("/repository/conf")))
            return {};
        if (::geteuid() == 0 && ::chown(QFile::encodeName(onDisk).constData(), owner, owner) != 0)
            return {};
        return onDisk;
    }
};

void TestServiceCommand::escapesPathsAsSystemdDoes_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("plain") << QStringLiteral("/opt/wso2/esb");
    QTest::newRow("dash") << QStringLiteral("/opt/wso2/esb-worker1");
    QTest::newRow("space") << QStringLiteral("/srv/carbon homes/node 1");
    QTest::newRow("dot first") << QStringLiteral("/home/wso2/.carbon/node");
    QTest::newRow("trailing slash") << QStringLiteral("/opt/wso2//esb/");
    QTest::newRow("non-ASCII") << QStringLiteral("/opt/wso2/nœud-ü");
    QTest::newRow("backslash") << QStringLiteral("/opt/a\\b");
}

void TestServiceCommand::escapesPathsAsSystemdDoes()
{
    QFETCH(QString, path);
    const QString tool = QStandardPaths::findExecutable(QStringLiteral("systemd-escape"));
    if (tool.isEmpty())
        QFAIL("systemd-escape is missing: install the systemd package");
    QProcess process;
    process.start(tool, {QStringLiteral("--path"), path});
    QVERIFY(process.waitForFinished(10000));
    const QString expected = QString::fromUtf8(process.readAllStandardOutput()).trimmed();
    QVERIFY(!expected.isEmpty());
    QCOMPARE(systemdEscapePath(path), expected);
}

void TestServiceCommand::writesTheDropInOfTheNodesOwner()
{
    QTemporaryDir root;
    const QString node = makeNode(root, QStringLiteral("/opt/wso2/esb worker-1"), 4242);
    QVERIFY(!node.isEmpty());
    QString output;
    QCOMPARE(run({QStringLiteral("install"), QStringLiteral("/opt/wso2/esb worker-1"), QStringLiteral("--root"),
                  root.path(), QStringLiteral("--key-file"), QStringLiteral("/etc/tribune/esb.keys")},
                 &output),
             0);
    QFile dropIn(root.path() + QStringLiteral("/etc/systemd/system/tribune-agent@opt-wso2-esb\\x20worker\\x2d1.service.d/node.conf"));
    QVERIFY2(dropIn.open(QIODevice::ReadOnly), qPrintable(output));
    const QString text = QString::fromUtf8(dropIn.readAll());
    if (::geteuid() == 0) {
        QVERIFY2(text.contains(QLatin1String("\nUser=4242\n")), qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("\nGroup=4242\n")), qPrintable(text));
    } else {
        const passwd *me = ::getpwuid(::geteuid());
        QVERIFY(me);
        QVERIFY2(text.contains(QStringLiteral("\nUser=%1\n").arg(QString::fromLocal8Bit(me->pw_name))), qPrintable(text));
    }
    QVERIFY2(text.contains(QLatin1String("ExecStart=\nExecStart=/usr/bin/tribune-agent --carbon-home \"/opt/wso2/esb worker-1\" "
                                         "--key-file \"/etc/tribune/esb.keys\"\n")),
             qPrintable(text));
    QVERIFY(!text.contains(QLatin1String("KillMode")));
    QVERIFY(!text.contains(QLatin1String("CAP_NET_BIND_SERVICE")));
    QVERIFY2(output.contains(QLatin1String("systemctl enable --now 'tribune-agent@opt-wso2-esb\\x20worker\\x2d1.service'")),
             qPrintable(output));
    QVERIFY2(output.contains(QLatin1String("does not exist yet")), qPrintable(output));
}

void TestServiceCommand::theLoadBalancerKeepsItsHAProxyAndLowPorts()
{
    QTemporaryDir root;
    QVERIFY(!makeNode(root, QStringLiteral("/opt/wso2/lb"), 4243).isEmpty());
    QString output;
    QCOMPARE(run({QStringLiteral("install"), QStringLiteral("/opt/wso2/lb"), QStringLiteral("--lb"), QStringLiteral("--root"), root.path()},
                 &output),
             0);
    QFile dropIn(root.path() + QStringLiteral("/etc/systemd/system/tribune-agent@opt-wso2-lb.service.d/node.conf"));
    QVERIFY2(dropIn.open(QIODevice::ReadOnly), qPrintable(output));
    const QString text = QString::fromUtf8(dropIn.readAll());
    QVERIFY(text.contains(QLatin1String("--role lb --runtime-dir /run/tribune-lb\n")));
    QVERIFY(text.contains(QLatin1String("\nAmbientCapabilities=CAP_NET_BIND_SERVICE\n")));
    QVERIFY(text.contains(QLatin1String("\nKillMode=process\n")));
    QVERIFY(text.contains(QLatin1String("\nRuntimeDirectoryPreserve=yes\n")));
}

void TestServiceCommand::specifiersAndVariablesStayLiteral()
{
    QTemporaryDir root;
    QVERIFY(!makeNode(root, QStringLiteral("/opt/100%_$HOME"), 4242).isEmpty());
    QString output;
    QCOMPARE(run({QStringLiteral("install"), QStringLiteral("/opt/100%_$HOME"), QStringLiteral("--root"), root.path()}, &output), 0);
    QFile dropIn(root.path() + QStringLiteral("/etc/systemd/system/tribune-agent@opt-100\\x25_\\x24HOME.service.d/node.conf"));
    QVERIFY2(dropIn.open(QIODevice::ReadOnly), qPrintable(output));
    const QString text = QString::fromUtf8(dropIn.readAll());
    QVERIFY2(text.contains(QLatin1String("--carbon-home \"/opt/100%%_$$HOME\"")), qPrintable(text));
}

void TestServiceCommand::refusesAKeyFileTheAgentCannotRead()
{
    QTemporaryDir root;
    QVERIFY(!makeNode(root, QStringLiteral("/opt/esb"), ::geteuid() == 0 ? 4242 : ::geteuid()).isEmpty());
    QVERIFY(QDir().mkpath(root.path() + QStringLiteral("/etc/tribune")));
    QFile keys(root.path() + QStringLiteral("/etc/tribune/cluster.keys"));
    QVERIFY(keys.open(QIODevice::WriteOnly));
    keys.close();
    QVERIFY(::chmod(QFile::encodeName(keys.fileName()).constData(), 0644) == 0);
    QString output;
    QCOMPARE(run({QStringLiteral("install"), QStringLiteral("/opt/esb"), QStringLiteral("--root"), root.path()}, &output), 1);
    QVERIFY2(output.contains(QLatin1String("chmod 600")), qPrintable(output));
    QVERIFY(!QDir(root.path() + QStringLiteral("/etc/systemd/system")).exists());

    // Readable by the node's user alone: accepted.
    QVERIFY(::chmod(QFile::encodeName(keys.fileName()).constData(), 0600) == 0);
    if (::geteuid() == 0)
        QVERIFY(::chown(QFile::encodeName(keys.fileName()).constData(), 4242, 4242) == 0);
    QCOMPARE(run({QStringLiteral("install"), QStringLiteral("/opt/esb"), QStringLiteral("--root"), root.path()}, &output), 0);
    QVERIFY2(!output.contains(QLatin1String("does not exist yet")), qPrintable(output));
}

void TestServiceCommand::refusesWhatCannotRun_data()
{
    QTest::addColumn<QString>("carbonHome");
    QTest::addColumn<bool>("create");
    QTest::addColumn<uint>("owner");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("says");
    QTest::newRow("relative") << QStringLiteral("opt/esb") << true << 4242u << 2 << QStringLiteral("not an absolute path");
    QTest::newRow("missing") << QStringLiteral("/opt/none") << false << 4242u << 1 << QStringLiteral("is not a folder");
    QTest::newRow("line break") << QStringLiteral("/opt/esb\nExecStartPre=/bin/sh") << false << 4242u << 2
                                << QStringLiteral("control character");
    if (::geteuid() == 0)
        QTest::newRow("root's") << QStringLiteral("/opt/esb") << true << 0u << 1 << QStringLiteral("belongs to root");
}

void TestServiceCommand::refusesWhatCannotRun()
{
    QFETCH(QString, carbonHome);
    QFETCH(bool, create);
    QFETCH(uint, owner);
    QFETCH(int, exitCode);
    QFETCH(QString, says);
    QTemporaryDir root;
    if (create)
        QVERIFY(!makeNode(root, QLatin1Char('/') + carbonHome.section(QLatin1Char('/'), -2), owner).isEmpty());
    QString output;
    QCOMPARE(run({QStringLiteral("install"), carbonHome, QStringLiteral("--root"), root.path()}, &output), exitCode);
    QVERIFY2(output.contains(says), qPrintable(output));
    QVERIFY(!QDir(root.path() + QStringLiteral("/etc/systemd/system")).exists());
}

QTEST_GUILESS_MAIN(TestServiceCommand)
#include "tst_servicecommand.moc"
