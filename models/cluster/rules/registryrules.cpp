// Registries: workers read the shared registry, managers write it; every member mounts config and
// governance from one shared database; local registries stay private; cache ids stay distinct.
#include "validationcontext.h"
#include "i18n/trcontexts.h"

#include <QHash>
#include <QMap>
#include <QSet>

#include <optional>

namespace Tribune::Rules {

using namespace Config;

namespace {

const QStringList RequiredMounts = {QStringLiteral("/_system/config"), QStringLiteral("/_system/governance")};

QString registryFile(const NodeFacts &node)
{
    return node.node->filePath(NodeConfig::File::Registry);
}

// The remote instances this node's mounts go through.
QList<RegistryRemoteInstance> mountedInstances(const RegistrySettings &registry)
{
    QList<RegistryRemoteInstance> instances;
    for (const RegistryRemoteInstance &instance : registry.remoteInstances) {
        for (const RegistryMount &mount : registry.mounts) {
            if (mount.instanceId == instance.id) {
                instances.append(instance);
                break;
            }
        }
    }
    return instances;
}

void checkReadOnly(const NodeFacts &node, const RegistrySettings &registry, FindingSink &sink)
{
    const bool worker = node.role == NodeFacts::Role::Worker;
    if (!worker && node.role != NodeFacts::Role::Manager)
        return;
    for (const RegistryRemoteInstance &instance : mountedInstances(registry)) {
        if (worker && !instance.readOnly)
            sink.add(Severity::Error, QStringLiteral("worker-registry-writable"), &node, registryFile(node),
                     instance.readOnlyLine ? instance.readOnlyLine : instance.line,
                     ValidatorText::tr("worker mounts the shared registry \"%1\" read-write; only the manager may write it")
                         .arg(instance.id),
                     ValidatorText::tr("set <readOnly>true</readOnly> in <remoteInstance> %1").arg(instance.id));
        else if (!worker && instance.readOnly)
            sink.add(Severity::Error, QStringLiteral("manager-registry-read-only"), &node, registryFile(node),
                     instance.readOnlyLine ? instance.readOnlyLine : instance.line,
                     ValidatorText::tr("manager mounts the shared registry \"%1\" read-only, so deployments cannot be stored")
                         .arg(instance.id),
                     ValidatorText::tr("set <readOnly>false</readOnly> in <remoteInstance> %1").arg(instance.id));
    }
}

void checkReferences(const NodeFacts &node, const RegistrySettings &registry, FindingSink &sink)
{
    for (const QString &path : RequiredMounts) {
        if (!registry.mount(path))
            sink.add(Severity::Error, QStringLiteral("missing-mount"), &node, registryFile(node), 0,
                     ValidatorText::tr("no mount for %1, so this node keeps it in its local registry").arg(path),
                     ValidatorText::tr("add <mount path=\"%1\" overwrite=\"true\"> pointing at the shared remote instance").arg(path));
    }
    for (const RegistryMount &mount : registry.mounts) {
        if (!registry.remoteInstance(mount.instanceId))
            sink.add(Severity::Error, QStringLiteral("unknown-remote-instance"), &node, registryFile(node), mount.line,
                     ValidatorText::tr("mount %1 names remote instance \"%2\", which is not defined").arg(mount.path, mount.instanceId),
                     ValidatorText::tr("define a <remoteInstance> with <id>%1</id> or correct <instanceId>").arg(mount.instanceId));
    }
    for (const RegistryRemoteInstance &instance : registry.remoteInstances) {
        if (!registry.dbConfig(instance.dbConfig))
            sink.add(Severity::Error, QStringLiteral("unknown-db-config"), &node, registryFile(node), instance.line,
                     ValidatorText::tr("remote instance \"%1\" uses dbConfig \"%2\", which is not defined")
                         .arg(instance.id, instance.dbConfig),
                     ValidatorText::tr("add <dbConfig name=\"%1\"> or correct <dbConfig>").arg(instance.dbConfig));
    }
}

// Within a domain, every member must mount config and governance from the same database.
void checkSharedDatabases(const ValidationContext &context, FindingSink &sink)
{
    // domain -> mount path -> database -> nodes
    QMap<QString, QMap<QString, QMap<QString, QList<const NodeFacts *>>>> usage;
    for (const NodeFacts &node : context.facts) {
        if (!context.isMember(node))
            continue;
        for (auto it = node.mountDatabases.cbegin(); it != node.mountDatabases.cend(); ++it) {
            if (!it.value().isEmpty())
                usage[node.domain][it.key()][it.value()].append(&node);
        }
    }
    for (auto domain = usage.cbegin(); domain != usage.cend(); ++domain) {
        for (auto path = domain->cbegin(); path != domain->cend(); ++path) {
            if (path->size() < 2)
                continue;
            // The database most nodes use is taken as the intended one.
            QString majority;
            qsizetype most = 0;
            for (auto database = path->cbegin(); database != path->cend(); ++database) {
                if (database->size() > most) {
                    most = database->size();
                    majority = database.key();
                }
            }
            for (auto database = path->cbegin(); database != path->cend(); ++database) {
                if (database.key() == majority)
                    continue;
                for (const NodeFacts *node : *database) {
                    const RegistrySettings settings = node->node->registry()->settings(); // mount() points into it
                    const RegistryMount *mount = settings.mount(path.key());
                    sink.add(Severity::Error, QStringLiteral("shared-registry-diverges"), node, registryFile(*node),
                             mount ? mount->line : 0,
                             ValidatorText::tr("mount %1 reaches database %2, but the other members of %3 share %4")
                                 .arg(path.key(), database.key(), domain.key(), majority),
                             ValidatorText::tr("point the remote instance's dbConfig at the datasource for %1").arg(majority));
                }
            }
        }
    }
}

void checkLocalDatabases(const ValidationContext &context, FindingSink &sink)
{
    // Names no datasource of the cluster uses yet, so that two nodes are never told the same one.
    LocalRegistryNames freshNames(context.cluster);
    QHash<QString, const NodeFacts *> owners;
    for (const NodeFacts &node : context.facts) {
        if (node.localRegistryDatabase.isEmpty())
            continue;
        const NodeFacts *first = owners.value(node.localRegistryDatabase);
        if (!first) {
            owners.insert(node.localRegistryDatabase, &node);
            continue;
        }
        sink.add(Severity::Error, QStringLiteral("local-registry-shared"), &node, registryFile(node),
                 node.localRegistryLine,
                 ValidatorText::tr("the local registry database %1 is also node %2's local registry; local registries must not "
                                   "be shared")
                     .arg(node.localRegistryDatabase, first->node->name()),
                 ValidatorText::tr("create a database of its own for this node (e.g. %1) and point the datasource of "
                                   "currentDBConfig at it")
                     .arg(freshNames.next()));
    }
}

// The datasource a registry dbConfig leads to on this node, or nullptr.
const Datasource *datasourceOf(const RegistrySettings &registry, const QString &dbConfigName,
                               const QList<Datasource> &datasources)
{
    const RegistryDbConfig *config = registry.dbConfig(dbConfigName);
    if (!config)
        return nullptr;
    for (const Datasource &source : datasources) {
        if (source.jndiName == config->dataSource)
            return &source;
    }
    return nullptr;
}

// A remote instance's cacheId names the database its entries come from, as user@jdbc-url, so
// that nodes sharing one database share cached entries and no two databases share a cache.
void checkCacheIds(const ValidationContext &context, FindingSink &sink)
{
    struct Owner
    {
        const NodeFacts *node;
        QString database;
    };
    QHash<QString, Owner> owners; // cacheId -> first instance using it
    struct Use
    {
        const NodeFacts *node;
        QString cacheId;
        int line;
    };
    QMap<QString, QList<Use>> wellFormedByDatabase; // database -> the right-shaped cache ids naming it
    for (const NodeFacts &node : context.facts) {
        if (!node.node->registry())
            continue;
        const RegistrySettings registry = node.node->registry()->settings();
        const QList<Datasource> datasources =
            node.node->datasources() ? node.node->datasources()->datasources() : QList<Datasource>();
        for (const RegistryRemoteInstance &instance : registry.remoteInstances) {
            const Datasource *source = datasourceOf(registry, instance.dbConfig, datasources);
            if (instance.cacheId.isEmpty() || !source)
                continue; // an undefined dbConfig or datasource is reported once, where it is named
            const QString database = databaseIdentity(source->url, node.node->homePath());
            const QString expected = source->username + QLatin1Char('@') + source->url;
            const QString cacheUser = instance.cacheId.section(u'@', 0, 0);
            const QString cacheUrl = instance.cacheId.section(u'@', 1);
            const bool wellFormed = cacheUser == source->username
                && databaseIdentity(cacheUrl, node.node->homePath()) == database;
            const int line = instance.cacheIdLine ? instance.cacheIdLine : instance.line;
            const std::optional<Owner> first =
                owners.contains(instance.cacheId) ? std::optional<Owner>(owners.value(instance.cacheId)) : std::nullopt;
            if (!first)
                owners.insert(instance.cacheId, {&node, database});
            // One cache id for two databases lets one registry's cached entries stand for the other's.
            if (first && first->database != database) {
                sink.add(Severity::Error, QStringLiteral("cache-id-collision"), &node, registryFile(node), line,
                         ValidatorText::tr("cacheId \"%1\" is also used by node %2 for another database (%3 here, %4 there)")
                             .arg(instance.cacheId, first->node->node->name(), database, first->database),
                         ValidatorText::tr("make cacheId name this instance's database, as user@jdbc-url: %1").arg(expected));
            } else if (wellFormed) {
                wellFormedByDatabase[database].append({&node, instance.cacheId, line});
            } else {
                sink.add(Severity::Warning, QStringLiteral("cache-id-mismatch"), &node, registryFile(node), line,
                         ValidatorText::tr("cacheId \"%1\" of remote instance %2 does not name the database it mounts, %3 as user "
                                           "%4 (datasource %5)")
                             .arg(instance.cacheId, instance.id, source->url, source->username, source->name),
                         ValidatorText::tr("set <cacheId> to %1, user@jdbc-url of that datasource").arg(expected));
            }
        }
    }
    // Nodes sharing one database share its cache only under one cacheId, written alike.
    for (auto database = wellFormedByDatabase.cbegin(); database != wellFormedByDatabase.cend(); ++database) {
        QHash<QString, int> count;
        for (const Use &use : *database)
            ++count[use.cacheId];
        if (count.size() < 2)
            continue;
        QString majority;
        for (const Use &use : *database) {
            if (majority.isEmpty() || count.value(use.cacheId) > count.value(majority))
                majority = use.cacheId;
        }
        const Use *example = nullptr;
        for (const Use &use : *database) {
            if (use.cacheId == majority && !example)
                example = &use;
        }
        for (const Use &use : *database) {
            if (use.cacheId == majority)
                continue;
            sink.add(Severity::Warning, QStringLiteral("cache-id-differs"), use.node, registryFile(*use.node), use.line,
                     ValidatorText::tr("cacheId \"%1\" names database %2, which node %3 caches as \"%4\": the two keep separate "
                                       "caches of one registry")
                         .arg(use.cacheId, database.key(), example->node->node->name(), majority),
                     ValidatorText::tr("set <cacheId> to %1, as the other nodes of that database have it").arg(majority));
        }
    }
}

} // namespace

void checkRegistry(const ValidationContext &context, FindingSink &sink)
{
    for (const NodeFacts &node : context.facts) {
        if (!context.isMember(node))
            continue;
        if (!node.node->registry()) {
            sink.add(Severity::Error, QStringLiteral("missing-mount"), &node, registryFile(node), 0,
                     ValidatorText::tr("the node has no registry.xml, so it shares no registry with the cluster"),
                     ValidatorText::tr("copy registry.xml from another member of %1").arg(node.domain));
            continue;
        }
        const RegistrySettings registry = node.node->registry()->settings();
        checkReadOnly(node, registry, sink);
        checkReferences(node, registry, sink);
    }
    checkSharedDatabases(context, sink);
    checkLocalDatabases(context, sink);
    checkCacheIds(context, sink);
}

} // namespace Tribune::Rules
