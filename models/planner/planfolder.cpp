#include "planfolder.h"

#include "nodeplan.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

namespace Tribune::Planner {

namespace {

struct PlanFolderText
{
    Q_DECLARE_TR_FUNCTIONS(Tribune::Planner)
};

bool writeFile(const QString &path, const QByteArray &bytes, QString *error)
{
    QDir().mkpath(QFileInfo(path).path());
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.commit())
        return true;
    *error = PlanFolderText::tr("%1: cannot write: %2").arg(path, file.errorString());
    return false;
}

} // namespace

PlanFolder PlanFolder::of(const NodePlan &plan, const QJsonObject &document)
{
    PlanFolder folder;
    folder.document = document;
    for (const PlannedFile &file : plan.files)
        folder.nodes[plan.node].insert(file.path, file.after);
    return folder;
}

bool PlanFolder::write(const QString &folder, QString *error) const
{
    const QDir dir(folder);
    for (auto node = nodes.cbegin(); node != nodes.cend(); ++node) {
        for (auto file = node->cbegin(); file != node->cend(); ++file) {
            if (!writeFile(dir.filePath(node.key() + QLatin1String("/repository/conf/") + file.key()), file.value(), error))
                return false;
        }
    }
    return writeFile(dir.filePath(QStringLiteral("plan.json")), QJsonDocument(document).toJson(), error);
}

std::optional<PlanFolder> PlanFolder::read(const QString &folder, QString *error)
{
    const QDir dir(folder);
    QFile json(dir.filePath(QStringLiteral("plan.json")));
    if (!json.open(QIODevice::ReadOnly)) {
        *error = PlanFolderText::tr("%1: cannot read: %2; a plan folder is what `tribunectl node plan --out DIR` writes")
                     .arg(json.fileName(), json.errorString());
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json.read(1024 * 1024), &parseError);
    if (!document.isObject()) {
        *error = PlanFolderText::tr("%1: not a plan: %2").arg(json.fileName(), parseError.errorString());
        return std::nullopt;
    }
    PlanFolder plan;
    plan.document = document.object();
    qint64 total = 0;
    const QStringList nodeFolders = dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &node : nodeFolders) {
        const QDir conf(dir.filePath(node + QLatin1String("/repository/conf")));
        if (!conf.exists())
            continue;
        if (plan.nodes.size() >= MaxNodes) {
            *error = PlanFolderText::tr("%1: more than %2 nodes; split the plan").arg(folder).arg(MaxNodes);
            return std::nullopt;
        }
        QMap<QString, QByteArray> &files = plan.nodes[node];
        QDirIterator it(conf.path(), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile file(it.next());
            total += file.size();
            if (total > MaxTotalBytes) {
                *error = PlanFolderText::tr("%1: more than %2 MiB of files; not a plan").arg(folder).arg(MaxTotalBytes >> 20);
                return std::nullopt;
            }
            if (!file.open(QIODevice::ReadOnly)) {
                *error = PlanFolderText::tr("%1: cannot read: %2").arg(file.fileName(), file.errorString());
                return std::nullopt;
            }
            files.insert(conf.relativeFilePath(file.fileName()), file.readAll());
        }
    }
    if (plan.nodes.isEmpty()) {
        *error = PlanFolderText::tr("%1: the plan changes no node (no NODE/repository/conf below it)").arg(folder);
        return std::nullopt;
    }
    return plan;
}

} // namespace Tribune::Planner
