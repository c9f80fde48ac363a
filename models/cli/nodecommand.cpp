#include "nodecommand.h"

#include "nodeapplycommand.h"

#include "clustersource.h"
#include "commandline.h"

#include "cluster/findingsreport.h"
#include "planner/nodeplan.h"
#include "planner/planfolder.h"
#include "i18n/trcontexts.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTextStream>

namespace Tribune::Cli {

namespace {

QJsonObject planAsJson(const Planner::NodePlan &plan, const QString &host, const ClusterSource &source)
{
    QJsonArray files;
    for (const Planner::PlannedFile &file : plan.files)
        files.append(file.path);
    QJsonArray findings;
    for (const Finding &finding : plan.newFindings)
        findings.append(QJsonObject{{QStringLiteral("severity"), severityName(finding.severity)},
                                    {QStringLiteral("rule"), finding.rule},
                                    {QStringLiteral("node"), finding.node},
                                    {QStringLiteral("file"), source.displayName(finding.file)},
                                    {QStringLiteral("line"), finding.line},
                                    {QStringLiteral("message"), finding.message},
                                    {QStringLiteral("fix"), finding.fix}});
    return {{QStringLiteral("node"), plan.node},
            {QStringLiteral("like"), plan.templateNode},
            {QStringLiteral("host"), host},
            {QStringLiteral("server"), plan.server},
            {QStringLiteral("offset"), plan.offset},
            {QStringLiteral("memberPort"), plan.memberPort},
            {QStringLiteral("subDomain"), plan.subDomain},
            {QStringLiteral("localRegistryDatabase"), plan.localRegistryDatabase},
            {QStringLiteral("files"), files},
            {QStringLiteral("blocked"), plan.blocked()},
            {QStringLiteral("findings"), findings}};
}

} // namespace

int runNode(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    if (arguments.value(0) == u"apply")
        return runNodeApply(arguments, out, err);
    QCommandLineParser parser;
    parser.setApplicationDescription(CliText::tr("Plans a new node like an existing one: free ports on its server, its "
                                                 "own local registry, the diff and the whole cluster's findings."));
    parser.addPositionalArgument(QStringLiteral("plan"), CliText::tr("The action: plan."));
    parser.addPositionalArgument(QStringLiteral("PATH"), CliText::tr("The cluster's folder (or node folders), unless --seed."),
                                 QStringLiteral("[PATH...]"));
    ClusterSource source;
    source.addTo(parser);
    const QCommandLineOption like(QStringLiteral("like"), CliText::tr("The node to take as a template."), QStringLiteral("NODE"));
    const QCommandLineOption host(QStringLiteral("host"), CliText::tr("The new node's host: an address or a name."),
                                  QStringLiteral("HOST"));
    const QCommandLineOption name(QStringLiteral("name"), CliText::tr("The new node's folder name (default: NODE-2, ...)."),
                                  QStringLiteral("NAME"));
    const QCommandLineOption subDomain(QStringLiteral("sub-domain"), CliText::tr("Its sub-domain (default: the template's)."),
                                       QStringLiteral("SUB"));
    const QCommandLineOption outDir(QStringLiteral("out"), CliText::tr("Write DIR/plan.json and DIR/NAME/repository/conf/ (or the same as "
                                                                       "an archive, when DIR ends in .tar.gz)."),
                                    QStringLiteral("DIR"));
    const QCommandLineOption json(QStringLiteral("json"), CliText::tr("Print the plan as one JSON document."));
    const QCommandLineOption set(QStringLiteral("set"),
                                 CliText::tr("Override a planned value: FILE:KEY=VALUE (see docs/TYPED-EDITS.md); repeatable."),
                                 QStringLiteral("FILE:KEY=VALUE"));
    parser.addOptions({like, host, name, subDomain, set, outDir, json});
    int exitCode = Ok;
    if (!parseCommandLine(parser, QStringLiteral("node"), arguments, out, err, &exitCode))
        return exitCode;
    const QStringList positional = parser.positionalArguments();
    if (positional.value(0) != u"plan" || !parser.isSet(like) || !parser.isSet(host)) {
        err << CliText::tr("node: use plan [PATH...|--seed S --key-file K] --like NODE --host HOST; see --help") << Qt::endl;
        return Usage;
    }
    QList<Config::ConfigError> inputErrors;
    const std::optional<ClusterConfig> cluster = source.load(parser, positional.mid(1), err, &inputErrors);
    if (!cluster) {
        err << inputErrorsAsText(inputErrors);
        return Usage;
    }
    QString error;
    QList<Planner::TypedEdit> edits;
    for (const QString &text : parser.values(set)) {
        const std::optional<Planner::TypedEdit> edit = Planner::parseTypedEdit(text, &error);
        if (!edit) {
            err << CliText::tr("node plan: --set: %1").arg(error) << Qt::endl;
            return Usage;
        }
        edits.append(*edit);
    }
    const std::optional<Planner::NodePlan> plan = Planner::planNodeLike(
        *cluster, {parser.value(like), parser.value(host), parser.value(name), parser.value(subDomain), edits}, &error);
    if (!plan) {
        err << CliText::tr("node plan: %1").arg(error) << Qt::endl;
        return Usage;
    }
    const QJsonObject document = planAsJson(*plan, parser.value(host), source);
    if (parser.isSet(outDir) && !Planner::PlanFolder::of(*plan, document).write(parser.value(outDir), &error)) {
        err << CliText::tr("node plan: %1").arg(error) << Qt::endl;
        return Failed;
    }
    if (parser.isSet(json)) {
        printJson(out, document);
    } else {
        out << CliText::tr("New node %1 like %2 on server %3:").arg(plan->node, plan->templateNode, plan->server) << '\n'
            << CliText::tr("  localMemberHost %1, membership port %2, port offset %3, sub-domain %4")
                   .arg(parser.value(host))
                   .arg(plan->memberPort)
                   .arg(plan->offset)
                   .arg(plan->subDomain.isEmpty() ? CliText::tr("(default)") : plan->subDomain)
            << '\n';
        if (!plan->localRegistryDatabase.isEmpty())
            out << CliText::tr("  local registry on a database of its own: %1").arg(plan->localRegistryDatabase) << '\n';
        out << '\n' << plan->diff() << '\n';
        QList<Finding> brought = plan->newFindings;
        for (Finding &finding : brought)
            finding.file = source.displayName(finding.file);
        out << (brought.isEmpty() ? CliText::tr("The plan brings no finding.") : CliText::tr("What the plan brings:")) << '\n';
        if (!brought.isEmpty())
            out << findingsAsText(brought, int(cluster->nodes().size()) + 1);
    }
    return plan->blocked() ? Failed : Ok;
}

} // namespace Tribune::Cli
