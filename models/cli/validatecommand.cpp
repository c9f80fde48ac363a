#include "validatecommand.h"

#include "clustersource.h"
#include "commandline.h"

#include "cluster/clusterconfig.h"
#include "cluster/findingsreport.h"
#include "cluster/validator.h"
#include "config/configerror.h"
#include "i18n/trcontexts.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

namespace Tribune::Cli {

int runValidate(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(CliText::tr("Checks a cluster's configuration files against each other."));
    const QCommandLineOption json(QStringLiteral("json"),
                                  CliText::tr("Print one JSON document."));
    parser.addOption(json);
    parser.addPositionalArgument(
        QStringLiteral("PATH"),
        CliText::tr("A node's folder (CARBON_HOME or its repository/conf), a "
                    "loadbalancer.conf, or a folder holding a whole cluster."),
        QStringLiteral("PATH..."));
    ClusterSource source;
    source.addTo(parser);
    int exitCode = 0;
    if (!parseCommandLine(parser, QStringLiteral("validate"), arguments, out, err, &exitCode))
        return exitCode;
    QList<Config::ConfigError> inputErrors;
    const std::optional<ClusterConfig> cluster = source.load(parser, parser.positionalArguments(), err, &inputErrors);
    if (!cluster) {
        if (inputErrors.isEmpty())
            return UnusableInput;
        if (parser.isSet(json))
            out << QString::fromUtf8(inputErrorsAsJson(inputErrors));
        else
            err << inputErrorsAsText(inputErrors);
        return UnusableInput;
    }
    QList<Finding> findings = validateCluster(*cluster);
    for (Finding &finding : findings)
        finding.file = source.displayName(finding.file);
    const int nodeCount = int(cluster->nodes().size());
    if (parser.isSet(json))
        out << QString::fromUtf8(findingsAsJson(findings, nodeCount));
    else
        out << findingsAsText(findings, nodeCount);
    return countOf(findings, Severity::Error) > 0 ? ErrorsFound : NoErrors;
}

} // namespace Tribune::Cli
