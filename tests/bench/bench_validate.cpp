// Generates a 500-node cluster (the sample's load balancer and manager plus 498 workers on 50
// servers, written through the configuration library) and prints how long loading and validating
// it take. The workers name their servers by host names that a hosts file resolves, as the
// guides' clusters do. Exits non-zero only if the generated cluster is not valid, never on timing.
#include "cluster/clusterconfig.h"
#include "cluster/validator.h"
#include "planner/nodeplan.h"
#include "config/configerror.h"

#include "../common/testsupport.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>

using namespace Tribune;
using namespace Tribune::Config;

namespace {

constexpr int WorkerCount = 498;
constexpr int WorkersPerHost = 10;
constexpr int Rounds = 5;

bool fail(const ConfigError &error)
{
    QTextStream(stderr) << error.toString() << Qt::endl;
    return false;
}

// Writes worker number index as a copy of esb-worker1 with its own host, ports and local database.
bool generateWorker(const QString &root, int index)
{
    const QString name = QStringLiteral("worker%1").arg(index, 3, 10, QLatin1Char('0'));
    const QString home = root + QLatin1Char('/') + name;
    if (!TestSupport::copyTree(root + QLatin1String("/esb-worker1"), home))
        return false;
    const QString conf = home + QLatin1String("/repository/conf/");
    const QString host = QStringLiteral("worker-server-%1.cluster").arg(index / WorkersPerHost);
    const int slot = index % WorkersPerHost;
    ConfigError error;

    std::optional<Axis2Xml> axis2 = Axis2Xml::load(conf + QLatin1String("axis2/axis2.xml"), &error);
    if (!axis2 || !axis2->setParameter(QStringLiteral("localMemberHost"), host, &error)
        || !axis2->setParameter(QStringLiteral("localMemberPort"), QString::number(4000 + slot), &error)
        || !axis2->save(conf + QLatin1String("axis2/axis2.xml"), &error))
        return fail(error);
    std::optional<CarbonXml> carbon = CarbonXml::load(conf + QLatin1String("carbon.xml"), &error);
    if (!carbon || !carbon->setOffset(slot, &error) || !carbon->save(conf + QLatin1String("carbon.xml"), &error))
        return fail(error);
    const QString datasourcesPath = conf + QLatin1String("datasources/master-datasources.xml");
    std::optional<DatasourcesXml> datasources = DatasourcesXml::load(datasourcesPath, &error);
    if (!datasources
        || !datasources->setValue(QStringLiteral("WSO2_CARBON_DB"), QStringLiteral("url"),
                                  QStringLiteral("jdbc:mysql://127.0.0.1:3306/REGISTRY_LOCAL_%1").arg(index), &error)
        || !datasources->save(datasourcesPath, &error))
        return fail(error);
    return true;
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.at(values.size() / 2);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    QTemporaryDir dir;
    const QString sample = TestSupport::sampleCluster();
    for (const char *node : {"lb", "esb-manager", "esb-worker1"}) {
        if (!TestSupport::copyTree(sample + QLatin1Char('/') + QLatin1String(node), dir.path() + QLatin1Char('/') + QLatin1String(node)))
            return 2;
    }
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < WorkerCount; ++i) {
        if (!generateWorker(dir.path(), i))
            return 2;
    }
    // The template worker is not part of the generated cluster.
    QDir(dir.path() + QLatin1String("/esb-worker1")).removeRecursively();
    QByteArray hosts = TestSupport::readAll(sample + QLatin1String("/hosts"));
    for (int server = 0; server <= WorkerCount / WorkersPerHost; ++server)
        hosts += QStringLiteral("127.0.1.%1 worker-server-%1.cluster\n").arg(server).toUtf8();
    QFile hostsFile(dir.path() + QLatin1String("/hosts"));
    if (!hostsFile.open(QIODevice::WriteOnly) || hostsFile.write(hosts) != hosts.size())
        return 2;
    hostsFile.close();
    out << "generated " << WorkerCount + 2 << " nodes in " << timer.elapsed() << " ms" << Qt::endl;

    QList<double> loadTimes;
    QList<double> validateTimes;
    QList<double> planTimes;
    QList<double> replanTimes;
    QList<Finding> findings;
    size_t nodeCount = 0;
    bool planned = true;
    for (int round = 0; round < Rounds; ++round) {
        QList<ConfigError> errors;
        timer.restart();
        const ClusterConfig cluster = ClusterConfig::load({dir.path()}, &errors);
        if (!cluster.hasHostsFile())
            return 2;
        loadTimes.append(double(timer.nsecsElapsed()) / 1e6);
        if (!errors.isEmpty())
            return fail(errors.first()) ? 0 : 2;
        timer.restart();
        findings = validateCluster(cluster);
        validateTimes.append(double(timer.nsecsElapsed()) / 1e6);
        nodeCount = cluster.nodes().size();
        // A new worker like the first, on a server that runs ten already: allocation, the
        // files, and the whole cluster validated before and after.
        QString error;
        const Planner::NewNodeRequest request{QStringLiteral("worker000"), QStringLiteral("worker-server-0.cluster"), {}, {}, {}};
        timer.restart();
        std::optional<Planner::NodePlan> plan = Planner::planNodeLike(cluster, request, &error);
        planTimes.append(double(timer.nsecsElapsed()) / 1e6);
        // As a console re-plans: the cluster's findings as they are, known already.
        timer.restart();
        plan = Planner::planNodeLike(cluster, request, &error, &findings);
        replanTimes.append(double(timer.nsecsElapsed()) / 1e6);
        planned = planned && plan && !plan->blocked();
        if (!plan)
            out << "plan failed: " << error << Qt::endl;
    }
    out << "nodes: " << nodeCount << Qt::endl;
    out << "load (read and parse every file), median of " << Rounds << ": " << QString::number(median(loadTimes), 'f', 1)
        << " ms" << Qt::endl;
    out << "validate, median of " << Rounds << ": " << QString::number(median(validateTimes), 'f', 1) << " ms" << Qt::endl;
    out << "load + validate: " << QString::number(median(loadTimes) + median(validateTimes), 'f', 1) << " ms" << Qt::endl;
    out << "plan a new node + validate the whole cluster, median of " << Rounds << ": "
        << QString::number(median(planTimes), 'f', 1) << " ms" << Qt::endl;
    out << "plan with the cluster's findings known (the console's case), median of " << Rounds << ": "
        << QString::number(median(replanTimes), 'f', 1) << " ms (target under 300 ms)" << Qt::endl;
    out << "findings: " << findings.size() << " (" << countOf(findings, Severity::Error) << " errors)" << Qt::endl;
    for (const Finding &finding : std::as_const(findings).mid(0, 5))
        out << "  " << finding.rule << " " << finding.node << ": " << finding.message << Qt::endl;
    return countOf(findings, Severity::Error) == 0 && nodeCount == size_t(WorkerCount + 2) && planned ? 0 : 1;
}
