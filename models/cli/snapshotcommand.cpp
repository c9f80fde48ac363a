#include "snapshotcommand.h"

#include "agentoptions.h"
#include "commandline.h"

#include "cluster/findingsreport.h"
#include "snapshot/snapshot.h"
#include "snapshot/snapshotcollector.h"
#include "snapshot/snapshotdiff.h"
#include "snapshot/snapshotreport.h"
#include "planner/plandiff.h"
#include "i18n/trcontexts.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTextStream>

namespace Tribune::Cli {

namespace {

// "10m", "90s", "24h", "2d" in seconds; nothing for anything else.
std::optional<int> seconds(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d{1,6})([smhd])$"));
    const QRegularExpressionMatch match = pattern.match(text.trimmed());
    if (!match.hasMatch())
        return std::nullopt;
    const int unit = match.captured(2) == u"s" ? 1 : match.captured(2) == u"m" ? 60 : match.captured(2) == u"h" ? 3600 : 86400;
    const qint64 value = match.captured(1).toLongLong() * unit;
    return value > 0 && value <= 366LL * 86400 ? std::optional<int>(int(value)) : std::nullopt;
}

int runExport(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(CliText::tr("Writes a snapshot of the running cluster to one file: members, health, "
                                                 "HAProxy's view, every node's files (passwords redacted), the findings, and "
                                                 "the events and samples of a window from the history."));
    const AgentOptions options(QStringLiteral("seed"));
    options.addTo(parser);
    const QCommandLineOption lbSocket(QStringLiteral("lb-socket"), CliText::tr("HAProxy's admin socket (PATH or HOST:PORT)."),
                                      QStringLiteral("PATH"));
    const QCommandLineOption history(QStringLiteral("history"),
                                     CliText::tr("The history to take events and samples from (default: the console's own; "
                                                 "none: leave them out)."),
                                     QStringLiteral("URL"));
    const QCommandLineOption window(QStringLiteral("window"),
                                    CliText::tr("Events and one-second samples over the first span, one-minute samples over "
                                                "the second (default 10m,24h)."),
                                    QStringLiteral("SPAN[,SPAN]"), QStringLiteral("10m,24h"));
    const QCommandLineOption secrets(QStringLiteral("include-secrets"),
                                     CliText::tr("Keep the files' passwords (the snapshot then says so wherever it is shown)."));
    const QCommandLineOption output({QStringLiteral("o"), QStringLiteral("output")}, CliText::tr("The snapshot file to write."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption takenBy(QStringLiteral("taken-by"), CliText::tr("Who takes it (default: the user's name)."),
                                     QStringLiteral("NAME"));
    parser.addOptions({lbSocket, history, window, secrets, output, takenBy});
    int exitCode = Ok;
    if (!parseCommandLine(parser, QStringLiteral("snapshot export"), arguments, out, err, &exitCode))
        return exitCode;
    if (!parser.isSet(output) || !parser.isSet(options.endpoint)) {
        err << CliText::tr("snapshot export: use --seed HOST:PORT --key-file K -o FILE; see --help") << Qt::endl;
        return Usage;
    }
    const QStringList spans = parser.value(window).split(u',');
    const std::optional<int> recent = seconds(spans.value(0));
    const std::optional<int> longer = seconds(spans.value(1, QStringLiteral("24h")));
    if (!recent || !longer || spans.size() > 2) {
        err << CliText::tr("snapshot export: --window %1: use SPAN or SPAN,SPAN with s, m, h or d (e.g. 10m,24h)")
                   .arg(parser.value(window))
            << Qt::endl;
        return Usage;
    }
    const std::optional<AgentConnection> seed = agentConnectionFrom(parser, options, err);
    if (!seed)
        return Usage;
    Snapshot::SnapshotCollector::Settings settings;
    settings.cluster = {seed->endpoint, seed->keys, seed->role, seed->tls};
    settings.loadBalancerSocket = parser.value(lbSocket);
    settings.withHistory = parser.value(history) != u"none";
    settings.historyUrl = settings.withHistory ? parser.value(history) : QString();
    settings.secondsWindow = *recent;
    settings.minutesWindow = std::max(1, *longer / 60);
    settings.includeSecrets = parser.isSet(secrets);
    settings.takenBy = parser.isSet(takenBy) ? parser.value(takenBy) : qEnvironmentVariable("USER");
    Snapshot::SnapshotCollector collector(settings);
    QObject::connect(&collector, &Snapshot::SnapshotCollector::progress, &collector,
                     [&err](const QString &step) { err << step << Qt::endl; });
    QObject::connect(&collector, &Snapshot::SnapshotCollector::finished, &collector, [&](bool ok, const QString &error) {
        if (!ok) {
            err << CliText::tr("snapshot export: %1; nothing was written").arg(error) << Qt::endl;
            QCoreApplication::exit(Failed);
            return;
        }
        const Snapshot::Snapshot &snapshot = collector.snapshot();
        QString writeError;
        if (!Snapshot::writeSnapshot(snapshot, parser.value(output), &writeError)) {
            err << CliText::tr("snapshot export: %1").arg(writeError) << Qt::endl;
            QCoreApplication::exit(Failed);
            return;
        }
        for (const QString &missing : snapshot.missing)
            err << CliText::tr("not in the snapshot: %1").arg(missing) << Qt::endl;
        out << CliText::tr("%1: %2 members, %3 nodes' files, %4 findings, %5 events, %6 samples%7")
                   .arg(parser.value(output))
                   .arg(snapshot.members.size())
                   .arg(snapshot.files.size())
                   .arg(snapshot.findings.size())
                   .arg(snapshot.events.size())
                   .arg(snapshot.sampleCount())
                   .arg(snapshot.secretsIncluded ? CliText::tr("; passwords included") : QString())
            << Qt::endl;
        QCoreApplication::exit(Ok);
    });
    collector.start();
    return QCoreApplication::exec();
}

QJsonObject toJson(const Snapshot::Snapshot &snapshot)
{
    QJsonArray members;
    for (const Snapshot::Member &member : snapshot.members)
        members.append(QJsonObject{{QStringLiteral("id"), member.id},
                                   {QStringLiteral("node"), member.node},
                                   {QStringLiteral("domain"), member.domain},
                                   {QStringLiteral("subDomain"), member.subDomain},
                                   {QStringLiteral("state"), member.state},
                                   {QStringLiteral("incarnation"), member.incarnation},
                                   {QStringLiteral("balancerState"), member.balancerState},
                                   {QStringLiteral("weight"), member.weight},
                                   {QStringLiteral("checkStatus"), member.checkStatus},
                                   {QStringLiteral("cpuPercent"), member.cpuPercent},
                                   {QStringLiteral("rssBytes"), member.rssBytes},
                                   {QStringLiteral("heartbeatRttMs"), member.heartbeatRttMs}});
    QJsonObject files;
    for (auto it = snapshot.files.cbegin(); it != snapshot.files.cend(); ++it)
        files.insert(it.key(), QJsonArray::fromStringList(it.value().keys()));
    QJsonArray findings;
    for (const Finding &finding : snapshot.findings)
        findings.append(findingAsJson(finding));
    QJsonArray events;
    for (const HistoryEvent &event : snapshot.events)
        events.append(QJsonObject{{QStringLiteral("time"), event.time.toUTC().toString(Qt::ISODateWithMs)},
                                  {QStringLiteral("kind"), event.kind},
                                  {QStringLiteral("member"), event.memberId},
                                  {QStringLiteral("domain"), event.domain},
                                  {QStringLiteral("subDomain"), event.subDomain},
                                  {QStringLiteral("reason"), event.reason}});
    return {{QStringLiteral("format"), Snapshot::Snapshot::FormatVersion},
            {QStringLiteral("takenAt"), snapshot.takenAt.toUTC().toString(Qt::ISODateWithMs)},
            {QStringLiteral("windowFrom"), snapshot.windowFrom.toUTC().toString(Qt::ISODateWithMs)},
            {QStringLiteral("eventsFrom"), (snapshot.eventsFrom.isValid() ? snapshot.eventsFrom : snapshot.windowFrom).toUTC().toString(Qt::ISODateWithMs)},
            {QStringLiteral("cluster"), snapshot.cluster},
            {QStringLiteral("takenBy"), snapshot.takenBy},
            {QStringLiteral("consoleVersion"), snapshot.consoleVersion},
            {QStringLiteral("secretsIncluded"), snapshot.secretsIncluded},
            {QStringLiteral("missing"), QJsonArray::fromStringList(snapshot.missing)},
            {QStringLiteral("members"), members},
            {QStringLiteral("files"), files},
            {QStringLiteral("haproxy"), QJsonArray::fromStringList(snapshot.haproxy.keys())},
            {QStringLiteral("findings"), findings},
            {QStringLiteral("events"), events},
            {QStringLiteral("samples"), qint64(snapshot.sampleCount())}};
}

int runShow(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(CliText::tr("Prints what a snapshot holds: when and who, the members, findings and events."));
    parser.addPositionalArgument(QStringLiteral("FILE"), CliText::tr("A .tribune-snapshot file."));
    const QCommandLineOption json(QStringLiteral("json"), CliText::tr("As one JSON document (docs/SNAPSHOT.md)."));
    parser.addOption(json);
    int exitCode = Ok;
    if (!parseCommandLine(parser, QStringLiteral("snapshot show"), arguments, out, err, &exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1) {
        err << CliText::tr("snapshot show: name one FILE") << Qt::endl;
        return Usage;
    }
    QString error;
    const std::optional<Snapshot::Snapshot> snapshot = Snapshot::readSnapshot(parser.positionalArguments().first(), &error);
    if (!snapshot) {
        err << CliText::tr("snapshot show: %1").arg(error) << Qt::endl;
        return Usage;
    }
    if (parser.isSet(json)) {
        printJson(out, toJson(*snapshot));
        return Ok;
    }
    if (snapshot->secretsIncluded)
        out << CliText::tr("THIS SNAPSHOT HOLDS PASSWORDS: share it as you would share them.") << '\n';
    out << CliText::tr("Snapshot of %1, taken %2 by %3 (events from %4)")
               .arg(snapshot->cluster, QLocale().toString(snapshot->takenAt.toLocalTime(), QLocale::ShortFormat),
                    snapshot->takenBy.isEmpty() ? CliText::tr("someone") : snapshot->takenBy,
                    QLocale().toString(snapshot->windowFrom.toLocalTime(), QLocale::ShortFormat))
        << "\n\n";
    out << CliText::tr("Members") << '\n';
    for (const Snapshot::Member &member : snapshot->members)
        out << QStringLiteral("  %1 %2 %3 %4 %5 %6\n")
                   .arg(member.id, -22)
                   .arg(member.node, -14)
                   .arg(member.domain + u'/' + (member.subDomain.isEmpty() ? QStringLiteral("-") : member.subDomain), -30)
                   .arg(member.state, -8)
                   .arg(member.balancerState.isEmpty() ? QStringLiteral("-") : member.balancerState, -8)
                   .arg(member.rssBytes >= 0 ? CliText::tr("%1 MiB").arg(double(member.rssBytes) / 1048576.0, 0, 'f', 1) : QString());
    out << '\n' << CliText::tr("Findings: %1").arg(snapshot->findings.size()) << '\n';
    for (const Finding &finding : snapshot->findings)
        out << QStringLiteral("  %1 %2 %3:%4 %5\n")
                   .arg(severityName(finding.severity), -8)
                   .arg(finding.node, -14)
                   .arg(finding.file)
                   .arg(finding.line)
                   .arg(finding.message);
    out << '\n' << CliText::tr("Events: %1, samples: %2").arg(snapshot->events.size()).arg(snapshot->sampleCount()) << '\n';
    for (const HistoryEvent &event : snapshot->events)
        out << QStringLiteral("  %1 %2 %3 %4\n")
                   .arg(event.time.toUTC().toString(Qt::ISODate), event.kind, event.memberId, event.reason);
    for (const QString &missing : snapshot->missing)
        out << CliText::tr("Not in the snapshot: %1").arg(missing) << '\n';
    out.flush();
    return Ok;
}

int runDiff(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(CliText::tr("Shows what changed between two snapshots: members added, removed or changed, "
                                                 "each domain's traffic side by side, each node's files, findings new and "
                                                 "resolved. Exit 1 when members, files or findings differ."));
    parser.addPositionalArgument(QStringLiteral("A"), CliText::tr("The earlier snapshot."));
    parser.addPositionalArgument(QStringLiteral("B"), CliText::tr("The later snapshot."));
    int exitCode = Ok;
    if (!parseCommandLine(parser, QStringLiteral("snapshot diff"), arguments, out, err, &exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 2) {
        err << CliText::tr("snapshot diff: name two snapshot files, the earlier first") << Qt::endl;
        return Usage;
    }
    std::optional<Snapshot::Snapshot> snapshots[2];
    for (int i = 0; i < 2; ++i) {
        QString error;
        snapshots[i] = Snapshot::readSnapshot(parser.positionalArguments().at(i), &error);
        if (!snapshots[i]) {
            err << CliText::tr("snapshot diff: %1").arg(error) << Qt::endl;
            return Usage;
        }
    }
    const Snapshot::SnapshotDiff diff = Snapshot::diffSnapshots(*snapshots[0], *snapshots[1]);
    out << Snapshot::diffAsText(diff, QStringLiteral("A"), QStringLiteral("B"), true);
    out.flush();
    return diff.isEmpty() ? Ok : Failed;
}

int runReport(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(CliText::tr("Writes a snapshot's members, events and samples as CSV files "
                                                 "(members.csv, events.csv, samples.csv) into a folder."));
    const QCommandLineOption csv(QStringLiteral("csv"), CliText::tr("The folder to write the CSV files into."), QStringLiteral("DIR"));
    parser.addOption(csv);
    parser.addPositionalArgument(QStringLiteral("FILE"), CliText::tr("A .tribune-snapshot file."));
    int exitCode = Ok;
    if (!parseCommandLine(parser, QStringLiteral("snapshot report"), arguments, out, err, &exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1 || !parser.isSet(csv)) {
        err << CliText::tr("snapshot report: use --csv DIR FILE") << Qt::endl;
        return Usage;
    }
    QString error;
    const std::optional<Snapshot::Snapshot> snapshot = Snapshot::readSnapshot(parser.positionalArguments().first(), &error);
    if (!snapshot) {
        err << CliText::tr("snapshot report: %1").arg(error) << Qt::endl;
        return Usage;
    }
    QStringList written;
    if (!Snapshot::writeCsvReport(*snapshot, parser.value(csv), &written, &error)) {
        err << CliText::tr("snapshot report: %1").arg(error) << Qt::endl;
        return Failed;
    }
    out << CliText::tr("wrote %1 (%2 members, %3 events, %4 samples)")
               .arg(written.join(QLatin1String(", ")))
               .arg(snapshot->members.size())
               .arg(snapshot->events.size())
               .arg(snapshot->sampleCount())
        << Qt::endl;
    return Ok;
}

} // namespace

int runSnapshot(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    const QString action = arguments.value(0);
    if (action == u"export")
        return runExport(arguments.mid(1), out, err);
    if (action == u"show")
        return runShow(arguments.mid(1), out, err);
    if (action == u"diff")
        return runDiff(arguments.mid(1), out, err);
    if (action == u"report")
        return runReport(arguments.mid(1), out, err);
    err << CliText::tr("snapshot: use export --seed S --key-file K -o FILE, show FILE [--json], diff A B, or report --csv DIR FILE")
        << Qt::endl;
    return Usage;
}

} // namespace Tribune::Cli
