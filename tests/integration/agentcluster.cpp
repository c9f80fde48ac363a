#include "agentcluster.h"

#include "cluster/nodeconfig.h"
#include "cluster/nodefacts.h"
#include "config/axis2xml.h"
#include "config/configerror.h"

#include "../common/testsupport.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTcpServer>
#include <QThread>

#include <csignal>

using namespace Tribune;

namespace {

// A port nothing listens on right now (the kernel's choice for port 0).
quint16 freePort(const QString &host)
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress(host), 0))
        return 0;
    return probe.serverPort();
}

} // namespace

QString busyPorts(const QList<QPair<QString, quint16>> &endpoints)
{
    QStringList busy;
    for (const auto &[host, port] : endpoints) {
        QTcpServer probe;
        if (!probe.listen(QHostAddress(host), port))
            busy.append(host + QLatin1Char(':') + QString::number(port) + QLatin1String(" (") + probe.errorString()
                        + QLatin1Char(')'));
    }
    return busy.join(QLatin1String(", "));
}

QProcess *startAgentProcess(const QStringList &arguments)
{
    auto *process = new QProcess;
    process->setProcessChannelMode(QProcess::MergedChannels);
    process->start(QStringLiteral(TRIBUNE_AGENT_PATH), arguments);
    QByteArray seen;
    if (process->waitForStarted(5000)) {
        QElapsedTimer waited;
        waited.start();
        while (waited.elapsed() < 10000 && process->state() == QProcess::Running && !seen.contains("listening on")) {
            process->waitForReadyRead(100);
            seen += process->readAll();
        }
    }
    process->setProperty("output", seen);
    return process;
}

void stopAgentProcesses(const QList<QProcess *> &processes, const QString &folder)
{
    // Gracefully first, so a load balancer's agent stops its HAProxy; then by force.
    for (QProcess *process : processes) {
        if (process->state() != QProcess::NotRunning)
            ::kill(pid_t(process->processId()), SIGTERM);
    }
    for (QProcess *process : processes) {
        if (process->state() != QProcess::NotRunning && !process->waitForFinished(3000)) {
            process->kill();
            process->waitForFinished(5000);
        }
        delete process;
    }
    // HAProxy outlives its agent on purpose: stopped the way an administrator stops it.
    stopHAProxiesUnder(folder);
    // Whatever else still runs from this folder.
    QProcess::execute(QStringLiteral("pkill"), {QStringLiteral("-KILL"), QStringLiteral("-f"), folder});
}

void stopHAProxiesUnder(const QString &folder)
{
    QDirIterator pidFiles(folder, {QStringLiteral("haproxy.pid")}, QDir::Files, QDirIterator::Subdirectories);
    while (pidFiles.hasNext()) {
        const QString runtimeFolder = QFileInfo(pidFiles.next()).absolutePath();
        QProcess stopper;
        stopper.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        stopper.setStandardOutputFile(QProcess::nullDevice());
        stopper.start(QStringLiteral(TRIBUNE_AGENT_PATH), {QStringLiteral("--role"), QStringLiteral("lb"),
                                                           QStringLiteral("--stop-haproxy"), QStringLiteral("--runtime-dir"),
                                                           runtimeFolder});
        stopper.waitForFinished(15000);
    }
}

AgentCluster::AgentCluster(const QStringList &nodes)
    : m_nodes(nodes)
    , m_keys(Protocol::KeyRing::generate())
{
}

AgentCluster::~AgentCluster()
{
    stopAgentProcesses(m_processes.values(), m_dir.path());
}

QString AgentCluster::memberId(const QString &node) const
{
    return m_hosts.value(node) + QLatin1Char(':') + QString::number(m_ports.value(node));
}

