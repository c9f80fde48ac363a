// The console's preferences: round trip through the settings, defaults, which history a
// connection uses, a database password kept out of the settings file, the chart window snapped
// to one offered, and the history check. Settings and secrets live in temporary places only.
#include "live/connectionprofiles.h"
#include "live/consolepreferences.h"

#include "../common/testsupport.h"

#include <QLocale>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <limits>

using namespace Tribune;

class TestConsolePreferences : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanupTestCase();
    void defaultsWhenNothingIsSaved();
    void roundTrip();
    void languageChoosesTheLocale();
    void historyForPrefersTheProfile();
    void passwordStaysOutOfTheSettingsFile();
    void urlWithoutPasswordGetsNone();
    void snapsTheChartWindow_data();
    void snapsTheChartWindow();
    void checkHistoryGivesTheLocation();
    void checkHistoryGivesTheError();

private:
    QTemporaryDir m_home;
};

void TestConsolePreferences::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // secrets go to a test folder, never to the keychain
    QVERIFY(m_home.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_home.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_home.path());
    QVERIFY(QSettings().fileName().startsWith(m_home.path()));
}

void TestConsolePreferences::init()
{
    ConsolePreferences().save(); // also drops a password kept by the test before
    QSettings().remove(QStringLiteral("preferences"));
}

void TestConsolePreferences::cleanupTestCase()
{
    ConsolePreferences().save();
}

void TestConsolePreferences::defaultsWhenNothingIsSaved()
{
    const ConsolePreferences loaded = ConsolePreferences::load();
    QVERIFY(loaded.historyUrl.isEmpty());
    QVERIFY(loaded.notifyFailures);
    QCOMPARE(loaded.chartWindowSeconds, 60);
    QVERIFY(loaded == ConsolePreferences());
}

void TestConsolePreferences::roundTrip()
{
    ConsolePreferences preferences;
    preferences.historyUrl = QStringLiteral("sqlite:///var/lib/tribune/team.sqlite");
    preferences.notifyFailures = false;
    preferences.chartWindowSeconds = 3600;
    preferences.recordFailures = false;
    preferences.keptSnapshots = 3;
    preferences.language = QStringLiteral("ja");
    QString error;
    QVERIFY2(preferences.save(&error), qPrintable(error));
    QVERIFY(ConsolePreferences::load() == preferences);

    // Under "preferences" in the default settings, beside the connections.
    QSettings settings;
    QCOMPARE(settings.value(QStringLiteral("preferences/notifyFailures")).toBool(), false);
    QCOMPARE(settings.value(QStringLiteral("preferences/chartWindowSeconds")).toInt(), 3600);
    QCOMPARE(settings.value(QStringLiteral("preferences/keptSnapshots")).toInt(), 3);
    QCOMPARE(settings.value(QStringLiteral("preferences/language")).toString(), QStringLiteral("ja"));
    QCOMPARE(ConsolePreferences::savedLanguage(), QStringLiteral("ja"));
    QVERIFY(ConsolePreferences::load(settings) == preferences);

    // Back to the defaults: nothing of the URL is left.
    QVERIFY(ConsolePreferences().save());
    QVERIFY(ConsolePreferences::load() == ConsolePreferences());
    QVERIFY(!QSettings().contains(QStringLiteral("preferences/historyUrl")));
    QVERIFY(!QSettings().contains(QStringLiteral("preferences/language")));
    QVERIFY(ConsolePreferences::savedLanguage().isEmpty());
}

void TestConsolePreferences::languageChoosesTheLocale()
{
    QCOMPARE(ConsolePreferences::languages(),
             QStringList({QStringLiteral("en"), QStringLiteral("de"), QStringLiteral("fr"), QStringLiteral("ja")}));
    QCOMPARE(ConsolePreferences::uiLocale(QStringLiteral("de")).language(), QLocale::German);
    QCOMPARE(ConsolePreferences::uiLocale(QStringLiteral("ja")).language(), QLocale::Japanese);
    QCOMPARE(ConsolePreferences::uiLocale(QString()), QLocale::system());
    // A language the console does not speak, written by hand or by another version: the system's.
    QCOMPARE(ConsolePreferences::uiLocale(QStringLiteral("xx")), QLocale::system());
    QSettings().setValue(QStringLiteral("preferences/language"), QStringLiteral("xx"));
    QVERIFY(ConsolePreferences::savedLanguage().isEmpty());
    QVERIFY(ConsolePreferences::load().language.isEmpty());
    QSettings().remove(QStringLiteral("preferences/language"));
}

void TestConsolePreferences::historyForPrefersTheProfile()
{
    ConsolePreferences preferences;
    ConnectionProfile profile;
    profile.seeds = {QStringLiteral("10.0.0.1:4000")};
    QVERIFY(preferences.historyFor(profile).isEmpty()); // the default SQLite file

    preferences.historyUrl = QStringLiteral("postgresql://tribune@db.example/history");
    QCOMPARE(preferences.historyFor(profile), preferences.historyUrl);
    profile.historyUrl = QStringLiteral("  ");
    QCOMPARE(preferences.historyFor(profile), preferences.historyUrl);

    profile.historyUrl = QStringLiteral("sqlite:///srv/east.sqlite");
    QCOMPARE(preferences.historyFor(profile), profile.historyUrl);
    profile.historyUrl = QStringLiteral("none");
    QCOMPARE(preferences.historyFor(profile), QStringLiteral("none"));
    preferences.historyUrl = QStringLiteral("none");
    profile.historyUrl.clear();
    QCOMPARE(preferences.historyFor(profile), QStringLiteral("none"));
}

