// The console and HATop side by side on one real HAProxy of 1,000 servers, both at a one-second
// interval: each process's CPU (percent of one core) and RSS over the same window; twice, the
// console first without history (as HATop, which keeps none), then with its default SQLite history.
//
// The console is this program run again with --console: the console's own window and session
// (MainWindow following a SessionKeeper on the admin socket alone, history kept in SQLite as by
// default), offscreen, printing how many server rows its tree shows. HATop (Debian's hatop) runs
// in a pseudo-terminal of 200 x 60 made by script(1).
//
// Target: the console under half of HATop's CPU while it shows all 1,000 servers (like for like).
// Exits non-zero only when something is functionally wrong (a process did not run, the console
// does not show every server), never on the figures.
#include "liveview.h"
#include "mainwindow.h"

#include "../haproxy/livehaproxy.h"

#include "benchsupport.h"

#include "cluster/clusterworkspace.h"
#include "live/clusterconnection.h"
#include "live/livecluster.h"
#include "live/livesession.h"
#include "live/sessionkeeper.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <signal.h>
#include <unistd.h>

#include <cstdio>

using namespace Tribune;
using TestSupport::envSeconds;

namespace {

constexpr int Domains = 5;
constexpr int SubDomains = 2;
constexpr int ServersPerSubDomain = 100;
constexpr int ServerCount = Domains * SubDomains * ServersPerSubDomain;


// What /proc says of one process: CPU seconds so far (user + system), and its RSS in MB.
struct ProcessFigures
{
    double cpuSeconds = -1;
    double rssMegabytes = -1;
};

ProcessFigures figuresOf(qint64 pid)
{
    ProcessFigures figures;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (stat.open(QIODevice::ReadOnly)) {
        // Fields after the command (which may hold spaces) start after its closing parenthesis.
        const QByteArray line = stat.readAll();
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command.
        if (fields.size() > 13)
            figures.cpuSeconds = double(fields.at(11).toLongLong() + fields.at(12).toLongLong()) / double(sysconf(_SC_CLK_TCK));
    }
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (status.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("VmRSS:"))
                figures.rssMegabytes = line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
        }
    }
    return figures;
}

// The process whose command line holds all these words (HATop's python, below script and sh).
qint64 findProcess(const QList<QByteArray> &words)
{
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool isPid = false;
        const qint64 pid = entry.toLongLong(&isPid);
        if (!isPid)
            continue;
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
        if (!cmdline.open(QIODevice::ReadOnly))
            continue;
        const QByteArray text = cmdline.readAll().replace('\0', ' ');
        bool all = !text.startsWith("script ") && !text.startsWith("/bin/sh") && !text.startsWith("sh ");
        for (const QByteArray &word : words)
            all = all && text.contains(word);
        if (all)
            return pid;
    }
    return 0;
}

QString haproxyConfig(const QString &socket, quint16 frontendPort, quint16 healthyPort, quint16 closedPort)
{
    QString config;
    QTextStream out(&config);
    out << "global\n    stats socket " << socket << " mode 600 level admin\n"
        << "defaults\n    mode http\n    timeout connect 1s\n    timeout client 5s\n    timeout server 5s\n"
        << "frontend http-in\n    bind 127.0.0.1:" << frontendPort << "\n    default_backend wso2.domain0:worker\n";
    int server = 0;
    for (int domain = 0; domain < Domains; ++domain) {
        for (int sub = 0; sub < SubDomains; ++sub) {
            out << "backend wso2.domain" << domain << ':' << (sub == 0 ? "worker" : "mgt") << '\n'
                << "    option httpchk GET /\n    default-server inter 2s\n";
            for (int i = 0; i < ServersPerSubDomain; ++i, ++server) {
                // A few checked servers, some of them DOWN: states for both tools to show.
                out << "    server node-" << server << " 127.0.0.1:";
                if (server % 50 == 0)
                    out << closedPort << " check\n";
                else if (server % 50 == 1)
                    out << healthyPort << " check\n";
                else
                    out << healthyPort << '\n';
            }
        }
    }
    return config;
}

