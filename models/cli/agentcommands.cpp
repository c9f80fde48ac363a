#include "agentcommands.h"

#include "agentoptions.h"
#include "commandline.h"
#include "configdiffcommand.h"
#include "configsetcommand.h"

#include "configstore/nodeconfigstore.h"
#include "protocol/agentclient.h"
#include "protocol/messages.h"
#include "i18n/trcontexts.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QTextStream>
#include <QTimer>

#include <csignal>

namespace Tribune::Cli {

using Protocol::AgentClient;
using Protocol::MembershipEvent;
using Protocol::MemberView;

namespace {

// Parses the shared options and builds a client; nullptr (with the reason printed) on bad input.
std::unique_ptr<AgentClient> clientFrom(const QCommandLineParser &parser, const AgentOptions &options, QTextStream &err)
{
    const std::optional<AgentConnection> connection = agentConnectionFrom(parser, options, err);
    return connection ? std::make_unique<AgentClient>(connection->endpoint, connection->keys, connection->role,
                                                      connection->tls)
                      : nullptr;
}

QJsonObject eventLine(const MembershipEvent &event)
{
    const Protocol::MemberInfo &member = event.member;
    QJsonObject line{{QStringLiteral("type"), eventTypeName(event.type)},
            {QStringLiteral("member"), member.id},
            {QStringLiteral("incarnation"), member.incarnation},
            {QStringLiteral("startedAt"), member.startedAtMs},
            {QStringLiteral("domain"), member.domain},
            {QStringLiteral("subDomain"), member.subDomain},
            {QStringLiteral("host"), member.host},
            {QStringLiteral("ports"), QJsonObject{{QStringLiteral("membership"), member.port},
                                                  {QStringLiteral("http"), member.httpPort},
                                                  {QStringLiteral("https"), member.httpsPort}}},
            {QStringLiteral("reason"), event.reason},
            {QStringLiteral("time"), event.time.toString(Qt::ISODateWithMs)},
            {QStringLiteral("sequence"), event.sequence}};
    if (event.type == MembershipEvent::Type::Rejoin)
        line.insert(QStringLiteral("previous"), event.previousId);
    return line;
}

QJsonObject memberLine(const MemberView &view, qint64 sequence)
{
    MembershipEvent asEvent{sequence, MembershipEvent::Type::Join, view.info, QString(), QDateTime::currentDateTimeUtc(), {}};
    QJsonObject line = eventLine(asEvent);
    line.insert(QStringLiteral("type"), QStringLiteral("member"));
    line.insert(QStringLiteral("state"), stateName(view.state));
    return line;
}

void printLine(QTextStream &out, const QJsonObject &object)
{
    out << QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)) << Qt::endl;
}

} // namespace

int runWatch(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(CliText::tr("Prints the membership view, then every change, one JSON object per line."));
    const AgentOptions options(QStringLiteral("seed"));
    options.addTo(parser);
    const QCommandLineOption count(QStringLiteral("count"), CliText::tr("Stop after N events."), QStringLiteral("N"));
    parser.addOption(count);
    int exitCode = Ok;
    if (!parseCommandLine(parser, QStringLiteral("watch"), arguments, out, err, &exitCode))
        return exitCode;
    std::unique_ptr<AgentClient> client = clientFrom(parser, options, err);
    if (!client)
        return Usage;
    const int limit = parser.isSet(count) ? parser.value(count).toInt() : -1;
    int seen = 0;
    QObject::connect(client.get(), &AgentClient::snapshotReceived, client.get(),
                     [&out](qint64, qint64 sequence, const QList<MemberView> &members) {
                         for (const MemberView &member : members)
                             printLine(out, memberLine(member, sequence));
                     });
    QObject::connect(client.get(), &AgentClient::eventReceived, client.get(), [&](const MembershipEvent &event) {
        printLine(out, eventLine(event));
        if (limit > 0 && ++seen >= limit)
            QCoreApplication::exit(Ok);
    });
    QObject::connect(client.get(), &AgentClient::disconnected, client.get(), [&err, &client](const QString &reason) {
        err << CliText::tr("%1: %2; reconnecting").arg(client->endpoint().toString(), reason) << Qt::endl;
    });
    // Interrupting the watch is its normal end.
    std::signal(SIGINT, [](int) { QCoreApplication::exit(Ok); });
    std::signal(SIGTERM, [](int) { QCoreApplication::exit(Ok); });
    client->subscribe();
    return runUntilDone(*client, err, true);
}

