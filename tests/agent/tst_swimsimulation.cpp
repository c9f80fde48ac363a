// SWIM membership (SwimCore) on simulated time: the timings derived from axis2.xml, and crashes,
// pauses and message loss in clusters of 10 to 200 members. bench_swimsimulation prints the same
// figures up to 1,000 members.
#include "swimsimulator.h"

#include "../bench/benchsupport.h"

#include <QTest>

using namespace Tribune;
using namespace Tribune::Agent;
using Protocol::MembershipEvent;

namespace {

// 20 members; one of them stopped for pauseMs three seconds in, the whole run until untilMs.
std::unique_ptr<Simulation::Simulator> pausedCluster(quint32 seed, int member, qint64 pauseMs, qint64 untilMs)
{
    Simulation::Settings settings;
    settings.members = 20;
    settings.seed = seed;
    auto simulator = std::make_unique<Simulation::Simulator>(settings);
    simulator->runUntil(3000);
    simulator->pause(member, pauseMs);
    simulator->runUntil(untilMs);
    return simulator;
}

} // namespace

class TestSwimSimulation : public QObject
{
    Q_OBJECT

private slots:
    // The same seed, the same run: hash iteration order included.
    void initTestCase() { QHashSeed::setDeterministicGlobalSeed(); }
    void timingsFollowTheSettings();
    void crashesAreDetectedEverywhere_data();
    void crashesAreDetectedEverywhere();
    void pausedMemberRefutesAndStays();
    void longPausedMemberComesBack();
};

void TestSwimSimulation::timingsFollowTheSettings()
{
    SwimTimings timings; // mcastFrequency 500, memberDropTime 3000
    QCOMPARE(timings.probeTimeoutMs(), 250);
    QCOMPARE(timings.suspicionMinMs(5), 1500);
    QCOMPARE(timings.suspicionMaxMs(5), 2000);
    // Flat up to the calibrated size, then growing with log10 n.
    QCOMPARE(timings.suspicionMinMs(200), 1500);
    QCOMPARE(timings.suspicionMaxMs(200), 2000);
    QVERIFY(timings.suspicionMinMs(1000) > 1500);
    QCOMPARE(timings.suspicionMinMs(1000), qint64(std::llround(1500 * 3.0 / std::log10(200.0))));
    // Lifeguard: the timeout falls from the maximum to the minimum as confirmations arrive.
    QCOMPARE(timings.suspicionTimeoutMs(50, 0), 2000);
    QVERIFY(timings.suspicionTimeoutMs(50, 1) < 2000);
    QVERIFY(timings.suspicionTimeoutMs(50, 2) < timings.suspicionTimeoutMs(50, 1));
    QCOMPARE(timings.suspicionTimeoutMs(50, 3), 1500);
    QCOMPARE(timings.suspicionTimeoutMs(50, 10), 1500);
    // Two members: no one else can confirm.
    QCOMPARE(timings.expectedConfirmations(2), 0);
    QCOMPARE(timings.suspicionTimeoutMs(2, 0), 1500);
    // lambda * ceil(log10(n + 1)) transmissions.
    QCOMPARE(timings.retransmitLimit(9), 4);
    QCOMPARE(timings.retransmitLimit(200), 12);
    QCOMPARE(timings.retransmitLimit(1000), 16);
    // A longer memberDropTime or probe interval moves everything with it.
    timings.dropTimeMs = 10000;
    timings.probeIntervalMs = 1000;
    QCOMPARE(timings.suspicionMinMs(5), 5000);
    QCOMPARE(timings.suspicionMaxMs(5), 8000);
}

void TestSwimSimulation::crashesAreDetectedEverywhere_data()
{
    QTest::addColumn<int>("members");
    QTest::addColumn<double>("loss");
    for (int members : {10, 50, 200}) {
        for (double loss : {0.0, 0.05, 0.10})
            QTest::addRow("%d members, %d%% loss", members, int(loss * 100)) << members << loss;
    }
}

