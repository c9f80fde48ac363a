#pragma once

// Many SwimCore members in one process, on simulated time: messages take a random delay and are
// lost with a given probability; a crashed member stops answering and ticking, and nothing tells
// the others (no closed connection: the case of a host that dies or a network that drops it,
// the slowest to detect). Used by tst_swimsimulation (asserts) and bench_swimsimulation (table).
#include "swimcore.h"

#include <QJsonDocument>

#include <algorithm>
#include <functional>
#include <memory>
#include <queue>
#include <random>
#include <vector>

namespace Tribune::Agent::Simulation {

struct Settings
{
    int members = 10;
    double loss = 0;      // probability that a message is lost
    int minDelayMs = 1;   // one-way delay, uniform in [min, max]
    int maxDelayMs = 10;
    quint32 seed = 1;
    SwimTimings timings;
    bool countBytes = true; // serialise each message to count its size (slow at 1,000 members)
};

struct Observation
{
    qint64 atMs = 0;
    int observer = 0;
    Protocol::MembershipEvent::Type type = Protocol::MembershipEvent::Type::Join;
    QString subject;
};

class Simulator
{
public:
    explicit Simulator(const Settings &settings)
        : m_settings(settings)
        , m_random(settings.seed)
    {
        const int n = settings.members;
        m_infos.reserve(size_t(n));
        for (int i = 0; i < n; ++i) {
            Protocol::MemberInfo info;
            info.host = QStringLiteral("10.%1.%2.%3").arg(i / 65536).arg((i / 256) % 256).arg(i % 256);
            info.port = 4000;
            info.id = info.host + QLatin1String(":4000");
            info.name = QStringLiteral("worker%1").arg(i);
            info.startedAtMs = 1;
            info.domain = QStringLiteral("wso2.esb.domain");
            info.subDomain = QStringLiteral("worker");
            info.httpPort = 9763;
            info.httpsPort = 9443;
            m_index.insert(info.id, i);
            m_infos.push_back(info);
        }
        for (int i = 0; i < n; ++i) {
            SwimCore::Hooks hooks;
            hooks.send = [this, i](const QString &to, const QJsonObject &message) { deliver(i, m_index.value(to, -1), message); };
            hooks.changed = [this, i](Protocol::MembershipEvent::Type type, const Protocol::MemberInfo &member,
                                      const QString &, const QString &) {
                m_observations.push_back({m_now, i, type, member.id});
            };
            m_cores.push_back(std::make_unique<SwimCore>(m_infos[size_t(i)], settings.timings, std::move(hooks),
                                                         settings.seed * 7919u + quint32(i)));
            m_alive.push_back(true);
        }
        // The view after everyone joined: each knows every other from a members list.
        for (int i = 0; i < n; ++i) {
            for (int j = 0; j < n; ++j) {
                if (i != j)
                    m_cores[size_t(i)]->learn(m_infos[size_t(j)], QString(), 0, SwimCore::Source::List);
            }
        }
        m_observations.clear();
        // Each member ticks every 100 ms, at its own phase.
        std::uniform_int_distribution<int> phase(0, 99);
        for (int i = 0; i < n; ++i)
            schedule(phase(m_random), [this, i] { tick(i); });
    }

    void runUntil(qint64 untilMs)
    {
        while (!m_queue.empty() && m_queue.top().atMs <= untilMs) {
            Pending next = m_queue.top();
            m_queue.pop();
            m_now = next.atMs;
            next.action();
        }
        m_now = untilMs;
    }

    void crash(int member) { m_alive[size_t(member)] = false; }
    // SIGSTOP for durationMs: it neither ticks nor reads; what is sent to it waits, as in a
    // socket's buffer, and it reads all of it when it runs again.
    void pause(int member, qint64 durationMs) { m_pausedUntil.insert(member, m_now + durationMs); }
    bool alive(int member) const { return m_alive[size_t(member)]; }
    qint64 now() const { return m_now; }
    int size() const { return int(m_cores.size()); }
    const QString &id(int member) const { return m_infos[size_t(member)].id; }
    const SwimCore &core(int member) const { return *m_cores[size_t(member)]; }
    const std::vector<Observation> &observations() const { return m_observations; }
    qint64 messagesSent() const { return m_messages; }
    qint64 bytesSent() const { return m_bytes; }

private:
    struct Pending
    {
        qint64 atMs;
        quint64 order; // first scheduled, first run among equal times
        std::function<void()> action;
        bool operator<(const Pending &other) const
        {
            return atMs != other.atMs ? atMs > other.atMs : order > other.order;
        }
    };

    void schedule(qint64 afterMs, std::function<void()> action)
    {
        m_queue.push({m_now + afterMs, m_order++, std::move(action)});
    }

    qint64 pausedFor(int member) const { return std::max<qint64>(0, m_pausedUntil.value(member, 0) - m_now); }

    void tick(int member)
    {
        if (!m_alive[size_t(member)])
            return;
        if (const qint64 wait = pausedFor(member)) {
            schedule(wait, [this, member] { tick(member); });
            return;
        }
        m_cores[size_t(member)]->tick(m_now);
        schedule(100, [this, member] { tick(member); });
    }

