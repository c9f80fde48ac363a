// Saved connection profiles: round trip through QSettings, replacement by name, forgetting,
// most-recent-first order and its limit, settings files no version wrote, and the checks made
// before connecting. Settings live in temporary files only.
#include "live/connectionprofiles.h"
#include "protocol/keyring.h"

#include "../common/testsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Tribune;
using Field = ConnectionProblem::Field;

Q_DECLARE_METATYPE(Tribune::ConnectionProblem::Field)

namespace {

ConnectionProfile profileNamed(const QString &name, const QString &seed = QStringLiteral("10.0.0.1:4000"))
{
    ConnectionProfile profile;
    profile.name = name;
    profile.seeds = {seed};
    profile.keyFile = QStringLiteral("/etc/tribune/cluster.keys");
    return profile;
}

QStringList namesOf(const QList<ConnectionProfile> &profiles)
{
    QStringList names;
    for (const ConnectionProfile &profile : profiles)
        names.append(profile.name);
    return names;
}

} // namespace

class TestConnectionProfiles : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void roundTrip();
    void defaultSettingsAreTheUsersOnes();
    void replacesByName();
    void forgets();
    void mostRecentFirstAndLimited();
    void skipsEntriesNoVersionWrote();
    void rewritesGarbledSettingsClean();
    void survivesAHugeSize();
    void checks_data();
    void checks();
    void acceptsAUsableProfile();
    void theLoadBalancerAloneNeedsNoKey();

private:
    QString settingsFile() const { return m_dir->filePath(QStringLiteral("profiles.ini")); }
    QString keyFile(const QString &name, QFileDevice::Permissions permissions, const QByteArray &text = {});

    QTemporaryDir m_home;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestConnectionProfiles::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_home.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_home.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_home.path());
}

void TestConnectionProfiles::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QString TestConnectionProfiles::keyFile(const QString &name, QFileDevice::Permissions permissions, const QByteArray &text)
{
    const QString path = m_dir->filePath(name);
    if (text.isEmpty()) {
        QString error;
        if (!Protocol::KeyRing::generate().save(path, &error))
            qWarning("%s", qPrintable(error));
    } else {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
            qWarning("cannot write %s", qPrintable(path));
    }
    QFile::setPermissions(path, permissions);
    return path;
}

void TestConnectionProfiles::roundTrip()
{
    ConnectionProfile profile;
    profile.name = QStringLiteral("Production, east");
    profile.seeds = {QStringLiteral("10.0.0.1:4000"), QStringLiteral("node-2.example.org:4001")};
    profile.loadBalancerSocket = QStringLiteral("/run/haproxy/admin.sock");
    profile.keyFile = QStringLiteral("/home/ops/keys/east cluster.keys");
    profile.role = QStringLiteral("viewer");
    profile.tlsCaFile = QStringLiteral("/etc/tribune/ca.pem");
    profile.historyUrl = QStringLiteral("mysql://ops:secret@db:3306/history");
    {
        QSettings settings(settingsFile(), QSettings::IniFormat);
        ConnectionProfiles::remember(settings, profile);
    }
    QSettings reread(settingsFile(), QSettings::IniFormat);
    const QList<ConnectionProfile> loaded = ConnectionProfiles::load(reread);
    QCOMPARE(loaded.size(), 1);
    QVERIFY(loaded.first() == profile);
}

void TestConnectionProfiles::defaultSettingsAreTheUsersOnes()
{
    // The overloads without settings use QSettings(), here redirected to a temporary folder.
    QVERIFY(QSettings().fileName().startsWith(m_home.path()));
    ConnectionProfiles::remember(profileNamed(QStringLiteral("default")));
    QCOMPARE(namesOf(ConnectionProfiles::load()), QStringList{QStringLiteral("default")});
    QVERIFY(ConnectionProfiles::forget(QStringLiteral("default")));
    QVERIFY(ConnectionProfiles::load().isEmpty());
}

