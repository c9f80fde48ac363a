#pragma once

// Real tribune-agent processes for integration tests: a temporary copy of the sample cluster
// with every membership port moved to a free ephemeral port (and the well-known member lists
// rewritten to match, through the configuration library), a fresh key file, and helpers to
// start, stop and kill agents. Everything started is killed when the harness goes away.

#include "protocol/agentclient.h"
#include "protocol/keyring.h"

#include <QHash>
#include <QMap>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <memory>

// The endpoints something listens on already, with why, for people ("127.0.0.1:9763 (...)");
// empty when all are free. The sample members' HTTP ports are fixed.
QString busyPorts(const QList<QPair<QString, quint16>> &endpoints);

// Starts tribune-agent with these arguments and waits (up to 10 s) until it says it listens; what
// it printed so far is in the process's "output" property. The caller owns the process.
QProcess *startAgentProcess(const QStringList &arguments);
// Stops agents gracefully, then by force, deletes them, stops every HAProxy started from folder
// (which outlives its agent) and kills whatever else they left running from it.
void stopAgentProcesses(const QList<QProcess *> &processes, const QString &folder);
// tribune-agent --role lb --stop-haproxy for every runtime folder under folder with a pid file.
void stopHAProxiesUnder(const QString &folder);

class AgentCluster
{
public:
    // Nodes of the sample cluster by name; "esb-worker3~2" is a further copy of esb-worker3
    // (its own membership port; its HTTP port is the original's, so only one of them serves).
    explicit AgentCluster(const QStringList &nodes);
    ~AgentCluster();

    // Copies the nodes, gives each a free membership port, writes the key files.
    bool prepare(QString *error);

    // Starts a node's agent and waits until it listens. Extra arguments go to the agent.
    bool start(const QString &node, const QStringList &extraArguments = {});
    // SIGTERM (graceful leave) and wait for the exit.
    bool stop(const QString &node);
    // SIGKILL: the node dies without a word.
    bool kill(const QString &node);
    bool isRunning(const QString &node) const;
    qint64 pid(const QString &node) const;
    QString output(const QString &node) const;

    QString root() const { return m_dir.path(); }
    QString home(const QString &node) const { return m_dir.path() + QLatin1Char('/') + node; }
    QString memberId(const QString &node) const;
    quint16 memberPort(const QString &node) const { return m_ports.value(node); }
    QString host(const QString &node) const { return m_hosts.value(node); }
    QString keyFile() const { return m_dir.path() + QLatin1String("/cluster.keys"); }
    QString viewerKeyFile() const { return m_dir.path() + QLatin1String("/viewer.keys"); }
    const Tribune::Protocol::KeyRing &keys() const { return m_keys; }

    // A console client of a node's agent (not yet opened).
    std::unique_ptr<Tribune::Protocol::AgentClient> client(const QString &node, Tribune::Protocol::Role role =
                                                                                   Tribune::Protocol::Role::Console) const;

private:
    QStringList m_nodes;
    QTemporaryDir m_dir;
    Tribune::Protocol::KeyRing m_keys;
    QHash<QString, quint16> m_ports;
    QHash<QString, QString> m_hosts;
    QMap<QString, QProcess *> m_processes;
};
