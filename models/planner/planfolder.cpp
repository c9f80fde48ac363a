#include "planfolder.h"

#include "nodeplan.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

#include <archive.h>
#include <archive_entry.h>

#include <memory>

namespace Tribune::Planner {

namespace {

struct PlanFolderText
{
    Q_DECLARE_TR_FUNCTIONS(Tribune::Planner)
};

constexpr qint64 MaxPlanJsonBytes = 1024 * 1024;
const QString PlanJson = QStringLiteral("plan.json");
const QString ConfBelowNode = QStringLiteral("/repository/conf/");

bool writeFile(const QString &path, const QByteArray &bytes, QString *error)
{
    QDir().mkpath(QFileInfo(path).path());
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.commit())
        return true;
    *error = PlanFolderText::tr("%1: cannot write: %2").arg(path, file.errorString());
    return false;
}

// Every file of the plan by its path inside the folder or archive.
QMap<QString, QByteArray> entriesOf(const PlanFolder &plan)
{
    QMap<QString, QByteArray> entries;
    for (auto node = plan.nodes.cbegin(); node != plan.nodes.cend(); ++node) {
        for (auto file = node->cbegin(); file != node->cend(); ++file)
            entries.insert(node.key() + ConfBelowNode + file.key(), file.value());
    }
    entries.insert(PlanJson, QJsonDocument(plan.document).toJson());
    return entries;
}

bool writeArchive(const QString &path, const QMap<QString, QByteArray> &entries, QString *error)
{
    // Written through QSaveFile, so that a failed write leaves no half archive behind.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = PlanFolderText::tr("%1: cannot write: %2").arg(path, file.errorString());
        return false;
    }
    const std::unique_ptr<archive, decltype(&archive_write_free)> writer(archive_write_new(), archive_write_free);
    archive_write_add_filter_gzip(writer.get());
    archive_write_set_format_pax_restricted(writer.get());
    const auto write = [](archive *, void *device, const void *buffer, size_t length) -> la_ssize_t {
        return static_cast<QSaveFile *>(device)->write(static_cast<const char *>(buffer), qint64(length));
    };
    bool ok = archive_write_open2(writer.get(), &file, nullptr, write, nullptr, nullptr) == ARCHIVE_OK;
    for (auto it = entries.cbegin(); ok && it != entries.cend(); ++it) {
        const std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(), archive_entry_free);
        archive_entry_set_pathname(entry.get(), it.key().toUtf8().constData());
        archive_entry_set_size(entry.get(), it.value().size());
        archive_entry_set_filetype(entry.get(), AE_IFREG);
        archive_entry_set_perm(entry.get(), 0600); // datasource passwords travel in these files
        ok = archive_write_header(writer.get(), entry.get()) == ARCHIVE_OK
            && archive_write_data(writer.get(), it.value().constData(), size_t(it.value().size())) == it.value().size();
    }
    ok = ok && archive_write_close(writer.get()) == ARCHIVE_OK;
    if (!ok || !file.commit()) {
        *error = PlanFolderText::tr("%1: cannot write the archive: %2")
                     .arg(path, ok ? file.errorString() : QString::fromUtf8(archive_error_string(writer.get())));
        return false;
    }
    return true;
}

std::optional<PlanFolder> readArchive(const QString &path, QString *error)
{
    const std::unique_ptr<archive, decltype(&archive_read_free)> reader(archive_read_new(), archive_read_free);
    archive_read_support_filter_gzip(reader.get());
    archive_read_support_format_tar(reader.get());
    if (archive_read_open_filename(reader.get(), QFile::encodeName(path).constData(), 64 * 1024) != ARCHIVE_OK) {
        *error = PlanFolderText::tr("%1: cannot read the archive: %2").arg(path, QString::fromUtf8(archive_error_string(reader.get())));
        return std::nullopt;
    }
    PlanFolder plan;
    qint64 total = 0;
    archive_entry *entry = nullptr;
    int status = ARCHIVE_OK;
    int entries = 0;
    QString topFolder; // the one folder everything is in, if so: an archive of the plan's folder
    while ((status = archive_read_next_header(reader.get(), &entry)) == ARCHIVE_OK) {
        if (++entries > PlanFolder::MaxEntries) {
            *error = PlanFolderText::tr("%1: more than %2 entries; not a plan").arg(path).arg(PlanFolder::MaxEntries);
            return std::nullopt;
        }
        const QString name = QString::fromUtf8(archive_entry_pathname(entry));
        const QString first = QDir::cleanPath(name).section(u'/', 0, 0);
        topFolder = entries == 1 || topFolder == first ? first : QString();
        if (archive_entry_filetype(entry) != AE_IFREG)
            continue; // folders, and nothing that links elsewhere
        const qint64 size = archive_entry_size(entry);
        total += size;
        if (size < 0 || total > PlanFolder::MaxTotalBytes) {
            *error = PlanFolderText::tr("%1: more than %2 MiB of files; not a plan").arg(path).arg(PlanFolder::MaxTotalBytes >> 20);
            return std::nullopt;
        }
        QByteArray bytes(size, Qt::Uninitialized);
        if (archive_read_data(reader.get(), bytes.data(), size_t(size)) != size) {
            *error = PlanFolderText::tr("%1: %2: cannot read: %3").arg(path, name, QString::fromUtf8(archive_error_string(reader.get())));
            return std::nullopt;
        }
        if (!plan.take(name, bytes, error)) {
            *error = path + QLatin1String(": ") + *error;
            return std::nullopt;
        }
    }
    if (status != ARCHIVE_EOF) {
        *error = PlanFolderText::tr("%1: a damaged archive: %2").arg(path, QString::fromUtf8(archive_error_string(reader.get())));
        return std::nullopt;
    }
    if (plan.document.isEmpty() && !topFolder.isEmpty() && topFolder != PlanJson) {
        *error = PlanFolderText::tr("%1: everything is inside the folder %2/; archive what the plan folder holds "
                                    "(tar -czf PLAN.tar.gz -C %2 .), or let node plan --out write the archive")
                     .arg(path, topFolder);
        return std::nullopt;
    }
    return plan;
}

} // namespace