bool AgentCluster::prepare(QString *error)
{
    if (!m_dir.isValid()) {
        *error = QStringLiteral("no temporary folder");
        return false;
    }
    QHash<QString, QString> nodeByEndpoint; // old "host:port" -> node
    for (const QString &node : std::as_const(m_nodes)) {
        if (!TestSupport::copyTree(TestSupport::sampleCluster() + QLatin1Char('/') + node.section(QLatin1Char('~'), 0, 0),
                                   home(node))) {
            *error = QStringLiteral("cannot copy node %1").arg(node);
            return false;
        }
        QList<Config::ConfigError> errors;
        const std::optional<NodeConfig> config = NodeConfig::load(home(node), &errors);
        if (!config) {
            *error = errors.value(0).toString();
            return false;
        }
        const NodeFacts facts = NodeFacts::of(*config);
        m_hosts.insert(node, facts.host);
        nodeByEndpoint.insert(facts.host + QLatin1Char(':') + QString::number(facts.memberPort), node);
        const quint16 port = freePort(facts.host);
        if (!port) {
            *error = QStringLiteral("no free port on %1").arg(facts.host);
            return false;
        }
        m_ports.insert(node, port);
    }
    // Move every membership port, and the well-known members that name it.
    for (const QString &node : std::as_const(m_nodes)) {
        const QString path = home(node) + QLatin1String("/repository/conf/axis2/axis2.xml");
        Config::ConfigError configError;
        std::optional<Config::Axis2Xml> axis2 = Config::Axis2Xml::load(path, &configError);
        if (!axis2) {
            *error = configError.toString();
            return false;
        }
        QList<Config::WellKnownMember> members;
        for (const Config::WellKnownMember &member : axis2->clustering().members) {
            const QString target = nodeByEndpoint.value(normalizedHost(member.host) + QLatin1Char(':') + QString::number(member.port));
            // A well-known member outside the test's nodes gets a port where nothing listens.
            members.append({member.host, target.isEmpty() ? int(freePort(member.host)) : int(m_ports.value(target)), 0});
        }
        if (!axis2->setParameter(QStringLiteral("localMemberPort"), QString::number(m_ports.value(node)), &configError)
            || !axis2->setWellKnownMembers(members, &configError) || !axis2->save(path, &configError)) {
            *error = configError.toString();
            return false;
        }
    }
    Protocol::KeyRing viewer = m_keys;
    viewer.remove(Protocol::Role::Console);
    viewer.remove(Protocol::Role::Member);
    return m_keys.save(keyFile(), error) && viewer.save(viewerKeyFile(), error);
}

bool AgentCluster::start(const QString &node, const QStringList &extraArguments)
{
    if (QProcess *old = m_processes.take(node)) {
        old->kill();
        old->waitForFinished(5000);
        delete old;
    }
    QProcess *process = startAgentProcess(
        QStringList{QStringLiteral("--carbon-home"), home(node), QStringLiteral("--key-file"), keyFile()} + extraArguments);
    m_processes.insert(node, process);
    if (process->property("output").toByteArray().contains("listening on"))
        return true;
    qWarning("agent %s did not start: %s", qPrintable(node), process->property("output").toByteArray().constData());
    return false;
}

QString AgentCluster::output(const QString &node) const
{
    QProcess *process = m_processes.value(node);
    if (!process)
        return {};
    const QByteArray more = process->readAll();
    process->setProperty("output", QByteArray(process->property("output").toByteArray() + more));
    return QString::fromUtf8(process->property("output").toByteArray());
}

bool AgentCluster::stop(const QString &node)
{
    QProcess *process = m_processes.value(node);
    if (!process || process->state() == QProcess::NotRunning)
        return false;
    ::kill(pid_t(process->processId()), SIGTERM);
    return process->waitForFinished(5000) && process->exitStatus() == QProcess::NormalExit;
}

bool AgentCluster::kill(const QString &node)
{
    QProcess *process = m_processes.value(node);
    if (!process || process->state() == QProcess::NotRunning)
        return false;
    ::kill(pid_t(process->processId()), SIGKILL);
    return process->waitForFinished(5000);
}

bool AgentCluster::isRunning(const QString &node) const
{
    const QProcess *process = m_processes.value(node);
    return process && process->state() == QProcess::Running;
}

qint64 AgentCluster::pid(const QString &node) const
{
    const QProcess *process = m_processes.value(node);
    return process ? process->processId() : 0;
}

std::unique_ptr<Protocol::AgentClient> AgentCluster::client(const QString &node, Protocol::Role role) const
{
    Protocol::KeyRing keys = m_keys;
    return std::make_unique<Protocol::AgentClient>(
        Protocol::AgentClient::Endpoint{m_hosts.value(node), m_ports.value(node)}, keys, role);
}
