// Starts N real tribune-agent processes on this machine (N from the first argument or
// TRIBUNE_BENCH_AGENTS, 50 by default: the sample's load balancer and N - 1 copies of esb-worker1
// on 127.0.0.1..127.0.0.5, each with its own free membership port and the load balancer as its
// well-known member), watches the load balancer with a console, and prints: how long each agent
// takes from QProcess::start to its Join event at the console; in a steady state of 60 s
// (TRIBUNE_BENCH_STEADY_S) the CPU of all agents together, the bytes each agent writes per second
// and the suspicions of members nobody stopped; how long a graceful leave (SIGTERM) and a death
// (SIGKILL) take to reach the console; every agent's RSS; each beside its target.
// Exits non-zero only if something is functionally wrong (an agent does not start, an event never
// comes, a member that was not killed is reported failed), never on the figures themselves.
#include "config/axis2xml.h"
#include "config/configerror.h"
#include "protocol/agentclient.h"
#include "protocol/keyring.h"

#include "../common/testsupport.h"
#include "benchsupport.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHostAddress>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <functional>
#include <numeric>
#include <memory>
#include <optional>
#include <vector>

#include <sys/prctl.h>
#include <unistd.h>

using namespace Tribune;
using Protocol::MembershipEvent;
using Protocol::MemberState;

namespace {

using TestSupport::percentile;

int NodeCount = 50;           // the load balancer and the workers
constexpr int HostCount = 5;  // workers on 127.0.0.1 .. 127.0.0.5
constexpr int EventTimeoutMs = 10000;
constexpr int SettleMs = 3000;
constexpr int LeaveCount = 5;
constexpr int KillCount = 10;
constexpr qint64 RunBudgetMs = 900000;
constexpr int StartAttempts = 3;

constexpr double JoinP99TargetMs = 250;
constexpr double LeaveTargetMs = 100;
constexpr double FailureMarginMs = 500;
constexpr double RssTargetMb = 30;
constexpr double AllAgentsCpuTarget = 100; // % of one core, all agents together


double maximum(const QList<double> &values)
{
    return values.isEmpty() ? 0 : *std::max_element(values.cbegin(), values.cend());
}

QString ms(double value)
{
    return QString::number(value, 'f', 1) + QLatin1String(" ms");
}

QString verdict(bool met)
{
    return met ? QStringLiteral("[met]") : QStringLiteral("[MISSED]");
}

// /proc files report a size of 0: read them to the end.
QByteArray readProc(qint64 pid, const char *file)
{
    QFile proc(QStringLiteral("/proc/%1/").arg(pid) + QLatin1String(file));
    return proc.open(QIODevice::ReadOnly) ? proc.readAll() : QByteArray();
}

// VmRSS of a process, in MB; nullopt if it cannot be read.
std::optional<double> rssMb(qint64 pid)
{
    for (const QByteArray &line : readProc(pid, "status").split('\n')) {
        if (line.startsWith("VmRSS:")) {
            bool ok = false;
            const qint64 kb = line.mid(6).trimmed().split(' ').value(0).toLongLong(&ok);
            if (ok)
                return double(kb) / 1024.0;
        }
    }
    return std::nullopt;
}

// utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/<pid>/stat).
std::optional<qint64> cpuTicks(qint64 pid)
{
    const QByteArray stat = readProc(pid, "stat");
    const qsizetype close = stat.lastIndexOf(')');
    if (close < 0)
        return std::nullopt;
    const QByteArrayList fields = stat.mid(close + 1).simplified().split(' ');
    if (fields.size() < 13)
        return std::nullopt;
    bool userOk = false;
    bool systemOk = false;
    const qint64 ticks = fields.at(11).toLongLong(&userOk) + fields.at(12).toLongLong(&systemOk);
    if (!userOk || !systemOk)
        return std::nullopt;
    return ticks;
}

struct Agent
{
    QString name;
    QString home;
    QString host;
    quint16 port = 0;
    std::unique_ptr<QProcess> process;
    QByteArray output;
    qint64 startNs = -1;     // just before QProcess::start
    qint64 startWallMs = 0;  // the same moment, on the wall clock
    qint64 listeningNs = -1; // when the "listening on" line arrived
    bool stopped = false;    // sent SIGTERM
    bool killed = false;     // sent SIGKILL