bool PlanFolder::isArchivePath(const QString &path)
{
    return path.endsWith(QLatin1String(".tar.gz")) || path.endsWith(QLatin1String(".tgz"));
}

PlanFolder PlanFolder::of(const NodePlan &plan, const QJsonObject &document)
{
    PlanFolder folder;
    folder.document = document;
    for (const PlannedFile &file : plan.files)
        folder.nodes[plan.node].insert(file.path, file.after);
    return folder;
}

bool PlanFolder::take(const QString &relativePath, const QByteArray &bytes, QString *error)
{
    const QString path = QDir::cleanPath(relativePath);
    if (path == PlanJson) {
        if (bytes.size() > MaxPlanJsonBytes) {
            *error = PlanFolderText::tr("plan.json: larger than %1 KiB; not a plan").arg(MaxPlanJsonBytes / 1024);
            return false;
        }
        QJsonParseError parseError;
        const QJsonDocument json = QJsonDocument::fromJson(bytes, &parseError);
        if (!json.isObject()) {
            *error = PlanFolderText::tr("plan.json: not a plan: %1").arg(parseError.errorString());
            return false;
        }
        document = json.object();
        return true;
    }
    const qsizetype conf = path.indexOf(ConfBelowNode);
    const QString node = path.left(conf);
    const QString file = path.mid(conf + ConfBelowNode.size());
    if (conf <= 0 || node.contains(u'/') || node.startsWith(u'.') || file.isEmpty() || file.startsWith(u'.')
        || file.contains(QLatin1String("/.")) || path.startsWith(u'/'))
        return true; // not part of the plan (a README beside it, say)
    if (!nodes.contains(node) && nodes.size() >= MaxNodes) {
        *error = PlanFolderText::tr("more than %1 nodes; split the plan").arg(MaxNodes);
        return false;
    }
    if (nodes.value(node).size() >= MaxFilesPerNode && !nodes.value(node).contains(file)) {
        *error = PlanFolderText::tr("%1: more than %2 files; a node's configuration has a handful").arg(node).arg(MaxFilesPerNode);
        return false;
    }
    nodes[node].insert(file, bytes);
    return true;
}

bool PlanFolder::write(const QString &path, QString *error) const
{
    const QMap<QString, QByteArray> entries = entriesOf(*this);
    if (isArchivePath(path))
        return writeArchive(path, entries, error);
    const QDir dir(path);
    for (auto it = entries.cbegin(); it != entries.cend(); ++it) {
        if (!writeFile(dir.filePath(it.key()), it.value(), error))
            return false;
    }
    return true;
}

std::optional<PlanFolder> PlanFolder::read(const QString &path, QString *error)
{
    std::optional<PlanFolder> plan;
    if (isArchivePath(path)) {
        plan = readArchive(path, error);
    } else {
        plan.emplace();
        const QDir dir(path);
        qint64 total = 0;
        QDirIterator it(path, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile file(it.next());
            total += file.size();
            if (total > MaxTotalBytes) {
                *error = PlanFolderText::tr("%1: more than %2 MiB of files; not a plan").arg(path).arg(MaxTotalBytes >> 20);
                return std::nullopt;
            }
            if (!file.open(QIODevice::ReadOnly)) {
                *error = PlanFolderText::tr("%1: cannot read: %2").arg(file.fileName(), file.errorString());
                return std::nullopt;
            }
            if (!plan->take(dir.relativeFilePath(file.fileName()), file.readAll(), error)) {
                *error = path + QLatin1String(": ") + *error;
                return std::nullopt;
            }
        }
    }
    if (!plan)
        return std::nullopt;
    if (plan->document.isEmpty()) {
        *error = PlanFolderText::tr("%1: no plan.json; a plan is what `tribunectl node plan --out` writes").arg(path);
        return std::nullopt;
    }
    if (plan->nodes.isEmpty()) {
        *error = PlanFolderText::tr("%1: the plan changes no node (no NODE/repository/conf below it)").arg(path);
        return std::nullopt;
    }
    return plan;
}

} // namespace Tribune::Planner
