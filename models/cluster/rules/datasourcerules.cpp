// Datasources: every JNDI name a file refers to exists, every datasource is used (or belongs to a
// product whose use cannot be seen), and workers keep users where their managers do.
#include "validationcontext.h"
#include "i18n/trcontexts.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>

namespace Tribune::Rules {

using namespace Config;

namespace {

struct Reference
{
    QString jndiName;
    QString file;
    int line = 0;
    QString what;
};

QList<Reference> referencesOf(const NodeConfig &node)
{
    QList<Reference> references;
    if (const auto &registry = node.registry()) {
        for (const RegistryDbConfig &config : registry->settings().dbConfigs)
            references.append({config.dataSource, node.filePath(NodeConfig::File::Registry), config.line,
                               ValidatorText::tr("dbConfig \"%1\"").arg(config.name)});
    }
    if (const auto &userMgt = node.userMgt()) {
        const UserMgtSettings settings = userMgt->settings();
        if (!settings.dataSource.isEmpty())
            references.append({settings.dataSource, node.filePath(NodeConfig::File::UserMgt), settings.dataSourceLine,
                               ValidatorText::tr("the user store")});
    }
    return references;
}

// Datasources that belong to a product whose files Tribune does not read: their users cannot be
// seen, so "unused" would be a guess.
QString foreignProductOf(const Datasource &source)
{
    const QString name = source.name.toUpper() + QLatin1Char(' ') + source.jndiName.toUpper();
    static const QRegularExpression apiManager(QStringLiteral("(WSO2AM|APIM|\\bAM_)"));
    if (apiManager.match(name).hasMatch())
        return ValidatorText::tr("API Manager");
    if (name.contains(u"MB_STORE") || name.contains(u"WSO2_MB"))
        return ValidatorText::tr("Message Broker");
    if (name.contains(u"BPS"))
        return ValidatorText::tr("Business Process Server");
    if (name.contains(u"ANALYTICS") || name.contains(u"BAM"))
        return ValidatorText::tr("Analytics");
    return {};
}

// The database identity the user store of a node reaches, or empty.
QString userStoreDatabase(const NodeFacts &node, const QList<Datasource> &datasources)
{
    if (!node.node->userMgt())
        return {};
    const QString jndi = node.node->userMgt()->settings().dataSource;
    for (const Datasource &source : datasources) {
        if (source.jndiName == jndi)
            return databaseIdentity(source.url, node.node->homePath());
    }
    return {};
}

QList<Datasource> datasourcesOf(const NodeFacts &node)
{
    return node.node->datasources() ? node.node->datasources()->datasources() : QList<Datasource>();
}

// Managers and workers of one domain keep users in one database: a worker whose user store stays
// on its local database knows none of the users the manager adds (the ESB guide changes only the
// manager's user-mgt.xml). Returns, per node, the shared user database it should use.
QHash<const NodeFacts *, QString> checkSharedUserStores(const ValidationContext &context, FindingSink &sink)
{
    QHash<QString, QString> managersDatabase; // domain -> the manager's user database
    for (const NodeFacts &node : context.facts) {
        if (node.role == NodeFacts::Role::Manager && !managersDatabase.contains(node.domain)) {
            const QString database = userStoreDatabase(node, datasourcesOf(node));
            if (!database.isEmpty() && !database.contains(u":file:"))
                managersDatabase.insert(node.domain, database);
        }
    }
    QHash<const NodeFacts *, QString> expected;
    for (const NodeFacts &node : context.facts) {
        if (node.role != NodeFacts::Role::Worker || !managersDatabase.contains(node.domain) || !node.node->userMgt())
            continue;
        const QString shared = managersDatabase.value(node.domain);
        const QList<Datasource> datasources = datasourcesOf(node);
        const QString mine = userStoreDatabase(node, datasources);
        if (mine.isEmpty() || mine == shared)
            continue;
        expected.insert(&node, shared);
        const Datasource *candidate = nullptr;
        for (const Datasource &source : datasources) {
            if (databaseIdentity(source.url, node.node->homePath()) == shared)
                candidate = &source;
        }
        const UserMgtSettings settings = node.node->userMgt()->settings();
        sink.add(Severity::Error, QStringLiteral("worker-user-store-not-shared"), &node,
                 node.node->filePath(NodeConfig::File::UserMgt), settings.dataSourceLine,
                 ValidatorText::tr("the user store is on %1, but the managers of %2 keep users in %3: users added on a manager "
                                   "cannot log in here")
                     .arg(mine, node.domain, shared),
                 candidate ? ValidatorText::tr("set <Property name=\"dataSource\"> to %1, this node's datasource for %2")
                                 .arg(candidate->jndiName, shared)
                           : ValidatorText::tr("add a datasource for %1 to master-datasources.xml and point <Property "
                                               "name=\"dataSource\"> at it")
                                 .arg(shared));
    }
    return expected;
}

// Whether a datasource is the shared user database a worker's user store should use.
bool isSharedUserDatabase(const QHash<const NodeFacts *, QString> &shared, const NodeFacts &node, const Datasource &source)
{
    const auto it = shared.constFind(&node);
    return it != shared.cend() && *it == databaseIdentity(source.url, node.node->homePath());
}

} // namespace

void checkDatasources(const ValidationContext &context, FindingSink &sink)
{
    const QHash<const NodeFacts *, QString> sharedUserDatabases = checkSharedUserStores(context, sink);
    for (const NodeFacts &node : context.facts) {
        const QList<Datasource> datasources = datasourcesOf(node);
        const QList<Reference> references = referencesOf(*node.node);
        QSet<QString> defined;
        for (const Datasource &source : datasources)
            defined.insert(source.jndiName);
        QSet<QString> used;
        for (const Reference &reference : references)
            used.insert(reference.jndiName);
        // A reference to nothing and a datasource nothing refers to are most likely one mistake:
        // the unused ones are offered as what the reference meant, not reported again.
        QStringList unused;
        for (const Datasource &source : datasources) {
            if (!used.contains(source.jndiName) && foreignProductOf(source).isEmpty()
                && !isSharedUserDatabase(sharedUserDatabases, node, source))
                unused.append(source.jndiName);
        }
        bool offeredUnused = false;
        for (const Reference &reference : references) {
            if (defined.contains(reference.jndiName))
                continue;
            offeredUnused |= !unused.isEmpty();
            sink.add(Severity::Error, QStringLiteral("unknown-datasource"), &node, reference.file, reference.line,
                     ValidatorText::tr("%1 uses datasource %2, which master-datasources.xml does not define")
                         .arg(reference.what, reference.jndiName),
                     unused.isEmpty()
                         ? ValidatorText::tr("add a datasource with <jndiConfig><name>%1</name> or correct the reference")
                               .arg(reference.jndiName)
                         : ValidatorText::tr("correct the reference to %1, defined and used nowhere else, or add a datasource with "
                                             "<jndiConfig><name>%2</name>")
                               .arg(unused.join(ValidatorText::tr(" or ")), reference.jndiName));
        }
        for (const Datasource &source : datasources) {
            if (used.contains(source.jndiName) || (offeredUnused && unused.contains(source.jndiName)))
                continue;
            // The datasource the user store should use is part of that finding, not one of its own.
            if (isSharedUserDatabase(sharedUserDatabases, node, source))
                continue;
            const QString file = node.node->filePath(NodeConfig::File::Datasources);
            const int line = source.jndiLine ? source.jndiLine : source.line;
            if (const QString product = foreignProductOf(source); !product.isEmpty()) {
                sink.add(Severity::Info, QStringLiteral("datasource-use-unknown"), &node, file, line,
                         ValidatorText::tr("datasource %1 (%2) belongs to %3, whose files Tribune does not read, so whether it is "
                                           "used cannot be told")
                             .arg(source.name, source.jndiName, product),
                         ValidatorText::tr("nothing to do if %1 runs on this node; otherwise it may go").arg(product));
                continue;
            }
            sink.add(Severity::Warning, QStringLiteral("unused-datasource"), &node, file, line,
                     ValidatorText::tr("datasource %1 (%2) is referred to by no registry dbConfig and not by user-mgt.xml")
                         .arg(source.name, source.jndiName),
                     ValidatorText::tr("remove it, or refer to it where it is meant to be used"));
        }
    }
}

} // namespace Tribune::Rules
