#include "nodeconfigstore.h"

#include "cluster/clusterconfig.h"
#include "cluster/nodeconfig.h"
#include "cluster/validator.h"
#include "config/configerror.h"
#include "configcommit.h"
#include "durablefile.h"
#include "i18n/trcontexts.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLockFile>
#include <QTemporaryDir>

#include <memory>

namespace Tribune {

using ConfigStoreDetail::PlannedFile;
using DurableFile::Kind;

namespace {

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

// Serializes pushes, rollbacks and reads of one node, also across processes.
std::unique_ptr<QLockFile> lockStore(const QString &stateFolder, QString *error)
{
    QString reason;
    if (!DurableFile::makeFolders(stateFolder, 0700, nullptr, &reason)) {
        fail(error, ConfigStoreText::tr("cannot create the agent's folder: %1. Make the node's CARBON_HOME "
                                        "writable for the agent and try again.")
                        .arg(reason));
        return nullptr;
    }
    auto lock = std::make_unique<QLockFile>(stateFolder + QLatin1String("/lock"));
    if (lock->tryLock(10000))
        return lock;
    if (lock->error() == QLockFile::LockFailedError)
        fail(error, ConfigStoreText::tr("another change to this node is in progress (lock file %1); wait "
                                        "for it to finish and try again")
                        .arg(lock->fileName()));
    else
        fail(error, ConfigStoreText::tr("cannot create the lock file %1; make %2 writable for the agent and "
                                        "try again")
                        .arg(lock->fileName(), stateFolder));
    return nullptr;
}

bool unreadable(QString *error, const QString &reason)
{
    return fail(error, ConfigStoreText::tr("%1. Nothing was changed; give the agent read access to the "
                                           "node's configuration and try again.")
                           .arg(reason));
}

// path relative to conf when it lies inside, else path itself.
QString shownPath(const QString &conf, const QString &path)
{
    const QString clean = QDir::cleanPath(path);
    return clean.startsWith(conf + QLatin1Char('/')) ? clean.mid(conf.size() + 1) : clean;
}

} // namespace

NodeConfigStore::NodeConfigStore(const QString &folder, Bare bare)
    : m_folder(folder)
{
    QString conf = NodeConfig::confFolderOf(folder);
    if (conf.isEmpty() && bare == Bare::Accept && QDir(folder).exists(QStringLiteral("repository/conf")))
        conf = QDir(folder).filePath(QStringLiteral("repository/conf"));
    if (conf.isEmpty())
        return;
    m_confPath = QDir::cleanPath(QDir(conf).absolutePath());
    m_canonicalConf = QFileInfo(m_confPath).canonicalFilePath();
    const bool standard = m_confPath.endsWith(QLatin1String("/repository/conf"));
    const QString home = QDir::cleanPath(m_confPath + (standard ? QLatin1String("/../..") : QLatin1String("/..")));
    m_stateFolder = home + QLatin1String("/.tribune");
    m_nodeName = QFileInfo(standard ? home : m_confPath).fileName();
}

QString NodeConfigStore::recover(QString *error)
{
    error->clear();
    if (!isValid())
        return {};
    const auto lock = lockStore(m_stateFolder, error);
    if (!lock)
        return {};
    return ConfigStoreDetail::recoverInterruptedCommit(m_stateFolder, m_confPath);
}

QString NodeConfigStore::backupFolder(int number) const
{
    return ConfigStoreDetail::backupsFolder(m_stateFolder) + QLatin1Char('/') + QString::number(number);
}

QString NodeConfigStore::auditLogPath() const
{
    return ConfigStoreDetail::auditLogPath(m_stateFolder);
}

bool NodeConfigStore::checkRequest(const QString &actor, QString *error) const
{
    if (!isValid())
        return fail(error, ConfigStoreText::tr("%1 is not a node: neither it nor its repository/conf holds "
                                               "axis2/axis2.xml or carbon.xml. Point the agent at the "
                                               "node's CARBON_HOME.")
                               .arg(m_folder));
    if (actor.trimmed().isEmpty())
        return fail(error, ConfigStoreText::tr("the change names nobody as its actor; say who makes it, so "
                                               "the audit log can record it, and try again"));
    return true;
}

std::optional<ConfigFileSet> NodeConfigStore::read(QString *error) const
{
    if (!checkRequest(QStringLiteral("reader"), error))
        return std::nullopt;
    const auto lock = lockStore(m_stateFolder, error);
    if (!lock)
        return std::nullopt;
    ConfigFileSet set;
    for (const NodeConfig::File file : NodeConfig::AllFiles) {
        const QString relative = NodeConfig::relativePath(file);
        const std::optional<Target> target = resolve(relative, error);
        if (!target)
            return std::nullopt;
        if (!target->exists)
            continue;
        QByteArray bytes;
        QString reason;
        if (!DurableFile::readFile(target->path, &bytes, &reason)) {
            unreadable(error, reason);
            return std::nullopt;
        }
        set.files.insert(relative, bytes);
    }
    return set;
}

bool NodeConfigStore::validate(const QMap<QString, std::optional<QByteArray>> &afterByTarget, QString *error) const
{
    const QTemporaryDir temporary;
    if (!temporary.isValid())
        return fail(error, ConfigStoreText::tr("cannot create a temporary folder to validate the change: "
                                               "%1. Nothing was changed; free space in the temporary "
                                               "folder (or set TMPDIR) and try again.")
                               .arg(temporary.errorString()));
    const QString node = m_nodeName.isEmpty() ? QStringLiteral("node") : m_nodeName;
    const QString conf = QDir::cleanPath(temporary.path() + QLatin1Char('/') + node + QLatin1String("/repository/conf"));
    for (const NodeConfig::File file : NodeConfig::AllFiles) {
        const QString relative = NodeConfig::relativePath(file);
        const std::optional<Target> target = resolve(relative, error);
        if (!target)
            return false;
        std::optional<QByteArray> bytes;
        QString reason;
        if (afterByTarget.contains(target->path))
            bytes = afterByTarget.value(target->path);
        else if (target->exists && !DurableFile::readFile(target->path, &bytes.emplace(), &reason))
            return unreadable(error, reason);
        if (!bytes)
            continue;
        const QString copy = conf + QLatin1Char('/') + relative;
        QFile out(copy);
        if (!QDir().mkpath(QFileInfo(copy).path()) || !out.open(QIODevice::WriteOnly) || out.write(*bytes) != bytes->size())
            return fail(error, ConfigStoreText::tr("cannot copy %1 to %2 to validate the change: %3. "
                                                   "Nothing was changed; free space in the temporary "
                                                   "folder (or set TMPDIR) and try again.")
                                   .arg(relative, copy, out.errorString()));
    }

    QList<Config::ConfigError> errors;
    std::optional<NodeConfig> loaded = NodeConfig::load(conf, &errors);
    if (!loaded) {
        QStringList lines;
        for (Config::ConfigError parseError : std::as_const(errors)) {
            parseError.file = shownPath(conf, parseError.file);
            lines.append(QLatin1String("  ") + parseError.toString());
        }
        return fail(error, ConfigStoreText::tr("the change was refused because the configuration would not "
                                               "parse; nothing was changed. Correct these and try again:\n%1")
                               .arg(lines.join(QLatin1Char('\n'))));
    }
    ClusterConfig cluster;
    cluster.addNode(std::move(*loaded));
    QStringList lines;
    for (const Finding &finding : validateCluster(cluster)) {
        if (finding.severity != Severity::Error)
            continue;
        QString where = shownPath(conf, finding.file);
        if (finding.line > 0)
            where += QLatin1Char(':') + QString::number(finding.line);
        lines.append(QLatin1String("  ")
                     + ConfigStoreText::tr("%1: %2 (to fix: %3) [%4]")
                           .arg(where, finding.message, finding.fix, finding.rule));
    }
    if (lines.isEmpty())
        return true;
    return fail(error, ConfigStoreText::tr("the change was refused because validating the node found %1; "
                                           "nothing was changed. Correct these and try again:\n%2")
                           .arg(compactErrorsAndWarnings(int(lines.size()), 0), lines.join(QLatin1Char('\n'))));
}

bool NodeConfigStore::push(const ConfigFileSet &changes, const QString &actor, QString *error, int *backupNumber)
{
    if (backupNumber)
        *backupNumber = 0;
    if (!checkRequest(actor, error))
        return false;
    // Every file the change names, with what it will hold (nothing: it goes).
    QMap<QString, std::optional<QByteArray>> afters;
    for (auto it = changes.files.cbegin(); it != changes.files.cend(); ++it)
        afters.insert(it.key(), it.value());
    for (const QString &removed : changes.removed) {
        if (afters.contains(removed))
            return fail(error, ConfigStoreText::tr("%1 is both written and removed by the change; do one")
                                   .arg(removed));
        afters.insert(removed, std::nullopt);
    }
    for (auto it = afters.cbegin(); it != afters.cend(); ++it) {
        if (!isAcceptablePath(it.key(), error))
            return false;
    }
    const auto lock = lockStore(m_stateFolder, error);
    if (!lock)
        return false;

    QList<PlannedFile> plan;
    QMap<QString, std::optional<QByteArray>> afterByTarget;
    for (auto it = afters.cbegin(); it != afters.cend(); ++it) {
        const std::optional<Target> target = resolve(it.key(), error);
        if (!target)
            return false;
        if (afterByTarget.contains(target->path))
            return fail(error, ConfigStoreText::tr("%1 and another file of the change are the same file, "
                                                   "%2, through a symbolic link; change it under one name "
                                                   "only")
                                   .arg(it.key(), target->path));
        afterByTarget.insert(target->path, it.value());
        std::optional<QByteArray> before;
        QString reason;
        if (target->exists && !DurableFile::readFile(target->path, &before.emplace(), &reason))
            return unreadable(error, reason);
        if (before != it.value())
            plan.append({it.key(), target->path, before, it.value()});
    }
    if (plan.isEmpty())
        return true;
    if (!validate(afterByTarget, error))
        return false;

    QString message;
    const ConfigStoreDetail::CommitResult result = ConfigStoreDetail::commit(
        {m_stateFolder, actor, QStringLiteral("push"), QStringLiteral("push"), plan, &m_failureHook}, &message);
    if (backupNumber && result.changed)
        *backupNumber = result.backup;
    return message.isEmpty() || fail(error, message);
}

QList<ConfigBackup> NodeConfigStore::backups() const
{
    return isValid() ? ConfigStoreDetail::listBackups(m_stateFolder) : QList<ConfigBackup>();
}

std::optional<QMap<QString, std::optional<QByteArray>>> NodeConfigStore::savedFiles(int number, QString *error) const
{
    const QString folder = backupFolder(number);
    if (number <= 0 || DurableFile::kindOf(folder) != Kind::Folder) {
        *error = ConfigStoreText::tr("there is no folder %1").arg(folder);
        return std::nullopt;
    }
    QMap<QString, QString> hashes;
    const std::optional<ConfigBackup> backup = ConfigStoreDetail::readManifest(folder, &hashes, error);
    if (!backup)
        return std::nullopt;
    QMap<QString, std::optional<QByteArray>> saved;
    for (const QString &relative : backup->files) {
        if (!isAcceptablePath(relative, error))
            return std::nullopt;
        std::optional<QByteArray> &bytes = saved[relative];
        const QString hash = hashes.value(relative);
        if (hash.isEmpty())
            continue; // the node did not have it
        if (!DurableFile::readFile(folder + QLatin1Char('/') + relative, &bytes.emplace(), error))
            return std::nullopt;
        if (DurableFile::sha256(*bytes) != hash) {
            *error = ConfigStoreText::tr("its copy of %1 no longer matches the sha256 in its manifest, so it "
                                         "was damaged")
                         .arg(relative);
            return std::nullopt;
        }
    }
    return saved;
}

std::optional<ConfigFileSet> NodeConfigStore::backupContents(int number, QString *error) const
{
    if (!checkRequest(QStringLiteral("reader"), error))
        return std::nullopt;
    const auto lock = lockStore(m_stateFolder, error);
    if (!lock)
        return std::nullopt;
    QString reason;
    const auto saved = savedFiles(number, &reason);
    if (!saved) {
        *error = ConfigStoreText::tr("cannot read backup %1: %2. List the node's backups (config backups) "
                                     "and choose one of them.")
                     .arg(QString::number(number), reason);
        return std::nullopt;
    }
    ConfigFileSet contents;
    for (auto it = saved->cbegin(); it != saved->cend(); ++it) {
        if (it.value())
            contents.files.insert(it.key(), *it.value());
        else
            contents.removed.append(it.key());
    }
    return contents;
}

bool NodeConfigStore::rollback(int number, const QString &actor, QString *error, int *backupNumber)
{
    if (backupNumber)
        *backupNumber = 0;
    if (!checkRequest(actor, error))
        return false;
    const auto lock = lockStore(m_stateFolder, error);
    if (!lock)
        return false;
    const auto refuse = [&](const QString &reason) -> bool {
        return fail(error, ConfigStoreText::tr("cannot roll back to backup %1: %2. Nothing was changed; "
                                               "choose another backup from the list.")
                               .arg(QString::number(number), reason));
    };
    QString reason;
    const auto saved = savedFiles(number, &reason);
    if (!saved)
        return refuse(reason);

    QList<PlannedFile> plan;
    for (auto it = saved->cbegin(); it != saved->cend(); ++it) {
        const std::optional<Target> target = resolve(it.key(), &reason);
        if (!target)
            return refuse(reason);
        std::optional<QByteArray> current;
        if (target->exists && !DurableFile::readFile(target->path, &current.emplace(), &reason))
            return unreadable(error, reason);
        if (current != it.value())
            plan.append({it.key(), target->path, current, it.value()});
    }
    if (plan.isEmpty())
        return true;

    QString message;
    const ConfigStoreDetail::CommitResult result = ConfigStoreDetail::commit(
        {m_stateFolder, actor, QStringLiteral("rollback"),
         QStringLiteral("rollback to %1").arg(number), plan, &m_failureHook},
        &message);
    if (backupNumber && result.changed)
        *backupNumber = result.backup;
    return message.isEmpty() || fail(error, message);
}

} // namespace Tribune
