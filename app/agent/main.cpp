// tribune-agent: runs on every node. Start-up wiring only: the options, then the node (see
// AgentRuntime), or on a bare server the provisioning port that waits for its configuration.
#include "agentruntime.h"
#include "haproxysupervisor.h"
#include "loadbalancerrole.h"
#include "provisioningservice.h"

#include "cluster/hostmodel.h"
#include "cluster/nodeconfig.h"
#include "config/configerror.h"
#include "haproxy/haproxyconfig.h"
#include "protocol/agentclient.h"
#include "protocol/keyring.h"
#include "i18n/translations.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLocale>
#include <QDir>
#include <QFileInfo>
#include <QJsonObject>
#include <QSocketNotifier>
#include <QTextStream>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace {

// The program's own messages, in the context lupdate extracts for them.
struct AgentMainText
{
    Q_DECLARE_TR_FUNCTIONS(tribune_agent)
};

int signalPipe[2] = {-1, -1};

void onTerminationSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = ::write(signalPipe[1], &byte, 1);
}

// SIGTERM and SIGINT end the agent gracefully: it tells its peers it leaves, then exits.
void watchTerminationSignals(const std::function<void()> &onSignal)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(signalPipe[0], QSocketNotifier::Read, QCoreApplication::instance());
    QObject::connect(notifier, &QSocketNotifier::activated, notifier, [notifier, onSignal] {
        char byte;
        [[maybe_unused]] const ssize_t read = ::read(signalPipe[0], &byte, 1);
        notifier->setEnabled(false);
        onSignal();
    });
    struct sigaction action = {};
    action.sa_handler = onTerminationSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tribune-agent"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TRIBUNE_VERSION));
    Tribune::installTranslations(QLocale());
    QTextStream out(stdout);
    QTextStream err(stderr);

    QCommandLineParser parser;
    parser.setApplicationDescription(AgentMainText::tr("Membership, health and configuration service of one cluster node."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption carbonHome(QStringLiteral("carbon-home"), AgentMainText::tr("The node's CARBON_HOME (or its repository/conf)."), QStringLiteral("DIR"));
    const QCommandLineOption keyFile(QStringLiteral("key-file"), AgentMainText::tr("The cluster key file (mode 0600)."), QStringLiteral("FILE"));
    const QCommandLineOption port(QStringLiteral("port"), AgentMainText::tr("Membership port, when the product itself uses localMemberPort."), QStringLiteral("N"));
    const QCommandLineOption serveHttp(QStringLiteral("serve-http"), AgentMainText::tr("Answer HTTP on the node's HTTP port (9763 plus offset)."));
    const QCommandLineOption role(QStringLiteral("role"), AgentMainText::tr("\"lb\" for the load balancer's agent."), QStringLiteral("ROLE"));
    const QCommandLineOption tlsCert(QStringLiteral("tls-cert"), AgentMainText::tr("TLS certificate (PEM)."), QStringLiteral("FILE"));
    const QCommandLineOption tlsKey(QStringLiteral("tls-key"), AgentMainText::tr("TLS private key (PEM)."), QStringLiteral("FILE"));
    const QCommandLineOption tlsCa(QStringLiteral("tls-ca"), AgentMainText::tr("TLS certificate authority (PEM)."), QStringLiteral("FILE"));
    // The load balancer's agent (--role lb).
    const QCommandLineOption lbConf(QStringLiteral("lb-conf"), AgentMainText::tr("loadbalancer.conf (default: the node's own)."), QStringLiteral("FILE"));
    const QCommandLineOption haproxySocket(QStringLiteral("haproxy-socket"), AgentMainText::tr("Attach to a running HAProxy's admin socket instead of starting one."),
                                           QStringLiteral("PATH|HOST:PORT"));
    const QCommandLineOption haproxyBinary(QStringLiteral("haproxy"), AgentMainText::tr("The haproxy program (default: haproxy)."), QStringLiteral("FILE"));
    const QCommandLineOption runtimeDir(QStringLiteral("runtime-dir"), AgentMainText::tr("Where HAProxy's configuration and socket go (default: CARBON_HOME/.tribune/haproxy)."),
                                        QStringLiteral("DIR"));
    const QCommandLineOption hosts(QStringLiteral("hosts"),
                                   AgentMainText::tr("Resolve the node's host names with this file (/etc/hosts format) alone."),
                                   QStringLiteral("FILE"));
    const QCommandLineOption nodeName(QStringLiteral("name"),
                                      AgentMainText::tr("The node's name for people (default: its CARBON_HOME folder's name)."),
                                      QStringLiteral("NAME"));
    const QCommandLineOption servers(QStringLiteral("servers"),
                                     AgentMainText::tr("The cluster's servers file: which server this node is on when its files "
                                                       "name no localMemberHost."),
                                     QStringLiteral("FILE"));
    const QCommandLineOption bind(QStringLiteral("bind"), AgentMainText::tr("Address HAProxy listens on (default: *)."), QStringLiteral("ADDRESS"));
    const QCommandLineOption httpPort(QStringLiteral("http-port"), AgentMainText::tr("HAProxy's HTTP port (default: the ELB's http transport in axis2.xml, else 8280)."), QStringLiteral("N"));
    const QCommandLineOption httpsPort(QStringLiteral("https-port"), AgentMainText::tr("HAProxy's HTTPS port (default: the ELB's https transport in axis2.xml, else 8243)."), QStringLiteral("N"));
    const QCommandLineOption certificate(QStringLiteral("certificate"), AgentMainText::tr("PEM for HAProxy's HTTPS listener."), QStringLiteral("FILE"));
    const QCommandLineOption adminTcp(QStringLiteral("admin-tcp"), AgentMainText::tr("Also open HAProxy's admin socket on this loopback HOST:PORT."),
                                      QStringLiteral("HOST:PORT"));
    const QCommandLineOption tenantsMap(QStringLiteral("tenants-map"), AgentMainText::tr("Tenant domain to tenant id map for tenant-aware routing."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption provision(QStringLiteral("provision"),
                                       AgentMainText::tr("A bare node: wait on --listen for the node's first configuration, pushed by "
                                                         "a console, then become that node."));
    const QCommandLineOption listen(QStringLiteral("listen"), AgentMainText::tr("With --provision: where to wait."), QStringLiteral("HOST:PORT"));
    const QCommandLineOption stopHAProxy(QStringLiteral("stop-haproxy"),
                                         AgentMainText::tr("With --role lb: stop the HAProxy of the runtime folder (it outlives its "
                                                           "agent on purpose) and exit."));
    parser.addOptions({stopHAProxy, carbonHome, keyFile, port, serveHttp, role, tlsCert, tlsKey, tlsCa, lbConf, haproxySocket, haproxyBinary,
                       runtimeDir, bind, httpPort, httpsPort, certificate, adminTcp, tenantsMap, hosts, servers, nodeName,
                       provision, listen});
    parser.process(app);

    if (parser.isSet(stopHAProxy)) {
        if (parser.value(role) != u"lb" || (!parser.isSet(runtimeDir) && !parser.isSet(carbonHome))) {
            err << AgentMainText::tr("tribune-agent: --stop-haproxy needs --role lb and --runtime-dir DIR (or --carbon-home DIR); "
                                     "see --help")
                << Qt::endl;
            return 2;
        }
        const QString folder = QDir(parser.isSet(runtimeDir) ? parser.value(runtimeDir)
                                                             : parser.value(carbonHome) + QLatin1String("/.tribune/haproxy"))
                                   .absolutePath();
        QString message;
        const bool stopped = Tribune::Agent::HAProxySupervisor::stopRunning(
            Tribune::Agent::HAProxySupervisor::pathsIn(folder), 10000, &message);
        (stopped ? out : err) << "tribune-agent: " << message << Qt::endl;
        return stopped ? 0 : 1;
    }
    if (!parser.isSet(carbonHome) || !parser.isSet(keyFile)) {
        err << AgentMainText::tr("tribune-agent: --carbon-home and --key-file are required; see --help") << Qt::endl;
        return 2;
    }
    if (parser.isSet(provision) && !parser.isSet(listen)) {
        err << AgentMainText::tr("tribune-agent: --provision needs --listen HOST:PORT; see --help") << Qt::endl;
        return 2;
    }
    QString error;
    const std::optional<Tribune::Protocol::KeyRing> keys = Tribune::Protocol::KeyRing::load(parser.value(keyFile), &error);
    if (!keys) {
        err << "tribune-agent: " << error << Qt::endl;
        return 2;
    }
    Tribune::Agent::AgentStartOptions start;
    start.keys = *keys;
    const Tribune::Protocol::TlsOptions tls{parser.value(tlsCert), parser.value(tlsKey), parser.value(tlsCa)};
    start.tls = tls;
    start.loadBalancer = parser.value(role) == u"lb";
    start.serveHttp = parser.isSet(serveHttp);
    start.name = parser.value(nodeName);
    if (parser.isSet(port)) {
        bool ok = false;
        start.portOverride = parser.value(port).toInt(&ok);
        if (!ok || *start.portOverride <= 0 || *start.portOverride > 65535) {
            err << AgentMainText::tr("tribune-agent: --port needs a port number, not \"%1\"").arg(parser.value(port)) << Qt::endl;
            return 2;
        }
    }
    {
        Tribune::Config::ConfigError fileError;
        if (parser.isSet(hosts)) {
            std::optional<Tribune::HostModel> loaded = Tribune::HostModel::loadHostsFile(parser.value(hosts), &fileError);
            if (!loaded) {
                err << "tribune-agent: " << fileError.toString() << Qt::endl;
                return 2;
            }
            start.hosts = std::move(*loaded);
        }
        if (parser.isSet(servers)) {
            start.servers = Tribune::ServersFile::load(parser.value(servers), &fileError);
            if (!start.servers) {
                err << "tribune-agent: " << fileError.toString() << Qt::endl;
                return 2;
            }
        }
    }
    start.loadBalancerOptions = [&](const Tribune::NodeConfig &node) {
        Tribune::Agent::LoadBalancerOptions options;
        options.confPath = parser.isSet(lbConf) ? parser.value(lbConf) : node.filePath(Tribune::NodeConfig::File::LoadBalancer);
        options.runtimeFolder = parser.isSet(runtimeDir) ? parser.value(runtimeDir)
                                                         : node.homePath() + QLatin1String("/.tribune/haproxy");
        options.runtimeFolder = QDir(options.runtimeFolder).absolutePath();
        options.attachSocket = parser.value(haproxySocket);
        if (parser.isSet(haproxyBinary))
            options.haproxyBinary = parser.value(haproxyBinary);
        options.render.bindAddress = parser.isSet(bind) ? parser.value(bind) : options.render.bindAddress;
        // The ELB's own listeners (the guides move them to 80/443), unless a flag says otherwise.
        const Tribune::HAProxy::ListenerPorts listeners =
            node.axis2() ? Tribune::HAProxy::listenerPortsOf(*node.axis2()) : Tribune::HAProxy::ListenerPorts{};
        options.render.httpPort = parser.isSet(httpPort) ? parser.value(httpPort).toInt()
                                                         : listeners.http.value_or(options.render.httpPort);
        options.render.httpsPort = parser.isSet(httpsPort) ? parser.value(httpsPort).toInt()
                                                           : listeners.https.value_or(options.render.httpsPort);
        options.render.certificateFile = parser.value(certificate);
        options.render.adminSocketPath = options.runtimeFolder + QLatin1String("/admin.sock");
        options.render.adminTcpAddress = parser.value(adminTcp);
        options.render.hostsMapPath = options.runtimeFolder + QLatin1String("/hosts.map");
        options.render.tenantsMapPath = parser.isSet(tenantsMap) ? QFileInfo(parser.value(tenantsMap)).absoluteFilePath() : QString();
        return options;
    };

    Tribune::Agent::AgentRuntime runtime(std::move(start));
    QObject::connect(&runtime, &Tribune::Agent::AgentRuntime::message, &app,
                     [&err](const QString &text) { err << "tribune-agent: " << text << Qt::endl; });
    QObject::connect(&runtime, &Tribune::Agent::AgentRuntime::leaveFinished, &app, &QCoreApplication::quit);
    bool started = false;
    // Starts the node from its files; on failure the agent ends (with code 2 for bad files).
    const auto startNode = [&](const QList<Tribune::Protocol::Connection *> &consoles) {
        QStringList problems;
        if (!runtime.start(parser.value(carbonHome), &problems)) {
            for (const QString &problem : std::as_const(problems))
                err << "tribune-agent: " << problem << Qt::endl;
            return false;
        }
        started = true;
        runtime.adoptConsoles(consoles);
        const Tribune::Protocol::MemberInfo &self = runtime.self();
        if (!runtime.adminSocket().isEmpty())
            out << AgentMainText::tr("tribune-agent: driving HAProxy through %1").arg(runtime.adminSocket()) << Qt::endl;
        out << AgentMainText::tr("tribune-agent: member %1 of %2%3 listening on %4%5")
                   .arg(self.id, self.domain, self.subDomain.isEmpty() ? QString() : QLatin1Char('/') + self.subDomain)
                   .arg(self.port)
                   .arg(parser.isSet(serveHttp) ? AgentMainText::tr(", HTTP on %1").arg(self.httpPort) : QString())
            << Qt::endl;
        return true;
    };

    std::unique_ptr<Tribune::Agent::ProvisioningService> provisioning;
    if (parser.isSet(provision) && !Tribune::NodeConfig::confFolderOf(parser.value(carbonHome)).isEmpty()) {
        err << AgentMainText::tr("tribune-agent: %1 has a configuration already; starting as that node").arg(parser.value(carbonHome))
            << Qt::endl;
    } else if (parser.isSet(provision)) {
        const std::optional<Tribune::Protocol::AgentClient::Endpoint> endpoint =
            Tribune::Protocol::AgentClient::parseEndpoint(parser.value(listen), &error);
        if (!endpoint) {
            err << "tribune-agent: --listen: " << error << Qt::endl;
            return 2;
        }
        provisioning = std::make_unique<Tribune::Agent::ProvisioningService>(
            QDir(parser.value(carbonHome)).absolutePath(), *keys, tls,
            [&runtime, port = endpoint->port](const Tribune::NodeConfig &node, QStringList *problems) {
                return runtime.canStartFrom(node, port, problems);
            });
        if (!provisioning->listen(QHostAddress(endpoint->host), endpoint->port, &error)) {
            err << "tribune-agent: " << error << Qt::endl;
            return 1;
        }
        QObject::connect(provisioning.get(), &Tribune::Agent::ProvisioningService::provisioned, &app,
                         [&](const QList<Tribune::Protocol::Connection *> &consoles) {
                             if (startNode(consoles))
                                 return;
                             err << AgentMainText::tr("tribune-agent: the node's files are written to %1, but it could not start "
                                                      "from them; fix what is said above and start tribune-agent without "
                                                      "--provision")
                                        .arg(parser.value(carbonHome))
                                 << Qt::endl;
                             QCoreApplication::exit(1);
                         });
        out << AgentMainText::tr("tribune-agent: waiting on %1:%2 for this node's first configuration")
                   .arg(endpoint->host)
                   .arg(provisioning->port())
            << Qt::endl;
    }
    if (!provisioning && !startNode({}))
        return 2;

    watchTerminationSignals([&] {
        if (started)
            runtime.leave();
        else
            QCoreApplication::quit();
    });
    return QCoreApplication::exec();
}
