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
    // One table: each cell right-aligned to its column's width, groups of columns set apart.
    const QList<int> widths = {7, 5, 11, 6, 10, 6, 6, 12, 6, 6, 6, 11, 11};
    const QList<int> groupEnds = {1, 3, 6, 8, 10};
    const auto line = [&widths, &groupEnds](const QStringList &cells) {
        QString text;
        for (int i = 0; i < cells.size(); ++i) {
            text += cells.at(i).rightJustified(widths.at(i));
            text += groupEnds.contains(i) ? QStringLiteral(" | ") : QStringLiteral(" ");
        }
        return text;
    };
    out << line({QStringLiteral("members"), QStringLiteral("loss"), QStringLiteral("suspect p50"), QStringLiteral("p99"),
                 QStringLiteral("failed p50"), QStringLiteral("p99"), QStringLiteral("max"), QStringLiteral("everyone p50"),
                 QStringLiteral("p99"), QStringLiteral("msg/s"), QStringLiteral("B/s"), QStringLiteral("false susp."),
                 QStringLiteral("false fail.")})
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
            const auto ms = [](double value) { return QString::number(value, 'f', 0); };
            out << line({QString::number(members), QString::number(loss * 100, 'f', 0) + QLatin1Char('%'),
                         ms(percentile(figures.firstSuspectMs, 0.5)), ms(percentile(figures.firstSuspectMs, 0.99)),
                         ms(percentile(figures.firstFailureMs, 0.5)), ms(percentile(figures.firstFailureMs, 0.99)),
                         ms(percentile(figures.firstFailureMs, 1.0)), ms(percentile(figures.everyoneMs, 0.5)),
                         ms(percentile(figures.everyoneMs, 0.99)), QString::number(figures.messagesPerMemberPerS, 'f', 1),
                         ms(figures.bytesPerMemberPerS), QString::number(figures.falseSuspicions),
                         QString::number(figures.falseFailures)})
                << "  (" << QString::number(double(took.elapsed()) / 1000.0, 'f', 1) << " s)" << Qt::endl;
            if (figures.undetected > 0) {
                out << "    " << figures.undetected << " crash(es) not out of every view after 10 s" << Qt::endl;
                allDetected = false;
            }
        }
    }
    return allDetected ? 0 : 1;
}
