#include "configsetcommand.h"

#include "clustersource.h"
#include "commandline.h"

#include "cluster/findingsreport.h"
#include "planner/nodeplan.h"
#include "planner/planapplier.h"
#include "planner/typededit.h"
#include "i18n/trcontexts.h"

#include <QCommandLineParser>
#include <QJsonObject>
#include <QTextStream>

namespace Tribune::Cli {

namespace {

// Pushes the plan's files to the member's agent; the agent checks them again and keeps a backup.
int push(const Planner::NodePlan &plan, const QString &member, const AgentConnection &seed, QTextStream &out,
         QTextStream &err)
{
    QString error;
    const std::optional<Protocol::AgentClient::Endpoint> endpoint = Protocol::AgentClient::parseEndpoint(member, &error);
    if (!endpoint) {
        err << error << Qt::endl;
        return Failed;
    }
    QMap<QString, QByteArray> files;
    for (const Planner::PlannedFile &file : plan.files)
        files.insert(file.path, file.after);
    QObject context;
    Planner::pushFiles(*endpoint, seed.keys, seed.role, seed.tls, files, &context, [&](bool ok, const QString &message, int) {
        (ok ? out : err) << CliText::tr("%1 (%2): %3").arg(plan.node, member, message) << Qt::endl;
        QCoreApplication::exit(ok ? Ok : Failed);
    });
    return QCoreApplication::exec();
}

} // namespace

int runConfigSet(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(CliText::tr("Changes one node's files of the running cluster by typed edits, validated "
                                                 "against the whole cluster before anything is written."));
    parser.addPositionalArgument(QStringLiteral("EDIT"), CliText::tr("FILE:KEY=VALUE, e.g. axis2.xml:localMemberPort=4010."),
                                 QStringLiteral("EDIT..."));
    ClusterSource source;
    source.addTo(parser);
    const QCommandLineOption node(QStringLiteral("node"), CliText::tr("The node to change: its name or HOST:PORT."),
                                  QStringLiteral("NODE"));
    const QCommandLineOption dryRun(QStringLiteral("dry-run"), CliText::tr("Show the plan; write nothing."));
    parser.addOptions({node, dryRun});
    int exitCode = Ok;
    if (!parseCommandLine(parser, QStringLiteral("config set"), arguments, out, err, &exitCode))
        return exitCode;
    QList<Planner::TypedEdit> edits;
    for (const QString &text : parser.positionalArguments()) {
        QString error;
        const std::optional<Planner::TypedEdit> edit = Planner::parseTypedEdit(text, &error);
        if (!edit) {
            err << CliText::tr("config set: %1").arg(error) << Qt::endl;
            return Usage;
        }
        edits.append(*edit);
    }
    if (edits.isEmpty() || !parser.isSet(node) || !parser.isSet(source.seedOptions().endpoint)) {
        err << CliText::tr("config set: use --seed S --key-file K --node NODE FILE:KEY=VALUE...; see --help") << Qt::endl;
        return Usage;
    }
    QList<Config::ConfigError> inputErrors;
    const std::optional<ClusterConfig> cluster = source.load(parser, {}, err, &inputErrors);
    if (!cluster) {
        err << inputErrorsAsText(inputErrors);
        return Usage;
    }
    const QString nodeName = source.nodeNamed(parser.value(node));
    QString error;
    const std::optional<Planner::NodePlan> plan = Planner::planNodeEdit(*cluster, nodeName, edits, &error);
    if (!plan) {
        err << CliText::tr("config set: %1").arg(error) << Qt::endl;
        return Usage;
    }
    out << plan->diff();
    QList<Finding> brought = plan->newFindings;
    for (Finding &finding : brought)
        finding.file = source.displayName(finding.file);
    if (!brought.isEmpty())
        out << CliText::tr("What the change brings:") << '\n' << findingsAsText(brought, int(cluster->nodes().size()));
    if (plan->blocked()) {
        err << CliText::tr("config set: not written: the change would bring errors to the cluster") << Qt::endl;
        return Failed;
    }
    if (plan->files.isEmpty()) {
        out << CliText::tr("Nothing to change.") << Qt::endl;
        return Ok;
    }
    if (parser.isSet(dryRun))
        return Ok;
    const std::optional<AgentConnection> seed = agentConnectionFrom(parser, source.seedOptions(), err);
    return seed ? push(*plan, source.memberOf(nodeName), *seed, out, err) : Usage;
}

} // namespace Tribune::Cli
