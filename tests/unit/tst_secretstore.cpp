// Passwords the console remembers stay out of the settings file. In Qt's test mode the store
// uses its owner-only file (never the user's keychain), which is what these checks read.
#include "live/connectionprofiles.h"
#include "live/secretstore.h"

#include <QDir>
#include <QFile>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace Tribune;

namespace {

const QString Password = QStringLiteral("p@ss:w/rd!"); // characters a URL must escape

QString secretsFile()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + QLatin1String("/secrets.json");
}

QByteArray contents(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestSecretStore : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void writeReadRemove();
    void urlPasswordGoesToTheStore();
    void urlWithoutPasswordForgetsTheOldOne();
    void profilesKeepHistoryPasswordsOutOfSettings();

private:
    QTemporaryDir m_home;
};

void TestSecretStore::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("TribuneTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_secretstore"));
    QVERIFY(m_home.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_home.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_home.path());
    QVERIFY(QSettings().fileName().startsWith(m_home.path()));
    QVERIFY(!secretsFile().startsWith(QDir::homePath() + QLatin1String("/.config/"))); // test mode's own folder
}

void TestSecretStore::init()
{
    QFile::remove(secretsFile());
    QSettings().clear();
}

void TestSecretStore::writeReadRemove()
{
    QString error;
    QVERIFY2(SecretStore::write(QStringLiteral("a"), Password, &error), qPrintable(error));
    QVERIFY2(SecretStore::write(QStringLiteral("b"), QStringLiteral("other"), &error), qPrintable(error));
    QCOMPARE(SecretStore::read(QStringLiteral("a"), &error), Password);
    QVERIFY(error.isEmpty());
    QCOMPARE(SecretStore::read(QStringLiteral("b")), QStringLiteral("other"));
    QVERIFY(SecretStore::read(QStringLiteral("none")).isEmpty());
    // Only its owner may read the file.
    QCOMPARE(QFile(secretsFile()).permissions() & ~(QFileDevice::ReadUser | QFileDevice::WriteUser),
             QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QVERIFY(SecretStore::whereKept().contains(secretsFile()));

    SecretStore::remove(QStringLiteral("a"));
    QVERIFY(SecretStore::read(QStringLiteral("a")).isEmpty());
    QCOMPARE(SecretStore::read(QStringLiteral("b")), QStringLiteral("other"));
    QVERIFY(!contents(secretsFile()).contains("p@ss"));
}

void TestSecretStore::urlPasswordGoesToTheStore()
{
    const QString url = QLatin1String("postgresql://tribune:") + QString::fromLatin1(QUrl::toPercentEncoding(Password))
        + QLatin1String("@db.example:5432/history");
    QString error;
    const QString stashed = SecretStore::stashUrlPassword(QStringLiteral("k"), url, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(stashed, QStringLiteral("postgresql://tribune@db.example:5432/history"));

    const QUrl restored(SecretStore::restoreUrlPassword(QStringLiteral("k"), stashed));
    QCOMPARE(restored.password(QUrl::FullyDecoded), Password);
    QCOMPARE(restored.userName(), QStringLiteral("tribune"));
    QCOMPARE(restored.host(), QStringLiteral("db.example"));
    QCOMPARE(restored.port(), 5432);
    QCOMPARE(restored.path(), QStringLiteral("/history"));

    // URLs without a user or password pass through untouched.
    for (const QString &plain : {QStringLiteral("sqlite:///var/lib/tribune/history.sqlite"), QStringLiteral("none"), QString()}) {
        QCOMPARE(SecretStore::stashUrlPassword(QStringLiteral("p"), plain), plain);
        QCOMPARE(SecretStore::restoreUrlPassword(QStringLiteral("p"), plain), plain);
    }
}

void TestSecretStore::urlWithoutPasswordForgetsTheOldOne()
{
    SecretStore::stashUrlPassword(QStringLiteral("k"), QStringLiteral("mysql://u:secret@h/db"));
    QCOMPARE(SecretStore::read(QStringLiteral("k")), QStringLiteral("secret"));
    SecretStore::stashUrlPassword(QStringLiteral("k"), QStringLiteral("mysql://u@h/db"));
    QVERIFY(SecretStore::read(QStringLiteral("k")).isEmpty());
    QCOMPARE(SecretStore::restoreUrlPassword(QStringLiteral("k"), QStringLiteral("mysql://u@h/db")),
             QStringLiteral("mysql://u@h/db"));
}

void TestSecretStore::profilesKeepHistoryPasswordsOutOfSettings()
{
    ConnectionProfile profile;
    profile.name = QStringLiteral("Production");
    profile.seeds = {QStringLiteral("10.0.0.1:4000")};
    profile.keyFile = QStringLiteral("/etc/tribune/cluster.keys");
    profile.historyUrl = QLatin1String("mysql://tribune:") + QString::fromLatin1(QUrl::toPercentEncoding(Password))
        + QLatin1String("@10.0.0.9:3306/tribune");
    ConnectionProfiles::remember(profile);

    const QString settingsFile = QSettings().fileName();
    QSettings().sync();
    const QByteArray saved = contents(settingsFile);
    QVERIFY2(saved.contains("10.0.0.9"), saved.constData()); // the URL is there...
    for (const QByteArray &form : {Password.toUtf8(), QUrl::toPercentEncoding(Password), QByteArray("p@ss"), QByteArray("p%40ss")})
        QVERIFY2(!saved.contains(form), saved.constData()); // ...its password is not

    const QList<ConnectionProfile> loaded = ConnectionProfiles::load();
    QCOMPARE(loaded.size(), 1);
    QCOMPARE(QUrl(loaded.first().historyUrl).password(QUrl::FullyDecoded), Password);

    QVERIFY(ConnectionProfiles::forget(QStringLiteral("Production")));
    QVERIFY(!contents(secretsFile()).contains("p@ss"));
}

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secretstore.moc"
