// The console under the load of 1,000 members with one-second statistics. A LiveSession that
// connects nowhere is shown in a MainWindow (offscreen) and its LiveCluster is fed in-process:
// a snapshot of 1,000 members (10 domains x 2 sub-domains x 50), then every second one load
// balancer poll of 1,000 servers (a few DRAIN or DOWN, changing over time) and every 5 s a
// failure and a rejoin. After a warm-up, it measures the process CPU, the peak and final RSS,
// how late a 5 ms timer fires on the main thread, and how long each applyTraffic takes; once with
// the cluster row selected (the charts sum everyone), once with one member selected, and once
// with its sub-domain selected (the charts stack its members).
// Exits non-zero only when something is functionally wrong, never on the figures.
#include "liveview.h"
#include "mainwindow.h"
#include "trafficcharts.h"

#include "benchsupport.h"

#include "cluster/clusterworkspace.h"
#include "live/livecluster.h"
#include "live/liveclustermodel.h"
#include "live/livesession.h"
#include "live/metricseries.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTimer>
#include <QTreeView>

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

using namespace Tribune;
using TestSupport::envSeconds;

namespace {

constexpr int Domains = 10;
constexpr int SubDomains = 2;
constexpr int MembersPerSubDomain = 50;
constexpr int MemberCount = Domains * SubDomains * MembersPerSubDomain;
constexpr int StallTimerMs = 5;


double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// A field of /proc/self/status in MB (VmHWM, VmRSS).
double statusMegabytes(const char *field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray prefix = QByteArray(field) + ':';
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return -1;
}

double percentile(std::vector<double> values, double q)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, size_t(q * double(values.size() - 1) + 0.5))];
}

// The synthetic cluster and its load balancer, one second at a time.
class Load
{
public:
    explicit Load(LiveCluster *cluster)
        : m_cluster(cluster)
    {
        for (int d = 0; d < Domains; ++d) {
            for (int s = 0; s < SubDomains; ++s) {
                for (int i = 0; i < MembersPerSubDomain; ++i) {
                    const int n = s * MembersPerSubDomain + i + 1;
                    Protocol::MemberInfo info;
                    info.host = QStringLiteral("10.0.%1.%2").arg(d).arg(n);
                    info.id = info.host + QLatin1String(":4000");
                    info.port = 4000;
                    info.httpPort = 9763;
                    info.httpsPort = 9443;
                    info.domain = QStringLiteral("domain%1.example.com").arg(d);
                    info.subDomain = s == 0 ? QStringLiteral("worker") : QStringLiteral("manager");
                    info.startedAtMs = QDateTime::currentMSecsSinceEpoch() - 3600 * 1000;
                    info.incarnation = 1;
                    m_members.append(info);
                    m_baseRate.push_back(20.0 + m_random.bounded(80.0));
                }
            }
        }
    }

    void snapshot()
    {
        QList<Protocol::MemberView> views;
        for (const Protocol::MemberInfo &info : std::as_const(m_members))
            views.append({info, Protocol::MemberState::Alive});
        m_cluster->applySnapshot(views);
    }

    // One second: a load balancer poll, and every 5 s a failure and a rejoin.
    void tick()
    {
        ++m_second;
        if (m_second % 5 == 0)
            membershipEvents();
        QList<ServerTraffic> servers;
        servers.reserve(MemberCount);
        for (int i = 0; i < MemberCount; ++i) {
            const Protocol::MemberInfo &info = m_members.at(i);
            ServerTraffic traffic;
            traffic.backend = info.domain + u':' + info.subDomain;
            traffic.server = info.id;
            traffic.status = statusOf(i);
            traffic.checkStatus = traffic.status == u"DOWN" ? QStringLiteral("L4CON") : QStringLiteral("L7OK");
            traffic.lastChangeSeconds = m_second;
            traffic.weight = 100;
            const bool serving = traffic.status == u"UP";
            const double rate = serving ? m_baseRate[size_t(i)] * (0.8 + m_random.bounded(0.4)) : 0;
            traffic.requestRate = rate;
            traffic.sessions = serving ? std::round(rate * (0.05 + m_random.bounded(0.2))) : 0;
            traffic.bytesInRate = rate * (400 + m_random.bounded(800.0));
            traffic.bytesOutRate = rate * (2000 + m_random.bounded(30000.0));
            traffic.errors5xxRate = serving && m_random.bounded(20) == 0 ? m_random.bounded(2.0) : 0;
            traffic.responseTimeMs = serving ? 15 + m_random.bounded(120.0) : 0;
            servers.append(traffic);
        }
        QElapsedTimer timer;
        timer.start();
        m_cluster->applyTraffic(servers);
        trafficMs.push_back(double(timer.nsecsElapsed()) / 1e6);
    }