void TestConnectionProfiles::replacesByName()
{
    QSettings settings(settingsFile(), QSettings::IniFormat);
    ConnectionProfiles::remember(settings, profileNamed(QStringLiteral("a")));
    ConnectionProfiles::remember(settings, profileNamed(QStringLiteral("b")));
    ConnectionProfiles::remember(settings, profileNamed(QStringLiteral("a"), QStringLiteral("10.9.9.9:4000")));
    const QList<ConnectionProfile> loaded = ConnectionProfiles::load(settings);
    QCOMPARE(namesOf(loaded), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    QCOMPARE(loaded.first().seeds, QStringList{QStringLiteral("10.9.9.9:4000")});
}

void TestConnectionProfiles::forgets()
{
    QSettings settings(settingsFile(), QSettings::IniFormat);
    for (const char *name : {"a", "b", "c"})
        ConnectionProfiles::remember(settings, profileNamed(QString::fromLatin1(name)));
    QVERIFY(ConnectionProfiles::forget(settings, QStringLiteral("b")));
    QCOMPARE(namesOf(ConnectionProfiles::load(settings)), (QStringList{QStringLiteral("c"), QStringLiteral("a")}));
    QVERIFY(!ConnectionProfiles::forget(settings, QStringLiteral("b")));
    QVERIFY(!ConnectionProfiles::forget(settings, QStringLiteral("never saved")));
    QCOMPARE(namesOf(ConnectionProfiles::load(settings)), (QStringList{QStringLiteral("c"), QStringLiteral("a")}));
    settings.sync();
    QVERIFY(!TestSupport::readAll(settingsFile()).contains("\\3\\")); // no third entry left behind
}

void TestConnectionProfiles::mostRecentFirstAndLimited()
{
    QSettings settings(settingsFile(), QSettings::IniFormat);
    for (const char *name : {"a", "b", "c"})
        ConnectionProfiles::remember(settings, profileNamed(QString::fromLatin1(name)));
    QCOMPARE(namesOf(ConnectionProfiles::load(settings)), (QStringList{QStringLiteral("c"), QStringLiteral("b"), QStringLiteral("a")}));
    ConnectionProfiles::remember(settings, profileNamed(QStringLiteral("b")));
    QCOMPARE(namesOf(ConnectionProfiles::load(settings)), (QStringList{QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("a")}));

    for (int i = 0; i < ConnectionProfiles::MaxProfiles + 5; ++i)
        ConnectionProfiles::remember(settings, profileNamed(QStringLiteral("p%1").arg(i)));
    const QStringList names = namesOf(ConnectionProfiles::load(settings));
    QCOMPARE(names.size(), ConnectionProfiles::MaxProfiles);
    QCOMPARE(names.first(), QStringLiteral("p%1").arg(ConnectionProfiles::MaxProfiles + 4));
    QCOMPARE(names.last(), QStringLiteral("p5"));
}

void TestConnectionProfiles::skipsEntriesNoVersionWrote()
{
    // Hand-edited or damaged: a single member as text, members in one quoted string, no name, no
    // members, values that are not text, a repeated name, an unknown role, missing entries.
    QFile file(settingsFile());
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[connections]\n"
               "size=9\n"
               "1\\name=old\n"
               "1\\seeds=10.0.0.1:4000\n"
               "1\\keyFile=/k/old.keys\n"
               "2\\seeds=\"10.0.0.2:4000, 10.0.0.3:4000\"\n"
               "3\\name=no members\n"
               "3\\keyFile=/k/none.keys\n"
               "4\\name=@Variant(\\0\\0\\0\\x7f\\0\\0\\0\\x3xyz)\n"
               "4\\seeds=@Variant(\\xff\\xff)\n"
               "5\\name=old\n"
               "5\\seeds=10.0.0.9:4000\n"
               "6\\name=odd role\n"
               "6\\seeds=10.0.0.4:4000\n"
               "6\\role=admin\n"
               "6\\historyUrl=@Invalid()\n"
               "6\\tlsCaFile=@ByteArray(/etc/ca.pem)\n"
               "7\\name=@Rect(1 2 3 4)\n"
               "7\\seeds=10.0.0.5:4000\n"
               "7\\keyFile=@Size(1 2)\n");
    file.close();
    QSettings settings(settingsFile(), QSettings::IniFormat);
    const QList<ConnectionProfile> loaded = ConnectionProfiles::load(settings);
    QCOMPARE(namesOf(loaded), (QStringList{QStringLiteral("old"), QStringLiteral("10.0.0.2:4000"), QStringLiteral("odd role"),
                                           QStringLiteral("10.0.0.5:4000")}));
    QCOMPARE(loaded.at(0).seeds, QStringList{QStringLiteral("10.0.0.1:4000")});
    QCOMPARE(loaded.at(0).keyFile, QStringLiteral("/k/old.keys"));
    QCOMPARE(loaded.at(1).seeds, (QStringList{QStringLiteral("10.0.0.2:4000"), QStringLiteral("10.0.0.3:4000")}));
    QVERIFY(loaded.at(2).role.isEmpty());
    QVERIFY(loaded.at(2).historyUrl.isEmpty());
    QCOMPARE(loaded.at(2).tlsCaFile, QStringLiteral("/etc/ca.pem"));
    QVERIFY(loaded.at(3).keyFile.isEmpty());
}

