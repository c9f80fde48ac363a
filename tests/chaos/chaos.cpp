// A scripted kill/restart run on loopback: the load balancer's agent with its HAProxy and ten
// member agents of both domains (well-known members among them) from a copy of the sample
// cluster, watched by a console connected to the load balancer and the ESB manager as seeds.
// Each cycle does one thing to the cluster (SIGKILL, SIGTERM or SIGSTOP of a member; SIGKILL
// or SIGTERM of the load balancer's agent; SIGKILL of the console's current seed or of
// HAProxy) and then undoes it (restart, SIGCONT). After every step it waits until every running
// agent's view, the console's view and HAProxy's servers equal the running set, and fails if
// that takes longer than ConvergeLimitMs. Prints each step's convergence time, then p50/p99/max.
//
//   chaos [--cycles N] [--seed S]
#include "lbcluster.h"
#include "membershipwatcher.h"
#include "../bench/benchsupport.h"

#include "live/clusterconnection.h"
#include "live/livecluster.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QRandomGenerator>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <map>

using namespace Tribune;
using namespace LbTest;
using Protocol::MembershipWatcher;
using Protocol::MemberState;

namespace {

using TestSupport::percentile;

constexpr int ConvergeLimitMs = 20000;
constexpr int PollMs = 50;
constexpr int StableMs = 2000;

const QStringList MemberNodes = {Manager,
                                 Worker1,
                                 Worker2,
                                 QStringLiteral("esb-worker3"),
                                 QStringLiteral("esb-worker1~2"),
                                 QStringLiteral("esb-worker3~2"),
                                 QStringLiteral("esb-worker3~3"),
                                 QStringLiteral("greg1"),
                                 QStringLiteral("greg2"),
                                 QStringLiteral("greg3")};

enum class Kind { KillMember, StopMember, FreezeMember, KillLbAgent, StopLbAgent, KillConsoleSeed, KillHAProxy };

const std::map<Kind, const char *> KindNames = {
    {Kind::KillMember, "SIGKILL a member"},        {Kind::StopMember, "SIGTERM a member"},
    {Kind::FreezeMember, "SIGSTOP a member"},      {Kind::KillLbAgent, "SIGKILL the load balancer's agent"},
    {Kind::StopLbAgent, "SIGTERM the load balancer's agent"}, {Kind::KillConsoleSeed, "SIGKILL the console's seed"},
    {Kind::KillHAProxy, "SIGKILL HAProxy"}};

void waitMs(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}


QString listed(QStringList ids)
{
    ids.sort();
    return ids.join(QLatin1String(", "));
}

class ChaosRun
{
public:
    ChaosRun(quint32 seed, QTextStream &out)
        : m_lb(MemberNodes)
        , m_random(seed)
        , m_out(out)
    {
    }

    ~ChaosRun()
    {
        // A frozen agent cannot stop gracefully.
        for (const QString &node : std::as_const(m_frozen))
            ::kill(pid_t(m_lb.cluster.pid(node)), SIGCONT);
        if (m_connection)
            m_connection->stop();
    }

    bool setUp(QString *error)
    {
        if (!m_lb.prepare(error))
            return false;
        if (!m_lb.startLb()) {
            *error = QStringLiteral("the load balancer's agent did not start: ") + m_lb.cluster.output(Lb);
            return false;
        }
        for (const QString &node : MemberNodes) {
            if (!m_lb.cluster.start(node)) {
                *error = node + QStringLiteral(" did not start: ") + m_lb.cluster.output(node);
                return false;
            }
        }
        for (const QString &node : allNodes())
            m_watchers[node] = std::make_unique<MembershipWatcher>(m_lb.cluster.client(node));
        m_runtime = std::make_unique<Runtime>(m_lb.socket());

        ConnectionSettings settings;
        settings.seeds = {m_lb.cluster.memberId(Lb), m_lb.cluster.memberId(Manager)};
        settings.keys = m_lb.cluster.keys();
        settings.keepHistory = false;
        m_connection = std::make_unique<ClusterConnection>(&m_console, settings);
        m_connection->start();
        return captureUniverses(error);
    }

