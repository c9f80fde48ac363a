#include "clustersource.h"

#include "commandline.h"

#include "cluster/hostresolver.h"
#include "cluster/liveconfigfetch.h"
#include "i18n/trcontexts.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QFileInfo>
#include <QTextStream>

namespace Tribune::Cli {

namespace {

// Reads the running cluster's files into folder; false, with the reasons printed, when the seed
// could not be asked. Members that could not be read are named, and the rest is used.
bool fetchLiveCluster(const AgentConnection &connection, const QString &folder, QTextStream &err,
                      QMap<QString, QString> *members)
{
    LiveConfigFetch fetch({connection.endpoint, connection.keys, connection.role, connection.tls}, folder);
    QEventLoop loop;
    bool ok = false;
    QObject::connect(&fetch, &LiveConfigFetch::finished, &loop, [&](bool fetched, const QStringList &problems) {
        ok = fetched;
        for (auto it = fetch.folders().cbegin(); it != fetch.folders().cend(); ++it)
            members->insert(QFileInfo(it.value()).fileName(), it.key());
        for (const QString &problem : problems)
            err << problem << Qt::endl;
        loop.quit();
    });
    fetch.start();
    loop.exec();
    return ok;
}

} // namespace

ClusterSource::ClusterSource()
    : m_seed(QStringLiteral("seed"))
    , m_hosts(QStringLiteral("hosts"),
              CliText::tr("Resolve host names with this file (/etc/hosts format) alone, instead of the cluster folder's "
                          "hosts file or the system resolver."),
              QStringLiteral("FILE"))
{
}

void ClusterSource::addTo(QCommandLineParser &parser) const
{
    parser.addOption(m_hosts);
    m_seed.addTo(parser);
}

std::optional<ClusterConfig> ClusterSource::load(const QCommandLineParser &parser, const QStringList &folders,
                                                 QTextStream &err, QList<Config::ConfigError> *inputErrors)
{
    m_live = parser.isSet(m_seed.endpoint);
    if (folders.isEmpty() == !m_live) {
        err << CliText::tr("name at least one PATH, or --seed HOST:PORT with --key-file for the running cluster; see --help")
            << Qt::endl;
        return std::nullopt;
    }
    QStringList paths = folders;
    if (m_live) {
        const std::optional<AgentConnection> connection = agentConnectionFrom(parser, m_seed, err);
        if (!connection || !m_fetched.isValid() || !fetchLiveCluster(*connection, m_fetched.path(), err, &m_members))
            return std::nullopt;
        paths = QStringList{m_fetched.path()};
    }
    ClusterConfig cluster = ClusterConfig::load(paths, inputErrors, parser.value(m_hosts));
    for (Config::ConfigError &error : *inputErrors)
        error.file = displayName(error.file);
    if (!inputErrors->isEmpty())
        return std::nullopt;
    if (!cluster.hasHostsFile()) {
        // No hosts file: ask the system resolver, as the console does, and wait for it here.
        HostResolver resolver;
        QEventLoop loop;
        QObject::connect(&resolver, &HostResolver::finished, &loop, [&cluster, &loop](const HostModel &answer) {
            cluster.setHosts(answer);
            loop.quit();
        });
        resolver.resolve(cluster.hostNames());
        loop.exec();
    }
    return cluster;
}

QString ClusterSource::memberOf(const QString &node) const
{
    if (m_members.contains(node))
        return m_members.value(node);
    return m_members.key(node).isEmpty() ? QString() : node;
}

QString ClusterSource::nodeNamed(const QString &node) const
{
    return m_members.contains(node) ? node : m_members.key(node, node);
}

QString ClusterSource::displayName(const QString &path) const
{
    const QString folder = m_fetched.path() + QLatin1Char('/');
    if (!m_live || !path.startsWith(folder))
        return path;
    QString name = path.mid(folder.size());
    name.replace(QLatin1String("/repository/conf/"), QLatin1String("/"));
    return name;
}

} // namespace Tribune::Cli
