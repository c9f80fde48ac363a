// SWIM membership on simulated time (tests/agent/swimsimulator.h): for 10 to 1,000 members and
// 0 to 10 % message loss, crashes that nothing announces (no connection closes: the slowest case)
// are timed from the crash to the first suspicion, the first failure, and the moment every live
// member has the crashed one out of its view; with the messages and bytes each member sends per
// second in the steady state, and false suspicions and failures. Prints a table; fails only if a
// crash is never detected everywhere.
#include "../agent/swimsimulator.h"

#include "benchsupport.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>

using namespace Tribune::Agent;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    const int crashes = qMax(1, qEnvironmentVariableIntValue("TRIBUNE_SIM_CRASHES") ?: 5);
    out << "SWIM simulation: probe interval 500 ms, memberDropTime 3000 ms, k = 3, one-way delay 1-10 ms, "
        << crashes << " crashes per row, each given 10 s" << Qt::endl;
    out << QStringLiteral("%1 %2 | %3 %4 | %5 %6 %7 | %8 %9 | %10 %11 | %12 %13")
               .arg(QStringLiteral("members"), 7)
               .arg(QStringLiteral("loss"), 5)
               .arg(QStringLiteral("suspect p50"), 11)
               .arg(QStringLiteral("p99"), 6)
               .arg(QStringLiteral("failed p50"), 10)
               .arg(QStringLiteral("p99"), 6)
               .arg(QStringLiteral("max"), 6)
               .arg(QStringLiteral("everyone p50"), 12)
               .arg(QStringLiteral("p99"), 6)
               .arg(QStringLiteral("msg/s"), 6)
               .arg(QStringLiteral("B/s"), 6)
               .arg(QStringLiteral("false susp."), 11)
               .arg(QStringLiteral("false fail."), 11)
        << Qt::endl;
    bool allDetected = true;
    for (int members : {10, 50, 200, 500, 1000}) {
        for (double loss : {0.0, 0.01, 0.05, 0.10}) {
            Simulation::Settings settings;
            settings.members = members;
            settings.loss = loss;
            settings.seed = quint32(members + int(loss * 1000));
            QElapsedTimer took;
            took.start();
            const Simulation::CrashFigures figures = Simulation::runCrashes(settings, crashes);
            using TestSupport::percentile;
            out << QStringLiteral("%1 %2 | %3 %4 | %5 %6 %7 | %8 %9 | %10 %11 | %12 %13   (%14 s)")
                       .arg(members, 7)
                       .arg(QStringLiteral("%1%").arg(loss * 100, 0, 'f', 0), 5)
                       .arg(percentile(figures.firstSuspectMs, 0.5), 11, 'f', 0)
                       .arg(percentile(figures.firstSuspectMs, 0.99), 6, 'f', 0)
                       .arg(percentile(figures.firstFailureMs, 0.5), 10, 'f', 0)
                       .arg(percentile(figures.firstFailureMs, 0.99), 6, 'f', 0)
                       .arg(percentile(figures.firstFailureMs, 1.0), 6, 'f', 0)
                       .arg(percentile(figures.everyoneMs, 0.5), 12, 'f', 0)
                       .arg(percentile(figures.everyoneMs, 0.99), 6, 'f', 0)
                       .arg(figures.messagesPerMemberPerS, 6, 'f', 1)
                       .arg(figures.bytesPerMemberPerS, 6, 'f', 0)
                       .arg(figures.falseSuspicions, 11)
                       .arg(figures.falseFailures, 11)
                       .arg(double(took.elapsed()) / 1000.0, 0, 'f', 1)
                << Qt::endl;
            if (figures.undetected > 0) {
                out << "    " << figures.undetected << " crash(es) not out of every view after 10 s" << Qt::endl;
                allDetected = false;
            }
        }
    }
    return allDetected ? 0 : 1;
}
