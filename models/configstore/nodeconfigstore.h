#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <utility>

namespace Tribune {

// Configuration files by their path relative to repository/conf, '/'-separated
// ("axis2/axis2.xml").
struct ConfigFileSet
{
    ConfigFileSet() = default;
    ConfigFileSet(QMap<QString, QByteArray> written, QStringList deleted = {}) // NOLINT: {{path, bytes}} reads well
        : files(std::move(written))
        , removed(std::move(deleted))
    {
    }

    QMap<QString, QByteArray> files;
    QStringList removed; // a push: files it deletes
};

// The previous versions of the files one push or rollback replaced, kept in
// CARBON_HOME/.tribune/backups/<number>/ next to a manifest.json.
struct ConfigBackup
{
    int number = 0;
    QDateTime time; // UTC
    QString actor;
    QString reason;    // "push" or "rollback to N"
    QStringList files; // relative to repository/conf, sorted
};

// The node agent's store of one node's configuration: it serves the files of repository/conf and
// changes them all or nothing, keeping backups and an audit log outside repository/conf.
//
// A push is validated first (every known file must parse, and validateCluster() on the node alone
// must report no error), then each new file is written and fsynced next to its target, the
// current versions are saved as backup N+1, and only then are the new files renamed into place.
// If a rename fails, the files already replaced are restored from the backup. The audit log,
// CARBON_HOME/.tribune/audit.log, gets one JSON line per change with the sha256 of each file
// before and after. Reads, pushes and rollbacks of one node are serialized by a lock file
// (CARBON_HOME/.tribune/lock), also across processes.
//
// State lives in CARBON_HOME/.tribune; for a conf folder not called repository/conf it lives in
// the folder's parent, in .tribune. Nothing of it is ever inside the conf folder.
class NodeConfigStore
{
public:
    static constexpr int KeptBackups = 20;

    // Where a change can fail, for tests that simulate a failing disk.
    // Audit: after every rename, before the audit line (path empty).
    enum class Step { WriteTemporary, WriteBackup, Replace, Audit };
    // Called before each step on each file; returning true makes that step fail.
    using FailureHook = std::function<bool(Step step, const QString &relativePath)>;

    // A folder with no configuration yet: refused, or taken as a new node's CARBON_HOME (its
    // repository/conf must exist, empty or not) so that its first configuration can be pushed.
    enum class Bare { Refuse, Accept };

    // folder is a CARBON_HOME or its repository/conf (see NodeConfig::confFolderOf).
    explicit NodeConfigStore(const QString &folder, Bare bare = Bare::Refuse);

    // Whether folder is a node at all; every other call fails with a message if not.
    bool isValid() const { return !m_confPath.isEmpty(); }
    const QString &confPath() const { return m_confPath; }
    const QString &stateFolder() const { return m_stateFolder; }
    QString backupFolder(int number) const;
    QString auditLogPath() const;

    // Every known configuration file the node has (NodeConfig::AllFiles), by relative path.
    std::optional<ConfigFileSet> read(QString *error) const;

    // Writes changes (new contents of files, new files allowed, files removed) all or nothing. Files whose
    // contents do not change are left out; when nothing changes, nothing is written and
    // backupNumber is 0. Otherwise backupNumber gets the number of the backup that holds the
    // replaced versions. Returns false with a message when the push is refused or fails; nothing
    // on the node changed then, unless the message says so: the files were replaced but the
    // folders could not be fsynced or the audit log could not be written (backupNumber is set),
    // or a rename failed and putting back the files already replaced failed too.
    bool push(const ConfigFileSet &changes, const QString &actor, QString *error, int *backupNumber = nullptr);

    // Backups that can be rolled back to, newest first.
    QList<ConfigBackup> backups() const;
    // What backup number saved, checked against its manifest: the files as they were, and in
    // removed those the node did not have then. What a rollback to it would put back.
    std::optional<ConfigFileSet> backupContents(int number, QString *error) const;

    // Puts back, byte for byte, the files backup number saved (removing those it recorded as
    // absent). What the rollback replaces becomes a new backup, so a rollback can be undone.
    // A rollback returns the node to a state it had, so it is not validated; the backup's files
    // are checked against the manifest's sha256 first.
    bool rollback(int number, const QString &actor, QString *error, int *backupNumber = nullptr);

    // At start: completes a change a crash interrupted between its renames (or puts the files
    // back from its backup where that cannot be done), audits it, and removes what interrupted
    // changes leave behind. Returns what it did, for the log (empty: nothing to do); *error says
    // why it could not look.
    QString recover(QString *error);

    // Tests only: makes chosen steps fail.
    void setFailureHook(FailureHook hook) { m_failureHook = std::move(hook); }

    // Whether path may name a file of the store: relative, '/'-separated, no "." or ".." parts,
    // no empty parts, no backslashes or control characters. Says why not in error.
    static bool isAcceptablePath(const QString &path, QString *error);

private:
    // Where a relative path leads: the file to write, symbolic links inside conf resolved.
    struct Target
    {
        QString path;
        bool exists = false;
    };
    std::optional<Target> resolve(const QString &relativePath, QString *error) const;
    // Parses and validates the node as it would be with the new contents, keyed by Target::path
    // (nothing: the file goes away).
    bool validate(const QMap<QString, std::optional<QByteArray>> &afterByTarget, QString *error) const;
    bool checkRequest(const QString &actor, QString *error) const;
    // A backup's files, each checked against the manifest's sha256; nothing for a file it
    // recorded as absent. On failure, *error says why the backup cannot be used.
    std::optional<QMap<QString, std::optional<QByteArray>>> savedFiles(int number, QString *error) const;

    QString m_folder;        // as given
    QString m_confPath;      // as found
    QString m_canonicalConf; // symbolic links resolved
    QString m_stateFolder;
    QString m_nodeName;
    FailureHook m_failureHook;
};

} // namespace Tribune