    std::vector<double> trafficMs;

private:
    // A few members drain or are DOWN, a different few every 10 s; a failed member is DOWN.
    QString statusOf(int index) const
    {
        if (index == m_failed)
            return QStringLiteral("DOWN");
        const int epoch = m_second / 10;
        for (int k = 0; k < 3; ++k) {
            if (index == (epoch * 37 + k * 331) % MemberCount)
                return QStringLiteral("DRAIN");
            if (index == (epoch * 53 + k * 277 + 101) % MemberCount)
                return QStringLiteral("DOWN");
        }
        return QStringLiteral("UP");
    }

    void membershipEvents()
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        if (m_failed >= 0) {
            Protocol::MemberInfo &info = m_members[m_failed];
            info.incarnation += 1;
            info.startedAtMs = now.toMSecsSinceEpoch();
            m_cluster->applyEvent({++m_sequence, Protocol::MembershipEvent::Type::Join, info, QString(), now, {}});
        }
        m_failed = (m_failed + 97 + 1) % MemberCount;
        m_cluster->applyEvent({++m_sequence, Protocol::MembershipEvent::Type::Failure, m_members.at(m_failed),
                               QStringLiteral("no heartbeat for 3 s"), now, {}});
    }

    LiveCluster *m_cluster;
    QList<Protocol::MemberInfo> m_members;
    std::vector<double> m_baseRate;
    QRandomGenerator m_random{20240601};
    int m_second = 0;
    int m_failed = -1;
    qint64 m_sequence = 0;
};

// Counts member rows below a row of the tree model.
int membersBelow(const QAbstractItemModel *model, const QModelIndex &parent)
{
    int count = 0;
    for (int row = 0; row < model->rowCount(parent); ++row) {
        const QModelIndex child = model->index(row, 0, parent);
        if (LiveClusterModel::Kind(child.data(LiveClusterModel::KindRole).toInt()) == LiveClusterModel::Kind::Member)
            ++count;
        else
            count += membersBelow(model, child);
    }
    return count;
}

bool checkMembers(const LiveSession &session, const char *when)
{
    const QAbstractItemModel *model = session.model();
    const QModelIndex clusterIndex = model->index(0, 0);
    const int counted = membersBelow(model, clusterIndex);
    const int role = clusterIndex.data(LiveClusterModel::MemberCountRole).toInt();
    const bool ok = counted == MemberCount && role == MemberCount && session.cluster()->members().size() == MemberCount;
    std::printf("  check (%s): %d member rows below the cluster row, MemberCountRole %d: %s\n", when, counted, role,
                ok ? "ok" : "WRONG");
    return ok;
}

