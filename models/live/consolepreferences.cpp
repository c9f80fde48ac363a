#include "consolepreferences.h"

#include <algorithm>

#include "connectionprofiles.h"
#include "history/historystore.h"
#include "secretstore.h"

#include <QSettings>

#include <cstdlib>

namespace Tribune {

namespace {

const QString Group = QStringLiteral("preferences");
const QString HistoryKey = QStringLiteral("historyUrl");
const QString NotifyKey = QStringLiteral("notifyFailures");
const QString RecordKey = QStringLiteral("recordFailures");
const QString KeptKey = QStringLiteral("keptSnapshots");
const QString WindowKey = QStringLiteral("chartWindowSeconds");
const QString LanguageKey = QStringLiteral("language");
// Where the history URL's password is kept in the SecretStore.
const QString HistorySecret = QStringLiteral("preferences/historyUrl");

} // namespace

QStringList ConsolePreferences::languages()
{
    return {QStringLiteral("en"), QStringLiteral("de"), QStringLiteral("fr"), QStringLiteral("ja")};
}

QLocale ConsolePreferences::uiLocale(const QString &language)
{
    return languages().contains(language) ? QLocale(language) : QLocale::system();
}

QString ConsolePreferences::savedLanguage()
{
    // Only this key: the rest of load() may ask the keychain, which the first window must not wait for.
    QSettings settings;
    const QString language = settings.value(Group + QLatin1Char('/') + LanguageKey).toString();
    return languages().contains(language) ? language : QString();
}

ConsolePreferences ConsolePreferences::load()
{
    QSettings settings;
    return load(settings);
}

ConsolePreferences ConsolePreferences::load(QSettings &settings)
{
    ConsolePreferences preferences;
    settings.beginGroup(Group);
    const QString stored = settings.value(HistoryKey).toString().trimmed();
    preferences.historyUrl = stored.isEmpty() ? stored : SecretStore::restoreUrlPassword(HistorySecret, stored);
    preferences.notifyFailures = settings.value(NotifyKey, true).toBool();
    preferences.recordFailures = settings.value(RecordKey, true).toBool();
    preferences.keptSnapshots = std::clamp(settings.value(KeptKey, 10).toInt(), 1, 1000);
    bool isNumber = false;
    const int seconds = settings.value(WindowKey).toInt(&isNumber);
    preferences.chartWindowSeconds = isNumber ? snapChartWindow(seconds) : chartWindows().constFirst();
    const QString language = settings.value(LanguageKey).toString();
    preferences.language = languages().contains(language) ? language : QString();
    settings.endGroup();
    return preferences;
}

bool ConsolePreferences::save(QString *error) const
{
    QSettings settings;
    return save(settings, error);
}

bool ConsolePreferences::save(QSettings &settings, QString *error) const
{
    QString stashError;
    const QString url = historyUrl.trimmed();
    // Also for an empty URL: the password kept for the one before goes.
    const QString withoutPassword = SecretStore::stashUrlPassword(HistorySecret, url, &stashError);
    settings.beginGroup(Group);
    if (withoutPassword.isEmpty())
        settings.remove(HistoryKey);
    else
        settings.setValue(HistoryKey, withoutPassword);
    settings.setValue(NotifyKey, notifyFailures);
    settings.setValue(RecordKey, recordFailures);
    settings.setValue(KeptKey, keptSnapshots);
    settings.setValue(WindowKey, snapChartWindow(chartWindowSeconds));
    if (language.isEmpty())
        settings.remove(LanguageKey);
    else
        settings.setValue(LanguageKey, language);
    settings.endGroup();
    if (!stashError.isEmpty() && error)
        *error = stashError;
    return stashError.isEmpty();
}

QString ConsolePreferences::historyFor(const ConnectionProfile &profile) const
{
    const QString own = profile.historyUrl.trimmed();
    return own.isEmpty() ? historyUrl.trimmed() : own;
}

QList<int> ConsolePreferences::chartWindows()
{
    return {60, 5 * 60, 10 * 60, 3600, 6 * 3600, 24 * 3600};
}

QString ConsolePreferences::chartWindowName(int seconds)
{
    switch (seconds) {
    case 60: return tr("1 minute");
    case 5 * 60: return tr("5 minutes");
    case 10 * 60: return tr("10 minutes");
    case 3600: return tr("1 hour");
    case 6 * 3600: return tr("6 hours");
    case 24 * 3600: return tr("24 hours");
    default: return tr("%1 seconds").arg(seconds);
    }
}

int ConsolePreferences::snapChartWindow(int seconds)
{
    const QList<int> windows = chartWindows();
    int nearest = windows.constFirst();
    for (const int window : windows) {
        if (std::abs(qint64(window) - seconds) < std::abs(qint64(nearest) - seconds))
            nearest = window;
    }
    return nearest;
}

QString ConsolePreferences::checkHistory(const QString &url, QString *error)
{
    const QString given = url.trimmed();
    if (given == u"none") {
        if (error)
            *error = tr("\"none\" keeps no history: there is no database to check.");
        return {};
    }
    const std::optional<HistoryStore> store = HistoryStore::open(given, error);
    return store ? store->location() : QString();
}

} // namespace Tribune
