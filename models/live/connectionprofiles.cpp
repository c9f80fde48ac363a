#include "connectionprofiles.h"

#include <QSettings>

namespace Tribune {

namespace {

constexpr int MaxProfiles = 20;

} // namespace

QList<ConnectionProfile> ConnectionProfiles::load()
{
    QSettings settings;
    QList<ConnectionProfile> profiles;
    const int count = settings.beginReadArray(QStringLiteral("connections"));
    for (int i = 0; i < count; ++i) {
        settings.setArrayIndex(i);
        profiles.append({settings.value(QStringLiteral("name")).toString(), settings.value(QStringLiteral("seeds")).toStringList(),
                         settings.value(QStringLiteral("loadBalancerSocket")).toString(),
                         settings.value(QStringLiteral("keyFile")).toString(), settings.value(QStringLiteral("role")).toString(),
                         settings.value(QStringLiteral("tlsCaFile")).toString(),
                         settings.value(QStringLiteral("historyUrl")).toString()});
    }
    settings.endArray();
    return profiles;
}

void ConnectionProfiles::remember(const ConnectionProfile &profile)
{
    QList<ConnectionProfile> profiles = load();
    profiles.removeIf([&profile](const ConnectionProfile &other) { return other.name == profile.name; });
    profiles.prepend(profile);
    QSettings settings;
    settings.beginWriteArray(QStringLiteral("connections"), int(std::min<qsizetype>(profiles.size(), MaxProfiles)));
    for (int i = 0; i < profiles.size() && i < MaxProfiles; ++i) {
        const ConnectionProfile &saved = profiles.at(i);
        settings.setArrayIndex(i);
        settings.setValue(QStringLiteral("name"), saved.name);
        settings.setValue(QStringLiteral("seeds"), saved.seeds);
        settings.setValue(QStringLiteral("loadBalancerSocket"), saved.loadBalancerSocket);
        settings.setValue(QStringLiteral("keyFile"), saved.keyFile);
        settings.setValue(QStringLiteral("role"), saved.role);
        settings.setValue(QStringLiteral("tlsCaFile"), saved.tlsCaFile);
        settings.setValue(QStringLiteral("historyUrl"), saved.historyUrl);
    }
    settings.endArray();
}

} // namespace Tribune
