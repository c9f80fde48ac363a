#include "validatecommand.h"

#include "agentoptions.h"
#include "commandline.h"

#include "cluster/clusterconfig.h"
#include "cluster/findingsreport.h"
#include "cluster/hostresolver.h"
#include "cluster/liveconfigfetch.h"
#include "cluster/validator.h"
#include "config/configerror.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTextStream>

namespace Tribune::Cli {

namespace {

// Reads the running cluster's files into folder; false, with the reasons printed, when the seed
// could not be asked. Members that could not be read are named, and the rest is validated.
bool fetchLiveCluster(const AgentConnection &connection, const QString &folder, QTextStream &err)
{
    LiveConfigFetch fetch({connection.endpoint, connection.keys, connection.role, connection.tls}, folder);
    QEventLoop loop;
    bool ok = false;
    QObject::connect(&fetch, &LiveConfigFetch::finished, &loop, [&](bool fetched, const QStringList &problems) {
        ok = fetched;
        for (const QString &problem : problems)
            err << QStringLiteral("validate: ") << problem << Qt::endl;
        loop.quit();
    });
    fetch.start();
    loop.exec();
    return ok;
}

// A fetched file named as the member and its path below repository/conf: "127.0.0.1:4001/axis2/axis2.xml".
QString liveFileName(const QString &path, const QString &folder)
{
    if (!path.startsWith(folder + QLatin1Char('/')))
        return path;
    QString name = path.mid(folder.size() + 1);
    name.replace(QLatin1String("/repository/conf/"), QLatin1String("/"));
    return name;
}

} // namespace

int runValidate(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "Tribune::Cli", "Checks a cluster's configuration files against each other."));
    const QCommandLineOption json(QStringLiteral("json"),
                                  QCoreApplication::translate("Tribune::Cli", "Print one JSON document."));
    parser.addOption(json);
    const QCommandLineOption hosts(
        QStringLiteral("hosts"),
        QCoreApplication::translate("Tribune::Cli", "Resolve host names with this file (/etc/hosts format) alone, "
                                                    "instead of the cluster folder's hosts file or the system "
                                                    "resolver."),
        QStringLiteral("FILE"));
    parser.addOption(hosts);
    parser.addPositionalArgument(
        QStringLiteral("PATH"),
        QCoreApplication::translate("Tribune::Cli", "A node's folder (CARBON_HOME or its repository/conf), a "
                                                    "loadbalancer.conf, or a folder holding a whole cluster."),
        QStringLiteral("PATH..."));
    // The running cluster instead of folders: every member's files, read from its agent.
    const AgentOptions live(QStringLiteral("seed"));
    live.addTo(parser);
    int exitCode = 0;
    if (!parseCommandLine(parser, QStringLiteral("validate"), arguments, out, err, &exitCode))
        return exitCode;
    const bool fromLive = parser.isSet(live.endpoint);
    if (parser.positionalArguments().isEmpty() == !fromLive) {
        err << QCoreApplication::translate("Tribune::Cli", "validate: name at least one PATH, or --seed HOST:PORT "
                                                           "with --key-file for the running cluster; see --help")
            << Qt::endl;
        return UnusableInput;
    }
    QTemporaryDir fetched;
    QStringList paths = parser.positionalArguments();
    if (fromLive) {
        const std::optional<AgentConnection> connection = agentConnectionFrom(parser, live, err);
        if (!connection || !fetched.isValid())
            return UnusableInput;
        if (!fetchLiveCluster(*connection, fetched.path(), err))
            return UnusableInput;
        paths = QStringList{fetched.path()};
    }

    QList<Config::ConfigError> inputErrors;
    ClusterConfig cluster = ClusterConfig::load(paths, &inputErrors, parser.value(hosts));
    if (fromLive) {
        for (Config::ConfigError &error : inputErrors)
            error.file = liveFileName(error.file, fetched.path());
    }
    if (!inputErrors.isEmpty()) {
        if (parser.isSet(json))
            out << QString::fromUtf8(inputErrorsAsJson(inputErrors));
        else
            err << inputErrorsAsText(inputErrors);
        return UnusableInput;
    }
    if (!cluster.hasHostsFile()) {
        // No hosts file: ask the system resolver, as the console does, and wait for it here.
        HostResolver resolver;
        QEventLoop loop;
        QObject::connect(&resolver, &HostResolver::finished, &loop, [&cluster, &loop](const HostModel &answer) {
            cluster.setHosts(answer);
            loop.quit();
        });
        resolver.resolve(cluster.hostNames());
        loop.exec();
    }
    QList<Finding> findings = validateCluster(cluster);
    if (fromLive) {
        for (Finding &finding : findings)
            finding.file = liveFileName(finding.file, fetched.path());
    }
    const int nodeCount = int(cluster.nodes().size());
    if (parser.isSet(json))
        out << QString::fromUtf8(findingsAsJson(findings, nodeCount));
    else
        out << findingsAsText(findings, nodeCount);
    return countOf(findings, Severity::Error) > 0 ? ErrorsFound : NoErrors;
}

} // namespace Tribune::Cli
