#include "findingsreport.h"

#include "config/configerror.h"
#include "i18n/trcontexts.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Tribune {

namespace {


QString location(const QString &file, int line)
{
    return line > 0 ? file + QLatin1Char(':') + QString::number(line) : file;
}

} // namespace

QString findingsAsText(const QList<Finding> &findings, int nodeCount)
{
    QString text;
    for (const Finding &finding : findings) {
        text += location(finding.file, finding.line) + QLatin1String(": ") + severityLabel(finding.severity)
            + QLatin1String(": ") + finding.message + QLatin1String(" [") + finding.rule + QLatin1String("]\n");
        if (!finding.fix.isEmpty())
            text += QLatin1String("    ") + ReportText::tr("fix: %1").arg(finding.fix) + QLatin1Char('\n');
    }
    text += ReportText::tr("%1 checked: %2\n")
                .arg(nodeCount == 1 ? ReportText::tr("1 node") : ReportText::tr("%1 nodes").arg(nodeCount),
                     errorsAndWarnings(countOf(findings, Severity::Error), countOf(findings, Severity::Warning)));
    return text;
}

QJsonObject findingAsJson(const Finding &finding)
{
    return {{QStringLiteral("severity"), severityName(finding.severity)},
            {QStringLiteral("rule"), finding.rule},
            {QStringLiteral("node"), finding.node},
            {QStringLiteral("file"), finding.file},
            {QStringLiteral("line"), finding.line},
            {QStringLiteral("message"), finding.message},
            {QStringLiteral("fix"), finding.fix}};
}

QByteArray findingsAsJson(const QList<Finding> &findings, int nodeCount)
{
    QJsonArray list;
    for (const Finding &finding : findings)
        list.append(findingAsJson(finding));
    const QJsonObject document{{QStringLiteral("nodes"), nodeCount},
                               {QStringLiteral("errors"), countOf(findings, Severity::Error)},
                               {QStringLiteral("warnings"), countOf(findings, Severity::Warning)},
                               {QStringLiteral("findings"), list}};
    return QJsonDocument(document).toJson(QJsonDocument::Indented);
}

QString inputErrorsAsText(const QList<Config::ConfigError> &errors)
{
    QString text;
    for (const Config::ConfigError &error : errors)
        text += error.toString() + QLatin1Char('\n');
    return text;
}

QByteArray inputErrorsAsJson(const QList<Config::ConfigError> &errors)
{
    QJsonArray list;
    for (const Config::ConfigError &error : errors)
        list.append(QJsonObject{{QStringLiteral("file"), error.file},
                                {QStringLiteral("line"), error.line},
                                {QStringLiteral("column"), error.column},
                                {QStringLiteral("message"), error.message}});
    return QJsonDocument(QJsonObject{{QStringLiteral("inputErrors"), list}}).toJson(QJsonDocument::Indented);
}

} // namespace Tribune
