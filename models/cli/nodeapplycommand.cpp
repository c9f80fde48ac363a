#include "nodeapplycommand.h"

#include "clustersource.h"
#include "commandline.h"

#include "cluster/findingsreport.h"
#include "planner/planapplier.h"
#include "planner/planfolder.h"
#include "i18n/trcontexts.h"

#include <QCommandLineParser>
#include <QTextStream>

namespace Tribune::Cli {

int runNodeApply(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(CliText::tr("Pushes a plan (written by node plan --out) to the nodes it changes, with the "
                                                 "whole running cluster validated first, and follows the node into the "
                                                 "cluster: files written, joined, seen by every member, in HAProxy, UP."));
    parser.addPositionalArgument(QStringLiteral("apply"), CliText::tr("The action: apply."));
    ClusterSource source;
    source.addTo(parser);
    const QCommandLineOption planDir(QStringLiteral("plan"), CliText::tr("The plan: a folder, or its .tar.gz."), QStringLiteral("DIR"));
    const QCommandLineOption to(QStringLiteral("to"),
                                CliText::tr("The new node's provisioning agent (tribune-agent --provision --listen HOST:PORT)."),
                                QStringLiteral("HOST:PORT"));
    const QCommandLineOption lbSocket(QStringLiteral("lb-socket"),
                                      CliText::tr("HAProxy's admin socket (default: the one the load balancer's agent names)."),
                                      QStringLiteral("PATH|HOST:PORT"));
    const QCommandLineOption waitRequest(QStringLiteral("wait-request"),
                                         CliText::tr("Wait until HAProxy has sent the node a request."));
    const QCommandLineOption timeout(QStringLiteral("timeout"), CliText::tr("Give up after this long (default: 60)."),
                                     QStringLiteral("SECONDS"), QStringLiteral("60"));
    parser.addOptions({planDir, to, lbSocket, waitRequest, timeout});
    int exitCode = Ok;
    if (!parseCommandLine(parser, QStringLiteral("node apply"), arguments, out, err, &exitCode))
        return exitCode;
    bool timeoutOk = false;
    const double timeoutSeconds = parser.value(timeout).toDouble(&timeoutOk);
    if (!parser.isSet(planDir) || !parser.isSet(source.seedOptions().endpoint) || !timeoutOk || timeoutSeconds <= 0) {
        err << CliText::tr("node apply: use --seed S --key-file K --plan DIR [--to HOST:PORT] [--lb-socket PATH] "
                           "[--wait-request] [--timeout SECONDS]; see --help")
            << Qt::endl;
        return Usage;
    }
    QString error;
    const std::optional<Planner::PlanFolder> plan = Planner::PlanFolder::read(parser.value(planDir), &error);
    if (!plan) {
        err << CliText::tr("node apply: %1").arg(error) << Qt::endl;
        return Usage;
    }
    QList<Config::ConfigError> inputErrors;
    const std::optional<ClusterConfig> live = source.load(parser, {}, err, &inputErrors);
    if (!live) {
        err << inputErrorsAsText(inputErrors);
        return Usage;
    }
    const std::optional<AgentConnection> seed = agentConnectionFrom(parser, source.seedOptions(), err);
    if (!seed)
        return Usage;

    std::optional<Protocol::AgentClient::Endpoint> provisioningAgent;
    if (parser.isSet(to)) {
        provisioningAgent = Protocol::AgentClient::parseEndpoint(parser.value(to), &error);
        if (!provisioningAgent) {
            err << CliText::tr("node apply: --to: %1").arg(error) << Qt::endl;
            return Usage;
        }
    }
    // The plan names nodes as the cluster does; a member id names the node it is.
    Planner::PlanFolder named = *plan;
    named.nodes.clear();
    QMap<QString, QString> members;
    for (auto it = plan->nodes.cbegin(); it != plan->nodes.cend(); ++it) {
        const QString name = source.nodeNamed(it.key());
        named.nodes.insert(name, it.value());
    }
    for (const NodeConfig &node : live->nodes())
        members.insert(node.name(), source.memberOf(node.name()));
    std::optional<Planner::PreparedPlan> prepared = Planner::preparePlan(*live, members, named, provisioningAgent, &error);
    if (!prepared) {
        err << CliText::tr("node apply: %1").arg(error) << Qt::endl;
        return Usage;
    }
    for (Finding &finding : prepared->brought)
        finding.file = source.displayName(finding.file);
    if (!prepared->brought.isEmpty())
        out << CliText::tr("What the plan brings:") << '\n' << findingsAsText(prepared->brought, prepared->nodeCount);
    if (prepared->blocked()) {
        err << CliText::tr("node apply: nothing was pushed: the plan would bring errors to the cluster") << Qt::endl;
        return Failed;
    }

    Planner::PlanApplier applier({seed->endpoint, seed->keys, seed->role, seed->tls, parser.value(lbSocket),
                                  parser.isSet(waitRequest), int(timeoutSeconds * 1000), 50});
    QObject::connect(&applier, &Planner::PlanApplier::pushed, &applier,
                     [&](const QString &node, const QString &endpoint, bool ok, const QString &message) {
                         // The node followed into the cluster says so among its steps.
                         const Planner::Delivery &last = prepared->deliveries.constLast();
                         if (ok && (node != last.node || last.isLoadBalancer))
                             out << CliText::tr("%1 (%2): %3").arg(node, endpoint, message) << Qt::endl;
                     });
    QObject::connect(&applier, &Planner::PlanApplier::stepReached, &applier,
                     [&out](Planner::JoinWatcher::Step step, qint64 ms, const QString &detail) {
                         out << QStringLiteral("%1 ms").arg(ms, 7) << "  " << Planner::JoinWatcher::stepName(step)
                             << (detail.isEmpty() ? QString() : QLatin1String(": ") + detail) << Qt::endl;
                     });
    QObject::connect(&applier, &Planner::PlanApplier::finished, &applier, [&](bool ok, const QString &message) {
        (ok ? out : err) << (ok ? QString() : QStringLiteral("node apply: ")) << message << Qt::endl;
        QCoreApplication::exit(ok ? Ok : Failed);
    });
    applier.apply(*prepared);
    return QCoreApplication::exec();
}

} // namespace Tribune::Cli