void TestConnectionProfiles::rewritesGarbledSettingsClean()
{
    QFile file(settingsFile());
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[connections]\n"
               "size=30\n"
               "1\\seeds=@Variant(\\xff\\xff)\n"
               "2\\name=kept\n"
               "2\\seeds=10.0.0.1:4000\n"
               "29\\name=far away\n"
               "29\\seeds=10.0.0.29:4000\n"
               "29\\garbage=yes\n");
    file.close();
    {
        QSettings settings(settingsFile(), QSettings::IniFormat);
        ConnectionProfiles::remember(settings, profileNamed(QStringLiteral("new")));
    }
    const QByteArray text = TestSupport::readAll(settingsFile());
    QVERIFY2(!text.contains("garbage") && !text.contains("far away") && !text.contains("Variant"), text.constData());
    QSettings settings(settingsFile(), QSettings::IniFormat);
    QCOMPARE(namesOf(ConnectionProfiles::load(settings)), (QStringList{QStringLiteral("new"), QStringLiteral("kept")}));
}

void TestConnectionProfiles::survivesAHugeSize()
{
    for (const char *size : {"2147483647", "-5", "many"}) {
        QFile file(settingsFile());
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(QByteArray("[connections]\nsize=" + QByteArray(size) + "\n1\\name=a\n1\\seeds=10.0.0.1:4000\n"));
        file.close();
        QSettings settings(settingsFile(), QSettings::IniFormat);
        QElapsedTimer timer;
        timer.start();
        const QList<ConnectionProfile> loaded = ConnectionProfiles::load(settings);
        QVERIFY(timer.elapsed() < 2000);
        QVERIFY(loaded.size() <= 1);
        QFile::remove(settingsFile());
    }
}

void TestConnectionProfiles::checks_data()
{
    QTest::addColumn<QStringList>("seeds");
    QTest::addColumn<QString>("socket");
    QTest::addColumn<QString>("keyFile"); // good, viewer-only, missing, folder, loose, malformed or empty
    QTest::addColumn<QString>("role");
    QTest::addColumn<QString>("ca");
    QTest::addColumn<Field>("field");
    QTest::addColumn<QString>("message");

    const QString good = QStringLiteral("good");
    QTest::newRow("no member, no socket") << QStringList() << QString() << good << QString() << QString() << Field::Seeds
                                          << QStringLiteral("Enter a well-known member as HOST:PORT");
    QTest::newRow("socket only, bad key file") << QStringList() << QStringLiteral("/run/haproxy/admin.sock")
                                               << QStringLiteral("missing") << QString() << QString() << Field::KeyFile
                                               << QStringLiteral("does not exist");
    QTest::newRow("no port") << QStringList{QStringLiteral("10.0.0.1")} << QString() << good << QString() << QString() << Field::Seeds
                             << QStringLiteral("\"10.0.0.1\" has no port: write it as HOST:PORT, e.g. 10.0.0.1:4000");
    QTest::newRow("empty port") << QStringList{QStringLiteral("node:")} << QString() << good << QString() << QString()
                                << Field::Seeds << QStringLiteral("\"node:\" has no port");
    QTest::newRow("no host") << QStringList{QStringLiteral(":4000")} << QString() << good << QString() << QString() << Field::Seeds
                             << QStringLiteral("\":4000\" has no host");
    QTest::newRow("port not a number") << QStringList{QStringLiteral("node:http")} << QString() << good << QString() << QString()
                                       << Field::Seeds << QStringLiteral("\"node:http\" is not a number");
    QTest::newRow("port too high") << QStringList{QStringLiteral("10.0.0.1:4000"), QStringLiteral("node:70000")} << QString()
                                   << good << QString() << QString() << Field::Seeds
                                   << QStringLiteral("\"node:70000\" is out of range: use a port from 1 to 65535");
    QTest::newRow("port zero") << QStringList{QStringLiteral("node:0")} << QString() << good << QString() << QString() << Field::Seeds
                               << QStringLiteral("out of range");
    QTest::newRow("bad socket") << QStringList{QStringLiteral("node:4000")} << QStringLiteral("haproxy:99999") << good << QString()
                                << QString() << Field::LoadBalancerSocket << QStringLiteral("neither a socket path nor HOST:PORT");
    QTest::newRow("no key file") << QStringList{QStringLiteral("node:4000")} << QString() << QStringLiteral("empty") << QString()
                                 << QString() << Field::KeyFile << QStringLiteral("Choose the cluster key file");
    QTest::newRow("missing key file") << QStringList{QStringLiteral("node:4000")} << QString() << QStringLiteral("missing")
                                      << QString() << QString() << Field::KeyFile << QStringLiteral("does not exist");
    QTest::newRow("key file a folder") << QStringList{QStringLiteral("node:4000")} << QString() << QStringLiteral("folder")
                                       << QString() << QString() << Field::KeyFile << QStringLiteral("is not a file");
    QTest::newRow("key file readable by others") << QStringList{QStringLiteral("node:4000")} << QString() << QStringLiteral("loose")
                                                 << QString() << QString() << Field::KeyFile << QStringLiteral("chmod 600");
    QTest::newRow("malformed key file") << QStringList{QStringLiteral("node:4000")} << QString() << QStringLiteral("malformed")
                                        << QString() << QString() << Field::KeyFile << QStringLiteral("expected \"member|console|viewer");
    QTest::newRow("no key for the role") << QStringList{QStringLiteral("node:4000")} << QString() << QStringLiteral("viewer-only")
                                         << QStringLiteral("console") << QString() << Field::Role
                                         << QStringLiteral("holds no console key: choose another role");
    QTest::newRow("missing authority") << QStringList{QStringLiteral("node:4000")} << QString() << good << QString()
                                       << QStringLiteral("/nonexistent/ca.pem") << Field::TlsCaFile
                                       << QStringLiteral("leave the field empty to connect without TLS");
}