    void deliver(int from, int to, const QJsonObject &message)
    {
        if (to < 0 || !m_alive[size_t(from)])
            return;
        ++m_messages;
        if (m_settings.countBytes)
            m_bytes += QJsonDocument(message).toJson(QJsonDocument::Compact).size() + 4;
        std::uniform_real_distribution<double> coin(0, 1);
        if (coin(m_random) < m_settings.loss)
            return;
        std::uniform_int_distribution<int> delay(m_settings.minDelayMs, m_settings.maxDelayMs);
        schedule(delay(m_random), [this, from, to, message] { receive(from, to, message); });
    }

    void receive(int from, int to, const QJsonObject &message)
    {
        if (!m_alive[size_t(to)])
            return;
        if (const qint64 wait = pausedFor(to)) {
            schedule(wait, [this, from, to, message] { receive(from, to, message); });
            return;
        }
        m_cores[size_t(to)]->receive(message, [this, to, from](const QJsonObject &answer) { deliver(to, from, answer); }, m_now);
    }

    Settings m_settings;
    std::mt19937 m_random;
    std::vector<Protocol::MemberInfo> m_infos;
    QHash<QString, int> m_index;
    std::vector<std::unique_ptr<SwimCore>> m_cores;
    std::vector<bool> m_alive;
    QHash<int, qint64> m_pausedUntil;
    std::vector<Observation> m_observations;
    std::priority_queue<Pending> m_queue;
    quint64 m_order = 0;
    qint64 m_now = 0;
    qint64 m_messages = 0;
    qint64 m_bytes = 0;
};

// What one run of crashes showed.
struct CrashFigures
{
    QList<double> firstSuspectMs;  // crash -> the first member suspects it
    QList<double> firstFailureMs;  // crash -> the first member declares it failed
    QList<double> everyoneMs;      // crash -> the last live member has it out of its view
    int undetected = 0;            // crashes some live member still had in its view at the end
    int falseFailures = 0;         // live members declared failed (or left) by anyone, each counted once
    int falseSuspicions = 0;       // suspicions of live members, as often as a member records one
    double messagesPerMemberPerS = 0; // in the steady state before the first crash
    double bytesPerMemberPerS = 0;
};

// Lets the cluster settle, then crashes `crashes` members one after the other, each given
// spacingMs to be detected and forgotten everywhere.
inline CrashFigures runCrashes(const Settings &settings, int crashes, qint64 settleMs = 5000, qint64 spacingMs = 10000)
{
    Simulator simulator(settings);
    CrashFigures figures;
    simulator.runUntil(1000);
    const qint64 messagesBefore = simulator.messagesSent();
    const qint64 bytesBefore = simulator.bytesSent();
    simulator.runUntil(settleMs);
    const double steadyS = double(settleMs - 1000) / 1000.0;
    figures.messagesPerMemberPerS = double(simulator.messagesSent() - messagesBefore) / steadyS / settings.members;
    figures.bytesPerMemberPerS = double(simulator.bytesSent() - bytesBefore) / steadyS / settings.members;

    std::mt19937 pick(settings.seed + 17);
    QList<int> crashed;
    QHash<QString, qint64> crashedAt;
    for (int c = 0; c < crashes && crashed.size() < settings.members - 2; ++c) {
        int victim = 0;
        do {
            victim = std::uniform_int_distribution<int>(0, settings.members - 1)(pick);
        } while (crashed.contains(victim));
        crashed.append(victim);
        const qint64 at = simulator.now();
        crashedAt.insert(simulator.id(victim), at);
        simulator.crash(victim);
        simulator.runUntil(at + spacingMs);
    }
    // The crashes' timelines.
    for (int victim : std::as_const(crashed)) {
        const QString id = simulator.id(victim);
        const qint64 at = crashedAt.value(id);
        qint64 firstSuspect = -1;
        qint64 firstFailure = -1;
        QHash<int, qint64> gone; // observer -> when it dropped the victim
        for (const Observation &seen : simulator.observations()) {
            if (seen.subject != id || seen.atMs < at)
                continue;
            if (seen.type == Protocol::MembershipEvent::Type::Suspect && firstSuspect < 0)
                firstSuspect = seen.atMs;
            if (seen.type == Protocol::MembershipEvent::Type::Failure) {
                if (firstFailure < 0)
                    firstFailure = seen.atMs;
                if (!gone.contains(seen.observer))
                    gone.insert(seen.observer, seen.atMs);
            }
        }
        if (firstSuspect >= 0)
            figures.firstSuspectMs.append(double(firstSuspect - at));
        if (firstFailure >= 0)
            figures.firstFailureMs.append(double(firstFailure - at));
        qint64 last = -1;
        bool everyone = true;
        for (int observer = 0; observer < simulator.size(); ++observer) {
            if (!simulator.alive(observer))
                continue;
            if (simulator.core(observer).peers().contains(id) || !gone.contains(observer)) {
                everyone = false;
                break;
            }
            last = std::max(last, gone.value(observer));
        }
        if (everyone)
            figures.everyoneMs.append(double(last - at));
        else
            ++figures.undetected;
    }
    QSet<QString> wronglyFailed;
    for (const Observation &seen : simulator.observations()) {
        const bool victim = crashedAt.contains(seen.subject);
        if (victim)
            continue;
        if (seen.type == Protocol::MembershipEvent::Type::Failure || seen.type == Protocol::MembershipEvent::Type::Leave)
            wronglyFailed.insert(seen.subject);
        else if (seen.type == Protocol::MembershipEvent::Type::Suspect)
            ++figures.falseSuspicions;
    }
    figures.falseFailures = int(wronglyFailed.size());
    return figures;
}

} // namespace Tribune::Agent::Simulation