    QString id() const { return host + QLatin1Char(':') + QString::number(port); }
    qint64 pid() const { return process ? qint64(process->processId()) : 0; }
    bool running() const { return process && process->state() != QProcess::NotRunning; }
};

// Every agent the benchmark starts; whatever happens, they are all killed when it goes away.
// Each agent also gets SIGKILL from the kernel should the benchmark itself die first.
class Fleet
{
public:
    Fleet() = default;
    Fleet(const Fleet &) = delete;
    Fleet &operator=(const Fleet &) = delete;
    ~Fleet() { killAll(); }

    void killAll()
    {
        for (const std::unique_ptr<Agent> &agent : m_agents) {
            if (agent->running()) {
                ::kill(pid_t(agent->process->processId()), SIGKILL);
                agent->process->waitForFinished(3000);
            }
            agent->process.reset();
            // The load balancer's HAProxy outlives its agent on purpose: stopped as people stop it.
            if (agent->name == u"lb")
                QProcess::execute(QStringLiteral(TRIBUNE_AGENT_PATH), {QStringLiteral("--role"), QStringLiteral("lb"),
                                                                       QStringLiteral("--stop-haproxy"),
                                                                       QStringLiteral("--carbon-home"), agent->home});
        }
    }

    Agent &add(std::unique_ptr<Agent> agent) { return *m_agents.emplace_back(std::move(agent)); }
    Agent &at(size_t index) const { return *m_agents.at(index); }
    size_t size() const { return m_agents.size(); }

private:
    std::vector<std::unique_ptr<Agent>> m_agents;
};

class Bench
{
public:
    // Returns false, with error() set, if something is functionally wrong.
    bool run();
    const QString &error() const { return m_error; }

private:
    struct Seen
    {
        QString id;
        MembershipEvent::Type type;
        qint64 ns;
        qint64 agentWallMs; // when the load balancer's agent recorded it
        QString reason;
    };

    bool failed(const QString &message)
    {
        m_error = message;
        // What the console saw besides joins, to tell why.
        int shown = 0;
        for (const Seen &event : std::as_const(m_seen)) {
            if (event.type != MembershipEvent::Type::Join && ++shown <= 60)
                m_out << "  " << event.ns / 1000000 << " ms " << eventTypeName(event.type) << " " << event.id << ": "
                      << event.reason << Qt::endl;
        }
        return false;
    }
    qint64 nowNs() const { return m_clock.nsecsElapsed(); }
    bool waitUntil(const std::function<bool()> &done, int timeoutMs);
    const Seen *seen(const QString &id, MembershipEvent::Type type) const;
    int count(MembershipEvent::Type type) const;
    bool falseFailure(QString *who) const;
    int suspectedAlive() const;

    bool generate();
    bool writeAxis2(const Agent &agent, const QString &lbHost, quint16 lbPort);
    quint16 reservePort(const QString &host);
    bool start(Agent &agent);
    bool startAndJoin(Agent &agent, double *joinMs);
    QString agentOutput(Agent &agent) const;
    // What every agent has sent as probes and gossip so far (its health report), by agent, and
    // when each was read.
    bool datagramBytes(std::vector<qint64> *bytes, std::vector<qint64> *readNs);

    QTextStream m_out{stdout};
    QTemporaryDir m_dir;
    QElapsedTimer m_clock;
    Protocol::KeyRing m_keys = Protocol::KeyRing::generate();
    std::vector<std::unique_ptr<QTcpServer>> m_heldPorts;
    Fleet m_fleet;
    std::unique_ptr<Protocol::AgentClient> m_console;
    QList<Seen> m_seen;
    QHash<QString, MemberState> m_states;
    int m_snapshots = 0;
    int m_dropTimeMs = 3000;
    QString m_error;
};

bool Bench::waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    if (done())
        return true;
    const qint64 budgetLeft = RunBudgetMs - m_clock.elapsed();
    if (budgetLeft <= 0)
        return false;
    QEventLoop loop;
    QTimer poll;
    poll.setInterval(5);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&loop, &done] {
        if (done())
            loop.quit();
    });
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    poll.start();
    deadline.start(int(qMin<qint64>(timeoutMs, budgetLeft)));
    loop.exec();
    return done();
}