    // One disruption and its undoing, each followed by convergence.
    bool cycle(int number, Kind kind, QString *error)
    {
        const QString what = QString::fromLatin1(KindNames.at(kind));
        QString target;
        switch (kind) {
        case Kind::KillMember:
        case Kind::StopMember:
        case Kind::FreezeMember:
            target = MemberNodes.at(int(m_random.bounded(quint32(MemberNodes.size()))));
            break;
        case Kind::KillLbAgent:
        case Kind::StopLbAgent:
            target = Lb;
            break;
        case Kind::KillConsoleSeed:
            target = consoleSeedNode();
            break;
        case Kind::KillHAProxy:
            break;
        }
        const qint64 pid = target.isEmpty() ? m_lb.masterPid() : m_lb.cluster.pid(target);
        if (pid <= 0) {
            *error = QStringLiteral("cycle %1: no process for %2").arg(number).arg(target.isEmpty() ? QStringLiteral("HAProxy") : target);
            return false;
        }
        const QString step = QStringLiteral("cycle %1: %2%3").arg(number).arg(what, target.isEmpty() ? QString() : QLatin1String(" (") + target + QLatin1Char(')'));
        switch (kind) {
        case Kind::KillMember:
        case Kind::KillLbAgent:
        case Kind::KillConsoleSeed:
            if (!m_lb.cluster.kill(target)) {
                *error = step + QStringLiteral(": it did not die");
                return false;
            }
            m_down.insert(target);
            break;
        case Kind::StopMember:
        case Kind::StopLbAgent:
            if (!m_lb.cluster.stop(target)) {
                *error = step + QStringLiteral(": it did not stop");
                return false;
            }
            m_down.insert(target);
            break;
        case Kind::FreezeMember:
            ::kill(pid_t(pid), SIGSTOP);
            m_frozen.insert(target);
            break;
        case Kind::KillHAProxy:
            for (const qint64 haproxy : haproxyPids(m_lb.configPath()))
                ::kill(pid_t(haproxy), SIGKILL);
            break;
        }
        if (!converge(step, error))
            return false;
        if (target.isEmpty())
            return true; // the agent starts HAProxy again by itself: converging was the undoing
        if (m_frozen.remove(target)) {
            ::kill(pid_t(pid), SIGCONT);
        } else {
            m_down.remove(target);
            const bool started = target == Lb ? m_lb.startLb() : m_lb.cluster.start(target);
            if (!started) {
                *error = step + QStringLiteral(": the restart failed: ") + m_lb.cluster.output(target);
                return false;
            }
            m_snapshotFloor[target] = m_watchers[target]->snapshots();
        }
        return converge(step + (kind == Kind::FreezeMember ? QStringLiteral(", SIGCONT") : QStringLiteral(", restarted")),
                        error);
    }

    void printSummary() const
    {
        m_out << QStringLiteral("convergence over %1 steps: p50 %2 ms, p99 %3 ms, max %4 ms")
                     .arg(m_convergedMs.size())
                     .arg(percentile(m_convergedMs, 0.5), 0, 'f', 0)
                     .arg(percentile(m_convergedMs, 0.99), 0, 'f', 0)
                     .arg(percentile(m_convergedMs, 1.0), 0, 'f', 0)
              << Qt::endl;
        for (auto it = m_byKind.cbegin(); it != m_byKind.cend(); ++it) {
            m_out << QStringLiteral("  %1: %2 steps, p50 %3 ms, max %4 ms")
                         .arg(QString::fromLatin1(KindNames.at(it->first)))
                         .arg(it->second.size())
                         .arg(percentile(it->second, 0.5), 0, 'f', 0)
                         .arg(percentile(it->second, 1.0), 0, 'f', 0)
                  << Qt::endl;
        }
    }

    void noteKind(Kind kind) { m_currentKind = kind; }

private:
    QStringList allNodes() const { return QStringList{Lb} + MemberNodes; }

    QSet<QString> runningIds() const
    {
        QSet<QString> ids;
        for (const QString &node : allNodes()) {
            if (!m_down.contains(node) && !m_frozen.contains(node))
                ids.insert(m_lb.cluster.memberId(node));
        }
        return ids;
    }

