#include "validator.h"

#include "rules/validationcontext.h"
#include "i18n/trcontexts.h"

#include <algorithm>

namespace Tribune {

QString severityName(Severity severity)
{
    switch (severity) {
    case Severity::Error: return QStringLiteral("error");
    case Severity::Warning: return QStringLiteral("warning");
    case Severity::Info: return QStringLiteral("info");
    }
    return {};
}

QString severityLabel(Severity severity)
{
    switch (severity) {
    case Severity::Error: return ValidatorText::tr("error");
    case Severity::Warning: return ValidatorText::tr("warning");
    case Severity::Info: return ValidatorText::tr("note");
    }
    return {};
}

int countOf(const QList<Finding> &findings, Severity severity)
{
    return int(std::count_if(findings.cbegin(), findings.cend(),
                             [severity](const Finding &finding) { return finding.severity == severity; }));
}

namespace {

QString errorCount(int errors)
{
    return errors == 1 ? ValidatorText::tr("1 error") : ValidatorText::tr("%1 errors").arg(errors);
}

QString warningCount(int warnings)
{
    return warnings == 1 ? ValidatorText::tr("1 warning") : ValidatorText::tr("%1 warnings").arg(warnings);
}

} // namespace

QString errorsAndWarnings(int errors, int warnings)
{
    return ValidatorText::tr("%1, %2").arg(errorCount(errors), warningCount(warnings));
}

QString compactErrorsAndWarnings(int errors, int warnings)
{
    if (errors && warnings)
        return errorsAndWarnings(errors, warnings);
    return errors ? errorCount(errors) : warnings ? warningCount(warnings) : QString();
}

QList<Finding> validateCluster(const ClusterConfig &cluster)
{
    return validateCluster(cluster, deriveFacts(cluster));
}

QList<Finding> validateCluster(const ClusterConfig &cluster, const std::vector<NodeFacts> &facts)
{
    const Rules::ValidationContext context{cluster, facts};
    Rules::FindingSink sink;
    Rules::checkMembership(context, sink);
    Rules::checkPorts(context, sink);
    Rules::checkLoadBalancer(context, sink);
    Rules::checkRegistry(context, sink);
    Rules::checkDatasources(context, sink);

    QList<Finding> findings = sink.take();
    std::stable_sort(findings.begin(), findings.end(), [](const Finding &a, const Finding &b) {
        return std::tie(a.node, a.file, a.line) < std::tie(b.node, b.file, b.line);
    });
    return findings;
}

} // namespace Tribune