const Bench::Seen *Bench::seen(const QString &id, MembershipEvent::Type type) const
{
    for (const Seen &event : m_seen) {
        if (event.id == id && event.type == type)
            return &event;
    }
    return nullptr;
}

int Bench::count(MembershipEvent::Type type) const
{
    return int(std::count_if(m_seen.cbegin(), m_seen.cend(), [type](const Seen &event) { return event.type == type; }));
}

// A failure (or a leave) reported for a member that was neither killed nor stopped.
bool Bench::falseFailure(QString *who) const
{
    for (const Seen &event : m_seen) {
        if (event.type != MembershipEvent::Type::Failure && event.type != MembershipEvent::Type::Leave)
            continue;
        bool expected = false;
        for (size_t i = 0; i < m_fleet.size(); ++i) {
            const Agent &agent = m_fleet.at(i);
            if (agent.id() == event.id)
                expected = event.type == MembershipEvent::Type::Failure ? agent.killed : agent.stopped;
        }
        if (!expected) {
            *who = QStringLiteral("%1 of %2 (%3) at %4 ms").arg(eventTypeName(event.type), event.id, event.reason).arg(event.ns / 1000000);
            for (size_t i = 0; i < m_fleet.size(); ++i) {
                if (m_fleet.at(i).id() == event.id)
                    *who += QStringLiteral("\nits output:\n") + agentOutput(const_cast<Agent &>(m_fleet.at(i))).right(6000);
            }
            return true;
        }
    }
    return false;
}

// Suspicions of members that were never killed: a sign of overload, not an error.
int Bench::suspectedAlive() const
{
    int suspected = 0;
    for (const Seen &event : m_seen) {
        if (event.type != MembershipEvent::Type::Suspect)
            continue;
        for (size_t i = 0; i < m_fleet.size(); ++i) {
            if (m_fleet.at(i).id() == event.id && !m_fleet.at(i).killed)
                ++suspected;
        }
    }
    return suspected;
}

// A port nothing listens on; it stays bound (so it is not handed out twice) until released.
quint16 Bench::reservePort(const QString &host)
{
    for (int attempt = 0; attempt < 20; ++attempt) {
        auto probe = std::make_unique<QTcpServer>();
        if (!probe->listen(QHostAddress(host), 0))
            return 0;
        const quint16 port = probe->serverPort();
        const bool taken = std::any_of(m_heldPorts.cbegin(), m_heldPorts.cend(),
                                       [port](const std::unique_ptr<QTcpServer> &held) { return held->serverPort() == port; });
        m_heldPorts.push_back(std::move(probe));
        if (!taken)
            return port;
    }
    return 0;
}

bool Bench::writeAxis2(const Agent &agent, const QString &lbHost, quint16 lbPort)
{
    const QString path = agent.home + QLatin1String("/repository/conf/axis2/axis2.xml");
    Config::ConfigError configError;
    std::optional<Config::Axis2Xml> axis2 = Config::Axis2Xml::load(path, &configError);
    QList<Config::WellKnownMember> members;
    if (agent.name != u"lb")
        members.append({lbHost, int(lbPort), 0});
    if (!axis2 || !axis2->setParameter(QStringLiteral("localMemberHost"), agent.host, &configError)
        || !axis2->setParameter(QStringLiteral("localMemberPort"), QString::number(agent.port), &configError)
        || !axis2->setWellKnownMembers(members, &configError) || !axis2->save(path, &configError))
        return failed(configError.toString());
    return true;
}

