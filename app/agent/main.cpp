// tribune-agent: runs on every node. Start-up wiring only: identity from the node's files,
// membership on the membership port, the console service, and optionally the node's HTTP port.
#include "agentidentity.h"
#include "consoleservice.h"
#include "loadbalancerrole.h"
#include "membershipservice.h"
#include "nodehttpserver.h"

#include "cluster/hostmodel.h"
#include "cluster/nodeconfig.h"
#include "config/configerror.h"
#include "configstore/nodeconfigstore.h"
#include "haproxy/haproxyconfig.h"
#include "protocol/keyring.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonObject>
#include <QSocketNotifier>
#include <QTextStream>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace {

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

QString tr(const char *text)
{
    return QCoreApplication::translate("tribune-agent", text);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tribune-agent"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TRIBUNE_VERSION));
    QTextStream out(stdout);
    QTextStream err(stderr);

    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Membership, health and configuration service of one cluster node."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption carbonHome(QStringLiteral("carbon-home"), tr("The node's CARBON_HOME (or its repository/conf)."), QStringLiteral("DIR"));
    const QCommandLineOption keyFile(QStringLiteral("key-file"), tr("The cluster key file (mode 0600)."), QStringLiteral("FILE"));
    const QCommandLineOption port(QStringLiteral("port"), tr("Membership port, when the product itself uses localMemberPort."), QStringLiteral("N"));
    const QCommandLineOption serveHttp(QStringLiteral("serve-http"), tr("Answer HTTP on the node's HTTP port (9763 plus offset)."));
    const QCommandLineOption role(QStringLiteral("role"), tr("\"lb\" for the load balancer's agent."), QStringLiteral("ROLE"));
    const QCommandLineOption tlsCert(QStringLiteral("tls-cert"), tr("TLS certificate (PEM)."), QStringLiteral("FILE"));
    const QCommandLineOption tlsKey(QStringLiteral("tls-key"), tr("TLS private key (PEM)."), QStringLiteral("FILE"));
    const QCommandLineOption tlsCa(QStringLiteral("tls-ca"), tr("TLS certificate authority (PEM)."), QStringLiteral("FILE"));
    // The load balancer's agent (--role lb).
    const QCommandLineOption lbConf(QStringLiteral("lb-conf"), tr("loadbalancer.conf (default: the node's own)."), QStringLiteral("FILE"));
    const QCommandLineOption haproxySocket(QStringLiteral("haproxy-socket"), tr("Attach to a running HAProxy's admin socket instead of starting one."),
                                           QStringLiteral("PATH|HOST:PORT"));
    const QCommandLineOption haproxyBinary(QStringLiteral("haproxy"), tr("The haproxy program (default: haproxy)."), QStringLiteral("FILE"));
    const QCommandLineOption runtimeDir(QStringLiteral("runtime-dir"), tr("Where HAProxy's configuration and socket go (default: CARBON_HOME/.tribune/haproxy)."),
                                        QStringLiteral("DIR"));
    const QCommandLineOption hosts(QStringLiteral("hosts"),
                                   tr("Resolve the node's host names with this file (/etc/hosts format) alone."),
                                   QStringLiteral("FILE"));
    const QCommandLineOption nodeName(QStringLiteral("name"),
                                      tr("The node's name for people (default: its CARBON_HOME folder's name)."),
                                      QStringLiteral("NAME"));
    const QCommandLineOption servers(QStringLiteral("servers"),
                                     tr("The cluster's servers file: which server this node is on when its files "
                                        "name no localMemberHost."),
                                     QStringLiteral("FILE"));
    const QCommandLineOption bind(QStringLiteral("bind"), tr("Address HAProxy listens on (default: *)."), QStringLiteral("ADDRESS"));
    const QCommandLineOption httpPort(QStringLiteral("http-port"), tr("HAProxy's HTTP port (default: the ELB's http transport in axis2.xml, else 8280)."), QStringLiteral("N"));
    const QCommandLineOption httpsPort(QStringLiteral("https-port"), tr("HAProxy's HTTPS port (default: the ELB's https transport in axis2.xml, else 8243)."), QStringLiteral("N"));
    const QCommandLineOption certificate(QStringLiteral("certificate"), tr("PEM for HAProxy's HTTPS listener."), QStringLiteral("FILE"));
    const QCommandLineOption adminTcp(QStringLiteral("admin-tcp"), tr("Also open HAProxy's admin socket on this loopback HOST:PORT."),
                                      QStringLiteral("HOST:PORT"));
    const QCommandLineOption tenantsMap(QStringLiteral("tenants-map"), tr("Tenant domain to tenant id map for tenant-aware routing."),
                                        QStringLiteral("FILE"));
    parser.addOptions({carbonHome, keyFile, port, serveHttp, role, tlsCert, tlsKey, tlsCa, lbConf, haproxySocket, haproxyBinary,
                       runtimeDir, bind, httpPort, httpsPort, certificate, adminTcp, tenantsMap, hosts, servers, nodeName});
    parser.process(app);

    if (!parser.isSet(carbonHome) || !parser.isSet(keyFile)) {
        err << tr("tribune-agent: --carbon-home and --key-file are required; see --help") << Qt::endl;
        return 2;
    }
    QString error;
    const std::optional<Tribune::Protocol::KeyRing> keys = Tribune::Protocol::KeyRing::load(parser.value(keyFile), &error);
    if (!keys) {
        err << "tribune-agent: " << error << Qt::endl;
        return 2;
    }
    QList<Tribune::Config::ConfigError> loadErrors;
    const std::optional<Tribune::NodeConfig> node = Tribune::NodeConfig::load(parser.value(carbonHome), &loadErrors);
    if (!node) {
        for (const Tribune::Config::ConfigError &loadError : std::as_const(loadErrors))
            err << "tribune-agent: " << loadError.toString() << Qt::endl;
        return 2;
    }
    std::optional<int> portOverride;
    if (parser.isSet(port)) {
        bool ok = false;
        portOverride = parser.value(port).toInt(&ok);
        if (!ok || *portOverride <= 0 || *portOverride > 65535) {
            err << tr("tribune-agent: --port needs a port number, not \"%1\"").arg(parser.value(port)) << Qt::endl;
            return 2;
        }
    }
    Tribune::HostModel hostModel;
    std::optional<Tribune::ServersFile> serversFile;
    {
        Tribune::Config::ConfigError fileError;
        if (parser.isSet(hosts)) {
            std::optional<Tribune::HostModel> loaded = Tribune::HostModel::loadHostsFile(parser.value(hosts), &fileError);
            if (!loaded) {
                err << "tribune-agent: " << fileError.toString() << Qt::endl;
                return 2;
            }
            hostModel = std::move(*loaded);
        }
        if (parser.isSet(servers)) {
            serversFile = Tribune::ServersFile::load(parser.value(servers), &fileError);
            if (!serversFile) {
                err << "tribune-agent: " << fileError.toString() << Qt::endl;
                return 2;
            }
        }
    }
    QStringList problems;
    QStringList unresolved;
    std::optional<Tribune::Agent::MembershipSettings> settings = Tribune::Agent::membershipSettingsFor(
        *node, portOverride, parser.value(role) == u"lb", hostModel, serversFile ? &*serversFile : nullptr, &problems,
        &unresolved);
    if (!settings) {
        err << tr("tribune-agent: the node's files are not valid; fix them and start again:") << Qt::endl;
        for (const QString &problem : std::as_const(problems))
            err << "  " << problem << Qt::endl;
        return 2;
    }
    if (parser.isSet(nodeName))
        settings->self.name = parser.value(nodeName).left(255);
    settings->keys = *keys;
    settings->tls = {parser.value(tlsCert), parser.value(tlsKey), parser.value(tlsCa)};
    const Tribune::Protocol::MemberInfo self = settings->self;
    const QHostAddress bindAddress =
        settings->bindAddress.isEmpty() ? QHostAddress(QHostAddress::Any) : QHostAddress(settings->bindAddress);
    for (const QString &notice : std::as_const(unresolved))
        err << "tribune-agent: " << notice << Qt::endl;

    Tribune::Agent::MembershipService membership(std::move(*settings));
    Tribune::NodeConfigStore store(node->homePath());
    Tribune::Agent::ConsoleService consoles(&membership, &store);
    QObject::connect(&membership, &Tribune::Agent::MembershipService::wellKnownMemberChanged, &app,
                     [&err](const QString &endpoint, const QString &problem) {
                         if (problem.isEmpty())
                             err << tr("tribune-agent: well-known member %1 answers again").arg(endpoint) << Qt::endl;
                         else
                             err << tr("tribune-agent: cannot reach well-known member %1: %2").arg(endpoint, problem)
                                 << Qt::endl;
                     });
    if (!membership.start(bindAddress, &error)) {
        err << "tribune-agent: " << error << Qt::endl;
        return 1;
    }

    std::unique_ptr<Tribune::Agent::NodeHttpServer> http;
    if (parser.isSet(serveHttp)) {
        http = std::make_unique<Tribune::Agent::NodeHttpServer>(
            Tribune::Agent::MemberIdentity{self.id, self.domain, self.subDomain, self.host, self.httpPort});
        if (!http->listen(bindAddress, quint16(self.httpPort), &error)) {
            err << "tribune-agent: " << error << Qt::endl;
            return 1;
        }
        consoles.setHealthExtras([server = http.get()] {
            return QJsonObject{{QStringLiteral("httpRequests"), qint64(server->requestCount())},
                               {QStringLiteral("http5xx"), qint64(server->requestCount(5))}};
        });
    }

    std::unique_ptr<Tribune::Agent::LoadBalancerRole> balancer;
    if (parser.value(role) == u"lb") {
        Tribune::Agent::LoadBalancerOptions options;
        options.confPath = parser.isSet(lbConf) ? parser.value(lbConf) : node->filePath(Tribune::NodeConfig::File::LoadBalancer);
        options.runtimeFolder = parser.isSet(runtimeDir) ? parser.value(runtimeDir)
                                                         : node->homePath() + QLatin1String("/.tribune/haproxy");
        options.runtimeFolder = QDir(options.runtimeFolder).absolutePath();
        options.attachSocket = parser.value(haproxySocket);
        if (parser.isSet(haproxyBinary))
            options.haproxyBinary = parser.value(haproxyBinary);
        options.render.bindAddress = parser.isSet(bind) ? parser.value(bind) : options.render.bindAddress;
        // The ELB's own listeners (the guides move them to 80/443), unless a flag says otherwise.
        const Tribune::HAProxy::ListenerPorts listeners =
            node->axis2() ? Tribune::HAProxy::listenerPortsOf(*node->axis2()) : Tribune::HAProxy::ListenerPorts{};
        options.render.httpPort = parser.isSet(httpPort) ? parser.value(httpPort).toInt()
                                                         : listeners.http.value_or(options.render.httpPort);
        options.render.httpsPort = parser.isSet(httpsPort) ? parser.value(httpsPort).toInt()
                                                           : listeners.https.value_or(options.render.httpsPort);
        options.render.certificateFile = parser.value(certificate);
        options.render.adminSocketPath = options.runtimeFolder + QLatin1String("/admin.sock");
        options.render.adminTcpAddress = parser.value(adminTcp);
        options.render.hostsMapPath = options.runtimeFolder + QLatin1String("/hosts.map");
        options.render.tenantsMapPath = parser.isSet(tenantsMap) ? QFileInfo(parser.value(tenantsMap)).absoluteFilePath() : QString();
        balancer = std::make_unique<Tribune::Agent::LoadBalancerRole>(&membership, options);
        QObject::connect(balancer.get(), &Tribune::Agent::LoadBalancerRole::message, &app,
                         [&err](const QString &text) { err << "tribune-agent: " << text << Qt::endl; });
        if (!balancer->start(&error)) {
            err << "tribune-agent: " << error << Qt::endl;
            return 1;
        }
        out << tr("tribune-agent: driving HAProxy through %1").arg(balancer->adminSocket()) << Qt::endl;
    }

    watchTerminationSignals([&membership] { membership.leave(); });
    QObject::connect(&membership, &Tribune::Agent::MembershipService::leaveFinished, &app, &QCoreApplication::quit);

    out << tr("tribune-agent: member %1 of %2%3 listening on %4%5")
               .arg(self.id, self.domain, self.subDomain.isEmpty() ? QString() : QLatin1Char('/') + self.subDomain)
               .arg(self.port)
               .arg(http ? tr(", HTTP on %1").arg(self.httpPort) : QString())
        << Qt::endl;
    return QCoreApplication::exec();
}
