// Datasources: every JNDI name a file refers to exists, and every datasource is used.
#include "validationcontext.h"

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
                               tr("dbConfig \"%1\"").arg(config.name)});
    }
    if (const auto &userMgt = node.userMgt()) {
        const UserMgtSettings settings = userMgt->settings();
        if (!settings.dataSource.isEmpty())
            references.append({settings.dataSource, node.filePath(NodeConfig::File::UserMgt), settings.dataSourceLine,
                               tr("the user store")});
    }
    return references;
}

} // namespace

void checkDatasources(const ValidationContext &context, FindingSink &sink)
{
    for (const NodeFacts &node : context.facts) {
        const QList<Datasource> datasources =
            node.node->datasources() ? node.node->datasources()->datasources() : QList<Datasource>();
        const QList<Reference> references = referencesOf(*node.node);
        QSet<QString> defined;
        for (const Datasource &source : datasources)
            defined.insert(source.jndiName);
        QSet<QString> used;
        for (const Reference &reference : references) {
            used.insert(reference.jndiName);
            if (defined.contains(reference.jndiName))
                continue;
            sink.add(Severity::Error, QStringLiteral("unknown-datasource"), &node, reference.file, reference.line,
                     tr("%1 uses datasource %2, which master-datasources.xml does not define")
                         .arg(reference.what, reference.jndiName),
                     tr("add a datasource with <jndiConfig><name>%1</name> or correct the reference")
                         .arg(reference.jndiName));
        }
        for (const Datasource &source : datasources) {
            if (used.contains(source.jndiName))
                continue;
            sink.add(Severity::Warning, QStringLiteral("unused-datasource"), &node,
                     node.node->filePath(NodeConfig::File::Datasources), source.jndiLine ? source.jndiLine : source.line,
                     tr("datasource %1 (%2) is referred to by no registry dbConfig and not by user-mgt.xml")
                         .arg(source.name, source.jndiName),
                     tr("remove it, or refer to it where it is meant to be used"));
        }
    }
}

} // namespace Tribune::Rules
