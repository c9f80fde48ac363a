#include "nodeapplycommand.h"

#include "clustersource.h"
#include "commandline.h"

#include "cluster/findingsreport.h"
#include "cluster/nodefacts.h"
#include "planner/joinwatcher.h"
#include "planner/nodeplan.h"
#include "planner/planfolder.h"

#include <QCommandLineParser>
#include <QTextStream>

#include <memory>

namespace Tribune::Cli {

namespace {

// One node's part of the plan: where its files go and whether it becomes another member.
struct Delivery
{
    QString node;
    QMap<QString, QByteArray> files;
    Protocol::AgentClient::Endpoint target;
    bool isNew = false;
    bool isLoadBalancer = false;
    bool movesMember = false; // its membership endpoint, domain or sub-domain changes
    QString memberId;         // what it will be, when its host is known
};

QString expectedMemberId(const ClusterConfig &cluster, const NodeConfig &node)
{
    const NodeFacts facts = NodeFacts::of(node);
    const QString server = facts.host.isEmpty() ? QString() : cluster.hosts().serverOf(facts.host);
    return server.isEmpty() ? QString() : server + QLatin1Char(':') + QString::number(facts.memberPort);
}

} // namespace

int runNodeApply(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Pushes a plan (written by node plan --out) to the nodes it changes, with the "
                                        "whole running cluster validated first, and follows the node into the "
                                        "cluster: files written, joined, seen by every member, in HAProxy, UP."));
    parser.addPositionalArgument(QStringLiteral("apply"), tr("The action: apply."));
    ClusterSource source;
    source.addTo(parser);
    const QCommandLineOption planDir(QStringLiteral("plan"), tr("The plan: a folder, or its .tar.gz."), QStringLiteral("DIR"));
    const QCommandLineOption to(QStringLiteral("to"),
                                tr("The new node's provisioning agent (tribune-agent --provision --listen HOST:PORT)."),
                                QStringLiteral("HOST:PORT"));
    const QCommandLineOption lbSocket(QStringLiteral("lb-socket"),
                                      tr("HAProxy's admin socket (default: the one the load balancer's agent names)."),
                                      QStringLiteral("PATH|HOST:PORT"));
    const QCommandLineOption waitRequest(QStringLiteral("wait-request"),
                                         tr("Wait until HAProxy has sent the node a request."));
    const QCommandLineOption timeout(QStringLiteral("timeout"), tr("Give up after this long (default: 60)."),
                                     QStringLiteral("SECONDS"), QStringLiteral("60"));
    parser.addOptions({planDir, to, lbSocket, waitRequest, timeout});
    int exitCode = Ok;
    if (!parseCommandLine(parser, QStringLiteral("node apply"), arguments, out, err, &exitCode))
        return exitCode;
    bool timeoutOk = false;
    const double timeoutSeconds = parser.value(timeout).toDouble(&timeoutOk);
    if (!parser.isSet(planDir) || !parser.isSet(source.seedOptions().endpoint) || !timeoutOk || timeoutSeconds <= 0) {
        err << tr("node apply: use --seed S --key-file K --plan DIR [--to HOST:PORT] [--lb-socket PATH] "
                  "[--wait-request] [--timeout SECONDS]; see --help")
            << Qt::endl;
        return Usage;
    }
    QString error;
    const std::optional<Planner::PlanFolder> plan = Planner::PlanFolder::read(parser.value(planDir), &error);
    if (!plan) {
        err << tr("node apply: %1").arg(error) << Qt::endl;
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

    // The whole cluster with every node of the plan changed, one after the other.
    ClusterConfig cluster = *live;
    QList<Delivery> deliveries;
    QList<Finding> brought;
    for (auto it = plan->nodes.cbegin(); it != plan->nodes.cend(); ++it) {
        const QString name = source.nodeNamed(it.key());
        const NodeConfig *before = nullptr;
        for (const NodeConfig &node : cluster.nodes()) {
            if (node.name() == name)
                before = &node;
        }
        NodeConfig planned;
        const std::optional<Planner::NodePlan> nodePlan = Planner::planNodeFiles(cluster, name, it.value(), &error, &planned);
        if (!nodePlan) {
            err << tr("node apply: %1").arg(error) << Qt::endl;
            return Usage;
        }
        Delivery delivery{name, it.value(), {}, before == nullptr, planned.isLoadBalancer(), false,
                          expectedMemberId(cluster, planned)};
        if (before) {
            const NodeFacts was = NodeFacts::of(*before);
            const NodeFacts will = NodeFacts::of(planned);
            delivery.movesMember = was.memberPort != will.memberPort || was.host != will.host
                || was.domain != will.domain || was.subDomain != will.subDomain || was.offset != will.offset;
            // A node that stays where it is keeps the id it has: the one its agent announces (its
            // files may name no host, or its agent may have been given --port).
            if (!delivery.movesMember || delivery.memberId.isEmpty())
                delivery.memberId = source.memberOf(name);
            QString parseError;
            const auto endpoint = Protocol::AgentClient::parseEndpoint(source.memberOf(name), &parseError);
            if (!endpoint) {
                err << tr("node apply: %1 is in the plan but no live member is that node").arg(name) << Qt::endl;
                return Failed;
            }
            delivery.target = *endpoint;
        }
        brought += nodePlan->newFindings;
        cluster = cluster.withNode(std::move(planned));
        deliveries.append(delivery);
    }
    const qsizetype newNodes = std::count_if(deliveries.cbegin(), deliveries.cend(), [](const Delivery &d) { return d.isNew; });
    if (newNodes > 1 || (newNodes == 1 && !parser.isSet(to))) {
        err << (newNodes > 1 ? tr("node apply: the plan makes %1 new nodes; apply one at a time, each with --to").arg(newNodes)
                             : tr("node apply: the plan makes a new node, which has no agent yet: start "
                                  "`tribune-agent --provision --carbon-home DIR --key-file K --listen HOST:PORT` on "
                                  "its server and give --to HOST:PORT"))
            << Qt::endl;
        return Usage;
    }
    for (Delivery &delivery : deliveries) {
        if (!delivery.isNew)
            continue;
        const auto endpoint = Protocol::AgentClient::parseEndpoint(parser.value(to), &error);
        if (!endpoint) {
            err << tr("node apply: --to: %1").arg(error) << Qt::endl;
            return Usage;
        }
        delivery.target = *endpoint;
    }
    for (Finding &finding : brought)
        finding.file = source.displayName(finding.file);
    if (!brought.isEmpty())
        out << tr("What the plan brings:") << '\n' << findingsAsText(brought, int(cluster.nodes().size()));
    if (countOf(brought, Severity::Error) > 0) {
        err << tr("node apply: nothing was pushed: the plan would bring errors to the cluster") << Qt::endl;
        return Failed;
    }
    // The load balancer first (a new backend must exist before its members join), the new or
    // moved node last: it is the one followed into the cluster.
    std::stable_sort(deliveries.begin(), deliveries.end(), [](const Delivery &a, const Delivery &b) {
        const auto rank = [](const Delivery &d) { return d.isLoadBalancer ? 0 : (d.isNew || d.movesMember) ? 2 : 1; };
        return rank(a) < rank(b);
    });

    Planner::JoinWatcher watcher({seed->endpoint, seed->keys, seed->role, seed->tls, parser.value(lbSocket),
                                  parser.isSet(waitRequest), int(timeoutSeconds * 1000), 50});
    QObject::connect(&watcher, &Planner::JoinWatcher::stepReached, &watcher,
                     [&out](Planner::JoinWatcher::Step step, qint64 ms, const QString &detail) {
                         out << QStringLiteral("%1 ms").arg(ms, 7) << "  " << Planner::JoinWatcher::stepName(step)
                             << (detail.isEmpty() ? QString() : QLatin1String(": ") + detail) << Qt::endl;
                     });
    QObject::connect(&watcher, &Planner::JoinWatcher::finished, &watcher, [&](bool ok, const QString &message) {
        (ok ? out : err) << (ok ? QString() : QStringLiteral("node apply: ")) << message << Qt::endl;
        QCoreApplication::exit(ok ? Ok : Failed);
    });

    // Pushes one after another; the watched node's files start the clock.
    std::function<void(int)> next = [&](int index) {
        const Delivery &delivery = deliveries.at(index);
        // The load balancer is not followed into the cluster: it applies its loadbalancer.conf
        // by a reload and stays the member it is.
        const bool last = index == deliveries.size() - 1 && !delivery.isLoadBalancer;
        if (last)
            watcher.watch(delivery.memberId, delivery.node, delivery.isNew || delivery.movesMember);
        pushFiles(delivery.target, *seed, delivery.files, &watcher, [&, index, last, delivery](bool ok, const QString &message) {
            const QString line = tr("%1 (%2): %3").arg(delivery.node, delivery.target.toString(), message);
            if (!ok) {
                err << tr("node apply: %1").arg(line) << Qt::endl;
                if (index > 0)
                    err << tr("node apply: the nodes before it have their new files; `tribunectl config rollback` "
                              "takes each back")
                        << Qt::endl;
                QCoreApplication::exit(Failed);
                return;
            }
            if (last)
                watcher.markFilesWritten(line);
            else
                out << line << Qt::endl;
            if (index + 1 < deliveries.size())
                next(index + 1);
            else if (!last)
                QCoreApplication::exit(Ok); // nothing to follow
        });
    };
    next(0);
    return QCoreApplication::exec();
}

} // namespace Tribune::Cli
