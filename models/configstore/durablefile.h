#pragma once

// Small POSIX helpers the configuration store builds its all-or-nothing writes from: files that
// reach the disk before they are renamed into place, folders whose entries are synced, and
// append-only logs. Internal to models/configstore.

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <sys/types.h>

namespace Tribune::DurableFile {

// Permissions and owner to give a file written in place of another.
struct Ownership
{
    bool known = false;
    mode_t mode = 0;
    uid_t uid = 0;
    gid_t gid = 0;
};

enum class Kind { Missing, RegularFile, Folder, SymLink, Other, Unreadable };

// What is at path, without following a final symbolic link.
Kind kindOf(const QString &path, QString *error = nullptr);
// Permissions and owner of an existing regular file (following links); unknown if absent.
Ownership ownershipOf(const QString &path);

// A fresh name next to target for a file that will be renamed over it.
QString temporaryPathFor(const QString &target);

// Creates path (which must not exist), writes bytes, applies ownership when known and fsyncs.
// On failure the partly written file is removed.
bool writeNewFile(const QString &path, const QByteArray &bytes, const Ownership &ownership, QString *error);
// Reads a whole regular file.
bool readFile(const QString &path, QByteArray *bytes, QString *error);
// fsync on a folder, so renames and new entries in it survive a crash.
bool syncFolder(const QString &folder, QString *error);
// Renames atomically (rename(2)); both paths must be on one file system.
bool replace(const QString &from, const QString &to, QString *error);
bool remove(const QString &path, QString *error);
// Creates the missing folders of path with the given mode; appends each one it created to created.
bool makeFolders(const QString &path, mode_t mode, QStringList *created, QString *error);

// Appends one line (a '\n' is added) with O_APPEND, then fsyncs. Creates the file with mode.
bool appendLine(const QString &path, const QByteArray &line, mode_t mode, QString *error);
// Whether appendLine could open path (creating it, empty, if need be).
bool canAppend(const QString &path, mode_t mode, QString *error);

QString sha256(const QByteArray &bytes);

} // namespace Tribune::DurableFile
