#include "agentoptions.h"

#include "commandline.h"
#include "i18n/trcontexts.h"

#include <QCommandLineParser>
#include <QTextStream>

namespace Tribune::Cli {

AgentOptions::AgentOptions(const QString &endpointName)
    : endpoint(endpointName, CliText::tr("The agent's membership port, HOST:PORT."), QStringLiteral("HOST:PORT"))
    , keyFile(QStringLiteral("key-file"), CliText::tr("The cluster key file (mode 0600)."), QStringLiteral("FILE"))
    , role(QStringLiteral("role"), CliText::tr("console or viewer (default: the strongest key in the file)."), QStringLiteral("ROLE"))
    , tlsCa(QStringLiteral("tls-ca"), CliText::tr("Use TLS, trusting this certificate authority (PEM)."), QStringLiteral("FILE"))
{
}

void AgentOptions::addTo(QCommandLineParser &parser) const
{
    parser.addOptions({endpoint, keyFile, role, tlsCa});
}

std::optional<AgentConnection> agentConnectionFrom(const QCommandLineParser &parser, const AgentOptions &options,
                                                   QTextStream &err)
{
    if (!parser.isSet(options.endpoint) || !parser.isSet(options.keyFile)) {
        err << CliText::tr("--%1 and --key-file are required; see --help").arg(options.endpoint.names().first()) << Qt::endl;
        return std::nullopt;
    }
    QString error;
    const std::optional<Protocol::AgentClient::Endpoint> endpoint =
        Protocol::AgentClient::parseEndpoint(parser.value(options.endpoint), &error);
    std::optional<Protocol::KeyRing> keys = endpoint ? Protocol::KeyRing::load(parser.value(options.keyFile), &error)
                                                     : std::nullopt;
    if (!keys) {
        err << error << Qt::endl;
        return std::nullopt;
    }
    std::optional<Protocol::Role> role = keys->strongestClientRole();
    if (parser.isSet(options.role))
        role = Protocol::roleFromName(parser.value(options.role));
    if (!role || !keys->has(*role)) {
        err << CliText::tr("no usable key for role \"%1\" in %2").arg(parser.value(options.role), parser.value(options.keyFile))
            << Qt::endl;
        return std::nullopt;
    }
    AgentConnection connection{*endpoint, std::move(*keys), *role, {}};
    connection.tls.caFile = parser.value(options.tlsCa);
    return connection;
}

int runUntilDone(Protocol::AgentClient &client, QTextStream &err, bool reconnect, int failure)
{
    QObject::connect(&client, &Protocol::AgentClient::refused, &client, [&err, failure](const QString &reason) {
        err << CliText::tr("refused: %1").arg(reason) << Qt::endl;
        QCoreApplication::exit(failure);
    });
    if (!reconnect) {
        QObject::connect(&client, &Protocol::AgentClient::disconnected, &client,
                         [&err, &client, failure](const QString &reason) {
                             err << CliText::tr("%1: %2").arg(client.endpoint().toString(), reason) << Qt::endl;
                             QCoreApplication::exit(failure);
                         });
    }
    client.setAutoReconnect(reconnect);
    client.open();
    return QCoreApplication::exec();
}

} // namespace Tribune::Cli
