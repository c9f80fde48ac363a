#include "runtimereply.h"
#include "i18n/trcontexts.h"

#include <QCoreApplication>
#include <QStringList>

#include <algorithm>
#include <array>

namespace Tribune::HAProxy {

namespace {

// ---------------------------------------------------------------------------------------------
// Reading success or failure from a reply. HAProxy 2.6's CLI returns no status, only text, and a
// command that worked answers in one of three ways:
//   - Data: "show ...", "get ...", "help" print what was asked (which may be nothing).
//   - Silent: the edits below print nothing at all; any text is a refusal.
//   - Sentence: "add server" prints "New server registered.", "del server" "Server deleted.";
//     anything else is a refusal.
// Every other command is judged by the two lists: a reply whose first line opens like a refusal
// (ErrorOpenings), or any of whose text holds a refusal phrase (ErrorPhrases), failed. For Data
// only the openings count, since data (map keys, check descriptions) may hold the phrases.
// Every message quoted here was read from a real HAProxy 2.6.12: tst_runtimereply replays them,
// and tst_runtimeclient checks a live HAProxy's answers through these rules.
// ---------------------------------------------------------------------------------------------

// Case-insensitive openings of a refusal's first line, with the messages they were seen in.
constexpr std::array<QLatin1StringView, 27> ErrorOpenings = {
    QLatin1StringView("Unknown"),           // "Unknown command, but maybe...", "Unknown map identifier."
    QLatin1StringView("No such"),           // "No such backend.", "No such server.", "No such frontend."
    QLatin1StringView("Permission denied"), // a write command on a "level operator" socket
    QLatin1StringView("Require"),           // "Require 'backend/server'.", "Require 'admin' level."
    QLatin1StringView("Can't"),             // "Can't find backend." (show servers state X)
    QLatin1StringView("Cannot"),
    QLatin1StringView("Missing"),
    QLatin1StringView("Invalid"),           // "invalid character 'a' in port number ..."
    QLatin1StringView("Empty"),             // "Empty weight string empty or preceded by garbage"
    QLatin1StringView("Absolute weight"),   // "Absolute weight can only be between 0 and 256 ..."
    QLatin1StringView("Relative weight"),
    QLatin1StringView("Only "),             // "Only servers in maintenance mode can be deleted."
    QLatin1StringView("Already exists"),    // "Already exists a server with the same name ..."
    QLatin1StringView("This command"),      // "This command expects two parameters: ..."
    QLatin1StringView("usage:"),            // "usage: set server <backend>/<server> addr | ..."
    QLatin1StringView("'"),                 // "'set server <srv> state' expects ...", "'add map' ..."
    QLatin1StringView("Failed"),
    QLatin1StringView("Unable"),
    QLatin1StringView("Out of memory"),
    QLatin1StringView("Not enough"),
    QLatin1StringView("Session not found"), // "show sess 0x1"
    QLatin1StringView("Key not found"),     // "del map"/"del acl" of a missing key
    QLatin1StringView("entry not found"),   // "set map" of a missing key
    QLatin1StringView("unknown keyword"),   // "add server ... bogus"
    QLatin1StringView("weight of server"),  // "weight of server w3 is not within 0 and 256 (1000).."
    QLatin1StringView("agent checks are"),  // "agent checks are not enabled on this server."
    QLatin1StringView("Agent was not"),     // "enable agent" without an agent
};

// Case-insensitive phrases that mark a refusal anywhere in the reply of a command that is neither
// Data, Silent nor Sentence (e.g. "set server B/S addr" answers "IP changed from ..." on success).
constexpr std::array<QLatin1StringView, 16> ErrorPhrases = {
    QLatin1StringView("unknown"),             QLatin1StringView("no such"),
    QLatin1StringView("permission denied"),   QLatin1StringView("require"),
    QLatin1StringView("failed"),              QLatin1StringView("is not"),
    QLatin1StringView("are not"),             QLatin1StringView("can't"),
    QLatin1StringView("cannot"),              QLatin1StringView("missing"),
    QLatin1StringView("invalid"),             QLatin1StringView("not found"),
    QLatin1StringView("not within"),          QLatin1StringView("expects"),
    QLatin1StringView("not allowed"),         QLatin1StringView("not configured"),
};

enum class Expect { Data, Silent, Sentence, Other };

struct Expectation
{
    Expect kind = Expect::Other;
    QLatin1StringView sentence; // Expect::Sentence: the reply of success
};

Expectation expectationFor(const QString &command)
{
    const QStringList words = command.simplified().toLower().split(u' ');
    auto word = [&words](qsizetype i) { return i < words.size() ? words.at(i) : QString(); };
    const QString verb = word(0);
    const QString object = word(1);
    if (verb == u"show" || verb == u"get" || verb == u"help")
        return {Expect::Data, {}};
    if (verb == u"add" && object == u"server")
        return {Expect::Sentence, QLatin1StringView("New server registered.")};
    if (verb == u"del" && object == u"server")
        return {Expect::Sentence, QLatin1StringView("Server deleted.")};
    static const QStringList silentServerFields = {QStringLiteral("state"), QStringLiteral("weight"),
                                                   QStringLiteral("health"), QStringLiteral("agent")};
    if (verb == u"set" && object == u"server")
        return {silentServerFields.contains(word(3)) ? Expect::Silent : Expect::Other, {}};
    static const QStringList silentObjects = {QStringLiteral("map"), QStringLiteral("acl")};
    const bool edits = verb == u"add" || verb == u"del" || verb == u"set" || verb == u"clear";
    if (edits && silentObjects.contains(object))
        return {Expect::Silent, {}};
    if ((verb == u"enable" || verb == u"disable")
        && (object == u"health" || object == u"agent" || object == u"server" || object == u"frontend"))
        return {Expect::Silent, {}};
    if (verb == u"shutdown"
        || (verb == u"set" && (object == u"weight" || object == u"maxconn" || object == u"rate-limit")))
        return {Expect::Silent, {}};
    return {};
}

bool opensLikeRefusal(QStringView line)
{
    return std::any_of(ErrorOpenings.cbegin(), ErrorOpenings.cend(), [line](QLatin1StringView opening) {
        return line.startsWith(opening, Qt::CaseInsensitive);
    });
}

bool holdsRefusalPhrase(QStringView text)
{
    return std::any_of(ErrorPhrases.cbegin(), ErrorPhrases.cend(), [text](QLatin1StringView phrase) {
        return text.contains(phrase, Qt::CaseInsensitive);
    });
}

} // namespace

QString replyError(const QString &command, const QString &text)
{
    QStringView first;
    for (QStringView line : QStringView(text).tokenize(u'\n')) {
        if (!line.trimmed().isEmpty()) {
            first = line.trimmed();
            break;
        }
    }
    const Expectation expected = expectationFor(command);
    switch (expected.kind) {
    case Expect::Data:
        return opensLikeRefusal(first) ? first.toString() : QString();
    case Expect::Silent:
        return first.toString();
    case Expect::Sentence:
        if (first.startsWith(expected.sentence))
            return {};
        if (first.isEmpty())
            return HAProxyText::tr("HAProxy did not answer \"%1\"")
                .arg(command);
        return first.toString();
    case Expect::Other:
        break;
    }
    return opensLikeRefusal(first) || holdsRefusalPhrase(text) ? first.toString() : QString();
}

QString escapeArgument(const QString &argument)
{
    QString escaped;
    escaped.reserve(argument.size() + 4);
    for (QChar c : argument) {
        if (c == u' ' || c == u'\t' || c == u';' || c == u'\\')
            escaped += u'\\';
        escaped += c;
    }
    return escaped;
}

} // namespace Tribune::HAProxy