void TestConsolePreferences::passwordStaysOutOfTheSettingsFile()
{
    ConsolePreferences preferences;
    preferences.historyUrl = QStringLiteral("mysql://tribune:Wr1te-0nly%40pass@db.example:3306/history");
    QString error;
    QVERIFY2(preferences.save(&error), qPrintable(error));

    QSettings settings;
    settings.sync();
    const QByteArray text = TestSupport::readAll(settings.fileName());
    QVERIFY2(text.contains("db.example"), text.constData()); // the URL is there, without its password
    QVERIFY2(!text.contains("Wr1te"), text.constData());
    QVERIFY(!text.contains("0nly"));
    QVERIFY(!settings.value(QStringLiteral("preferences/historyUrl")).toString().contains(QLatin1String("Wr1te")));

    QCOMPARE(ConsolePreferences::load().historyUrl, preferences.historyUrl);
    QCOMPARE(ConsolePreferences::load(settings).historyUrl, preferences.historyUrl);
}

void TestConsolePreferences::urlWithoutPasswordGetsNone()
{
    ConsolePreferences preferences;
    preferences.historyUrl = QStringLiteral("postgresql://tribune:Old-Secret@db.example/history");
    QVERIFY(preferences.save());
    preferences.historyUrl = QStringLiteral("postgresql://tribune@db.example/history");
    QVERIFY(preferences.save());
    // A URL without a password does not get the one saved before.
    QCOMPARE(ConsolePreferences::load().historyUrl, preferences.historyUrl);
    preferences.historyUrl.clear();
    QVERIFY(preferences.save());
    QVERIFY(ConsolePreferences::load().historyUrl.isEmpty());
}

void TestConsolePreferences::snapsTheChartWindow_data()
{
    QTest::addColumn<QVariant>("stored");
    QTest::addColumn<int>("seconds");
    for (const int window : ConsolePreferences::chartWindows())
        QTest::addRow("%d", window) << QVariant(window) << window;
    QTest::newRow("zero") << QVariant(0) << 60;
    QTest::newRow("negative") << QVariant(-300) << 60;
    QTest::newRow("two minutes") << QVariant(120) << 60;
    QTest::newRow("four minutes") << QVariant(240) << 300;
    QTest::newRow("text number") << QVariant(QStringLiteral("610")) << 600;
    QTest::newRow("two days") << QVariant(2 * 86400) << 86400;
    QTest::newRow("largest int") << QVariant(std::numeric_limits<int>::max()) << 86400;
    QTest::newRow("smallest int") << QVariant(std::numeric_limits<int>::min()) << 60;
    QTest::newRow("not a number") << QVariant(QStringLiteral("an hour")) << 60;
    QTest::newRow("a list") << QVariant(QStringList{QStringLiteral("60"), QStringLiteral("300")}) << 60;
}

void TestConsolePreferences::snapsTheChartWindow()
{
    QFETCH(QVariant, stored);
    QFETCH(int, seconds);
    {
        QSettings settings;
        settings.setValue(QStringLiteral("preferences/chartWindowSeconds"), stored);
    }
    QCOMPARE(ConsolePreferences::load().chartWindowSeconds, seconds);

    // What is saved is one of the windows offered too.
    ConsolePreferences preferences;
    preferences.chartWindowSeconds = stored.toInt();
    QVERIFY(preferences.save());
    QVERIFY(ConsolePreferences::chartWindows().contains(QSettings().value(QStringLiteral("preferences/chartWindowSeconds")).toInt()));
}

void TestConsolePreferences::checkHistoryGivesTheLocation()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("team.sqlite"));
    QString error;
    const QString location = ConsolePreferences::checkHistory(QStringLiteral("sqlite://") + path, &error);
    QVERIFY2(!location.isEmpty(), qPrintable(error));
    QVERIFY2(location.contains(path), qPrintable(location));
    QVERIFY(QFile::exists(path));
}

void TestConsolePreferences::checkHistoryGivesTheError()
{
    QString error;
    QVERIFY(ConsolePreferences::checkHistory(QStringLiteral("sqlite:///nonexistent/dir/x.sqlite"), &error).isEmpty());
    // What failed and where.
    QVERIFY2(error.contains(QLatin1String("/nonexistent/dir/x.sqlite")), qPrintable(error));

    error.clear();
    QVERIFY(ConsolePreferences::checkHistory(QStringLiteral("none"), &error).isEmpty());
    QVERIFY2(error.contains(QLatin1String("no history")), qPrintable(error));

    // A server that is not there: the message names it, never the password.
    error.clear();
    QVERIFY(ConsolePreferences::checkHistory(QStringLiteral("postgresql://tribune:Hunter-22@127.0.0.1:1/history"), &error)
                .isEmpty());
    QVERIFY(!error.isEmpty());
    QVERIFY2(!error.contains(QLatin1String("Hunter-22")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestConsolePreferences)
#include "tst_consolepreferences.moc"
