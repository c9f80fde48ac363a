#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QMap>
#include <QString>

#include <optional>

namespace Tribune::Planner {

struct NodePlan;

// A plan written out for later or for other hands: DIR/plan.json (what was planned and why) and,
// for every node the plan touches, DIR/NODE/repository/conf/... (a CARBON_HOME per node, which
// `config push --from` takes as well). The same as a .tar.gz (or .tgz) archive, for servers that
// are reached by other means: unpacked, it is that folder.
struct PlanFolder
{
    static constexpr int MaxNodes = 64;
    static constexpr qint64 MaxTotalBytes = 64 * 1024 * 1024;
    static constexpr int MaxFilesPerNode = 256;
    static constexpr int MaxEntries = 20000; // of an archive, folders included

    QJsonObject document;                            // plan.json
    QMap<QString, QMap<QString, QByteArray>> nodes; // node -> path below repository/conf -> bytes

    // Reads a plan folder or archive, bounded (MaxNodes nodes, MaxTotalBytes of files). Nothing,
    // with *error naming the file, when it is not one.
    static std::optional<PlanFolder> read(const QString &path, QString *error);
    // Writes it to a folder, each file atomically, or to an archive when path ends in .tar.gz or
    // .tgz. False with *error on the first file that fails.
    bool write(const QString &path, QString *error) const;
    static bool isArchivePath(const QString &path);

    // Reads and checks plan.json and one node's file; for both readers.
    bool take(const QString &relativePath, const QByteArray &bytes, QString *error);

    static PlanFolder of(const NodePlan &plan, const QJsonObject &document);
};

} // namespace Tribune::Planner
