#include "renderhaproxycommand.h"

#include "commandline.h"

#include "config/configerror.h"
#include "config/loadbalancerconf.h"
#include "haproxy/haproxyconfig.h"
#include "i18n/trcontexts.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSaveFile>
#include <QTextStream>

namespace Tribune::Cli {

namespace {

// HAProxy resolves relative paths against its own working directory, so every path is absolute.
QString absolute(const QString &path)
{
    return path.isEmpty() ? QString() : QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}

// Writes all or nothing; on failure says why in *message.
bool writeFile(const QString &path, const QString &text, QString *message)
{
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly) && file.write(text.toUtf8()) >= 0 && file.commit())
        return true;
    *message = HAProxyText::tr("render-haproxy: cannot write %1: %2")
                   .arg(path, file.errorString());
    return false;
}

bool parsePort(const QString &text, int *port)
{
    bool ok = false;
    *port = text.toInt(&ok);
    return ok;
}

} // namespace

int runRenderHaproxy(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(HAProxyText::tr("Renders a loadbalancer.conf as an HAProxy configuration and its hosts map."));
    const QCommandLineOption output({QStringLiteral("o"), QStringLiteral("output")},
                                    HAProxyText::tr("Write the configuration to FILE "
                                                    "instead of standard output."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption hostsMap(QStringLiteral("hosts-map"),
                                      HAProxyText::tr("The Host -> backend map file to "
                                                      "write (default: hosts.map beside the output)."),
                                      QStringLiteral("FILE"));
    const QCommandLineOption bind(QStringLiteral("bind"),
                                  HAProxyText::tr("Listen on ADDRESS (default: *)."),
                                  QStringLiteral("ADDRESS"), QStringLiteral("*"));
    const QCommandLineOption httpPort(QStringLiteral("http-port"),
                                      HAProxyText::tr("HTTP port (default: the ELB's "
                                                      "http transport in axis2/axis2.xml beside the "
                                                      "file, else 8280)."),
                                      QStringLiteral("PORT"));
    const QCommandLineOption httpsPort(QStringLiteral("https-port"),
                                       HAProxyText::tr("HTTPS port (default: the ELB's "
                                                       "https transport beside the file, else 8243)."),
                                       QStringLiteral("PORT"));
    const QCommandLineOption certificate(QStringLiteral("certificate"),
                                         HAProxyText::tr("PEM with certificate and "
                                                         "key for HTTPS; without it, no HTTPS listener."),
                                         QStringLiteral("PEM"));
    const QCommandLineOption adminSocket(QStringLiteral("admin-socket"),
                                         HAProxyText::tr("Unix admin socket (default: "
                                                         "admin.sock beside the output)."),
                                         QStringLiteral("PATH"));
    const QCommandLineOption adminTcp(QStringLiteral("admin-tcp"),
                                      HAProxyText::tr("Also an admin socket on a "
                                                      "loopback ADDRESS:PORT, e.g. 127.0.0.1:9999."),
                                      QStringLiteral("ADDRESS:PORT"));
    const QCommandLineOption tenantsMap(QStringLiteral("tenants-map"),
                                        HAProxyText::tr("Map file of \"<tenant-domain> "
                                                                    "<id>\" lines, needed for tenant ranges."),
                                        QStringLiteral("FILE"));
    parser.addOptions({output, hostsMap, bind, httpPort, httpsPort, certificate, adminSocket, adminTcp, tenantsMap});
    parser.addPositionalArgument(QStringLiteral("loadbalancer.conf"),
                                 HAProxyText::tr("The ELB's loadbalancer.conf."));
    int exitCode = 0;
    if (!parseCommandLine(parser, QStringLiteral("render-haproxy"), arguments, out, err, &exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1) {
        err << HAProxyText::tr("render-haproxy: name one loadbalancer.conf; see --help") << Qt::endl;
        return UnusableRenderInput;
    }

    // Files HAProxy reads live beside the output; without -o, in the working directory.
    const QString outputPath = absolute(parser.value(output));
    const QDir beside = outputPath.isEmpty() ? QDir::current() : QFileInfo(outputPath).dir();
    HAProxy::RenderOptions options;
    options.bindAddress = parser.value(bind);
    options.certificateFile = absolute(parser.value(certificate));
    options.adminSocketPath = parser.isSet(adminSocket) ? absolute(parser.value(adminSocket))
                                                        : beside.absoluteFilePath(QStringLiteral("admin.sock"));
    options.adminTcpAddress = parser.value(adminTcp);
    options.hostsMapPath = parser.isSet(hostsMap) ? absolute(parser.value(hostsMap))
                                                  : beside.absoluteFilePath(QStringLiteral("hosts.map"));
    options.tenantsMapPath = absolute(parser.value(tenantsMap));
    // The ELB's own listeners, which the guides move (to 80/443); a flag still overrides them.
    const HAProxy::ListenerPorts listeners = HAProxy::listenerPortsBeside(parser.positionalArguments().constFirst());
    options.httpPort = listeners.http.value_or(options.httpPort);
    options.httpsPort = listeners.https.value_or(options.httpsPort);
    if ((parser.isSet(httpPort) && !parsePort(parser.value(httpPort), &options.httpPort))
        || (parser.isSet(httpsPort) && !parsePort(parser.value(httpsPort), &options.httpsPort))) {
        err << HAProxyText::tr("render-haproxy: ports must be numbers") << Qt::endl;
        return UnusableRenderInput;
    }
    if (options.hostsMapPath == outputPath) {
        err << HAProxyText::tr("render-haproxy: the hosts map and the configuration must be different files") << Qt::endl;
        return UnusableRenderInput;
    }
    if (const QString problem = HAProxy::checkOptions(options); !problem.isEmpty()) {
        err << QStringLiteral("render-haproxy: ") << problem << Qt::endl;
        return UnusableRenderInput;
    }

    Config::ConfigError error;
    const std::optional<Config::LoadBalancerConf> conf =
        Config::LoadBalancerConf::load(parser.positionalArguments().constFirst(), &error);
    if (!conf) {
        err << error.toString() << Qt::endl;
        return UnusableRenderInput;
    }
    const std::optional<HAProxy::RenderResult> result = HAProxy::render(*conf, options, &error);
    if (!result) {
        err << error.toString() << Qt::endl;
        return Refused;
    }
    QStringList warnings = result->warnings;
    // HAProxy refuses to start while a file it reads is missing.
    for (const QString &path : {options.certificateFile, options.tenantsMapPath}) {
        if (!path.isEmpty() && !QFileInfo::exists(path))
            warnings << HAProxyText::tr("%1 does not exist yet; HAProxy will not start without it")
                            .arg(path);
    }
    for (const QString &warning : std::as_const(warnings))
        err << HAProxyText::tr("warning: %1").arg(warning) << Qt::endl;

    QString message;
    if (!writeFile(options.hostsMapPath, result->hostsMap, &message)
        || (!outputPath.isEmpty() && !writeFile(outputPath, result->config, &message))) {
        err << message << Qt::endl;
        return UnusableRenderInput;
    }
    if (outputPath.isEmpty())
        out << result->config;
    return Rendered;
}

} // namespace Tribune::Cli
