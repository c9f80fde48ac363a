#pragma once

#include "protocol/agentclient.h"
#include "protocol/keyring.h"

#include <QCommandLineOption>

#include <optional>

class QCommandLineParser;
class QTextStream;

namespace Tribune::Cli {

// The options every command that talks to an agent shares: HOST:PORT (named --seed, --node, ...),
// the key file, the role and TLS.
struct AgentOptions
{
    QCommandLineOption endpoint;
    QCommandLineOption keyFile;
    QCommandLineOption role;
    QCommandLineOption tlsCa;

    explicit AgentOptions(const QString &endpointName);
    void addTo(QCommandLineParser &parser) const;
};

// What those options say: where, with which key and role.
struct AgentConnection
{
    Protocol::AgentClient::Endpoint endpoint;
    Protocol::KeyRing keys;
    Protocol::Role role = Protocol::Role::Viewer;
    Protocol::TlsOptions tls;
};

// Parses the shared options; nothing (with the reason printed) on bad input.
std::optional<AgentConnection> agentConnectionFrom(const QCommandLineParser &parser, const AgentOptions &options,
                                                   QTextStream &err);

// Opens the client and runs the event loop until QCoreApplication::exit(); a connection refused, or
// lost unless reconnect, ends it with a message and exit code failure.
int runUntilDone(Protocol::AgentClient &client, QTextStream &err, bool reconnect, int failure = 1);

} // namespace Tribune::Cli