    QSet<QString> consoleAlive() const
    {
        QSet<QString> ids;
        for (const LiveMember &member : m_console.members()) {
            if (member.hasAgent && member.state == MemberState::Alive)
                ids.insert(member.info.id);
        }
        return ids;
    }

    QSet<QString> haproxyServers() const
    {
        QSet<QString> names;
        if (const auto states = m_runtime->serversState()) {
            for (const HAProxy::ServerState &state : *states)
                names.insert(state.backend + QLatin1Char('/') + state.server);
        }
        return names;
    }

    QString consoleSeedNode() const
    {
        for (const EndpointStatus &endpoint : m_connection->endpoints()) {
            if (endpoint.kind == EndpointStatus::Kind::Seed && endpoint.connected) {
                for (const QString &node : allNodes()) {
                    if (m_lb.cluster.memberId(node) == endpoint.address)
                        return node;
                }
            }
        }
        return Lb;
    }

    static QString difference(const QString &who, const QSet<QString> &expected, const QSet<QString> &actual)
    {
        if (expected == actual)
            return {};
        return QStringLiteral("%1: missing [%2], extra [%3]")
            .arg(who, listed((expected - actual).values()), listed((actual - expected).values()));
    }

    // What differs from the running set, for people; empty once everything agrees.
    QString mismatch() const
    {
        const QSet<QString> running = runningIds();
        QStringList problems;
        for (const QString &node : allNodes()) {
            if (!running.contains(m_lb.cluster.memberId(node)))
                continue;
            const MembershipWatcher &watcher = *m_watchers.at(node);
            if (!watcher.isCurrent() || watcher.snapshots() <= m_snapshotFloor.value(node)) {
                problems.append(node + QStringLiteral(": its view has not arrived"));
                continue;
            }
            const QStringList alive = watcher.alive();
            const QString problem = difference(QStringLiteral("view of ") + node, m_universe.value(node) & running,
                                               QSet<QString>(alive.cbegin(), alive.cend()));
            if (!problem.isEmpty())
                problems.append(problem);
        }
        const QString console = difference(QStringLiteral("console"), m_consoleUniverse & running, consoleAlive());
        if (!console.isEmpty())
            problems.append(console);
        QSet<QString> servers;
        for (const QString &server : m_serverUniverse) {
            if (running.contains(server.section(QLatin1Char('/'), 1)))
                servers.insert(server);
        }
        const QString haproxy = difference(QStringLiteral("HAProxy"), servers, haproxyServers());
        if (!haproxy.isEmpty())
            problems.append(haproxy);
        return problems.join(QLatin1String("; "));
    }

    bool converge(const QString &step, QString *error)
    {
        QElapsedTimer since;
        since.start();
        QString problem = mismatch();
        while (!problem.isEmpty() && since.elapsed() < ConvergeLimitMs) {
            waitMs(PollMs);
            problem = mismatch();
        }
        if (!problem.isEmpty()) {
            *error = QStringLiteral("%1: no agreement after %2 ms: %3").arg(step).arg(since.elapsed()).arg(problem);
            return false;
        }
        const double ms = double(since.elapsed());
        m_convergedMs.append(ms);
        m_byKind[m_currentKind].append(ms);
        m_out << QStringLiteral("%1: agreed after %2 ms").arg(step).arg(ms, 0, 'f', 0) << Qt::endl;
        return true;
    }

