#include "configcommit.h"

#include "durablefile.h"
#include "i18n/trcontexts.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <unistd.h>

namespace Tribune::ConfigStoreDetail {

namespace {

using DurableFile::Ownership;
using Step = NodeConfigStore::Step;

// A small file of the state folder (private), whole or not at all, and durably there before the
// step it guards: written beside, renamed over, the folder synced.
bool writeStateFile(const QString &path, const QByteArray &bytes, QString *reason)
{
    const QString temporary = DurableFile::temporaryPathFor(path);
    const Ownership privateFile{true, 0600, ::geteuid(), ::getegid()};
    if (DurableFile::writeNewFile(temporary, bytes, privateFile, reason) && DurableFile::replace(temporary, path, reason)
        && DurableFile::syncFolder(QFileInfo(path).path(), reason))
        return true;
    DurableFile::remove(temporary, nullptr);
    return false;
}

QJsonValue hashOf(const std::optional<QByteArray> &bytes)
{
    return bytes ? QJsonValue(DurableFile::sha256(*bytes)) : QJsonValue(QJsonValue::Null);
}

QString simulatedFailure()
{
    return ConfigStoreText::tr("simulated failure");
}

// One file on its way: the planned change and where its new version waits.
struct Work
{
    const PlannedFile *file = nullptr;
    Ownership ownership;
    QString temporary;
    bool replaced = false;
};

class Transaction
{
public:
    Transaction(const Commit &commit, int number)
        : m_commit(commit)
        , m_number(number)
        , m_backups(backupsFolder(commit.stateFolder))
        , m_partial(m_backups + QLatin1String("/.partial-") + QString::number(number))
        , m_final(m_backups + QLatin1Char('/') + QString::number(number))
    {
        for (const PlannedFile &file : commit.files)
            m_work.append({&file, DurableFile::ownershipOf(file.target), {}, false});
    }

    bool fails(Step step, const QString &relativePath, QString *reason) const
    {
        if (!m_commit.failureHook || !*m_commit.failureHook || !(*m_commit.failureHook)(step, relativePath))
            return false;
        *reason = simulatedFailure();
        return true;
    }

    // Writes newFoldersPath() when new files need folders that do not exist yet.
    bool recordNewFolders(QString *error) const;
    bool writeTemporaries(QString *error);
    bool writeBackup(const QDateTime &time, QString *error);
    // What the renames will do, written durably before the first: a crash between renames is
    // completed at the next start (recoverInterruptedCommit) instead of leaving a mixed set.
    bool writeJournal(const QDateTime &time, QString *error) const;
    bool replaceAll(QString *error);
    bool syncTargetFolders(QString *error) const;
    QByteArray auditLine(const QDateTime &time) const;
    // Undoes everything before the renames: temporaries, new folders, the backup.
    void discard();
    void removeTemporaries();
    // A rename failed and putting back what was replaced failed too.
    bool partlyChanged() const { return m_partlyChanged; }

private:
    QString restoreReplaced();