bool Bench::generate()
{
    if (!m_dir.isValid())
        return failed(QStringLiteral("no temporary folder"));
    const QString sample = TestSupport::sampleCluster();
    {
        auto lb = std::make_unique<Agent>();
        lb->name = QStringLiteral("lb");
        lb->home = m_dir.path() + QLatin1String("/lb");
        lb->host = QStringLiteral("127.0.0.1");
        m_fleet.add(std::move(lb));
    }
    for (int i = 1; i < NodeCount; ++i) {
        auto worker = std::make_unique<Agent>();
        worker->name = QStringLiteral("worker%1").arg(i, 2, 10, QLatin1Char('0'));
        worker->home = m_dir.path() + QLatin1Char('/') + worker->name;
        worker->host = QStringLiteral("127.0.0.%1").arg((i - 1) % HostCount + 1);
        m_fleet.add(std::move(worker));
    }
    for (size_t i = 0; i < m_fleet.size(); ++i) {
        Agent &agent = m_fleet.at(i);
        const QString from = sample + (i == 0 ? QLatin1String("/lb") : QLatin1String("/esb-worker1"));
        if (!TestSupport::copyTree(from, agent.home))
            return failed(QStringLiteral("cannot copy %1 to %2").arg(from, agent.home));
        agent.port = reservePort(agent.host);
        if (!agent.port)
            return failed(QStringLiteral("no free port on %1").arg(agent.host));
    }
    const Agent &lb = m_fleet.at(0);
    for (size_t i = 0; i < m_fleet.size(); ++i) {
        if (!writeAxis2(m_fleet.at(i), lb.host, lb.port))
            return false;
    }
    Config::ConfigError configError;
    const std::optional<Config::Axis2Xml> lbAxis2 =
        Config::Axis2Xml::load(lb.home + QLatin1String("/repository/conf/axis2/axis2.xml"), &configError);
    if (!lbAxis2)
        return failed(configError.toString());
    m_dropTimeMs = lbAxis2->clustering().memberDropTimeMs();
    QString error;
    if (!m_keys.save(m_dir.path() + QLatin1String("/cluster.keys"), &error))
        return failed(error);
    m_heldPorts.clear(); // the agents bind them now
    return true;
}

QString Bench::agentOutput(Agent &agent) const
{
    if (agent.process)
        agent.output += agent.process->readAll();
    return QString::fromUtf8(agent.output).trimmed();
}

bool Bench::datagramBytes(std::vector<qint64> *bytes, std::vector<qint64> *readNs)
{
    bytes->clear();
    readNs->clear();
    Protocol::KeyRing consoleKeys = m_keys;
    consoleKeys.remove(Protocol::Role::Member);
    consoleKeys.remove(Protocol::Role::Viewer);
    for (size_t i = 0; i < m_fleet.size(); ++i) {
        const Agent &agent = m_fleet.at(i);
        Protocol::AgentClient client({agent.host, agent.port}, consoleKeys, Protocol::Role::Console);
        std::optional<qint64> sent;
        QObject::connect(&client, &Protocol::AgentClient::healthReceived, &client,
                         [&sent](qint64, const QJsonObject &report) {
                             sent = report.value(QLatin1String("datagramBytesSent")).toInteger(-1);
                         });
        client.open();
        client.health();
        if (!waitUntil([&sent] { return sent.has_value(); }, EventTimeoutMs) || *sent < 0)
            return failed(QStringLiteral("no health report with datagramBytesSent from %1").arg(agent.name));
        bytes->push_back(*sent);
        readNs->push_back(nowNs());
    }
    return true;
}

bool Bench::start(Agent &agent)
{
    // The port was free when chosen; an outgoing connection of another agent may have taken it
    // since (they use the same ephemeral range). A worker's own port is named by no one else.
    if (agent.name != u"lb") {
        QTcpServer probe;
        if (!probe.listen(QHostAddress(agent.host), agent.port)) {
            agent.port = reservePort(agent.host);
            m_heldPorts.clear();
            const Agent &lb = m_fleet.at(0);
            if (!agent.port || !writeAxis2(agent, lb.host, lb.port))
                return failed(QStringLiteral("no free port for %1").arg(agent.name));
        }
    }
    agent.output.clear();
    agent.listeningNs = -1;
    agent.process = std::make_unique<QProcess>();
    QProcess *process = agent.process.get();
    process->setProcessChannelMode(QProcess::MergedChannels);
    // Should the benchmark die without cleaning up, the kernel kills its agents.
    process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    QObject::connect(process, &QProcess::readyReadStandardOutput, process, [this, &agent, process] {
        agent.output += process->readAll();
        if (agent.listeningNs < 0 && agent.output.contains("listening on"))
            agent.listeningNs = nowNs();
    });
    agent.startWallMs = QDateTime::currentMSecsSinceEpoch();
    agent.startNs = nowNs();
    process->start(QStringLiteral(TRIBUNE_AGENT_PATH),
                   {QStringLiteral("--carbon-home"), agent.home, QStringLiteral("--key-file"),
                    m_dir.path() + QLatin1String("/cluster.keys")});
    return true;
}

