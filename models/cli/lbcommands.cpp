#include "lbcommands.h"

#include "commandline.h"

#include "haproxy/haproxystats.h"
#include "haproxy/runtimeclient.h"
#include "i18n/trcontexts.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QTextStream>

namespace Tribune::Cli {

using HAProxy::Reply;
using HAProxy::RuntimeClient;
using HAProxy::StatRow;

namespace {

QJsonObject rowJson(const StatRow &row)
{
    return {{QStringLiteral("backend"), row.proxy},
            {QStringLiteral("server"), row.server},
            {QStringLiteral("status"), row.status},
            {QStringLiteral("check"), row.checkStatus},
            {QStringLiteral("weight"), row.weight},
            {QStringLiteral("sessions"), row.currentSessions},
            {QStringLiteral("sessionRate"), row.sessionRate},
            {QStringLiteral("requests"), row.totalRequests},
            {QStringLiteral("bytesIn"), row.bytesIn},
            {QStringLiteral("bytesOut"), row.bytesOut},
            {QStringLiteral("responses5xx"), row.responses5xx}};
}

// Prints backends and their servers: state, check, sessions, rates and bytes.
void printStatus(const QList<StatRow> &rows, bool json, QTextStream &out)
{
    if (json) {
        QJsonArray servers;
        for (const StatRow &row : rows) {
            if (row.isServer() || row.type == StatRow::Type::Backend)
                servers.append(rowJson(row));
        }
        printJson(out, QJsonObject{{QStringLiteral("servers"), servers}});
        return;
    }
    out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8\n")
               .arg(CliText::tr("BACKEND/SERVER"), -48)
               .arg(CliText::tr("STATUS"), -10)
               .arg(CliText::tr("CHECK"), -7)
               .arg(CliText::tr("WEIGHT"), 6)
               .arg(CliText::tr("SESS"), 6)
               .arg(CliText::tr("RATE"), 6)
               .arg(CliText::tr("BYTES IN"), 12)
               .arg(CliText::tr("BYTES OUT"), 12);
    for (const StatRow &row : rows) {
        if (!row.isServer() && row.type != StatRow::Type::Backend)
            continue;
        const QString name = row.isServer() ? row.proxy + QLatin1Char('/') + row.server : row.proxy;
        out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8\n")
                   .arg(name, -48)
                   .arg(row.status, -10)
                   .arg(row.checkStatus, -7)
                   .arg(row.weight, 6)
                   .arg(row.currentSessions, 6)
                   .arg(row.sessionRate, 6)
                   .arg(row.bytesIn, 12)
                   .arg(row.bytesOut, 12);
    }
}

} // namespace

int runLoadBalancer(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(CliText::tr("Shows and changes the load balancer's servers through HAProxy's admin socket."));
    parser.addPositionalArgument(QStringLiteral("ACTION"), CliText::tr("status, drain, ready, maint or weight"));
    const QCommandLineOption socket(QStringLiteral("socket"), CliText::tr("HAProxy's admin socket."), QStringLiteral("PATH|HOST:PORT"));
    const QCommandLineOption json(QStringLiteral("json"), CliText::tr("status: print one JSON document."));
    parser.addOptions({socket, json});
    int exitCode = 0;
    if (!parseCommandLine(parser, QStringLiteral("lb"), arguments, out, err, &exitCode))
        return exitCode;
    const QStringList positional = parser.positionalArguments();
    const QString action = positional.value(0);
    QString error;
    const std::optional<RuntimeClient::Address> address =
        parser.isSet(socket) ? RuntimeClient::parseAddress(parser.value(socket), &error) : std::nullopt;
    if (!address) {
        err << (error.isEmpty() ? CliText::tr("lb: --socket PATH|HOST:PORT is required") : error) << Qt::endl;
        return Usage;
    }
    const QString target = positional.value(1);
    const QString backend = target.section(u'/', 0, 0);
    const QString server = target.section(u'/', 1);
    const bool needsTarget = action != u"status";
    bool weightOk = true;
    const int weight = action == u"weight" ? positional.value(2).toInt(&weightOk) : 0;
    if ((needsTarget && (backend.isEmpty() || server.isEmpty())) || !weightOk
        || !QStringList{QStringLiteral("status"), QStringLiteral("drain"), QStringLiteral("ready"), QStringLiteral("maint"),
                        QStringLiteral("weight")}.contains(action)) {
        err << CliText::tr("lb: use status, drain|ready|maint BACKEND/SERVER, or weight BACKEND/SERVER N") << Qt::endl;
        return Usage;
    }

    RuntimeClient client(*address);
    // After a change, print the server's new state from HAProxy itself.
    const auto showResult = [&](const Reply &reply) {
        if (!reply.ok) {
            err << reply.error << Qt::endl;
            QCoreApplication::exit(Failed);
            return;
        }
        client.showStat([&](const Reply &statReply, const QList<StatRow> &rows) {
            if (!statReply.ok) {
                err << statReply.error << Qt::endl;
                QCoreApplication::exit(Failed);
                return;
            }
            QList<StatRow> selected;
            for (const StatRow &row : rows) {
                if (!needsTarget || (row.proxy == backend && row.server == server))
                    selected.append(row);
            }
            if (needsTarget && selected.isEmpty()) {
                err << CliText::tr("%1: no such server").arg(target) << Qt::endl;
                QCoreApplication::exit(Failed);
                return;
            }
            printStatus(selected, parser.isSet(json), out);
            QCoreApplication::exit(Ok);
        });
    };
    if (action == u"status")
        showResult(Reply{QStringLiteral("show stat"), QString(), true, QString()});
    else if (action == u"weight")
        client.setWeight(backend, server, weight, showResult);
    else
        client.setServerState(backend, server,
                              action == u"drain" ? RuntimeClient::AdminState::Drain
                              : action == u"maint" ? RuntimeClient::AdminState::Maint
                                                   : RuntimeClient::AdminState::Ready,
                              showResult);
    return QCoreApplication::exec();
}

} // namespace Tribune::Cli