    const Commit &m_commit;
    const int m_number;
    const QString m_backups;
    const QString m_partial;
    const QString m_final;
    QList<Work> m_work;
    QStringList m_createdFolders;
    bool m_partlyChanged = false;
};

bool Transaction::recordNewFolders(QString *error) const
{
    QStringList missing; // outermost first
    for (const Work &work : m_work) {
        if (!work.file->after)
            continue;
        QStringList chain;
        for (QFileInfo folder(QFileInfo(work.file->target).path()); !folder.exists(); folder.setFile(folder.path()))
            chain.prepend(folder.filePath());
        for (const QString &folder : std::as_const(chain)) {
            if (!missing.contains(folder))
                missing.append(folder);
        }
    }
    if (missing.isEmpty())
        return true;
    const QString path = newFoldersPath(m_commit.stateFolder);
    QString reason;
    if (!writeStateFile(path, QJsonDocument(QJsonArray::fromStringList(missing)).toJson(QJsonDocument::Compact), &reason)) {
        *error = ConfigStoreText::tr("could not record the folders the change creates in %1: %2. Nothing was "
                                     "changed; check free space and permissions there and try again.")
                     .arg(path, reason);
        return false;
    }
    return true;
}

bool Transaction::writeTemporaries(QString *error)
{
    if (!recordNewFolders(error))
        return false;
    for (Work &work : m_work) {
        if (!work.file->after)
            continue;
        const QString folder = QFileInfo(work.file->target).path();
        const QString temporary = DurableFile::temporaryPathFor(work.file->target);
        QString reason;
        if (fails(Step::WriteTemporary, work.file->relativePath, &reason)
            || !DurableFile::makeFolders(folder, 0755, &m_createdFolders, &reason)
            || !DurableFile::writeNewFile(temporary, *work.file->after, work.ownership, &reason)) {
            *error = ConfigStoreText::tr("could not write the new version of %1: %2. Nothing was changed; "
                                         "check free space and permissions in %3 and try again.")
                         .arg(work.file->relativePath, reason, folder);
            return false;
        }
        work.temporary = temporary;
    }
    return true;
}

bool Transaction::writeBackup(const QDateTime &time, QString *error)
{
    const auto failed = [&](const QString &what, const QString &reason) -> bool {
        *error = ConfigStoreText::tr("could not save %1 in backup %2: %3. Nothing was changed; check free "
                                     "space and permissions in %4 and try again.")
                     .arg(what, QString::number(m_number), reason, m_backups);
        return false;
    };
    QString reason;
    QDir(m_partial).removeRecursively(); // left over from a crash
    if (!DurableFile::makeFolders(m_partial, 0700, nullptr, &reason))
        return failed(m_partial, reason);

    const Ownership privateFile{true, 0600, ::geteuid(), ::getegid()};
    QJsonArray files;
    QJsonObject hashes;
    QSet<QString> folders{m_partial};
    for (const Work &work : m_work) {
        const QString &relative = work.file->relativePath;
        files.append(relative);
        hashes.insert(relative, hashOf(work.file->before));
        if (!work.file->before)
            continue;
        const QString path = m_partial + QLatin1Char('/') + relative;
        folders.insert(QFileInfo(path).path());
        if (fails(Step::WriteBackup, relative, &reason)
            || !DurableFile::makeFolders(QFileInfo(path).path(), 0700, nullptr, &reason)
            || !DurableFile::writeNewFile(path, *work.file->before, privateFile, &reason))
            return failed(relative, reason);
    }
    const QJsonObject manifest{{QStringLiteral("number"), m_number},
                               {QStringLiteral("time"), time.toString(Qt::ISODateWithMs)},
                               {QStringLiteral("actor"), m_commit.actor},
                               {QStringLiteral("reason"), m_commit.reason},
                               {QStringLiteral("files"), files},
                               {QStringLiteral("sha256"), hashes}};
    if (!DurableFile::writeNewFile(m_partial + QLatin1Char('/') + ManifestName, QJsonDocument(manifest).toJson(),
                                   privateFile, &reason))
        return failed(ManifestName, reason);
    for (const QString &folder : std::as_const(folders)) {
        if (!DurableFile::syncFolder(folder, &reason))
            return failed(folder, reason);
    }
    if (!DurableFile::replace(m_partial, m_final, &reason) || !DurableFile::syncFolder(m_backups, &reason))
        return failed(m_final, reason);
    return true;
}

bool Transaction::writeJournal(const QDateTime &time, QString *error) const
{
    QJsonArray files;
    for (const Work &work : m_work) {
        files.append(QJsonObject{{QStringLiteral("path"), work.file->relativePath},
                                 {QStringLiteral("target"), work.file->target},
                                 {QStringLiteral("temporary"), work.temporary},
                                 {QStringLiteral("before"), hashOf(work.file->before)},
                                 {QStringLiteral("after"), hashOf(work.file->after)}});
    }
    const QJsonObject journal{{QStringLiteral("backup"), m_number},
                              {QStringLiteral("time"), time.toString(Qt::ISODateWithMs)},
                              {QStringLiteral("actor"), m_commit.actor},
                              {QStringLiteral("action"), m_commit.action},
                              {QStringLiteral("reason"), m_commit.reason},
                              {QStringLiteral("files"), files}};
    const QString path = journalPath(m_commit.stateFolder);
    QString reason;
    if (!writeStateFile(path, QJsonDocument(journal).toJson(QJsonDocument::Compact), &reason)) {
        *error = ConfigStoreText::tr("could not write the change's journal %1: %2. Nothing was changed; "
                                     "check free space and permissions there and try again.")
                     .arg(path, reason);
        return false;
    }
    return true;
}

bool Transaction::replaceAll(QString *error)
{
    for (Work &work : m_work) {
        QString reason;
        const bool ok = !fails(Step::Replace, work.file->relativePath, &reason)
                        && (work.file->after ? DurableFile::replace(work.temporary, work.file->target, &reason)
                                             : DurableFile::remove(work.file->target, &reason));
        if (ok) {
            work.replaced = true;
            work.temporary.clear();
            continue;
        }
        const QString restoreFailures = restoreReplaced();
        if (restoreFailures.isEmpty()) {
            discard();
            *error = ConfigStoreText::tr("could not replace %1: %2. The files already replaced were put "
                                         "back, so nothing was changed; check permissions and free space "
                                         "in %3 and try again.")
                         .arg(work.file->relativePath, reason, QFileInfo(work.file->target).path());
        } else {
            removeTemporaries();
            m_partlyChanged = true;
            *error = ConfigStoreText::tr("could not replace %1: %2, and putting back the files already "
                                         "replaced failed too: %3. The configuration is now partly changed; "
                                         "copy the files of backup %4 (%5) back into repository/conf by "
                                         "hand.")
                         .arg(work.file->relativePath, reason, restoreFailures, QString::number(m_number), m_final);
        }
        return false;
    }
    return true;
}

QString Transaction::restoreReplaced()
{
    QStringList failures;
    QSet<QString> folders;
    for (auto it = m_work.rbegin(); it != m_work.rend(); ++it) {
        if (!it->replaced)
            continue;
        const PlannedFile &file = *it->file;
        QString reason;
        bool ok = true;
        if (file.before) {
            const QString temporary = DurableFile::temporaryPathFor(file.target);
            ok = DurableFile::writeNewFile(temporary, *file.before, it->ownership, &reason)
                 && DurableFile::replace(temporary, file.target, &reason);
            if (!ok)
                DurableFile::remove(temporary, nullptr);
        } else {
            ok = DurableFile::remove(file.target, &reason);
        }
        if (ok)
            it->replaced = false;
        else
            failures.append(reason);
        folders.insert(QFileInfo(file.target).path());
    }
    for (const QString &folder : std::as_const(folders)) {
        QString reason;
        if (!DurableFile::syncFolder(folder, &reason))
            failures.append(reason);
    }
    return failures.join(QLatin1String("; "));
}

bool Transaction::syncTargetFolders(QString *error) const
{
    QSet<QString> folders;
    for (const Work &work : m_work)
        folders.insert(QFileInfo(work.file->target).path());
    for (const QString &folder : m_createdFolders)
        folders.insert(QFileInfo(folder).path());
    for (const QString &folder : std::as_const(folders)) {
        if (!DurableFile::syncFolder(folder, error))
            return false;
    }
    return true;
}

void Transaction::removeTemporaries()
{
    for (Work &work : m_work) {
        if (!work.temporary.isEmpty())
            DurableFile::remove(work.temporary, nullptr);
        work.temporary.clear();
    }
}

void Transaction::discard()
{
    removeTemporaries();
    for (auto it = m_createdFolders.crbegin(); it != m_createdFolders.crend(); ++it)
        QDir().rmdir(*it);
    m_createdFolders.clear();
    QDir(m_partial).removeRecursively();
    if (QDir(m_final).removeRecursively())
        DurableFile::syncFolder(m_backups, nullptr);
    DurableFile::remove(newFoldersPath(m_commit.stateFolder), nullptr);
}

QByteArray Transaction::auditLine(const QDateTime &time) const
{
    QJsonArray files;
    for (const Work &work : m_work) {
        files.append(QJsonObject{{QStringLiteral("path"), work.file->relativePath},
                                 {QStringLiteral("before"), hashOf(work.file->before)},
                                 {QStringLiteral("after"), hashOf(work.file->after)}});
    }
    const QJsonObject line{{QStringLiteral("time"), time.toString(Qt::ISODateWithMs)},
                           {QStringLiteral("actor"), m_commit.actor},
                           {QStringLiteral("action"), m_commit.action},
                           {QStringLiteral("reason"), m_commit.reason},
                           {QStringLiteral("backup"), m_number},
                           {QStringLiteral("files"), files}};
    return QJsonDocument(line).toJson(QJsonDocument::Compact);
}

void pruneBackups(const QString &stateFolder)
{
    const QList<int> numbers = backupNumbers(stateFolder);
    const QString folder = backupsFolder(stateFolder);
    for (qsizetype i = NodeConfigStore::KeptBackups; i < numbers.size(); ++i) {
        const QString old = folder + QLatin1Char('/') + QString::number(numbers.at(i));
        if (!QDir(old).removeRecursively())
            qWarning("Tribune: could not remove the old backup %s; remove it by hand to free space",
                     qUtf8Printable(old));
    }
}

} // namespace

CommitResult commit(const Commit &commit, QString *error)
{
    const QString backups = backupsFolder(commit.stateFolder);
    const QString audit = auditLogPath(commit.stateFolder);
    QString reason;
    if (!DurableFile::makeFolders(backups, 0700, nullptr, &reason)
        || !DurableFile::canAppend(audit, 0600, &reason)
        || !DurableFile::syncFolder(commit.stateFolder, &reason)) {
        *error = ConfigStoreText::tr("cannot prepare the backups and the audit log: %1. Nothing was "
                                     "changed; make %2 writable for the agent and try again.")
                     .arg(reason, commit.stateFolder);
        return {};
    }
    const QList<int> numbers = backupNumbers(commit.stateFolder);
    const int number = numbers.isEmpty() ? 1 : numbers.first() + 1;
    const QDateTime time = QDateTime::currentDateTimeUtc();

    Transaction transaction(commit, number);
    if (!transaction.writeTemporaries(error) || !transaction.writeBackup(time, error)
        || !transaction.writeJournal(time, error)) {
        transaction.discard();
        return {};
    }
    if (!transaction.replaceAll(error)) {
        // Put back whole: the journal has nothing left to do. Left partly changed: it stays, and
        // the next start completes the change.
        if (!transaction.partlyChanged()) {
            removeJournal(commit.stateFolder);
            DurableFile::remove(newFoldersPath(commit.stateFolder), nullptr);
        }
        return {};
    }
    // The renames are done: the new folders hold the change now.
    DurableFile::remove(newFoldersPath(commit.stateFolder), nullptr);

    CommitResult result{number, true};
    if (!transaction.syncTargetFolders(&reason)) {
        *error = ConfigStoreText::tr("the files were replaced (backup %1 holds the previous versions), but "
                                     "%2. A crash now could lose the change; check the disk's health.")
                     .arg(QString::number(number), reason);
        return result;
    }
    if (transaction.fails(Step::Audit, QString(), &reason)
        || !DurableFile::appendLine(audit, transaction.auditLine(time), 0600, &reason)) {
        *error = ConfigStoreText::tr("the files were replaced (backup %1 holds the previous versions), but "
                                     "the audit log could not be written: %2. Check free space and add "
                                     "the change to %3 by hand.")
                     .arg(QString::number(number), reason, audit);
        return result;
    }
    removeJournal(commit.stateFolder);
    pruneBackups(commit.stateFolder);
    error->clear();
    return result;
}

QString journalPath(const QString &stateFolder)
{
    return stateFolder + QLatin1String("/journal.json");
}

QString newFoldersPath(const QString &stateFolder)
{
    return stateFolder + QLatin1String("/new-folders.json");
}

void removeJournal(const QString &stateFolder)
{
    if (DurableFile::remove(journalPath(stateFolder), nullptr))
        DurableFile::syncFolder(stateFolder, nullptr);
}

} // namespace Tribune::ConfigStoreDetail