    // Who sees whom when everything runs: Protocol::visible over the members' own descriptions,
    // checked against every agent's view once all views have stood still for StableMs.
    bool captureUniverses(QString *error)
    {
        const QSet<QString> everyone = runningIds();
        QElapsedTimer since;
        since.start();
        QElapsedTimer stable;
        stable.start();
        QString last;
        while (since.elapsed() < ConvergeLimitMs * 2) {
            QStringList parts;
            for (const QString &node : allNodes())
                parts.append(listed(m_watchers.at(node)->alive()));
            parts.append(listed(consoleAlive().values()));
            parts.append(listed(haproxyServers().values()));
            const QString now = parts.join(u'|');
            if (now != last) {
                last = now;
                stable.restart();
            }
            if (stable.elapsed() >= StableMs && consoleAlive() == everyone)
                break;
            waitMs(PollMs);
        }
        m_consoleUniverse = consoleAlive();
        for (const QString &node : allNodes()) {
            const LiveMember *viewer = m_console.member(m_lb.cluster.memberId(node));
            if (!viewer) {
                *error = QStringLiteral("the console does not know %1").arg(node);
                return false;
            }
            QSet<QString> &sees = m_universe[node];
            sees.insert(viewer->info.id);
            for (const LiveMember &other : m_console.members()) {
                if (other.hasAgent && Protocol::visible(viewer->info, other.info))
                    sees.insert(other.info.id);
            }
            const QStringList alive = m_watchers.at(node)->alive();
            const QString problem = difference(QStringLiteral("view of ") + node, sees, QSet<QString>(alive.cbegin(), alive.cend()));
            if (!problem.isEmpty()) {
                *error = QStringLiteral("the cluster formed wrong: ") + problem;
                return false;
            }
        }
        m_serverUniverse = haproxyServers();
        if (m_universe[Lb] != everyone || m_consoleUniverse != everyone) {
            *error = QStringLiteral("the cluster did not form: the load balancer sees [%1], the console [%2]")
                         .arg(listed(m_universe[Lb].values()), listed(m_consoleUniverse.values()));
            return false;
        }
        if (m_serverUniverse.size() != MemberNodes.size()) {
            *error = QStringLiteral("HAProxy has %1 servers for %2 members: %3")
                         .arg(m_serverUniverse.size())
                         .arg(MemberNodes.size())
                         .arg(listed(m_serverUniverse.values()));
            return false;
        }
        m_out << QStringLiteral("%1 agents formed the cluster in %2 ms; HAProxy has %3 servers")
                     .arg(everyone.size())
                     .arg(since.elapsed())
                     .arg(m_serverUniverse.size())
              << Qt::endl;
        return true;
    }

    LbCluster m_lb;
    QRandomGenerator m_random;
    QTextStream &m_out;
    std::map<QString, std::unique_ptr<MembershipWatcher>> m_watchers;
    QHash<QString, int> m_snapshotFloor;
    std::unique_ptr<Runtime> m_runtime;
    LiveCluster m_console;
    std::unique_ptr<ClusterConnection> m_connection;
    QSet<QString> m_down;
    QSet<QString> m_frozen;
    QHash<QString, QSet<QString>> m_universe;
    QSet<QString> m_consoleUniverse;
    QSet<QString> m_serverUniverse;
    QList<double> m_convergedMs;
    std::map<Kind, QList<double>> m_byKind;
    Kind m_currentKind = Kind::KillMember;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption cycles(QStringLiteral("cycles"), QStringLiteral("How many disruptions (default 7)."), QStringLiteral("N"),
                                    QStringLiteral("7"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("The random seed that picks what and whom (default 1)."),
                                  QStringLiteral("S"), QStringLiteral("1"));
    parser.addOptions({cycles, seed});
    parser.process(app);
    const int cycleCount = parser.value(cycles).toInt();
    const quint32 randomSeed = parser.value(seed).toUInt();

    ChaosRun run(randomSeed, out);
    QString error;
    if (!run.setUp(&error)) {
        out << "chaos: FAILED to set up: " << error << Qt::endl;
        return 1;
    }
    // Every kind once, in order, then at random.
    const QList<Kind> kinds{Kind::KillMember, Kind::StopMember,      Kind::FreezeMember, Kind::KillLbAgent,
                            Kind::StopLbAgent, Kind::KillConsoleSeed, Kind::KillHAProxy};
    QRandomGenerator pick(randomSeed);
    for (int i = 0; i < cycleCount; ++i) {
        const Kind kind = i < kinds.size() ? kinds.at(i) : kinds.at(int(pick.bounded(quint32(kinds.size()))));
        run.noteKind(kind);
        if (!run.cycle(i + 1, kind, &error)) {
            out << "chaos: FAILED: " << error << Qt::endl;
            run.printSummary();
            return 1;
        }
    }
    run.printSummary();
    out << "chaos: passed, " << cycleCount << " cycles (seed " << randomSeed << ")" << Qt::endl;
    return 0;
}