// Starts a worker and waits for its Join at the console; retries on a port taken meanwhile.
bool Bench::startAndJoin(Agent &agent, double *joinMs)
{
    for (int attempt = 1; attempt <= StartAttempts; ++attempt) {
        if (!start(agent))
            return false;
        const bool joined = waitUntil([this, &agent] { return seen(agent.id(), MembershipEvent::Type::Join) || !agent.running(); },
                                      EventTimeoutMs);
        if (const Seen *join = seen(agent.id(), MembershipEvent::Type::Join)) {
            *joinMs = double(join->ns - agent.startNs) / 1e6;
            return true;
        }
        const QString output = agentOutput(agent);
        if (joined && (output.contains(QLatin1String("cannot listen")) || output.contains(QLatin1String("cannot bind")))
            && attempt < StartAttempts) {
            m_out << "  " << agent.name << ": its port was taken, trying another one" << Qt::endl;
            agent.port = reservePort(agent.host);
            m_heldPorts.clear();
            if (!agent.port || !writeAxis2(agent, m_fleet.at(0).host, m_fleet.at(0).port))
                return false;
            continue;
        }
        if (agent.running())
            return failed(QStringLiteral("%1 (%2) started but its Join did not reach the console within %3 s%4")
                              .arg(agent.name, agent.id())
                              .arg(EventTimeoutMs / 1000)
                              .arg(m_clock.elapsed() >= RunBudgetMs ? QStringLiteral(" (run time budget used up)") : QString()));
        return failed(QStringLiteral("%1 (%2) did not start: %3").arg(agent.name, agent.id(), output));
    }
    return false;
}