// The console in this process: what main.cpp builds for "tribune --lb-socket PATH".
int runConsole(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    const QString socket = QString::fromLocal8Bit(argv[2]);
    const QString history = QString::fromLocal8Bit(argv[3]);
    ClusterWorkspace workspace;
    SessionKeeper sessions;
    MainWindow window(&workspace);
    window.followSessions(&sessions);
    window.resize(1280, 800);
    window.show();
    ConnectionSettings settings;
    settings.loadBalancerSocket = socket;
    settings.keepHistory = history != u"none";
    settings.historyUrl = settings.keepHistory ? QLatin1String("sqlite://") + history : history;
    QObject::connect(&sessions, &SessionKeeper::connectFailed, &app, [](const QString &reason) {
        std::printf("failed %s\n", qPrintable(reason));
        std::fflush(stdout);
        QApplication::exit(1);
    });
    sessions.connectTo(settings, QStringLiteral("1,000 servers"));
    QTimer report;
    QObject::connect(&report, &QTimer::timeout, &app, [&sessions] {
        int servers = 0;
        if (const LiveSession *session = sessions.current()) {
            for (const LiveMember &member : session->cluster()->members())
                servers += !member.traffic.isFrontend && member.inLoadBalancer;
        }
        std::printf("rows %d\n", servers);
        std::fflush(stdout);
    });
    report.start(1000);
    return QApplication::exec();
}

} // namespace