int runMembers(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(CliText::tr("Prints the membership view once."));
    const AgentOptions options(QStringLiteral("seed"));
    options.addTo(parser);
    const QCommandLineOption json(QStringLiteral("json"), CliText::tr("Print one JSON document."));
    parser.addOption(json);
    int exitCode = Ok;
    if (!parseCommandLine(parser, QStringLiteral("members"), arguments, out, err, &exitCode))
        return exitCode;
    std::unique_ptr<AgentClient> client = clientFrom(parser, options, err);
    if (!client)
        return Usage;
    QObject::connect(client.get(), &AgentClient::connected, client.get(), [&] {
        client->request(Protocol::newMessage(Protocol::Message::Members), [&](const QJsonObject &reply) {
            if (Protocol::messageOf(reply) != Protocol::Message::Snapshot) {
                err << reply.value(QLatin1String("message")).toString() << Qt::endl;
                QCoreApplication::exit(Failed);
                return;
            }
            const QJsonArray members = reply.value(QLatin1String("members")).toArray();
            if (parser.isSet(json)) {
                printJson(out, reply);
            } else {
                out << QStringLiteral("%1 %2 %3 %4 %5\n")
                           .arg(CliText::tr("MEMBER"), -22)
                           .arg(CliText::tr("STATE"), -8)
                           .arg(CliText::tr("DOMAIN"), -26)
                           .arg(CliText::tr("SUB-DOMAIN"), -11)
                           .arg(CliText::tr("HTTP/HTTPS"));
                for (const QJsonValue &entry : members) {
                    const QJsonObject member = entry.toObject().value(QLatin1String("member")).toObject();
                    out << QStringLiteral("%1 %2 %3 %4 %5/%6\n")
                               .arg(member.value(QLatin1String("id")).toString(), -22)
                               .arg(entry.toObject().value(QLatin1String("state")).toString(), -8)
                               .arg(member.value(QLatin1String("domain")).toString(), -26)
                               .arg(member.value(QLatin1String("subDomain")).toString(), -11)
                               .arg(member.value(QLatin1String("httpPort")).toInt())
                               .arg(member.value(QLatin1String("httpsPort")).toInt());
                }
            }
            QCoreApplication::exit(Ok);
        });
    });
    return runUntilDone(*client, err, false);
}

int runHealth(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(CliText::tr("Prints a node's health: uptime, CPU, memory, probe round trips, probes and gossip sent."));
    const AgentOptions options(QStringLiteral("node"));
    options.addTo(parser);
    int exitCode = Ok;
    if (!parseCommandLine(parser, QStringLiteral("health"), arguments, out, err, &exitCode))
        return exitCode;
    std::unique_ptr<AgentClient> client = clientFrom(parser, options, err);
    if (!client)
        return Usage;
    QObject::connect(client.get(), &AgentClient::connected, client.get(), [&] {
        client->request(Protocol::newMessage(Protocol::Message::Health), [&](const QJsonObject &reply) {
            const bool ok = Protocol::messageOf(reply) == Protocol::Message::Health;
            printJson(ok ? out : err, reply);
            QCoreApplication::exit(ok ? Ok : Failed);
        });
    });
    return runUntilDone(*client, err, false);
}