void TestConnectionProfiles::checks()
{
    QFETCH(QStringList, seeds);
    QFETCH(QString, socket);
    QFETCH(QString, keyFile);
    QFETCH(QString, role);
    QFETCH(QString, ca);
    QFETCH(Field, field);
    QFETCH(QString, message);

    const QFileDevice::Permissions ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
    ConnectionProfile profile;
    profile.seeds = seeds;
    profile.loadBalancerSocket = socket;
    profile.role = role;
    profile.tlsCaFile = ca;
    if (keyFile == u"good") {
        profile.keyFile = this->keyFile(QStringLiteral("cluster.keys"), ownerOnly);
    } else if (keyFile == u"viewer-only") {
        Protocol::KeyRing keys = Protocol::KeyRing::generate();
        keys.remove(Protocol::Role::Console);
        keys.remove(Protocol::Role::Member);
        profile.keyFile = m_dir->filePath(QStringLiteral("viewer.keys"));
        QString error;
        QVERIFY2(keys.save(profile.keyFile, &error), qPrintable(error));
    } else if (keyFile == u"missing") {
        profile.keyFile = m_dir->filePath(QStringLiteral("nowhere.keys"));
    } else if (keyFile == u"folder") {
        profile.keyFile = m_dir->path();
    } else if (keyFile == u"loose") {
        profile.keyFile = this->keyFile(QStringLiteral("loose.keys"), ownerOnly | QFileDevice::ReadGroup | QFileDevice::ReadOther);
    } else if (keyFile == u"malformed") {
        profile.keyFile = this->keyFile(QStringLiteral("bad.keys"), ownerOnly, "console: not base64\n");
    }

    const QList<ConnectionProblem> problems = ConnectionProfiles::check(profile);
    QCOMPARE(problems.size(), 1);
    QCOMPARE(problems.first().field, field);
    QVERIFY2(problems.first().message.contains(message), qPrintable(problems.first().message));
}

void TestConnectionProfiles::acceptsAUsableProfile()
{
    ConnectionProfile profile;
    profile.seeds = {QStringLiteral("10.0.0.1:4000"), QStringLiteral("node-2:65535"), QStringLiteral("::1:4000")};
    profile.loadBalancerSocket = QStringLiteral("127.0.0.1:9999");
    profile.keyFile = keyFile(QStringLiteral("cluster.keys"), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    for (const QString &role : {QString(), QStringLiteral("console"), QStringLiteral("viewer")}) {
        profile.role = role;
        const QList<ConnectionProblem> problems = ConnectionProfiles::check(profile);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.value(0).message));
    }
}

void TestConnectionProfiles::theLoadBalancerAloneNeedsNoKey()
{
    // What HATop users do: the admin socket alone, no agent, no key.
    ConnectionProfile profile;
    profile.loadBalancerSocket = QStringLiteral("/run/haproxy/admin.sock");
    const QList<ConnectionProblem> problems = ConnectionProfiles::check(profile);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.value(0).message));
    QVERIFY(profile.isUsable());
    QCOMPARE(profile.nameOrFirstSeed(), profile.loadBalancerSocket);

    // Kept and read back like any other.
    QSettings settings(settingsFile(), QSettings::IniFormat);
    ConnectionProfiles::remember(settings, profile);
    const QList<ConnectionProfile> loaded = ConnectionProfiles::load(settings);
    QCOMPARE(loaded.size(), 1);
    QCOMPARE(loaded.first().loadBalancerSocket, profile.loadBalancerSocket);
    QVERIFY(loaded.first().seeds.isEmpty());
    QCOMPARE(loaded.first().name, profile.loadBalancerSocket);
}

QTEST_GUILESS_MAIN(TestConnectionProfiles)
#include "tst_connectionprofiles.moc"
