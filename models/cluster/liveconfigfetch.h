#pragma once

#include "protocol/agentclient.h"
#include "protocol/keyring.h"

#include <QMap>
#include <QObject>
#include <QStringList>

namespace Tribune {

// Reads the running cluster's configuration: from one seed, the members in its view, then every
// live member's files from its own agent (config-get), laid out in a folder as a cluster folder
// is: one CARBON_HOME per member, named by its node's name (by its member id where names repeat
// or an older agent sends none), and a servers file placing each on the address it announces. Whatever validates folders then validates the running cluster.
//
// Network input is bounded: at most MaxMembers members, MaxTotalBytes of files, and relative
// paths below repository/conf only.
class LiveConfigFetch final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LiveConfigFetch)

public:
    static constexpr int MaxMembers = 2000;
    static constexpr qint64 MaxTotalBytes = 256 * 1024 * 1024;

    struct Settings
    {
        Protocol::AgentClient::Endpoint seed;
        Protocol::KeyRing keys;
        Protocol::Role role = Protocol::Role::Viewer;
        Protocol::TlsOptions tls;
    };

    LiveConfigFetch(Settings settings, QString folder, QObject *parent = nullptr);
    // A path an agent (or a file) may name: relative, below repository/conf, with no way out of it.
    static bool isSafeRelativePath(const QString &path);
    ~LiveConfigFetch() override;

    // Starts; finished() follows once every member answered or failed.
    void start();
    // The folder each member's files went to, by member id.
    const QMap<QString, QString> &folders() const { return m_folders; }

signals:
    // problems: what could not be read, one line each (member, and why); fatal when the seed
    // itself could not be asked.
    void finished(bool ok, const QStringList &problems);

private:
    void fetchFrom(const Protocol::MemberInfo &member);
    void store(const Protocol::MemberInfo &member, const QJsonObject &reply);
    void memberDone();
    void finish(bool ok);

    Settings m_settings;
    QString m_folder;
    Protocol::AgentClient *m_seed = nullptr;
    QMap<QString, QString> m_folders;
    QMap<QString, QString> m_folderNames; // member id -> its folder: the node's name, or the id
    QMap<QString, QString> m_servers;     // folder -> the host its member announces
    QStringList m_problems;
    qint64 m_bytes = 0;
    int m_waiting = 0;
    bool m_finished = false;
};

} // namespace Tribune
