#include "validatecommand.h"

#include "commandline.h"

#include "cluster/clusterconfig.h"
#include "cluster/findingsreport.h"
#include "cluster/hostresolver.h"
#include "cluster/validator.h"
#include "config/configerror.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QTextStream>

namespace Tribune::Cli {

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
    int exitCode = 0;
    if (!parseCommandLine(parser, QStringLiteral("validate"), arguments, out, err, &exitCode))
        return exitCode;
    if (parser.positionalArguments().isEmpty()) {
        err << QCoreApplication::translate("Tribune::Cli", "validate: name at least one PATH; see --help") << Qt::endl;
        return UnusableInput;
    }

    QList<Config::ConfigError> inputErrors;
    ClusterConfig cluster = ClusterConfig::load(parser.positionalArguments(), &inputErrors, parser.value(hosts));
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
    const QList<Finding> findings = validateCluster(cluster);
    const int nodeCount = int(cluster.nodes().size());
    if (parser.isSet(json))
        out << QString::fromUtf8(findingsAsJson(findings, nodeCount));
    else
        out << findingsAsText(findings, nodeCount);
    return countOf(findings, Severity::Error) > 0 ? ErrorsFound : NoErrors;
}

} // namespace Tribune::Cli
