#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace Tribune {

// A saved way to reach a cluster. No secret is kept here: the key stays in its own file (mode
// 0600, as the agents require) and a profile only names that file.
struct ConnectionProfile
{
    QString name;
    QStringList seeds;          // HOST:PORT of well-known members
    QString loadBalancerSocket; // HAProxy's admin socket, or empty
    QString keyFile;
    QString role;               // "console" or "viewer"; empty: the strongest key in the file
    QString tlsCaFile;
    QString historyUrl;

    bool isUsable() const { return !seeds.isEmpty() && !keyFile.isEmpty(); }
};

// Connection profiles in the user's settings (QSettings), most recently used first.
class ConnectionProfiles
{
public:
    static QList<ConnectionProfile> load();
    // Saves profile first in the list, replacing one of the same name.
    static void remember(const ConnectionProfile &profile);
};

} // namespace Tribune