int main(int argc, char *argv[])
{
    if (argc == 4 && qstrcmp(argv[1], "--console") == 0)
        return runConsole(argc, argv);

    QCoreApplication app(argc, argv);
    const int warmUp = envSeconds("BENCH_WARMUP_SECONDS", 10);
    const int window = envSeconds("BENCH_SECONDS", 30);
    QTemporaryDir dir;
    if (TestSupport::LiveHAProxy::executable().isEmpty() || QStandardPaths::findExecutable(QStringLiteral("hatop")).isEmpty()) {
        std::printf("bench_hatop: haproxy and hatop are needed (./run test installs both)\n");
        return 1;
    }
    TestSupport::HealthResponder healthy;
    if (!dir.isValid() || !healthy.listen())
        return 1;
    const QString socket = dir.filePath(QStringLiteral("admin.sock"));
    TestSupport::LiveHAProxy haproxy;
    const QString error = haproxy.start(dir.filePath(QStringLiteral("haproxy.cfg")),
                                        haproxyConfig(socket, TestSupport::freePort(), healthy.port(), TestSupport::freePort()), socket);
    if (!error.isEmpty()) {
        std::printf("bench_hatop: %s\n", qPrintable(error));
        return 1;
    }

    // Each run: the console and HATop started together, measured over the same window, stopped.
    const auto measure = [&](bool withHistory) -> bool {
        QProcess console;
        console.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
        environment.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("data")));
        console.setProcessEnvironment(environment);
        int shownRows = 0;
        QString consoleFailure;
        QObject::connect(&console, &QProcess::readyReadStandardOutput, &console, [&] {
            while (console.canReadLine()) {
                const QByteArray line = console.readLine().trimmed();
                if (line.startsWith("rows "))
                    shownRows = line.mid(5).toInt();
                else if (line.startsWith("failed "))
                    consoleFailure = QString::fromLocal8Bit(line.mid(7));
            }
        });
        console.start(QCoreApplication::applicationFilePath(),
                      {QStringLiteral("--console"), socket,
                       withHistory ? dir.filePath(QStringLiteral("history.sqlite")) : QStringLiteral("none")});

        QProcess hatop;
        hatop.setProcessEnvironment(QProcessEnvironment::systemEnvironment());
        hatop.start(QStringLiteral("script"), {QStringLiteral("-q"), QStringLiteral("-e"), QStringLiteral("-c"),
                                               QStringLiteral("stty rows 60 cols 200; TERM=xterm exec hatop -s %1 -i 1").arg(socket),
                                               QStringLiteral("/dev/null")});
        // HATop draws to its terminal; what it writes is read and dropped, as a terminal would.
        QObject::connect(&hatop, &QProcess::readyReadStandardOutput, &hatop, [&hatop] { hatop.readAllStandardOutput(); });
        if (!console.waitForStarted(5000) || !hatop.waitForStarted(5000)) {
            std::printf("bench_hatop: a process did not start\n");
            return false;
        }
        // Waiting sleeps in an event loop: the bench itself must not take the CPU it measures.
        const auto waitMs = [](int ms) {
            QEventLoop loop;
            QTimer::singleShot(ms, &loop, &QEventLoop::quit);
            loop.exec();
        };
        QElapsedTimer clock;
        clock.start();
        qint64 hatopPid = 0;
        while (clock.elapsed() < qint64(warmUp) * 1000) {
            waitMs(500);
            if (!hatopPid)
                hatopPid = findProcess({QByteArray("bin/hatop -s"), socket.toLocal8Bit()});
        }
        if (!hatopPid || hatop.state() != QProcess::Running || console.state() != QProcess::Running) {
            std::printf("bench_hatop: %s is not running%s\n", hatopPid && hatop.state() == QProcess::Running ? "the console" : "hatop",
                        qPrintable(consoleFailure.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(consoleFailure)));
            return false;
        }

        const ProcessFigures consoleBefore = figuresOf(console.processId());
        const ProcessFigures hatopBefore = figuresOf(hatopPid);
        clock.restart();
        double consolePeak = 0;
        double hatopPeak = 0;
        while (clock.elapsed() < qint64(window) * 1000) {
            waitMs(500);
            consolePeak = std::max(consolePeak, figuresOf(console.processId()).rssMegabytes);
            hatopPeak = std::max(hatopPeak, figuresOf(hatopPid).rssMegabytes);
        }
        const double seconds = double(clock.elapsed()) / 1000.0;
        const ProcessFigures consoleAfter = figuresOf(console.processId());
        const ProcessFigures hatopAfter = figuresOf(hatopPid);
        const double consoleCpu = 100.0 * (consoleAfter.cpuSeconds - consoleBefore.cpuSeconds) / seconds;
        const double hatopCpu = 100.0 * (hatopAfter.cpuSeconds - hatopBefore.cpuSeconds) / seconds;

        std::printf("bench_hatop: one HAProxy with %d servers, both polling every second, measured over %.0f s after %d s; "
                    "the console %s\n",
                    ServerCount, seconds, warmUp,
                    withHistory ? "keeping every sample in its default SQLite history" : "with no history (--no-history), as HATop");
        std::printf("  console: CPU %.2f %% of a core, RSS %.1f MB (peak %.1f MB), server rows shown %d\n", consoleCpu,
                    consoleAfter.rssMegabytes, consolePeak, shownRows);
        std::printf("  hatop:   CPU %.2f %% of a core, RSS %.1f MB (peak %.1f MB)\n", hatopCpu, hatopAfter.rssMegabytes, hatopPeak);
        std::printf("  console CPU / hatop CPU: %.2f (target under 0.5)\n", hatopCpu > 0 ? consoleCpu / hatopCpu : 0.0);

        console.kill();
        console.waitForFinished(5000);
        hatop.kill();
        hatop.waitForFinished(5000);
        if (hatopPid)
            ::kill(pid_t(hatopPid), SIGKILL);
        if (shownRows != ServerCount) {
            std::printf("bench_hatop: the console showed %d of %d servers\n", shownRows, ServerCount);
            return false;
        }
        return true;
    };
    // Like for like first (HATop keeps no history), then the console as it starts by default.
    const bool ok = measure(false) && measure(true);
    haproxy.stop();
    return ok ? 0 : 1;
}
