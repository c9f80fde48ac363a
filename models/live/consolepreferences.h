#pragma once

#include <QCoreApplication>
#include <QList>
#include <QLocale>
#include <QString>

class QSettings;

namespace Tribune {

struct ConnectionProfile;

// The console's own settings, under "preferences" in the user's settings: the history a team
// shares, desktop notifications of failures, and the charts' window. A password in the history
// URL is never written to the settings file: it goes to the SecretStore and comes back on load.
struct ConsolePreferences
{
    Q_DECLARE_TR_FUNCTIONS(Tribune::ConsolePreferences)

public:
    QString historyUrl; // empty: SQLite in the data folder; "none": no history
    bool notifyFailures = true;
    int chartWindowSeconds = 60;
    // The flight recorder: a snapshot taken by itself when a member fails, the newest kept.
    bool recordFailures = true;
    int keptSnapshots = 10;
    // The language of the console's text, such as "de"; empty: the system's.
    QString language;

    // The languages the console's text comes in ("en" and its translations), and the locale it
    // speaks with a chosen language (empty: the system's). The console reads the language before
    // its first window: a change shows when it starts again.
    static QStringList languages();
    static QLocale uiLocale(const QString &language);
    static QString savedLanguage();

    static ConsolePreferences load();
    static ConsolePreferences load(QSettings &settings);
    // False, with *error saying why, when the password could not be kept; the rest is saved
    // all the same, and the settings file holds the URL without its password.
    bool save(QString *error = nullptr) const;
    bool save(QSettings &settings, QString *error = nullptr) const;

    // The history a connection uses: the profile's own URL when it names one, else this one.
    QString historyFor(const ConnectionProfile &profile) const;

    // The chart windows offered (by the charts and here), shortest first; a window's name, such
    // as "5 minutes"; and the nearest of them to seconds.
    static QList<int> chartWindows();
    static QString chartWindowName(int seconds);
    static int snapChartWindow(int seconds);

    // Opens the history at url as the console would and returns where it is, in words (never
    // with a password); empty on failure, with *error saying what failed and where.
    static QString checkHistory(const QString &url, QString *error);

    friend bool operator==(const ConsolePreferences &a, const ConsolePreferences &b)
    {
        return a.historyUrl == b.historyUrl && a.notifyFailures == b.notifyFailures
            && a.chartWindowSeconds == b.chartWindowSeconds && a.recordFailures == b.recordFailures
            && a.keptSnapshots == b.keptSnapshots && a.language == b.language;
    }
    friend bool operator!=(const ConsolePreferences &a, const ConsolePreferences &b) { return !(a == b); }
};

} // namespace Tribune
