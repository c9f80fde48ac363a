#include "connectionprofiles.h"

#include "haproxy/runtimeclient.h"
#include "protocol/agentclient.h"
#include "protocol/keyring.h"
#include "secretstore.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QSettings>

#include <algorithm>
#include <optional>

namespace Tribune {

namespace {

const QString ArrayName = QStringLiteral("connections");

// Where a profile's history password is kept in the secret store.
QString secretKey(const QString &profileName)
{
    return QLatin1String("connections/") + profileName + QLatin1String("/historyUrl");
}

// Text from a settings value, or nothing when the value is of another kind (a list, a map, a
// garbled @Variant) rather than a string turned into something else.
QString textOf(const QVariant &value)
{
    switch (value.metaType().id()) {
    case QMetaType::QString:
    case QMetaType::QByteArray:
    case QMetaType::Int:
    case QMetaType::LongLong:
        return value.toString().trimmed();
    default:
        return {};
    }
}

// A list written by QSettings comes back as a list, but a hand-edited "a:1, b:2" in quotes comes
// back as one string, and a single member as a string too.
QStringList listOf(const QVariant &value)
{
    QStringList items;
    if (value.metaType().id() == QMetaType::QStringList || value.metaType().id() == QMetaType::QVariantList) {
        for (const QVariant &item : value.toList())
            items.append(ConnectionProfile::splitSeeds(textOf(item)));
    } else {
        items = ConnectionProfile::splitSeeds(textOf(value));
    }
    return items;
}

std::optional<ConnectionProblem> keyFileProblem(const QString &path, const QString &role)
{
    using Field = ConnectionProblem::Field;
    if (path.isEmpty())
        return ConnectionProblem{Field::KeyFile, ConnectionProfiles::tr("Choose the cluster key file: the file the agents use, "
                                                                        "made with \"tribunectl keygen\".")};
    const QFileInfo info(path);
    if (!info.exists())
        return ConnectionProblem{Field::KeyFile, ConnectionProfiles::tr("The key file %1 does not exist: choose the file the "
                                                                        "agents use, made with \"tribunectl keygen\".")
                                                     .arg(path)};
    if (!info.isFile())
        return ConnectionProblem{Field::KeyFile, ConnectionProfiles::tr("%1 is not a file: choose the cluster key file.").arg(path)};
    // Loading refuses a key others can read, as the agents do, before the user waits for a
    // connection that fails.
    QString error;
    const std::optional<Protocol::KeyRing> keys = Protocol::KeyRing::load(path, &error);
    if (!keys)
        return ConnectionProblem{Field::KeyFile, error};
    const std::optional<Protocol::Role> wanted = Protocol::roleFromName(role);
    if (wanted && !keys->has(*wanted))
        return ConnectionProblem{Field::Role, ConnectionProfiles::tr("The key file %1 holds no %2 key: choose another role, or "
                                                                     "the strongest key in the file.")
                                                  .arg(path, role)};
    return std::nullopt;
}

} // namespace

QStringList ConnectionProfile::splitSeeds(const QString &text)
{
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    return text.split(separators, Qt::SkipEmptyParts);
}

QList<ConnectionProfile> ConnectionProfiles::load()
{
    QSettings settings;
    return load(settings);
}

QList<ConnectionProfile> ConnectionProfiles::load(QSettings &settings)
{
    QList<ConnectionProfile> profiles = loadStored(settings);
    for (ConnectionProfile &profile : profiles)
        profile.historyUrl = SecretStore::restoreUrlPassword(secretKey(profile.name), profile.historyUrl);
    return profiles;
}

QList<ConnectionProfile> ConnectionProfiles::loadStored(QSettings &settings)
{
    QList<ConnectionProfile> profiles;
    // A garbled size must not make us read a million empty entries.
    const int count = std::min(settings.beginReadArray(ArrayName), MaxProfiles);
    for (int i = 0; i < count; ++i) {
        settings.setArrayIndex(i);
        ConnectionProfile profile;
        profile.seeds = listOf(settings.value(QStringLiteral("seeds")));
        profile.loadBalancerSocket = textOf(settings.value(QStringLiteral("loadBalancerSocket")));
        if (profile.seeds.isEmpty() && profile.loadBalancerSocket.isEmpty())
            continue; // nothing to connect to
        profile.name = textOf(settings.value(QStringLiteral("name")));
        profile.name = profile.nameOrFirstSeed();
        if (std::any_of(profiles.cbegin(), profiles.cend(), [&profile](const ConnectionProfile &p) { return p.name == profile.name; }))
            continue; // the first of a name is the most recent one
        profile.keyFile = textOf(settings.value(QStringLiteral("keyFile")));
        profile.role = textOf(settings.value(QStringLiteral("role")));
        if (profile.role != u"console" && profile.role != u"viewer")
            profile.role.clear(); // the strongest key, as when none was chosen
        profile.tlsCaFile = textOf(settings.value(QStringLiteral("tlsCaFile")));
        profile.historyUrl = textOf(settings.value(QStringLiteral("historyUrl")));
        profiles.append(profile);
    }
    settings.endArray();
    return profiles;
}

void ConnectionProfiles::remember(const ConnectionProfile &profile)
{
    QSettings settings;
    remember(settings, profile);
}

void ConnectionProfiles::remember(QSettings &settings, const ConnectionProfile &profile)
{
    // The others are rewritten as stored, passwords left where they are; only this one's moves.
    QList<ConnectionProfile> profiles = loadStored(settings);
    profiles.removeIf([&profile](const ConnectionProfile &other) { return other.name == profile.name; });
    ConnectionProfile stored = profile;
    stored.historyUrl = SecretStore::stashUrlPassword(secretKey(profile.name), profile.historyUrl);
    profiles.prepend(stored);
    for (qsizetype dropped = MaxProfiles; dropped < profiles.size(); ++dropped)
        SecretStore::remove(secretKey(profiles.at(dropped).name));
    store(settings, profiles);
}

bool ConnectionProfiles::forget(const QString &name)
{
    QSettings settings;
    return forget(settings, name);
}

bool ConnectionProfiles::forget(QSettings &settings, const QString &name)
{
    QList<ConnectionProfile> profiles = loadStored(settings);
    if (profiles.removeIf([&name](const ConnectionProfile &other) { return other.name == name; }) == 0)
        return false;
    SecretStore::remove(secretKey(name));
    store(settings, profiles);
    return true;
}

void ConnectionProfiles::store(QSettings &settings, const QList<ConnectionProfile> &profiles)
{
    // Rewritten whole, so entries past the new end and skipped garbled ones do not linger.
    settings.remove(ArrayName);
    settings.beginWriteArray(ArrayName, int(std::min<qsizetype>(profiles.size(), MaxProfiles)));
    for (int i = 0; i < profiles.size() && i < MaxProfiles; ++i) {
        const ConnectionProfile &saved = profiles.at(i);
        settings.setArrayIndex(i);
        settings.setValue(QStringLiteral("name"), saved.name);
        settings.setValue(QStringLiteral("seeds"), saved.seeds);
        settings.setValue(QStringLiteral("loadBalancerSocket"), saved.loadBalancerSocket);
        settings.setValue(QStringLiteral("keyFile"), saved.keyFile);
        settings.setValue(QStringLiteral("role"), saved.role);
        settings.setValue(QStringLiteral("tlsCaFile"), saved.tlsCaFile);
        settings.setValue(QStringLiteral("historyUrl"), saved.historyUrl); // without its password
    }
    settings.endArray();
}

QList<ConnectionProblem> ConnectionProfiles::check(const ConnectionProfile &profile)
{
    using Field = ConnectionProblem::Field;
    QList<ConnectionProblem> problems;
    // The load balancer's admin socket alone is a view of its own (its servers, no agents).
    if (profile.seeds.isEmpty() && profile.loadBalancerSocket.isEmpty()) {
        problems.append({Field::Seeds, tr("Enter a well-known member as HOST:PORT (e.g. 127.0.0.1:4000), or several "
                                          "separated by commas: the console learns the cluster's members from them. Or "
                                          "give only the load balancer's admin socket, to watch its servers alone.")});
    }
    for (const QString &seed : profile.seeds) {
        QString problem;
        if (!Protocol::AgentClient::parseEndpoint(seed, &problem))
            problems.append({Field::Seeds, problem});
    }
    if (!profile.loadBalancerSocket.isEmpty()) {
        QString error;
        if (!HAProxy::RuntimeClient::parseAddress(profile.loadBalancerSocket, &error))
            problems.append({Field::LoadBalancerSocket, error});
    }
    // A key is for the agents: the load balancer's socket alone needs none.
    if (!profile.seeds.isEmpty() || !profile.keyFile.isEmpty()) {
        if (std::optional<ConnectionProblem> problem = keyFileProblem(profile.keyFile, profile.role))
            problems.append(std::move(*problem));
    }
    if (!profile.tlsCaFile.isEmpty() && !QFileInfo(profile.tlsCaFile).isFile())
        problems.append({Field::TlsCaFile, tr("The certificate authority file %1 does not exist: choose the PEM file that "
                                              "signed the agents' certificates, or leave the field empty to connect without TLS.")
                                               .arg(profile.tlsCaFile)});
    return problems;
}

} // namespace Tribune
