#include "dbcommand.h"

#include "clustersource.h"
#include "commandline.h"

#include "cluster/nodeconfig.h"
#include "config/configerror.h"
#include "planner/datasourcecheck.h"
#include "i18n/trcontexts.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTextStream>

namespace Tribune::Cli {

int runDb(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(CliText::tr("Checks a node's databases: reachable, credentials, database, registry "
                                                 "tables; creates missing ones when asked."));
    parser.addPositionalArgument(QStringLiteral("check"), CliText::tr("The action: check."));
    const QCommandLineOption nodeDir(QStringLiteral("node-dir"), CliText::tr("The node's CARBON_HOME or repository/conf."),
                                     QStringLiteral("DIR"));
    const QCommandLineOption create(QStringLiteral("create"),
                                    CliText::tr("Create missing databases and grant their users (needs --admin-user; the "
                                                "password is read from standard input)."));
    const QCommandLineOption adminUser(QStringLiteral("admin-user"), CliText::tr("The database administrator."),
                                       QStringLiteral("USER"));
    const QCommandLineOption json(QStringLiteral("json"), CliText::tr("Print one JSON document."));
    const QCommandLineOption node(QStringLiteral("node"), CliText::tr("With --seed: the live node, by name or HOST:PORT."),
                                  QStringLiteral("NODE"));
    parser.addOptions({nodeDir, create, adminUser, json, node});
    ClusterSource source;
    source.addTo(parser);
    int exitCode = Ok;
    if (!parseCommandLine(parser, QStringLiteral("db"), arguments, out, err, &exitCode))
        return exitCode;
    const bool live = parser.isSet(source.seedOptions().endpoint);
    if (parser.positionalArguments() != QStringList{QStringLiteral("check")} || live == parser.isSet(nodeDir)
        || live != parser.isSet(node) || (parser.isSet(create) && !parser.isSet(adminUser))) {
        err << CliText::tr("db: use check --node-dir DIR, or check --seed S --key-file K --node NODE, [--create --admin-user "
                           "USER]; see --help")
            << Qt::endl;
        return Usage;
    }
    // The node's datasources: from its folder, or from its agent through the running cluster.
    std::optional<ClusterConfig> cluster;
    std::optional<NodeConfig> local;
    const NodeConfig *chosen = nullptr;
    QList<Config::ConfigError> errors;
    if (live) {
        cluster = source.load(parser, {}, err, &errors);
        if (cluster) {
            const QString name = source.nodeNamed(parser.value(node));
            for (const NodeConfig &candidate : cluster->nodes()) {
                if (candidate.name() == name)
                    chosen = &candidate;
            }
            if (!chosen)
                errors.append({parser.value(node), 0, 0, CliText::tr("no such node in the running cluster")});
        }
    } else {
        local = NodeConfig::load(parser.value(nodeDir), &errors);
        chosen = local ? &*local : nullptr;
    }
    if (!chosen || !chosen->datasources()) {
        err << (chosen ? CliText::tr("%1: the node has no master-datasources.xml").arg(chosen->name())
                       : errors.isEmpty() ? CliText::tr("db: the node could not be read") : errors.value(0).toString())
            << Qt::endl;
        return Usage;
    }
    const QList<Config::Datasource> datasources = chosen->datasources()->datasources();
    QList<Planner::DatasourceCheck> checks = Planner::checkDatasources(datasources);
    if (parser.isSet(create)) {
        // The administrator's password: standard input, never the command line.
        QFile input;
        if (!input.open(stdin, QIODevice::ReadOnly)) {
            err << CliText::tr("db: cannot read the administrator's password from standard input") << Qt::endl;
            return Usage;
        }
        QByteArray line = input.readLine();
        while (line.endsWith('\n') || line.endsWith('\r'))
            line.chop(1);
        const QString password = QString::fromUtf8(line);
        for (qsizetype i = 0; i < checks.size(); ++i) {
            // Never for a refused password: granting would reset it to the one in the file.
            const Planner::DatasourceCheck::Status status = checks.at(i).status;
            if (status != Planner::DatasourceCheck::Status::NoDatabase
                && status != Planner::DatasourceCheck::Status::NoPrivileges)
                continue;
            QString error;
            if (Planner::createDatabase(datasources.at(i), parser.value(adminUser), password, &error))
                out << CliText::tr("%1: created database %2 and granted %3").arg(checks.at(i).datasource, checks.at(i).database,
                                                                       checks.at(i).user)
                    << Qt::endl;
            else
                err << CliText::tr("%1: %2").arg(checks.at(i).datasource, error) << Qt::endl;
        }
        checks = Planner::checkDatasources(datasources);
    }
    bool allReady = true;
    QJsonArray results;
    for (const Planner::DatasourceCheck &check : std::as_const(checks)) {
        allReady = allReady && (check.ok() || check.status == Planner::DatasourceCheck::Status::NotMySql);
        results.append(QJsonObject{{QStringLiteral("datasource"), check.datasource},
                                   {QStringLiteral("status"), Planner::statusName(check.status)},
                                   {QStringLiteral("host"), check.host},
                                   {QStringLiteral("port"), check.port},
                                   {QStringLiteral("database"), check.database},
                                   {QStringLiteral("user"), check.user},
                                   {QStringLiteral("registryTables"), check.registryTables},
                                   {QStringLiteral("userStoreTables"), check.userStoreTables},
                                   {QStringLiteral("message"), check.message}});
        if (!parser.isSet(json))
            out << QStringLiteral("%1: %2 — %3\n").arg(check.datasource, Planner::statusName(check.status), check.message);
    }
    if (parser.isSet(json))
        printJson(out, QJsonObject{{QStringLiteral("datasources"), results}});
    return allReady ? Ok : Failed;
}

} // namespace Tribune::Cli
