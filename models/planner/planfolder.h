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
// `config push --from` takes as well).
struct PlanFolder
{
    static constexpr int MaxNodes = 64;
    static constexpr qint64 MaxTotalBytes = 64 * 1024 * 1024;

    QJsonObject document;                            // plan.json
    QMap<QString, QMap<QString, QByteArray>> nodes; // node -> path below repository/conf -> bytes

    // Reads a plan folder, bounded (MaxNodes nodes, MaxTotalBytes of files). Nothing, with
    // *error naming the file, when it is not one.
    static std::optional<PlanFolder> read(const QString &folder, QString *error);
    // Writes it, each file atomically. False with *error on the first file that fails.
    bool write(const QString &folder, QString *error) const;

    static PlanFolder of(const NodePlan &plan, const QJsonObject &document);
};

} // namespace Tribune::Planner
