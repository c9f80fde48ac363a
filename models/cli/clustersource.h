#pragma once

#include "agentoptions.h"

#include "cluster/clusterconfig.h"
#include "config/configerror.h"

#include <QCommandLineOption>
#include <QMap>
#include <QTemporaryDir>

#include <optional>

class QCommandLineParser;
class QTextStream;

namespace Tribune::Cli {

// Where a command reads a cluster from: folders named as PATH arguments, or the running cluster
// through --seed and --key-file (every member's files read from its agent); names resolved
// through --hosts, the cluster folder's hosts file, or else the system resolver.
class ClusterSource
{
public:
    ClusterSource();

    // Adds --hosts and the --seed options; the command adds its own PATH argument.
    void addTo(QCommandLineParser &parser) const;
    // Loads the cluster. On unusable input, nothing: the errors are in inputErrors (file names
    // for people), or the reason was printed when the seed could not be asked.
    std::optional<ClusterConfig> load(const QCommandLineParser &parser, const QStringList &paths, QTextStream &err,
                                      QList<Config::ConfigError> *inputErrors);
    bool isLive() const { return m_live; }
    // For the running cluster: the member a node (by its folder's name, or its member id) is,
    // "host:port"; empty when there is none.
    QString memberOf(const QString &node) const;
    // The node's folder name for a node given by name or member id.
    QString nodeNamed(const QString &node) const;
    // The options that reach the seed, for commands that then talk to one member.
    const AgentOptions &seedOptions() const { return m_seed; }
    // A file name for people: a live member's file as "<member>/<path below repository/conf>".
    QString displayName(const QString &path) const;

private:
    AgentOptions m_seed;
    QCommandLineOption m_hosts;
    QTemporaryDir m_fetched;
    QMap<QString, QString> m_members; // folder name -> member id
    bool m_live = false;
};

} // namespace Tribune::Cli
