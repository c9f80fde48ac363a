#include "configdiffcommand.h"

#include "agentoptions.h"
#include "commandline.h"

#include "cluster/nodeconfig.h"
#include "planner/plandiff.h"
#include "protocol/messages.h"
#include "i18n/trcontexts.h"

#include <QCommandLineParser>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QMap>
#include <QTextStream>

namespace Tribune::Cli {

namespace {

using Files = QMap<QString, QByteArray>; // path below repository/conf -> bytes

constexpr int MaxFiles = 10000;

// Every file below a node's repository/conf (or the folder itself), by relative path.
std::optional<Files> filesOf(const QString &folder, QTextStream &err)
{
    const QString conf = NodeConfig::confFolderOf(folder);
    if (conf.isEmpty()) {
        err << CliText::tr("%1: not a node's folder (no repository/conf/axis2/axis2.xml or carbon.xml)").arg(folder) << Qt::endl;
        return std::nullopt;
    }
    Files files;
    const QDir base(QFileInfo(conf).absoluteFilePath());
    QDirIterator it(base.path(), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext() && files.size() < MaxFiles) {
        QFile file(it.next());
        if (!file.open(QIODevice::ReadOnly)) {
            err << CliText::tr("%1: cannot read: %2").arg(file.fileName(), file.errorString()) << Qt::endl;
            return std::nullopt;
        }
        files.insert(base.relativeFilePath(QFileInfo(file.fileName()).absoluteFilePath()), file.readAll());
    }
    return files;
}

// Prints the diff of every file either side has; true when they differ.
bool printDiff(const Files &a, const Files &b, const QString &labelA, const QString &labelB, QTextStream &out)
{
    QStringList paths = a.keys() + b.keys();
    paths.removeDuplicates();
    paths.sort();
    bool differ = false;
    for (const QString &path : std::as_const(paths)) {
        const QString diff = Planner::unifiedDiff(a.value(path), b.value(path), labelA + u'/' + path, labelB + u'/' + path);
        differ |= !diff.isEmpty();
        out << diff;
    }
    return differ;
}

} // namespace

int runConfigDiff(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(CliText::tr("Shows how two nodes' configuration files differ, or a folder from a "
                                                 "node's live files."));
    parser.addPositionalArgument(QStringLiteral("DIR"), CliText::tr("Two node folders, unless --node and --from."),
                                 QStringLiteral("[DIR_A DIR_B]"));
    const AgentOptions live(QStringLiteral("node"));
    live.addTo(parser);
    const QCommandLineOption from(QStringLiteral("from"), CliText::tr("The folder to hold against the node's live files."),
                                  QStringLiteral("DIR"));
    parser.addOption(from);
    int exitCode = Ok;
    if (!parseCommandLine(parser, QStringLiteral("config diff"), arguments, out, err, &exitCode))
        return exitCode;
    const QStringList folders = parser.positionalArguments();
    if (!parser.isSet(live.endpoint)) {
        if (folders.size() != 2) {
            err << CliText::tr("config diff: name two node folders, or --node HOST:PORT --key-file K --from DIR") << Qt::endl;
            return Usage;
        }
        const std::optional<Files> a = filesOf(folders.at(0), err);
        const std::optional<Files> b = a ? filesOf(folders.at(1), err) : std::nullopt;
        if (!b)
            return Usage;
        return printDiff(*a, *b, QStringLiteral("a"), QStringLiteral("b"), out) ? Failed : Ok;
    }
    if (!parser.isSet(from) || !folders.isEmpty()) {
        err << CliText::tr("config diff: --node needs --from DIR and no other folder") << Qt::endl;
        return Usage;
    }
    const std::optional<Files> local = filesOf(parser.value(from), err);
    const std::optional<AgentConnection> connection = local ? agentConnectionFrom(parser, live, err) : std::nullopt;
    if (!connection)
        return Usage;
    Protocol::AgentClient client(connection->endpoint, connection->keys, connection->role, connection->tls);
    QObject::connect(&client, &Protocol::AgentClient::connected, &client, [&] {
        client.request(Protocol::newMessage(Protocol::Message::ConfigGet), [&](const QJsonObject &reply) {
            if (Protocol::messageOf(reply) != Protocol::Message::Config) {
                err << reply.value(QLatin1String("message")).toString() << Qt::endl;
                QCoreApplication::exit(Usage);
                return;
            }
            Files remote;
            const QJsonObject files = reply.value(QLatin1String("files")).toObject();
            for (auto it = files.constBegin(); it != files.constEnd() && remote.size() < MaxFiles; ++it)
                remote.insert(it.key(), QByteArray::fromBase64(it.value().toString().toLatin1()));
            QCoreApplication::exit(printDiff(remote, *local, connection->endpoint.toString(), parser.value(from), out)
                                       ? Failed
                                       : Ok);
        });
    });
    return runUntilDone(client, err, false, Usage);
}

} // namespace Tribune::Cli
