#pragma once

// How NodeConfigStore writes a set of files all or nothing and keeps its backups and audit log.
// Internal to models/configstore.

#include "nodeconfigstore.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace Tribune::ConfigStoreDetail {

// One file to change: what it holds now and what it will hold (nothing: the file goes away).
struct PlannedFile
{
    QString relativePath;
    QString target; // where to write it: the file in repository/conf, symbolic links resolved
    std::optional<QByteArray> before;
    std::optional<QByteArray> after;
};

struct Commit
{
    QString stateFolder; // CARBON_HOME/.tribune
    QString actor;
    QString action; // "push" or "rollback"
    QString reason; // "push" or "rollback to N"
    QList<PlannedFile> files;
    const NodeConfigStore::FailureHook *failureHook = nullptr;
};

struct CommitResult
{
    int backup = 0;       // the backup holding the replaced versions; 0 if none was kept
    bool changed = false; // whether the files on the node changed
};

// Writes new versions next to their targets, saves the current ones as a new backup, renames the
// new versions into place, restores from the backup if a rename fails, then appends to the audit
// log and drops backups beyond NodeConfigStore::KeptBackups. The caller holds the store's lock.
// On failure error says what failed, where and what to do, and whether the node changed.
CommitResult commit(const Commit &commit, QString *error);

inline constexpr QLatin1String ManifestName{"manifest.json"};

// The journal of a commit whose renames have begun: written before the first, removed once the
// change is whole and audited.
QString journalPath(const QString &stateFolder);
void removeJournal(const QString &stateFolder);
// The folders a commit is about to create for new files, written before the first of them: a
// crash before the renames leaves them behind, and the next start removes them (when empty).
QString newFoldersPath(const QString &stateFolder);
// At start, under the store's lock: completes a commit a crash interrupted (every new version
// renamed into place, or, where one is missing, every file put back from its backup), audits it,
// and removes what crashed commits leave behind (temporaries, partial backups). Returns what it
// did, for the log; empty when there was nothing to do.
QString recoverInterruptedCommit(const QString &stateFolder, const QString &confFolder);

QString backupsFolder(const QString &stateFolder);
// Numbers of the backups in stateFolder, highest first.
QList<int> backupNumbers(const QString &stateFolder);
QString auditLogPath(const QString &stateFolder);
QList<ConfigBackup> listBackups(const QString &stateFolder);
// Reads a backup's manifest.json; hashes gets the sha256 of each file, an empty string for a file
// that did not exist before the change.
std::optional<ConfigBackup> readManifest(const QString &backupFolder, QMap<QString, QString> *hashes,
                                         QString *error);

} // namespace Tribune::ConfigStoreDetail
