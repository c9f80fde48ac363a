// Push to first request: a new worker planned like worker2, provisioned on a bare agent and
// applied with tribunectl node apply while requests flow through a real HAProxy. Prints, over
// several rounds, the time from the push to each step node apply reports; the target is the
// first request served through HAProxy within 1 s of the push. Exits non-zero only when a round
// fails (the node never joins or is never served), never on timing.
#include "../integration/provisioning.h"

#include <QCoreApplication>
#include <QTextStream>

#include <algorithm>

using namespace LbTest;

namespace {

constexpr int Rounds = 5;

QString figures(QList<int> values)
{
    std::sort(values.begin(), values.end());
    return QStringLiteral("min %1 ms, median %2 ms, max %3 ms")
        .arg(values.first())
        .arg(values.at(values.size() / 2))
        .arg(values.last());
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    const QString busy = busyPorts({{QStringLiteral("127.0.0.1"), 9764}, {QStringLiteral("127.0.0.1"), 9765}});
    if (!busy.isEmpty()) {
        out << "the sample cluster's HTTP ports are in use: " << busy << Qt::endl;
        return 1;
    }
    LbCluster lb({Manager, Worker2});
    QString error;
    if (!lb.prepare(&error) || !lb.startLb() || !lb.startMember(Manager) || !lb.startMember(Worker2)) {
        out << "the cluster did not start: " << error << Qt::endl;
        return 1;
    }
    const QStringList steps = {QStringLiteral("files written"), QStringLiteral("joined as the node"),
                               QStringLiteral("server added in HAProxy"), QStringLiteral("first request served through HAProxy"),
                               QStringLiteral("first health check UP"), QStringLiteral("seen by every member")};
    QHash<QString, QList<int>> times;
    for (int round = 0; round < Rounds; ++round) {
        Provisioned worker = provisionLike(lb, Manager, Worker2, QStringLiteral("esb-new%1").arg(round), QStringLiteral("127.0.0.1"));
        const bool ok = worker.error.isEmpty() && worker.exitCode == 0;
        if (worker.agent)
            stopAgentProcesses({worker.agent.release()}, worker.home);
        if (!ok) {
            out << "round " << round << " failed: " << worker.error << worker.output << Qt::endl;
            return 1;
        }
        for (const QString &step : steps)
            times[step].append(worker.stepMs(step));
        out << "round " << round << ": first request served " << worker.stepMs(steps.at(3)) << " ms after the push"
            << Qt::endl;
    }
    out << "push to each step, " << Rounds << " rounds:" << Qt::endl;
    for (const QString &step : steps)
        out << "  " << step << ": " << figures(times.value(step)) << Qt::endl;
    out << "target: first request served through HAProxy under 1000 ms after the push" << Qt::endl;
    lb.cluster.stop(Worker2);
    lb.cluster.stop(Manager);
    lb.cluster.stop(Lb);
    return 0;
}
