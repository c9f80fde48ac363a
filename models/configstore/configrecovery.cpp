// Completing, at start, a commit that a crash interrupted between its renames (configcommit.h).
#include "configcommit.h"

#include "durablefile.h"
#include "i18n/trcontexts.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace Tribune::ConfigStoreDetail {

namespace {

// The sha256 of the file at path, or an empty string when there is none.
QString hashAt(const QString &path)
{
    QByteArray bytes;
    return QFileInfo::exists(path) && DurableFile::readFile(path, &bytes, nullptr) ? DurableFile::sha256(bytes) : QString();
}

// Removes what crashed commits leave: ".NAME.tribune-*" temporaries below the configuration
// folder and in the state folder, and ".partial-N" backups. Returns how many went.
int removeLeftovers(const QString &stateFolder, const QString &confFolder)
{
    int removed = 0;
    for (const QString &folder : {confFolder, stateFolder}) {
        QDirIterator files(folder, {QStringLiteral(".*.tribune-*")}, QDir::Files | QDir::Hidden | QDir::System,
                           folder == confFolder ? QDirIterator::Subdirectories : QDirIterator::NoIteratorFlags);
        while (files.hasNext())
            removed += DurableFile::remove(files.next(), nullptr);
    }
    QDirIterator partials(backupsFolder(stateFolder), {QStringLiteral(".partial-*")}, QDir::Dirs | QDir::Hidden);
    while (partials.hasNext())
        removed += QDir(partials.next()).removeRecursively();
    return removed;
}

} // namespace

QString recoverInterruptedCommit(const QString &stateFolder, const QString &confFolder)
{
    QStringList said;
    bool completedForward = false;
    QByteArray bytes;
    const QString journal = journalPath(stateFolder);
    if (QFileInfo::exists(journal) && DurableFile::readFile(journal, &bytes, nullptr)) {
        const QJsonObject entry = QJsonDocument::fromJson(bytes).object();
        const int number = entry.value(QLatin1String("backup")).toInt();
        const QJsonArray files = entry.value(QLatin1String("files")).toArray();
        // Forward when every file is new already or has its new version waiting; else back, from
        // the backup the commit wrote before its first rename.
        bool forward = !files.isEmpty();
        for (const QJsonValue &value : files) {
            const QJsonObject file = value.toObject();
            const QString after = file.value(QLatin1String("after")).toString();
            const QString target = file.value(QLatin1String("target")).toString();
            const QString temporary = file.value(QLatin1String("temporary")).toString();
            const bool done = after.isEmpty() ? !QFileInfo::exists(target) : hashAt(target) == after;
            const bool waiting = !after.isEmpty() && !temporary.isEmpty() && hashAt(temporary) == after;
            forward = forward && (done || waiting || after.isEmpty());
        }
        QSet<QString> folders;
        QStringList failures;
        for (const QJsonValue &value : files) {
            const QJsonObject file = value.toObject();
            const QString path = file.value(QLatin1String("path")).toString();
            const QString target = file.value(QLatin1String("target")).toString();
            QString reason;
            bool ok = true;
            if (forward) {
                const QString after = file.value(QLatin1String("after")).toString();
                const QString temporary = file.value(QLatin1String("temporary")).toString();
                if (after.isEmpty())
                    ok = DurableFile::remove(target, &reason);
                else if (hashAt(target) != after)
                    ok = DurableFile::replace(temporary, target, &reason);
            } else {
                const QString saved = backupsFolder(stateFolder) + QLatin1Char('/') + QString::number(number) + QLatin1Char('/') + path;
                QByteArray before;
                if (file.value(QLatin1String("before")).isNull()) {
                    ok = DurableFile::remove(target, &reason);
                } else if ((ok = DurableFile::readFile(saved, &before, &reason))) {
                    const QString temporary = DurableFile::temporaryPathFor(target);
                    ok = DurableFile::writeNewFile(temporary, before, DurableFile::ownershipOf(target), &reason)
                         && DurableFile::replace(temporary, target, &reason);
                }
            }
            if (!ok)
                failures.append(ConfigStoreText::tr("%1: %2").arg(path, reason));
            folders.insert(QFileInfo(target).path());
        }
        for (const QString &folder : std::as_const(folders))
            DurableFile::syncFolder(folder, nullptr);
        if (!failures.isEmpty()) {
            // The journal stays for the next start; the log says what to do meanwhile.
            return ConfigStoreText::tr("an interrupted change (backup %1) could not be completed: %2; copy the files of %3 back into "
                                       "repository/conf by hand")
                .arg(QString::number(number), failures.join(QLatin1String("; ")),
                     backupsFolder(stateFolder) + QLatin1Char('/') + QString::number(number));
        }
        // Audited as what it became.
        QJsonObject line = entry;
        line.remove(QStringLiteral("files"));
        QJsonArray audited;
        for (const QJsonValue &value : files) {
            const QJsonObject file = value.toObject();
            audited.append(QJsonObject{{QStringLiteral("path"), file.value(QLatin1String("path"))},
                                       {QStringLiteral("before"), file.value(QLatin1String("before"))},
                                       {QStringLiteral("after"), forward ? file.value(QLatin1String("after"))
                                                                         : file.value(QLatin1String("before"))}});
        }
        line.insert(QStringLiteral("files"), audited);
        const QString how = forward ? QStringLiteral(", completed at start after an interruption")
                                    : QStringLiteral(", undone at start after an interruption");
        line.insert(QStringLiteral("reason"), QString(entry.value(QLatin1String("reason")).toString() + how));
        DurableFile::appendLine(auditLogPath(stateFolder), QJsonDocument(line).toJson(QJsonDocument::Compact), 0600, nullptr);
        removeJournal(stateFolder);
        completedForward = forward;
        said.append(forward ? ConfigStoreText::tr("completed the change of backup %1 that a stop interrupted").arg(number)
                            : ConfigStoreText::tr("put back the files of backup %1: the change it began was interrupted").arg(number));
    }
    int removed = removeLeftovers(stateFolder, confFolder);
    // Folders made for new files of a change that did not go through (emptied just above).
    const QString newFolders = newFoldersPath(stateFolder);
    if (QFileInfo::exists(newFolders)) {
        QByteArray recorded;
        if (!completedForward && DurableFile::readFile(newFolders, &recorded, nullptr)) {
            const QJsonArray folders = QJsonDocument::fromJson(recorded).array();
            for (qsizetype i = folders.size() - 1; i >= 0; --i) {
                const QString folder = folders.at(i).toString();
                // Only below the configuration folder (as named, or its real path), only when empty.
                const bool inside = folder.startsWith(confFolder + QLatin1Char('/'))
                                    || folder.startsWith(QFileInfo(confFolder).canonicalFilePath() + QLatin1Char('/'));
                if (inside && QDir().rmdir(folder))
                    ++removed;
            }
        }
        DurableFile::remove(newFolders, nullptr);
    }
    if (removed)
        said.append(ConfigStoreText::tr("removed %n file(s) left by interrupted changes", nullptr, removed));
    return said.join(QLatin1String("; "));
}

} // namespace Tribune::ConfigStoreDetail
