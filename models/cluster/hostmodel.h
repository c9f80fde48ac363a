#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Tribune {

namespace Config {
struct ConfigError;
}

// Every name a node is known by, resolved to the server it stands for. Nodes on one server share
// one port space, whatever names their files use for it.
//
// Three sources, in the order the console and tribunectl pick them: a hosts file in /etc/hosts
// format (a cluster folder's `hosts`, or --hosts FILE), which alone is then consulted; the system
// resolver, asked once per name off the GUI thread (HostResolver); or nothing at all, where each
// name stands for a server of its own, as the files say it.
class HostModel
{
public:
    enum class Source { Literal, HostsFile, Resolver };

    // Limits that keep a hostile or mistaken file from costing more than a real one ever does.
    static constexpr qint64 MaxFileBytes = 4 * 1024 * 1024;
    static constexpr int MaxNamesPerLine = 64;
    static constexpr int MaxNameLength = 253;

    HostModel() = default;

    // Reads a hosts file; fails with file, line and column on a bad address or name.
    static std::optional<HostModel> loadHostsFile(const QString &path, Config::ConfigError *error);
    static std::optional<HostModel> parseHostsFile(const QByteArray &bytes, const QString &fileName,
                                                   Config::ConfigError *error);
    // What the system resolver answered: name -> address; names it did not answer stay out.
    static HostModel fromResolver(const QHash<QString, QString> &addresses);

    Source source() const { return m_source; }
    // The hosts file read, for messages; empty for the other sources.
    const QString &hostsFile() const { return m_hostsFile; }

    // The server a name stands for: an address stands for itself, localhost for 127.0.0.1;
    // otherwise the hosts file's or the resolver's answer, or the name itself when nothing is
    // consulted. Empty when the name resolves nowhere.
    QString serverOf(const QString &name) const;
    bool resolves(const QString &name) const { return !serverOf(name).isEmpty(); }
    // The hosts file's line for a name, 0 when it came from elsewhere.
    int lineOf(const QString &name) const;

    // True for 127.0.0.0/8 and ::1: an address that means "this server" wherever it is written.
    static bool isLoopback(const QString &address);
    // True for a literal IPv4 or IPv6 address.
    static bool isAddress(const QString &name);

private:
    struct Entry
    {
        QString address;
        int line = 0;
    };

    Source m_source = Source::Literal;
    QString m_hostsFile;
    QHash<QString, Entry> m_names; // lower-case name -> address
};

// The cluster folder's `servers` file: which server each node folder is on, for nodes whose
// files name no host. One line per server, "ADDRESS FOLDER...", '#' comments.
struct ServerPlacement
{
    QString server; // as written: an address or a name the host model resolves
    int line = 0;
};

class ServersFile
{
public:
    static std::optional<ServersFile> load(const QString &path, Config::ConfigError *error);
    static std::optional<ServersFile> parse(const QByteArray &bytes, const QString &fileName,
                                            Config::ConfigError *error);

    const QString &path() const { return m_path; }
    // Where a node folder is placed, or nullptr when the file does not name it.
    const ServerPlacement *placementOf(const QString &folderName) const;
    // Every folder named, in file order, for checking them against the nodes found.
    const QList<std::pair<QString, ServerPlacement>> &folders() const { return m_folders; }

private:
    QString m_path;
    QList<std::pair<QString, ServerPlacement>> m_folders;
};

} // namespace Tribune