bool Bench::run()
{
    m_clock.start();
    if (!generate())
        return false;
    m_out << "generated " << m_fleet.size() << " nodes (lb and " << m_fleet.size() - 1 << " workers on 127.0.0.1.."
          << "127.0.0." << HostCount << ") in " << m_clock.elapsed() << " ms" << Qt::endl;

    // The load balancer first, as the harness does it: start and wait for "listening on".
    Agent &lb = m_fleet.at(0);
    if (!start(lb))
        return false;
    if (!waitUntil([&lb] { return lb.listeningNs >= 0 || !lb.running(); }, EventTimeoutMs) || lb.listeningNs < 0)
        return failed(QStringLiteral("the load balancer's agent did not start: %1").arg(agentOutput(lb)));
    m_out << "lb agent " << lb.id() << " listening after " << ms(double(lb.listeningNs - lb.startNs) / 1e6) << Qt::endl;

    // A console on the load balancer, with the console key only.
    Protocol::KeyRing consoleKeys = m_keys;
    consoleKeys.remove(Protocol::Role::Member);
    consoleKeys.remove(Protocol::Role::Viewer);
    m_console = std::make_unique<Protocol::AgentClient>(Protocol::AgentClient::Endpoint{lb.host, lb.port}, consoleKeys,
                                                        Protocol::Role::Console);
    QObject::connect(m_console.get(), &Protocol::AgentClient::snapshotReceived, m_console.get(),
                     [this](qint64, qint64, const QList<Protocol::MemberView> &members) {
                         m_states.clear();
                         for (const Protocol::MemberView &member : members)
                             m_states.insert(member.info.id, member.state);
                         ++m_snapshots;
                     });
    QObject::connect(m_console.get(), &Protocol::AgentClient::eventReceived, m_console.get(),
                     [this](const MembershipEvent &event) {
                         m_seen.append({event.member.id, event.type, nowNs(), event.time.toMSecsSinceEpoch(), event.reason});
                         m_states.insert(event.member.id, stateAfter(event.type));
                     });
    QObject::connect(m_console.get(), &Protocol::AgentClient::refused, m_console.get(),
                     [this](const QString &reason) { m_error = QStringLiteral("console refused: ") + reason; });
    m_console->setAutoReconnect(true);
    m_console->subscribe();
    m_console->open();
    if (!waitUntil([this] { return m_snapshots > 0 || !m_error.isEmpty(); }, EventTimeoutMs) || m_snapshots == 0)
        return failed(m_error.isEmpty() ? QStringLiteral("no snapshot from the load balancer's agent") : m_error);

    // Joins, one at a time.
    QList<double> joinMs;
    QList<double> listeningMs;
    QList<double> listeningToLbMs;
    QList<double> lbToConsoleMs;
    for (size_t i = 1; i < m_fleet.size(); ++i) {
        Agent &agent = m_fleet.at(i);
        double join = 0;
        if (!startAndJoin(agent, &join))
            return false;
        joinMs.append(join);
        const Seen *event = seen(agent.id(), MembershipEvent::Type::Join);
        if (agent.listeningNs >= 0) {
            listeningMs.append(double(agent.listeningNs - agent.startNs) / 1e6);
            const double lbRecordedMs = double(event->agentWallMs - agent.startWallMs);
            listeningToLbMs.append(lbRecordedMs - listeningMs.constLast());
            lbToConsoleMs.append(join - lbRecordedMs);
        }
    }
    // Every member in the console's view, alive.
    const int alive = int(std::count(m_states.cbegin(), m_states.cend(), MemberState::Alive));
    if (alive != NodeCount)
        return failed(QStringLiteral("the console sees %1 members alive, not %2").arg(alive).arg(NodeCount));
    m_out << "all " << NodeCount << " agents joined; total " << m_clock.elapsed() << " ms since the start" << Qt::endl;

    // Steady state: probes only.
    waitUntil([] { return false; }, SettleMs);
    const int eventsBeforeSteady = int(m_seen.size());
    const int suspicionsBeforeSteady = suspectedAlive();
    for (size_t i = 0; i < m_fleet.size(); ++i) {
        if (!m_fleet.at(i).running())
            return failed(QStringLiteral("%1 exited on its own: %2").arg(m_fleet.at(i).name, agentOutput(m_fleet.at(i))));
    }
    QList<double> rss;
    double lbRss = 0;
    for (size_t i = 0; i < m_fleet.size(); ++i) {
        const std::optional<double> mb = rssMb(m_fleet.at(i).pid());
        if (!mb)
            return failed(QStringLiteral("cannot read the RSS of %1").arg(m_fleet.at(i).name));
        rss.append(*mb);
        if (i == 0)
            lbRss = *mb;
    }
    std::vector<qint64> bytesBefore;
    std::vector<qint64> bytesBeforeNs;
    if (!datagramBytes(&bytesBefore, &bytesBeforeNs))
        return false;
    std::vector<qint64> ticksBefore;
    for (size_t i = 0; i < m_fleet.size(); ++i)
        ticksBefore.push_back(cpuTicks(m_fleet.at(i).pid()).value_or(0));
    QElapsedTimer window;
    window.start();
    waitUntil([] { return false; }, TestSupport::envSeconds("TRIBUNE_BENCH_STEADY_S", 60) * 1000);
    const double windowS = double(window.nsecsElapsed()) / 1e9;
    const double ticksPerS = double(::sysconf(_SC_CLK_TCK));
    double lbCpu = 0;
    double allCpu = 0;
    for (size_t i = 0; i < m_fleet.size(); ++i) {
        const std::optional<qint64> after = cpuTicks(m_fleet.at(i).pid());
        if (!after)
            return failed(QStringLiteral("cannot read the CPU time of %1").arg(m_fleet.at(i).name));
        const double percent = double(*after - ticksBefore.at(i)) / ticksPerS / windowS * 100.0;
        allCpu += percent;
        if (i == 0)
            lbCpu = percent;
    }
    const int steadyEvents = int(m_seen.size()) - eventsBeforeSteady;
    // Read after the CPU window, so that the health requests do not count in it; each agent's
    // bytes over the time between its two readings.
    std::vector<qint64> bytesAfter;
    std::vector<qint64> bytesAfterNs;
    if (!datagramBytes(&bytesAfter, &bytesAfterNs))
        return false;
    QList<double> bytesPerS;
    for (size_t i = 0; i < m_fleet.size(); ++i)
        bytesPerS.append(double(bytesAfter.at(i) - bytesBefore.at(i)) / (double(bytesAfterNs.at(i) - bytesBeforeNs.at(i)) / 1e9));
    const int steadySuspicions = suspectedAlive() - suspicionsBeforeSteady;
    m_out << "steady state, " << QString::number(windowS, 'f', 1) << " s:" << Qt::endl;
    m_out << "    CPU of all " << NodeCount << " agents together: " << QString::number(allCpu, 'f', 1)
          << " % of one core (" << QString::number(allCpu / NodeCount, 'f', 2) << " % each; lb agent "
          << QString::number(lbCpu, 'f', 1) << " %)    target < " << AllAgentsCpuTarget << " %  "
          << verdict(allCpu < AllAgentsCpuTarget) << Qt::endl;
    m_out << "    bytes of probes and gossip sent per agent per second (UDP payload and header of ours): median " << QString::number(percentile(bytesPerS, 0.5), 'f', 0)
          << "  p99 " << QString::number(percentile(bytesPerS, 0.99), 'f', 0) << "  mean "
          << QString::number(std::accumulate(bytesPerS.cbegin(), bytesPerS.cend(), 0.0) / double(bytesPerS.size()), 'f', 0)
          << " (lb " << QString::number(bytesPerS.value(0), 'f', 0) << ")" << Qt::endl;
    m_out << "    suspicions of members nobody stopped: " << steadySuspicions << "    target 0  "
          << verdict(steadySuspicions == 0) << "; events at the console: " << steadyEvents << Qt::endl;

    // Graceful leaves, one at a time: the last workers started, one per host.
    QList<double> leaveMs;
    for (int n = 0; n < LeaveCount; ++n) {
        Agent &agent = m_fleet.at(m_fleet.size() - 1 - size_t(n));
        agent.stopped = true;
        const qint64 signalled = nowNs();
        ::kill(pid_t(agent.pid()), SIGTERM);
        if (!waitUntil([this, &agent] { return seen(agent.id(), MembershipEvent::Type::Leave) != nullptr; }, EventTimeoutMs))
            return failed(QStringLiteral("no Leave of %1 (%2) within %3 s of SIGTERM").arg(agent.name, agent.id()).arg(EventTimeoutMs / 1000));
        leaveMs.append(double(seen(agent.id(), MembershipEvent::Type::Leave)->ns - signalled) / 1e6);
        if (!waitUntil([&agent] { return !agent.running(); }, EventTimeoutMs))
            return failed(QStringLiteral("%1 did not exit within %2 s of SIGTERM").arg(agent.name).arg(EventTimeoutMs / 1000));
        if (agent.process->exitStatus() != QProcess::NormalExit || agent.process->exitCode() != 0)
            return failed(QStringLiteral("%1 did not exit cleanly after SIGTERM: %2").arg(agent.name, agentOutput(agent)));
    }

    // Deaths, one at a time: the five workers before those.
    QList<double> failureMs;
    for (int n = 0; n < KillCount; ++n) {
        Agent &agent = m_fleet.at(m_fleet.size() - 1 - size_t(LeaveCount + n));
        agent.killed = true;
        const qint64 signalled = nowNs();
        ::kill(pid_t(agent.pid()), SIGKILL);
        if (!waitUntil([this, &agent] { return seen(agent.id(), MembershipEvent::Type::Failure) != nullptr; }, EventTimeoutMs))
            return failed(QStringLiteral("no Failure of %1 (%2) within %3 s of SIGKILL").arg(agent.name, agent.id()).arg(EventTimeoutMs / 1000));
        failureMs.append(double(seen(agent.id(), MembershipEvent::Type::Failure)->ns - signalled) / 1e6);
        QString who;
        if (falseFailure(&who))
            return failed(QStringLiteral("false report: %1, which was not stopped or killed").arg(who));
    }
    waitUntil([] { return false; }, 1000); // late false failures
    QString who;
    if (falseFailure(&who))
        return failed(QStringLiteral("false report: %1, which was not stopped or killed").arg(who));
    for (size_t i = 0; i < m_fleet.size(); ++i) {
        const Agent &agent = m_fleet.at(i);
        if (!agent.stopped && !agent.killed && !agent.running())
            return failed(QStringLiteral("%1 exited on its own").arg(agent.name));
    }

    // The figures.
    const double failureTarget = m_dropTimeMs + FailureMarginMs;
    m_out << Qt::endl << "figures (targets beside them; the benchmark does not fail on figures):" << Qt::endl;
    m_out << "join, QProcess::start -> Join at the console, " << joinMs.size() << " agents:" << Qt::endl
          << "    p50 " << ms(percentile(joinMs, 0.5)) << "  p99 " << ms(percentile(joinMs, 0.99)) << "  max "
          << ms(maximum(joinMs)) << "    target p99 < " << ms(JoinP99TargetMs) << "  "
          << verdict(percentile(joinMs, 0.99) < JoinP99TargetMs) << Qt::endl;
    m_out << "    of which start -> \"listening on\" read:   p50 " << ms(percentile(listeningMs, 0.5)) << "  p99 "
          << ms(percentile(listeningMs, 0.99)) << Qt::endl;
    m_out << "             \"listening on\" -> lb records: p50 " << ms(percentile(listeningToLbMs, 0.5)) << "  p99 "
          << ms(percentile(listeningToLbMs, 0.99)) << "  (agent wall clock, 1 ms resolution)" << Qt::endl;
    m_out << "             lb records -> console:        p50 " << ms(percentile(lbToConsoleMs, 0.5)) << "  p99 "
          << ms(percentile(lbToConsoleMs, 0.99)) << Qt::endl;
    QStringList each;
    for (double value : std::as_const(joinMs))
        each.append(QString::number(value, 'f', 0));
    m_out << "    each (ms, in start order): " << each.join(QLatin1Char(' ')) << Qt::endl;
    each.clear();
    for (double value : std::as_const(leaveMs))
        each.append(QString::number(value, 'f', 1));
    m_out << "graceful leave, SIGTERM -> Leave at the console, " << leaveMs.size() << " agents: " << each.join(QLatin1String(", "))
          << " ms; max " << ms(maximum(leaveMs)) << "    target < " << ms(LeaveTargetMs) << "  "
          << verdict(maximum(leaveMs) < LeaveTargetMs) << Qt::endl;
    each.clear();
    for (double value : std::as_const(failureMs))
        each.append(QString::number(value, 'f', 0));
    m_out << "failure, SIGKILL -> Failure at the console, " << failureMs.size() << " agents: " << each.join(QLatin1String(", "))
          << " ms" << Qt::endl
          << "    p50 " << ms(percentile(failureMs, 0.5)) << "  p99 " << ms(percentile(failureMs, 0.99)) << "  max "
          << ms(maximum(failureMs)) << " (memberDropTime " << m_dropTimeMs << " ms)    target p99 < " << ms(failureTarget)
          << "  " << verdict(percentile(failureMs, 0.99) < failureTarget) << Qt::endl;
    m_out << "RSS (VmRSS) of " << rss.size() << " agents: median " << QString::number(percentile(rss, 0.5), 'f', 1)
          << " MB  max " << QString::number(maximum(rss), 'f', 1) << " MB  (lb " << QString::number(lbRss, 'f', 1)
          << " MB)    target < " << RssTargetMb << " MB  " << verdict(maximum(rss) < RssTargetMb) << Qt::endl;
    m_out << "suspicions over the whole run: " << count(MembershipEvent::Type::Suspect) << " (" << suspectedAlive()
          << " of agents that were not killed), refuted: " << count(MembershipEvent::Type::Refute) << Qt::endl;
    m_out << "run time: " << m_clock.elapsed() << " ms" << Qt::endl;
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList arguments = app.arguments();
    bool parsed = false;
    const int count = arguments.size() > 1 ? arguments.at(1).toInt(&parsed)
                                           : qEnvironmentVariableIntValue("TRIBUNE_BENCH_AGENTS", &parsed);
    if (parsed && count >= 20)
        NodeCount = count;
    else if (arguments.size() > 1 || qEnvironmentVariableIsSet("TRIBUNE_BENCH_AGENTS")) {
        QTextStream(stderr) << "bench_membership: the number of agents must be 20 or more" << Qt::endl;
        return 2;
    }
    bool ok = false;
    QString error;
    {
        Bench bench;
        ok = bench.run();
        error = bench.error();
    } // every agent is killed here, whatever happened
    if (!ok) {
        QTextStream(stderr) << "bench_membership FAILED: " << error << Qt::endl;
        return 1;
    }
    return 0;
}
