#pragma once

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

class QSettings;

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

    bool isUsable() const { return (!seeds.isEmpty() && !keyFile.isEmpty()) || (seeds.isEmpty() && !loadBalancerSocket.isEmpty()); }
    // The name to show and save under: its name, else its first well-known member, else (a load balancer alone) its admin socket.
    QString nameOrFirstSeed() const
    {
        return !name.trimmed().isEmpty() ? name.trimmed() : seeds.isEmpty() ? loadBalancerSocket : seeds.first();
    }
    // Members as typed or saved: "a:1, b:2", "a:1 b:2" or one per line.
    static QStringList splitSeeds(const QString &text);
    friend bool operator==(const ConnectionProfile &a, const ConnectionProfile &b)
    {
        return a.name == b.name && a.seeds == b.seeds && a.loadBalancerSocket == b.loadBalancerSocket && a.keyFile == b.keyFile
            && a.role == b.role && a.tlsCaFile == b.tlsCaFile && a.historyUrl == b.historyUrl;
    }
    friend bool operator!=(const ConnectionProfile &a, const ConnectionProfile &b) { return !(a == b); }
};

// What stops a profile from being used, and in which field, so that a form can point at it.
struct ConnectionProblem
{
    enum class Field { Seeds, LoadBalancerSocket, KeyFile, Role, TlsCaFile };
    Field field;
    QString message; // what is wrong and what to do about it
};

// Connection profiles in the user's settings (QSettings), most recently used first.
class ConnectionProfiles
{
    Q_DECLARE_TR_FUNCTIONS(Tribune::ConnectionProfiles)

public:
    static constexpr int MaxProfiles = 20;

    // Entries with neither a well-known member nor an admin socket, or of a shape no version
    // wrote, are skipped.
    static QList<ConnectionProfile> load();
    static QList<ConnectionProfile> load(QSettings &settings);
    // Saves profile first in the list, replacing one of the same name.
    static void remember(const ConnectionProfile &profile);
    static void remember(QSettings &settings, const ConnectionProfile &profile);
    // Removes the profile of that name; false when there is none.
    static bool forget(const QString &name);
    static bool forget(QSettings &settings, const QString &name);

    // Checks what can be checked before connecting: the members' HOST:PORT, the admin socket's
    // address, and the key file (present, owner-only, with a key for the chosen role).
    static QList<ConnectionProblem> check(const ConnectionProfile &profile);

private:
    // As in the settings file: history URLs without their passwords, which the SecretStore keeps.
    static QList<ConnectionProfile> loadStored(QSettings &settings);
    static void store(QSettings &settings, const QList<ConnectionProfile> &profiles);
};

} // namespace Tribune