// Runs the load for warmup + steady seconds; prints the figures of the steady part.
void runPhase(QApplication &app, Load &load, const char *name, int warmupSeconds, int steadySeconds)
{
    std::printf("\n[%s] %d s warm-up, then %d s steady state\n", name, warmupSeconds, steadySeconds);
    std::fflush(stdout);
    std::vector<double> stalls;
    bool measuring = false;
    double cpuStart = 0;
    QElapsedTimer wall;
    QElapsedTimer sinceTick;

    QTimer stallTimer;
    stallTimer.setTimerType(Qt::PreciseTimer);
    stallTimer.setInterval(StallTimerMs);
    QObject::connect(&stallTimer, &QTimer::timeout, &app, [&] {
        const double elapsedMs = double(sinceTick.nsecsElapsed()) / 1e6;
        sinceTick.start();
        if (measuring)
            stalls.push_back(std::max(0.0, elapsedMs - StallTimerMs));
    });

    int seconds = 0;
    QEventLoop loop;
    QTimer secondTimer;
    secondTimer.setTimerType(Qt::PreciseTimer);
    secondTimer.setInterval(1000);
    QObject::connect(&secondTimer, &QTimer::timeout, &app, [&] {
        ++seconds;
        if (seconds == warmupSeconds) {
            load.trafficMs.clear();
            stalls.clear();
            measuring = true;
            cpuStart = cpuSeconds();
            wall.start();
        }
        if (seconds == warmupSeconds + steadySeconds) {
            loop.quit();
            return;
        }
        load.tick();
    });
    sinceTick.start();
    stallTimer.start();
    secondTimer.start();
    load.tick();
    loop.exec();
    stallTimer.stop();
    secondTimer.stop();

    const double cpu = 100.0 * (cpuSeconds() - cpuStart) / (double(wall.nsecsElapsed()) / 1e9);
    std::printf("  CPU (process, user+sys / wall): %6.1f %% of one core     target < 5 %%    %s\n", cpu,
                cpu < 5 ? "met" : "MISSED");
    const double peak = statusMegabytes("VmHWM");
    std::printf("  RSS: peak %.1f MB, now %.1f MB                         target < 250 MB %s\n", peak,
                statusMegabytes("VmRSS"), peak < 250 ? "met" : "MISSED");
    const double p99 = percentile(stalls, 0.99);
    std::printf("  main-thread stall (5 ms timer lateness, %zu ticks): p50 %.2f ms, p99 %.2f ms, max %.2f ms"
                "   target p99 < 16 ms %s\n",
                stalls.size(), percentile(stalls, 0.5), p99, stalls.empty() ? 0.0 : *std::max_element(stalls.begin(), stalls.end()),
                p99 < 16 ? "met" : "MISSED");
    std::printf("  applyTraffic (1,000 servers, %zu calls): p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", load.trafficMs.size(),
                percentile(load.trafficMs, 0.5), percentile(load.trafficMs, 0.99),
                load.trafficMs.empty() ? 0.0 : *std::max_element(load.trafficMs.begin(), load.trafficMs.end()));
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    const int warmup = envSeconds("BENCH_WARMUP_SECONDS", 5);
    const int steady = envSeconds("BENCH_STEADY_SECONDS", 30);

    // No seeds, no load balancer, no history: nothing connects anywhere, and start() is not called.
    ConnectionSettings settings;
    settings.keepHistory = false;
    LiveSession session(settings, QStringLiteral("bench cluster"));
    ClusterWorkspace workspace;
    MainWindow window(&workspace, &session, MemberActions::of(&session));
    window.resize(1280, 800);
    window.show();

    std::printf("bench_console: %d members (%d domains x %d sub-domains x %d), one load balancer poll a second,\n"
                "a failure and a rejoin every 5 s; fed in-process to LiveSession::cluster() (no agents, no HAProxy,\n"
                "no sockets), shown in a MainWindow 1280x800 on the %s platform.\n",
                MemberCount, Domains, SubDomains, MembersPerSubDomain, qPrintable(QGuiApplication::platformName()));

    Load load(session.cluster());
    QElapsedTimer snapshotTimer;
    snapshotTimer.start();
    load.snapshot();
    std::printf("  applySnapshot of %d members: %.1f ms\n", MemberCount, double(snapshotTimer.nsecsElapsed()) / 1e6);
    bool ok = checkMembers(session, "after the snapshot");

    QTreeView *tree = window.liveView()->tree();
    tree->setCurrentIndex(tree->model()->index(0, 0));
    const int charted = int(window.liveView()->selectedMembers().size());
    std::printf("  cluster row selected: the charts sum %d members\n", charted);
    ok = ok && charted == MemberCount;
    runPhase(app, load, "cluster row selected", warmup, steady);
    ok = checkMembers(session, "after the cluster phase") && ok;

    const QString one = QStringLiteral("10.0.3.17:4000");
    const bool selected = window.liveView()->selectMember(one) && window.liveView()->selectedMembers() == QStringList{one};
    std::printf("\n  member %s selected: %s\n", qPrintable(one), selected ? "ok" : "WRONG");
    ok = ok && selected;
    runPhase(app, load, "one member selected", warmup, steady);

    // The member's sub-domain: its charts stack the nine busiest members and the other 41 as one.
    tree->setCurrentIndex(tree->currentIndex().parent());
    QCoreApplication::processEvents();
    const int stacked = window.liveView()->charts()->seriesCount(Metric::RequestRate);
    std::printf("\n  sub-domain of %d members selected: the charts stack %d layers: %s\n", MembersPerSubDomain, stacked,
                stacked == 10 ? "ok" : "WRONG");
    ok = ok && stacked == 10;
    runPhase(app, load, "sub-domain selected, members stacked", warmup, steady);
    ok = checkMembers(session, "at the end") && ok;
    const bool sampled = session.series()->memberCount() == MemberCount;
    std::printf("  chart samples kept for %d members: %s\n", session.series()->memberCount(), sampled ? "ok" : "WRONG");
    ok = ok && sampled;

    std::printf("\n%s\n", ok ? "bench_console: functional checks passed (figures never fail the run)"
                             : "bench_console: FUNCTIONAL CHECK FAILED");
    return ok ? 0 : 1;
}
