#include "nodeplan.h"

#include "plandiff.h"
#include "typededit.h"

#include "cluster/clusterconfig.h"
#include "cluster/nodefacts.h"
#include "cluster/portspace.h"
#include "cluster/validator.h"
#include "config/configerror.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSet>

namespace Tribune::Planner {

using namespace Config;
using File = NodeConfig::File;

namespace {

struct PlanText
{
    Q_DECLARE_TR_FUNCTIONS(Tribune::Planner)
};

QString withDatabase(const QString &url, const QString &database)
{
    const qsizetype query = url.indexOf(u'?');
    const QString path = query < 0 ? url : url.left(query);
    const qsizetype slash = path.lastIndexOf(u'/');
    return path.left(slash + 1) + database + (query < 0 ? QString() : url.mid(query));
}

// Parses a file as it will be, applies the edits, and puts the result back.
template<typename Xml>
bool edit(QMap<File, QByteArray> &files, File file, const QString &path,
          const std::function<bool(Xml &, ConfigError *)> &change, QString *error)
{
    if (!files.contains(file))
        return true;
    ConfigError configError;
    std::optional<Xml> document = Xml::parse(files.value(file), path, &configError);
    if (!document || !change(*document, &configError)) {
        *error = configError.toString();
        return false;
    }
    files.insert(file, document->toBytes());
    return true;
}

QString findingKey(const Finding &finding)
{
    return finding.rule + QLatin1Char('\n') + finding.node + QLatin1Char('\n') + finding.message;
}

// The whole cluster's findings with the planned node in it, and those the plan brings.
void judge(NodePlan *plan, const ClusterConfig &cluster, const std::vector<NodeFacts> &facts, NodeConfig planned,
           const QList<Finding> *current)
{
    QSet<QString> before;
    for (const Finding &finding : current ? *current : validateCluster(cluster, facts))
        before.insert(findingKey(finding));
    plan->findings = validateCluster(cluster.withNode(std::move(planned)));
    for (const Finding &finding : std::as_const(plan->findings)) {
        if (!before.contains(findingKey(finding)))
            plan->newFindings.append(finding);
    }
}

} // namespace

QString NodePlan::diff() const
{
    QString text;
    for (const PlannedFile &file : files) {
        const bool fromTemplate = file.before.isEmpty();
        text += unifiedDiff(fromTemplate ? file.templateBytes : file.before, file.after,
                            QStringLiteral("a/%1/%2").arg(fromTemplate ? templateNode : node, file.path),
                            QStringLiteral("b/%1/%2").arg(node, file.path));
    }
    return text;
}

std::optional<NodePlan> planNodeLike(const ClusterConfig &cluster, const NewNodeRequest &request, QString *error,
                                     const QList<Finding> *current)
{
    const std::vector<NodeFacts> facts = deriveFacts(cluster);
    const auto like = std::find_if(facts.cbegin(), facts.cend(),
                                   [&](const NodeFacts &node) { return node.node->name() == request.like; });
    if (like == facts.cend() || like->role == NodeFacts::Role::LoadBalancer) {
        QStringList names;
        for (const NodeFacts &node : facts) {
            if (node.role != NodeFacts::Role::LoadBalancer)
                names.append(node.node->name());
        }
        *error = PlanText::tr("no node \"%1\" to take as a template; the cluster's nodes are: %2")
                     .arg(request.like, names.join(QLatin1String(", ")));
        return std::nullopt;
    }
    const NodeConfig &templateNode = *like->node;
    const QString server = cluster.hosts().serverOf(request.host);
    if (request.host.isEmpty() || server.isEmpty()) {
        *error = PlanText::tr("host \"%1\" resolves nowhere; name it in the hosts file, or give its address")
                     .arg(request.host);
        return std::nullopt;
    }
    QSet<QString> names;
    for (const NodeConfig &node : cluster.nodes())
        names.insert(node.name());
    QString name = request.name;
    for (int n = 2; name.isEmpty(); ++n) {
        const QString candidate = QStringLiteral("%1-%2").arg(templateNode.name()).arg(n);
        if (!names.contains(candidate))
            name = candidate;
    }
    if (names.contains(name) || name.contains(u'/')) {
        *error = PlanText::tr("a node named \"%1\" exists already; give the new one another name").arg(name);
        return std::nullopt;
    }

    NodePlan plan;
    plan.node = name;
    plan.templateNode = templateNode.name();
    plan.server = server;
    plan.subDomain = request.subDomain.isEmpty() ? like->subDomain : request.subDomain;
    const QSet<int> taken = portsTakenOn(server, cluster, facts);
    plan.offset = freeOffsetNear(*like, 0, taken);
    plan.memberPort = like->memberPort;
    while (taken.contains(plan.memberPort) && plan.memberPort < 65535)
        ++plan.memberPort;
    if (plan.offset < 0) {
        *error = PlanText::tr("no port offset below %1 is free on server %2").arg(MaxPortOffset).arg(server);
        return std::nullopt;
    }

    const QString home = QFileInfo(templateNode.homePath()).dir().filePath(name);
    const auto pathOf = [&home](File file) -> QString {
        return home + QLatin1String("/repository/conf/") + NodeConfig::relativePath(file);
    };
    QMap<File, QByteArray> files;
    for (const File file : NodeConfig::AllFiles) {
        if (file != File::LoadBalancer && templateNode.has(file))
            files.insert(file, templateNode.bytes(file));
    }
    const auto mappings = templateNode.axis2() ? templateNode.axis2()->clustering().portMappings()
                                               : QList<Axis2Clustering::PortMapping>();
    bool ok = edit<Axis2Xml>(files, File::Axis2, pathOf(File::Axis2), [&](Axis2Xml &f, ConfigError *e) {
        bool done = f.setParameter(QStringLiteral("localMemberHost"), request.host, e)
            && f.setParameter(QStringLiteral("localMemberPort"), QString::number(plan.memberPort), e);
        if (done && plan.subDomain != like->subDomain)
            done = f.setProperty(QStringLiteral("subDomain"), plan.subDomain, e);
        for (const Axis2Clustering::PortMapping &mapping : mappings) {
            done = done
                && f.setProperty(QStringLiteral("port.mapping.%1").arg(mapping.loadBalancerPort),
                                 QString::number(mapping.memberPort - like->offset + plan.offset), e);
        }
        return done;
    }, error);
    ok = ok && edit<CarbonXml>(files, File::Carbon, pathOf(File::Carbon), [&](CarbonXml &f, ConfigError *e) {
        return f.setOffset(plan.offset, e);
    }, error);
    // The local registry stays the node's own: a new database when the template's is a server's.
    if (ok && templateNode.registry() && templateNode.datasources()) {
        const RegistrySettings registry = templateNode.registry()->settings();
        const RegistryDbConfig *local = registry.dbConfig(registry.currentDbConfig);
        for (const Datasource &source : templateNode.datasources()->datasources()) {
            if (!local || source.jndiName != local->dataSource
                || databaseIdentity(source.url, templateNode.homePath()).contains(u":file:"))
                continue;
            plan.localRegistryDatabase = LocalRegistryNames(cluster).next();
            ok = edit<DatasourcesXml>(files, File::Datasources, pathOf(File::Datasources),
                                      [&](DatasourcesXml &f, ConfigError *e) {
                                          return f.setValue(source.name, QStringLiteral("url"),
                                                            withDatabase(source.url, plan.localRegistryDatabase), e);
                                      },
                                      error);
            break;
        }
    }
    // What the user overrides, last: the plan is then what the files say.
    ok = ok && applyTypedEdits(&files, request.edits, home + QLatin1String("/repository/conf"), error);
    if (!ok)
        return std::nullopt;

    QList<ConfigError> parseErrors;
    std::optional<NodeConfig> planned = NodeConfig::fromFiles(home, files, &parseErrors);
    if (!planned) {
        *error = parseErrors.value(0).toString();
        return std::nullopt;
    }
    if (!request.edits.isEmpty()) {
        const NodeFacts after = NodeFacts::of(*planned);
        plan.offset = after.offset;
        plan.memberPort = after.memberPort;
        plan.subDomain = after.subDomain;
    }
    for (auto it = files.cbegin(); it != files.cend(); ++it)
        plan.files.append({NodeConfig::relativePath(it.key()), QByteArray(), it.value(), templateNode.bytes(it.key())});

    judge(&plan, cluster, facts, std::move(*planned), current);
    return plan;
}

std::optional<NodePlan> planNodeEdit(const ClusterConfig &cluster, const QString &nodeName, const QList<TypedEdit> &edits,
                                     QString *error)
{
    const std::vector<NodeFacts> facts = deriveFacts(cluster);
    const auto found = std::find_if(facts.cbegin(), facts.cend(),
                                    [&](const NodeFacts &node) { return node.node->name() == nodeName; });
    if (found == facts.cend()) {
        QStringList names;
        for (const NodeFacts &node : facts)
            names.append(node.node->name());
        *error = PlanText::tr("no node \"%1\"; the cluster's nodes are: %2").arg(nodeName, names.join(QLatin1String(", ")));
        return std::nullopt;
    }
    const NodeConfig &node = *found->node;
    QMap<File, QByteArray> files;
    for (const File file : NodeConfig::AllFiles) {
        if (node.has(file))
            files.insert(file, node.bytes(file));
    }
    if (!applyTypedEdits(&files, edits, node.confPath(), error))
        return std::nullopt;
    QList<ConfigError> parseErrors;
    std::optional<NodeConfig> changed = NodeConfig::fromFiles(node.homePath(), files, &parseErrors);
    if (!changed) {
        *error = parseErrors.value(0).toString();
        return std::nullopt;
    }
    NodePlan plan;
    plan.node = node.name();
    plan.templateNode = node.name();
    plan.server = found->server;
    const NodeFacts after = NodeFacts::of(*changed);
    plan.offset = after.offset;
    plan.memberPort = after.memberPort;
    plan.subDomain = after.subDomain;
    for (auto it = files.cbegin(); it != files.cend(); ++it) {
        if (it.value() != node.bytes(it.key()))
            plan.files.append({NodeConfig::relativePath(it.key()), node.bytes(it.key()), it.value(), {}});
    }
    judge(&plan, cluster, facts, std::move(*changed), nullptr);
    return plan;
}

std::optional<NodePlan> planNodeFiles(const ClusterConfig &cluster, const QString &nodeName,
                                      const QMap<QString, QByteArray> &files, QString *error, NodeConfig *planned)
{
    const std::vector<NodeFacts> facts = deriveFacts(cluster);
    const auto found = std::find_if(facts.cbegin(), facts.cend(),
                                    [&](const NodeFacts &node) { return node.node->name() == nodeName; });
    const NodeConfig *node = found == facts.cend() ? nullptr : found->node;
    QMap<File, QByteArray> merged;
    for (const File file : NodeConfig::AllFiles) {
        if (node && node->has(file))
            merged.insert(file, node->bytes(file));
    }
    for (auto it = files.cbegin(); it != files.cend(); ++it) {
        const auto file = std::find_if(std::cbegin(NodeConfig::AllFiles), std::cend(NodeConfig::AllFiles),
                                       [&](File known) { return NodeConfig::relativePath(known) == it.key(); });
        if (file == std::cend(NodeConfig::AllFiles)) {
            *error = PlanText::tr("%1: %2 is not a configuration file Tribune knows").arg(nodeName, it.key());
            return std::nullopt;
        }
        merged.insert(*file, it.value());
    }
    // A new node sits beside the others, as a cluster folder holds them.
    const QString home = node ? node->homePath()
        : cluster.nodes().empty() ? nodeName
                                  : QFileInfo(cluster.nodes().front().homePath()).dir().filePath(nodeName);
    QList<ConfigError> parseErrors;
    std::optional<NodeConfig> changed = NodeConfig::fromFiles(home, merged, &parseErrors);
    if (!changed) {
        *error = parseErrors.value(0).toString();
        return std::nullopt;
    }
    NodePlan plan;
    plan.node = nodeName;
    plan.templateNode = nodeName;
    plan.server = node ? found->server : QString();
    const NodeFacts after = NodeFacts::of(*changed);
    plan.offset = after.offset;
    plan.memberPort = after.memberPort;
    plan.subDomain = after.subDomain;
    for (auto it = merged.cbegin(); it != merged.cend(); ++it) {
        const QByteArray before = node ? node->bytes(it.key()) : QByteArray();
        if (it.value() != before)
            plan.files.append({NodeConfig::relativePath(it.key()), before, it.value(), {}});
    }
    if (planned)
        *planned = *changed;
    judge(&plan, cluster, facts, std::move(*changed), nullptr);
    return plan;
}

} // namespace Tribune::Planner
