// tribunectl history: reads the console's history through the same HistoryStore the console
// writes with, so a script sees the events and samples the console shows.
#include "historycommand.h"

#include "commandline.h"

#include "history/historystore.h"
#include "i18n/trcontexts.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTextStream>

#include <optional>
#include <utility>

namespace Tribune::Cli {

namespace {

constexpr int DefaultEventLimit = 1000;

// Text shows whole seconds; JSON keeps the milliseconds events are stored with.
QString isoTime(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODate);
}

QJsonValue jsonTime(const QDateTime &time)
{
    return time.isValid() ? QJsonValue(time.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
}

// Prints a header and rows, each column as wide as its widest cell. Columns from firstNumber on
// hold numbers and are aligned right; a last column of text is not padded.
void printTable(QTextStream &out, const QStringList &header, const QList<QStringList> &rows, qsizetype firstNumber)
{
    QList<qsizetype> widths(header.size(), 0);
    for (qsizetype i = 0; i < header.size(); ++i)
        widths[i] = header.at(i).size();
    for (const QStringList &row : rows) {
        for (qsizetype i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = qMax(widths.at(i), row.at(i).size());
    }
    const auto print = [&](const QStringList &cells) {
        QString line;
        for (qsizetype i = 0; i < cells.size(); ++i) {
            if (i > 0)
                line += QLatin1String("  ");
            if (i >= firstNumber)
                line += cells.at(i).rightJustified(widths.at(i));
            else if (i + 1 < cells.size())
                line += cells.at(i).leftJustified(widths.at(i));
            else
                line += cells.at(i);
        }
        out << line << QLatin1Char('\n');
    };
    print(header);
    for (const QStringList &row : rows)
        print(row);
}

// The options every action takes.
struct StoreOptions
{
    QCommandLineOption history{QStringLiteral("history"),
                               CliText::tr("The history: sqlite:///path/history.sqlite, mysql://user:password@host:port/database "
                                           "or postgresql://...; default: the SQLite file the console uses, %1.")
                                   .arg(HistoryStore::defaultPath()),
                               QStringLiteral("URL")};
    QCommandLineOption json{QStringLiteral("json"), CliText::tr("Print one JSON document.")};
};

// The time range events and samples take.
struct RangeOptions
{
    QCommandLineOption from{QStringLiteral("from"),
                            CliText::tr("Only from T on: ISO 8601 such as 2026-11-23T10:00:00Z (without Z or an offset: local "
                                        "time), or an age before now such as 15m, 2h or 1d."),
                            QStringLiteral("T")};
    QCommandLineOption to{QStringLiteral("to"), CliText::tr("Only up to T, in the forms --from takes."), QStringLiteral("T")};
};

// parseCommandLine for "history ACTION"; no action takes positional arguments.
bool parseAction(QCommandLineParser &parser, const QString &action, const QStringList &arguments, QTextStream &out,
                 QTextStream &err, int *exitCode)
{
    if (!parseCommandLine(parser, QLatin1String("history ") + action, arguments, out, err, exitCode))
        return false;
    if (!parser.positionalArguments().isEmpty()) {
        err << CliText::tr("history %1: unexpected argument \"%2\"; see --help").arg(action, parser.positionalArguments().first())
            << Qt::endl;
        *exitCode = Usage;
        return false;
    }
    return true;
}

// ISO 8601, or an age before now: a whole number of seconds, minutes, hours or days.
QDateTime parseTime(const QString &text, const QDateTime &now)
{
    static const QRegularExpression age(QStringLiteral("^(\\d{1,9})([smhd])$"));
    const QString given = text.trimmed();
    const QRegularExpressionMatch match = age.match(given);
    if (!match.hasMatch())
        return QDateTime::fromString(given, Qt::ISODateWithMs);
    constexpr qint64 unitSeconds[] = {1, 60, 3600, 86400};
    const qsizetype unit = QStringLiteral("smhd").indexOf(match.capturedView(2));
    return now.addSecs(-match.capturedView(1).toLongLong() * unitSeconds[unit]);
}

// Reads --from and --to (invalid when not given); false, with the reason printed, for a value
// that is not a time.
bool readRange(const QCommandLineParser &parser, const RangeOptions &options, const QString &action, QDateTime *from,
               QDateTime *to, QTextStream &err)
{
    const QDateTime now = QDateTime::currentDateTimeUtc(); // one now for both ends
    const std::pair<const QCommandLineOption *, QDateTime *> ends[] = {{&options.from, from}, {&options.to, to}};
    for (const auto &[option, time] : ends) {
        if (!parser.isSet(*option))
            continue;
        *time = parseTime(parser.value(*option), now);
        if (!time->isValid()) {
            err << CliText::tr("history %1: --%2 \"%3\" is not a time; use ISO 8601 such as 2026-11-23T10:00:00Z, or an age "
                               "before now such as 90s, 15m, 2h or 1d")
                       .arg(action, option->names().constFirst(), parser.value(*option))
                << Qt::endl;
            return false;
        }
    }
    return true;
}

// Opens the history the options name; prints why not (what failed and where) on failure.
std::optional<HistoryStore> openStore(const QCommandLineParser &parser, const StoreOptions &options, QTextStream &err)
{
    QString error;
    std::optional<HistoryStore> store = HistoryStore::open(parser.value(options.history), &error);
    if (!store)
        err << error << Qt::endl;
    return store;
}

// A read that failed left its reason in lastError(), which is empty on a store just opened.
bool readFailed(const HistoryStore &store, QTextStream &err)
{
    if (store.lastError().isEmpty())
        return false;
    err << store.lastError() << Qt::endl;
    return true;
}

int runCheck(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        CliText::tr("Opens the history, creating its tables if need be, and tells where it is and what it holds."));
    const StoreOptions store;
    parser.addOptions({store.history, store.json});
    int exitCode = Ok;
    if (!parseAction(parser, QStringLiteral("check"), arguments, out, err, &exitCode))
        return exitCode;
    const std::optional<HistoryStore> history = openStore(parser, store, err);
    if (!history)
        return Failed;
    const std::optional<HistorySummary> summary = history->summary();
    if (!summary) {
        err << history->lastError() << Qt::endl;
        return Failed;
    }
    if (parser.isSet(store.json)) {
        printJson(out, {{QStringLiteral("location"), history->location()},
                        {QStringLiteral("events"),
                         QJsonObject{{QStringLiteral("count"), summary->events},
                                     {QStringLiteral("first"), jsonTime(summary->firstEvent)},
                                     {QStringLiteral("last"), jsonTime(summary->lastEvent)}}},
                        {QStringLiteral("samples"),
                         QJsonObject{{QStringLiteral("secondRows"), summary->secondSamples},
                                     {QStringLiteral("minuteRows"), summary->minuteSamples},
                                     {QStringLiteral("first"), jsonTime(summary->firstSample)},
                                     {QStringLiteral("last"), jsonTime(summary->lastSample)}}}});
        return Ok;
    }
    out << CliText::tr("History: %1").arg(history->location()) << Qt::endl;
    if (summary->events > 0)
        out << CliText::tr("Events: %1, from %2 to %3")
                   .arg(QString::number(summary->events), isoTime(summary->firstEvent), isoTime(summary->lastEvent))
            << Qt::endl;
    else
        out << CliText::tr("Events: none") << Qt::endl;
    if (summary->secondSamples + summary->minuteSamples > 0)
        out << CliText::tr("Samples: %1 one-second rows and %2 one-minute rows, from %3 to %4")
                   .arg(QString::number(summary->secondSamples), QString::number(summary->minuteSamples),
                        isoTime(summary->firstSample), isoTime(summary->lastSample))
            << Qt::endl;
    else
        out << CliText::tr("Samples: none") << Qt::endl;
    return Ok;
}

int runEvents(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(CliText::tr("Prints the events in the history, newest first."));
    const StoreOptions store;
    const RangeOptions range;
    const QCommandLineOption search(QStringLiteral("search"),
                                    CliText::tr("Only events whose member, reason or kind contains TEXT, ignoring case."),
                                    QStringLiteral("TEXT"));
    const QCommandLineOption limit(QStringLiteral("limit"),
                                   CliText::tr("At most N events, the newest (default %1; 0 for all).").arg(DefaultEventLimit),
                                   QStringLiteral("N"), QString::number(DefaultEventLimit));
    parser.addOptions({store.history, range.from, range.to, search, limit, store.json});
    int exitCode = Ok;
    if (!parseAction(parser, QStringLiteral("events"), arguments, out, err, &exitCode))
        return exitCode;
    QDateTime from;
    QDateTime to;
    if (!readRange(parser, range, QStringLiteral("events"), &from, &to, err))
        return Usage;
    bool limitOk = false;
    const int count = parser.value(limit).toInt(&limitOk);
    if (!limitOk || count < 0) {
        err << CliText::tr("history events: --limit \"%1\" is not a number of events; use a whole number, 0 for all")
                   .arg(parser.value(limit))
            << Qt::endl;
        return Usage;
    }
    const std::optional<HistoryStore> history = openStore(parser, store, err);
    if (!history)
        return Failed;
    const QList<HistoryEvent> events = history->events(from, to, parser.value(search), count);
    if (readFailed(*history, err))
        return Failed;

    if (parser.isSet(store.json)) {
        QJsonArray array;
        for (const HistoryEvent &event : events)
            array.append(QJsonObject{{QStringLiteral("time"), jsonTime(event.time)},
                                     {QStringLiteral("kind"), event.kind},
                                     {QStringLiteral("member"), event.memberId},
                                     {QStringLiteral("domain"), event.domain},
                                     {QStringLiteral("subDomain"), event.subDomain},
                                     {QStringLiteral("reason"), event.reason}});
        printJson(out, {{QStringLiteral("location"), history->location()}, {QStringLiteral("events"), array}});
        return Ok;
    }
    if (events.isEmpty()) {
        out << CliText::tr("No events.") << Qt::endl;
        return Ok;
    }
    // A dash keeps an empty cell from shifting the columns for tools that split on blanks.
    const auto cell = [](const QString &text) -> QString { return text.isEmpty() ? QStringLiteral("-") : text; };
    QList<QStringList> rows;
    rows.reserve(events.size());
    for (const HistoryEvent &event : events) {
        const QString domain =
            event.subDomain.isEmpty() ? event.domain : event.domain + QLatin1Char('/') + event.subDomain;
        rows.append({isoTime(event.time), cell(event.kind), cell(event.memberId), cell(domain), event.reason});
    }
    const QStringList header{CliText::tr("TIME"), CliText::tr("KIND"), CliText::tr("MEMBER"), CliText::tr("DOMAIN/SUB-DOMAIN"), CliText::tr("REASON")};
    printTable(out, header, rows, header.size()); // no column of numbers
    return Ok;
}

int runSamples(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(CliText::tr("Prints a member's traffic samples in time order; for several members, "
                                                 "their sum (response time: the members' average)."));
    const StoreOptions store;
    const RangeOptions range;
    const QCommandLineOption member(QStringLiteral("member"), CliText::tr("A member's id (repeatable)."), QStringLiteral("ID"));
    parser.addOptions({store.history, member, range.from, range.to, store.json});
    int exitCode = Ok;
    if (!parseAction(parser, QStringLiteral("samples"), arguments, out, err, &exitCode))
        return exitCode;
    QStringList members = parser.values(member);
    members.removeDuplicates();
    if (members.isEmpty()) {
        err << CliText::tr("history samples: name at least one --member ID; see --help") << Qt::endl;
        return Usage;
    }
    QDateTime from;
    QDateTime to;
    if (!readRange(parser, range, QStringLiteral("samples"), &from, &to, err))
        return Usage;
    const std::optional<HistoryStore> history = openStore(parser, store, err);
    if (!history)
        return Failed;
    const QList<MetricSample> samples = members.size() == 1 ? history->samples(members.first(), from, to)
                                                            : history->samplesSummed(members, from, to);
    if (readFailed(*history, err))
        return Failed;

    if (parser.isSet(store.json)) {
        QJsonArray array;
        for (const MetricSample &sample : samples)
            array.append(QJsonObject{{QStringLiteral("time"), jsonTime(sample.time)},
                                     {QStringLiteral("requestRate"), sample.requestRate},
                                     {QStringLiteral("sessions"), sample.sessions},
                                     {QStringLiteral("bytesInRate"), sample.bytesInRate},
                                     {QStringLiteral("bytesOutRate"), sample.bytesOutRate},
                                     {QStringLiteral("errors5xxRate"), sample.errors5xxRate},
                                     {QStringLiteral("responseTimeMs"), sample.responseTimeMs}});
        printJson(out, {{QStringLiteral("location"), history->location()},
                        {QStringLiteral("members"), QJsonArray::fromStringList(members)},
                        {QStringLiteral("summed"), members.size() > 1},
                        {QStringLiteral("samples"), array}});
        return Ok;
    }
    if (samples.isEmpty()) {
        out << CliText::tr("No samples.") << Qt::endl;
        return Ok;
    }
    const auto number = [](double value, int decimals) -> QString { return QString::number(value, 'f', decimals); };
    QList<QStringList> rows;
    rows.reserve(samples.size());
    for (const MetricSample &sample : samples)
        rows.append({isoTime(sample.time), number(sample.requestRate, 2), number(sample.sessions, 1),
                     number(sample.bytesInRate, 0), number(sample.bytesOutRate, 0), number(sample.errors5xxRate, 2),
                     number(sample.responseTimeMs, 1)});
    printTable(out,
               {CliText::tr("TIME"), CliText::tr("REQUESTS/S"), CliText::tr("SESSIONS"), CliText::tr("BYTES IN/S"), CliText::tr("BYTES OUT/S"), CliText::tr("5XX/S"),
                CliText::tr("RESPONSE MS")},
               rows, 1);
    return Ok;
}

} // namespace

int runHistory(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    const QString action = arguments.value(0);
    if (action == u"check")
        return runCheck(arguments.mid(1), out, err);
    if (action == u"events")
        return runEvents(arguments.mid(1), out, err);
    if (action == u"samples")
        return runSamples(arguments.mid(1), out, err);
    const bool help = action == u"--help" || action == u"-h" || action == u"help";
    QTextStream &stream = help ? out : err;
    // An option where the action belongs: the action was left out, or put after the options.
    if (!help)
        stream << (action.isEmpty() || action.startsWith(u'-') ? CliText::tr("history: name an action first")
                                                               : CliText::tr("history: unknown action \"%1\"").arg(action))
               << QLatin1String("\n\n");
    stream << CliText::tr("Usage: tribunectl history ACTION [OPTIONS]\n\n"
                          "Actions:\n"
                          "  check     where the history is and what it holds\n"
                          "  events    the event log, newest first\n"
                          "  samples   a member's traffic samples, or several members' sum\n\n"
                          "Run 'tribunectl history ACTION --help' for an action's options.\n");
    return help ? Ok : Usage;
}

} // namespace Tribune::Cli
