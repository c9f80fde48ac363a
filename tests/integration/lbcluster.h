#pragma once

// A copy of the sample cluster with the load balancer's agent running a real HAProxy on free
// ports, and the helpers the tests that use it share: programs run to completion, HTTP through
// HAProxy, and HAProxy's runtime API made synchronous. Needs TRIBUNECTL_PATH.
#include "agentcluster.h"
#include "httpprobe.h"

#include "haproxy/haproxystats.h"
#include "haproxy/runtimeclient.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QTcpServer>
#include <QTimer>

#include <csignal>
#include <memory>

namespace LbTest {

using namespace Tribune;

const QString Lb = QStringLiteral("lb");
const QString Manager = QStringLiteral("esb-manager");
const QString Worker1 = QStringLiteral("esb-worker1");
const QString Worker2 = QStringLiteral("esb-worker2");
const QString WorkerBackend = QStringLiteral("wso2.esb.domain:worker");
const QString ManagerBackend = QStringLiteral("wso2.esb.domain:mgt");

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

inline Run runProgram(const QString &program, const QStringList &arguments, int timeoutMs = 20000)
{
    QProcess process;
    process.start(program, arguments);
    Run run;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

inline Run tribunectl(const QStringList &arguments)
{
    return runProgram(QStringLiteral(TRIBUNECTL_PATH), arguments);
}

inline quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

// The members' HTTP ports are fixed by the sample; a test cannot run when something holds one.
inline int statusOf(quint16 port, const QString &host, const QString &path)
{
    const std::optional<HttpResponse> response = httpGet(port, host, path);
    return response ? response->status : 0;
}

inline QString memberOf(quint16 port, const QString &host, const QString &path)
{
    const std::optional<HttpResponse> response = httpGet(port, host, path);
    return response && response->status == 200 ? response->memberId() : QString();
}

// Runtime API calls made synchronous for the test.
struct Runtime
{
    explicit Runtime(const QString &socket)
    {
        QString error;
        client = std::make_unique<HAProxy::RuntimeClient>(*HAProxy::RuntimeClient::parseAddress(socket, &error));
        client->setTimeout(2000);
    }

    std::optional<QList<HAProxy::ServerState>> serversState()
    {
        std::optional<QList<HAProxy::ServerState>> result;
        QEventLoop loop;
        client->showServersState([&](const HAProxy::Reply &reply, const QList<HAProxy::ServerState> &states) {
            if (reply.ok)
                result = states;
            loop.quit();
        });
        QTimer::singleShot(3000, &loop, &QEventLoop::quit);
        loop.exec();
        return result;
    }

    std::optional<QList<HAProxy::StatRow>> stat()
    {
        std::optional<QList<HAProxy::StatRow>> result;
        QEventLoop loop;
        client->showStat([&](const HAProxy::Reply &reply, const QList<HAProxy::StatRow> &rows) {
            if (reply.ok)
                result = rows;
            loop.quit();
        });
        QTimer::singleShot(3000, &loop, &QEventLoop::quit);
        loop.exec();
        return result;
    }

    // "backend/server" of every server HAProxy has in the given backends.
    QSet<QString> servers(const QStringList &backends)
    {
        QSet<QString> names;
        if (const auto states = serversState()) {
            for (const HAProxy::ServerState &state : *states) {
                if (backends.contains(state.backend))
                    names.insert(state.backend + QLatin1Char('/') + state.server);
            }
        }
        return names;
    }

    std::optional<HAProxy::ServerState> server(const QString &backend, const QString &name)
    {
        if (const auto states = serversState()) {
            for (const HAProxy::ServerState &state : *states) {
                if (state.backend == backend && state.server == name)
                    return state;
            }
        }
        return std::nullopt;
    }

    // "show stat"'s status of a server ("UP", "DRAIN", ...), empty when it is not there.
    QString status(const QString &backend, const QString &name)
    {
        return statRow(backend, name).status;
    }

    HAProxy::StatRow statRow(const QString &backend, const QString &name)
    {
        if (const auto rows = stat()) {
            for (const HAProxy::StatRow &row : *rows) {
                if (row.proxy == backend && row.server == name)
                    return row;
            }
        }
        return {};
    }

    std::unique_ptr<HAProxy::RuntimeClient> client;
};

// The processes whose command line names the configuration: HAProxy's master and workers.
inline QList<qint64> haproxyPids(const QString &configPath)
{
    // Master and workers only (started "-W -D -p PIDFILE -f CONFIG"), not a passing
    // "haproxy -c -q -f ..." check.
    const Run run = runProgram(QStringLiteral("pgrep"),
                               {QStringLiteral("-f"), QStringLiteral("--"), QStringLiteral("-D -p .* -f ") + configPath}, 5000);
    QList<qint64> pids;
    for (const QByteArray &line : run.out.split('\n')) {
        bool ok = false;
        const qint64 pid = line.trimmed().toLongLong(&ok);
        if (ok)
            pids.append(pid);
    }
    return pids;
}

// A copy of the sample cluster with the lb agent driving its own HAProxy on free ports.
class LbCluster
{
public:
    explicit LbCluster(const QStringList &nodes)
        : cluster(QStringList{Lb} + nodes)
        , httpPort(freePort())
        , httpsPort(freePort())
    {
    }

    // HAProxy outlives its agent: the cluster's harness stops it through its pid file.
    ~LbCluster() = default;

    bool prepare(QString *error)
    {
        if (!httpPort || !httpsPort || httpPort == httpsPort) {
            *error = QStringLiteral("no free ports for HAProxy");
            return false;
        }
        return cluster.prepare(error);
    }

    QString runtimeDir() const { return cluster.root() + QLatin1String("/haproxy"); }
    QString socket() const { return runtimeDir() + QLatin1String("/admin.sock"); }
    QString configPath() const { return runtimeDir() + QLatin1String("/haproxy.cfg"); }
    QString lbConf() const { return cluster.home(Lb) + QLatin1String("/repository/conf/loadbalancer.conf"); }

    bool startLb(const QStringList &extra = {})
    {
        return cluster.start(Lb, QStringList{QStringLiteral("--role"), QStringLiteral("lb"), QStringLiteral("--bind"),
                                             QStringLiteral("127.0.0.1"), QStringLiteral("--http-port"),
                                             QString::number(httpPort), QStringLiteral("--https-port"),
                                             QString::number(httpsPort), QStringLiteral("--runtime-dir"), runtimeDir()}
                                     + extra);
    }

    bool startMember(const QString &node)
    {
        return cluster.start(node, {QStringLiteral("--serve-http")});
    }

    // prepare(), then the load balancer's agent and node (serving HTTP) until HAProxy has node UP
    // in backend: empty, or what went wrong.
    QString startServing(const QString &node, const QString &backend)
    {
        QString error;
        if (!prepare(&error))
            return error;
        if (!startLb() || !startMember(node))
            return QStringLiteral("an agent did not start: ") + cluster.output(Lb) + cluster.output(node);
        Runtime runtime(socket());
        QElapsedTimer waited;
        waited.start();
        while (runtime.status(backend, cluster.memberId(node)) != u"UP") {
            if (waited.elapsed() > 8000)
                return QStringLiteral("%1 is not UP in %2 after 8 s").arg(node, backend);
            QEventLoop pause;
            QTimer::singleShot(50, &pause, &QEventLoop::quit);
            pause.exec();
        }
        return {};
    }

    QString pidFile() const { return runtimeDir() + QLatin1String("/haproxy.pid"); }

    // The HAProxy master the agent runs, as its pid file names it (0 if it names none running).
    qint64 masterPid() const
    {
        QFile file(pidFile());
        if (!file.open(QIODevice::ReadOnly))
            return 0;
        const qint64 pid = file.readAll().trimmed().toLongLong();
        return pid > 0 && ::kill(pid_t(pid), 0) == 0 ? pid : 0;
    }

    // tribune-agent --role lb --stop-haproxy, as an administrator stops the load balancer.
    Run stopHAProxy() const
    {
        return runProgram(QStringLiteral(TRIBUNE_AGENT_PATH), {QStringLiteral("--role"), QStringLiteral("lb"),
                                                                QStringLiteral("--stop-haproxy"),
                                                                QStringLiteral("--runtime-dir"), runtimeDir()});
    }

    AgentCluster cluster;
    quint16 httpPort;
    quint16 httpsPort;
};


} // namespace LbTest

#define REQUIRE_FREE(...)                                                                                                   \
    do {                                                                                                                    \
        const QString busy = busyPorts({__VA_ARGS__});                                                                     \
        if (!busy.isEmpty())                                                                                                \
            QFAIL(qPrintable(QStringLiteral("the sample cluster's HTTP ports are in use, stop what holds them: ") + busy)); \
    } while (false)