int runKeygen(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(CliText::tr("Writes a fresh cluster key file (mode 0600) with member, console and viewer keys."));
    parser.addPositionalArgument(QStringLiteral("FILE"), CliText::tr("Where to write the keys."));
    const QCommandLineOption from(QStringLiteral("from"), CliText::tr("Take the keys from this key file instead of new ones."),
                                  QStringLiteral("FILE"));
    const QCommandLineOption only(QStringLiteral("only"), CliText::tr("Keep only this role's key (e.g. a viewer's file)."),
                                  QStringLiteral("ROLE"));
    parser.addOptions({from, only});
    int exitCode = Ok;
    if (!parseCommandLine(parser, QStringLiteral("keygen"), arguments, out, err, &exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1) {
        err << CliText::tr("keygen: name one FILE") << Qt::endl;
        return Usage;
    }
    QString error;
    std::optional<Protocol::KeyRing> loaded =
        parser.isSet(from) ? Protocol::KeyRing::load(parser.value(from), &error) : Protocol::KeyRing::generate();
    if (!loaded) {
        err << error << Qt::endl;
        return Failed;
    }
    Protocol::KeyRing keys = *loaded;
    if (parser.isSet(only)) {
        const std::optional<Protocol::Role> role = Protocol::roleFromName(parser.value(only));
        if (!role) {
            err << CliText::tr("keygen: unknown role \"%1\"; use member, console or viewer").arg(parser.value(only)) << Qt::endl;
            return Usage;
        }
        for (const Protocol::Role other : {Protocol::Role::Member, Protocol::Role::Console, Protocol::Role::Viewer}) {
            if (other != *role)
                keys.remove(other);
        }
    }
    if (!keys.save(parser.positionalArguments().first(), &error)) {
        err << error << Qt::endl;
        return Failed;
    }
    return Ok;
}

int runConfig(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    if (arguments.value(0) == u"diff")
        return runConfigDiff(arguments.mid(1), out, err);
    if (arguments.value(0) == u"set")
        return runConfigSet(arguments.mid(1), out, err);
    QCommandLineParser parser;
    parser.setApplicationDescription(CliText::tr("Reads or changes a node's configuration files through its agent."));
    parser.addPositionalArgument(QStringLiteral("ACTION"), CliText::tr("get, push, backups, backup, rollback, diff or set"));
    const AgentOptions options(QStringLiteral("node"));
    options.addTo(parser);
    const QCommandLineOption outDir(QStringLiteral("out"), CliText::tr("get: write the files under this folder."), QStringLiteral("DIR"));
    const QCommandLineOption fromDir(QStringLiteral("from"), CliText::tr("push: a repository/conf folder to send files from."),
                                     QStringLiteral("DIR"));
    const QCommandLineOption number(QStringLiteral("number"), CliText::tr("backup: the backup to read; rollback: the backup to restore."),
                                    QStringLiteral("N"));
    parser.addOptions({outDir, fromDir, number});
    int exitCode = Ok;
    if (!parseCommandLine(parser, QStringLiteral("config"), arguments, out, err, &exitCode))
        return exitCode;
    const QString action = parser.positionalArguments().value(0);
    QJsonObject request;
    if (action == u"get") {
        request = Protocol::newMessage(Protocol::Message::ConfigGet);
    } else if (action == u"backups") {
        request = Protocol::newMessage(Protocol::Message::ConfigBackups);
    } else if (action == u"backup" && parser.isSet(number)) {
        request = Protocol::newMessage(Protocol::Message::ConfigBackupGet);
        request.insert(QStringLiteral("number"), parser.value(number).toInt());
    } else if (action == u"rollback" && parser.isSet(number)) {
        request = Protocol::newMessage(Protocol::Message::ConfigRollback);
        request.insert(QStringLiteral("number"), parser.value(number).toInt());
    } else if (action == u"push" && parser.isSet(fromDir)) {
        // Only the files named, or else every file below the folder, relative to it.
        // Absolute, so that the files found below it are named relative to it (a relative
        // folder was joined to itself: "conf/conf/carbon.xml: cannot read").
        const QDir base(QFileInfo(parser.value(fromDir)).absoluteFilePath());
        QStringList names = parser.positionalArguments().mid(1);
        if (names.isEmpty()) {
            QDirIterator it(base.path(), QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext())
                names.append(base.relativeFilePath(it.next()));
        }
        QJsonObject files;
        for (const QString &name : std::as_const(names)) {
            QFile file(base.filePath(name));
            if (!file.open(QIODevice::ReadOnly)) {
                err << CliText::tr("%1: cannot read: %2").arg(file.fileName(), file.errorString()) << Qt::endl;
                return Usage;
            }
            files.insert(name, QString::fromLatin1(file.readAll().toBase64()));
        }
        request = Protocol::newMessage(Protocol::Message::ConfigPush);
        request.insert(QStringLiteral("files"), files);
    } else {
        err << CliText::tr("config: use get [--out DIR], push --from DIR [FILE...], backups, backup --number N [--out DIR], or "
                           "rollback --number N")
            << Qt::endl;
        return Usage;
    }
    std::unique_ptr<AgentClient> client = clientFrom(parser, options, err);
    if (!client)
        return Usage;
    QObject::connect(client.get(), &AgentClient::connected, client.get(), [&] {
        client->request(request, [&](const QJsonObject &reply) {
            const std::optional<Protocol::Message> type = Protocol::messageOf(reply);
            if (type == Protocol::Message::Error
                || (type == Protocol::Message::ConfigResult && !reply.value(QLatin1String("ok")).toBool())) {
                err << reply.value(QLatin1String("message")).toString() << Qt::endl;
                QCoreApplication::exit(Failed);
                return;
            }
            if (type == Protocol::Message::Config && parser.isSet(outDir)) {
                const QJsonObject files = reply.value(QLatin1String("files")).toObject();
                const QDir target(parser.value(outDir));
                for (auto it = files.constBegin(); it != files.constEnd(); ++it) {
                    QString unsafe;
                    if (!NodeConfigStore::isAcceptablePath(it.key(), &unsafe)) {
                        err << CliText::tr("%1: not written: %2").arg(it.key(), unsafe) << Qt::endl;
                        QCoreApplication::exit(Failed);
                        return;
                    }
                    const QString path = target.filePath(it.key());
                    if (it.value().isNull()) { // a backup's: the node did not have the file then
                        out << CliText::tr("%1: absent in the backup").arg(path) << Qt::endl;
                        continue;
                    }
                    QDir().mkpath(QFileInfo(path).path());
                    QSaveFile file(path);
                    if (!file.open(QIODevice::WriteOnly)
                        || file.write(QByteArray::fromBase64(it.value().toString().toLatin1())) < 0 || !file.commit()) {
                        err << CliText::tr("%1: cannot write: %2").arg(path, file.errorString()) << Qt::endl;
                        QCoreApplication::exit(Failed);
                        return;
                    }
                    out << path << Qt::endl;
                }
            } else {
                printJson(out, reply);
            }
            QCoreApplication::exit(Ok);
        });
    });
    return runUntilDone(*client, err, false);
}

} // namespace Tribune::Cli