// A crash that nothing announces (no connection closes) is found by probing alone: suspected,
// declared failed, and out of every live member's view, with no live member declared failed.
void TestSwimSimulation::crashesAreDetectedEverywhere()
{
    QFETCH(int, members);
    QFETCH(double, loss);
    Simulation::Settings settings;
    settings.members = members;
    settings.loss = loss;
    settings.seed = quint32(members * 100 + int(loss * 100));
    settings.countBytes = false;
    const Simulation::CrashFigures figures = Simulation::runCrashes(settings, 3);
    qInfo("%d members, %.0f%% loss: crash -> first suspicion p50 %.0f ms, first failure p50 %.0f max %.0f ms, "
          "everyone %.0f max %.0f ms; %.1f messages per member per second; %d false suspicions",
          members, loss * 100, TestSupport::percentile(figures.firstSuspectMs, 0.5),
          TestSupport::percentile(figures.firstFailureMs, 0.5), TestSupport::percentile(figures.firstFailureMs, 1.0),
          TestSupport::percentile(figures.everyoneMs, 0.5), TestSupport::percentile(figures.everyoneMs, 1.0),
          figures.messagesPerMemberPerS, figures.falseSuspicions);
    QCOMPARE(figures.undetected, 0);
    QCOMPARE(figures.everyoneMs.size(), 3);
    // With loss, SWIM can wrongly fail a live member (its refutation lost as often as the
    // suspicion's confirmations arrive); it must stay rare.
    if (loss <= 0.05)
        QCOMPARE(figures.falseFailures, 0);
    else
        QVERIFY2(figures.falseFailures <= 1, qPrintable(QString::number(figures.falseFailures)));
    // Detection does not depend on n: one probe per member per interval finds the crashed one
    // within a few intervals, and the suspicion lasts at most its maximum.
    const SwimTimings &timings = settings.timings;
    QVERIFY2(TestSupport::percentile(figures.firstFailureMs, 1.0)
                 < 8 * timings.probeIntervalMs + timings.suspicionMaxMs(members),
             qPrintable(QString::number(TestSupport::percentile(figures.firstFailureMs, 1.0))));
    // Constant work per member: a probe and its answer each way per interval; lost messages add
    // indirect probes, and the suspicions they cause add gossip until refuted.
    QVERIFY2(figures.messagesPerMemberPerS < (loss == 0 ? 4.5 : 30), qPrintable(QString::number(figures.messagesPerMemberPerS)));
}

// A member stopped for less than the suspicion lasts (SIGSTOP, a long pause) is suspected, hears
// of it when it runs again, refutes, and never leaves anyone's view; it suspects no one itself.
void TestSwimSimulation::pausedMemberRefutesAndStays()
{
    const auto cluster = pausedCluster(5, 7, 1200, 10000);
    const Simulation::Simulator &simulator = *cluster;
    const QString paused = simulator.id(7);
    int suspicions = 0;
    int refutations = 0;
    for (const Simulation::Observation &seen : simulator.observations()) {
        QVERIFY2(seen.type != MembershipEvent::Type::Failure && seen.type != MembershipEvent::Type::Leave,
                 qPrintable(seen.subject));
        if (seen.observer == 7)
            QVERIFY2(seen.type != MembershipEvent::Type::Suspect, qPrintable(seen.subject));
        if (seen.subject == paused && seen.type == MembershipEvent::Type::Suspect)
            ++suspicions;
        if (seen.subject == paused && seen.type == MembershipEvent::Type::Refute)
            ++refutations;
    }
    QVERIFY(suspicions > 0);
    QCOMPARE(refutations, suspicions);
    for (int member = 0; member < simulator.size(); ++member) {
        if (member == 7)
            continue;
        QVERIFY2(simulator.core(member).peers().contains(paused), qPrintable(simulator.id(member)));
        QCOMPARE(simulator.core(member).peers().value(paused).state, Protocol::MemberState::Alive);
    }
    QVERIFY(simulator.core(7).self().incarnation > 0);
}

// Stopped for longer than memberDropTime, it is declared failed; when it runs again it learns
// that, refutes with a higher incarnation, and every member takes it back.
void TestSwimSimulation::longPausedMemberComesBack()
{
    const auto cluster = pausedCluster(9, 3, 8000, 11000);
    Simulation::Simulator &simulator = *cluster;
    const QString paused = simulator.id(3);
    for (int member = 0; member < simulator.size(); ++member) {
        if (member != 3)
            QVERIFY2(!simulator.core(member).peers().contains(paused), qPrintable(simulator.id(member)));
    }
    simulator.runUntil(20000);
    for (int member = 0; member < simulator.size(); ++member) {
        if (member == 3) {
            QCOMPARE(simulator.core(member).peers().size(), simulator.size() - 1);
            continue;
        }
        QVERIFY2(simulator.core(member).peers().contains(paused), qPrintable(simulator.id(member)));
        QCOMPARE(simulator.core(member).peers().value(paused).state, Protocol::MemberState::Alive);
    }
    // No one else was declared failed, by anyone.
    for (const Simulation::Observation &seen : simulator.observations()) {
        if (seen.type == MembershipEvent::Type::Failure)
            QCOMPARE(seen.subject, paused);
    }
}

QTEST_GUILESS_MAIN(TestSwimSimulation)
#include "tst_swimsimulation.moc"
