#include "clusterworkspace.h"

#include "hostresolver.h"
#include "validator.h"
#include "config/configerror.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>

namespace Tribune {

ClusterWorkspace::ClusterWorkspace(QObject *parent)
    : QObject(parent)
    , m_resolver(new HostResolver(this))
{
    connect(m_resolver, &HostResolver::finished, this, [this](const HostModel &hosts) {
        emit aboutToReload();
        m_cluster.setHosts(hosts);
        validate();
        emit reloaded();
    });
}

bool ClusterWorkspace::isResolving() const
{
    return m_resolver->isRunning();
}

void ClusterWorkspace::validate()
{
    m_facts = deriveFacts(m_cluster);
    m_findings = validateCluster(m_cluster, m_facts);
}

ClusterWorkspace::~ClusterWorkspace() = default;

bool ClusterWorkspace::open(const QStringList &paths)
{
    const std::optional<LiveConfigFetch::Settings> live = std::exchange(m_live, std::nullopt);
    if (load(paths)) {
        m_liveMembers.clear();
        return true;
    }
    m_live = live; // what stays open is still what it was
    return false;
}

namespace {

// The node a file belongs to: the folder below an opened cluster folder that holds it, as
// ClusterConfig names nodes ("<cluster>/<node>/repository/conf/..."); empty for the load
// balancer's own file or a node folder opened by itself.
QString nodeOfFile(const QStringList &paths, const QString &file)
{
    for (const QString &path : paths) {
        const QString relative = QDir(path).relativeFilePath(file);
        if (!relative.startsWith(QLatin1String("..")) && relative.contains(QLatin1String("/repository/")))
            return relative.section(u'/', 0, 0);
        if (!relative.startsWith(QLatin1String("..")) && relative.startsWith(QLatin1String("repository/")))
            return QFileInfo(path).fileName();
    }
    return {};
}

} // namespace

bool ClusterWorkspace::load(const QStringList &paths)
{
    QList<Config::ConfigError> errors;
    ClusterConfig cluster = ClusterConfig::load(paths, &errors, m_hostsFile);
    if (!errors.isEmpty()) {
        // What was found in the files before no longer holds; what stops them being read does.
        // A lookup still running would validate the old files again when it answers: it stops.
        m_resolver->cancel();
        emit aboutToChangeFindings();
        m_findings.clear();
        for (const Config::ConfigError &error : std::as_const(errors)) {
            Finding finding;
            finding.rule = QStringLiteral("unreadable-file");
            finding.node = nodeOfFile(paths, error.file);
            finding.file = error.file;
            finding.line = error.line;
            finding.column = error.column;
            finding.message = error.message;
            finding.fix = tr("Correct the file and reload; until then the cluster shown is the one read before.");
            m_findings.append(finding);
        }
        emit findingsChanged();
        emit loadFailed(errors);
        return false;
    }
    m_resolver->cancel();
    emit aboutToReload();
    m_paths = paths;
    m_cluster = std::move(cluster);
    validate();
    emit reloaded();
    if (!m_cluster.hasHostsFile())
        m_resolver->resolve(m_cluster.hostNames());
    return true;
}

bool ClusterWorkspace::reload()
{
    if (m_live) {
        openLive(*m_live);
        return true;
    }
    return !m_paths.isEmpty() && open(m_paths);
}

void ClusterWorkspace::openLive(const LiveConfigFetch::Settings &settings)
{
    if (m_fetch) {
        // One read at a time; asked again meanwhile (after a push that landed during the read),
        // it reads once more when this one ends, so that what is shown is not older than asked.
        m_readAgain = settings;
        return;
    }
    auto folder = std::make_unique<QTemporaryDir>();
    if (!folder->isValid()) {
        emit liveFetchFinished(false, {tr("cannot create a temporary folder for the cluster's files: %1; free space "
                                          "there (or set TMPDIR) and try again")
                                           .arg(folder->errorString())});
        return;
    }
    m_fetch = new LiveConfigFetch(settings, folder->path(), this);
    m_fetchFolder = std::move(folder); // removed with the workspace, also mid-read: it holds passwords
    connect(m_fetch, &LiveConfigFetch::finished, this,
            [this, settings](bool ok, const QStringList &problems) {
                std::unique_ptr<QTemporaryDir> fetched = std::move(m_fetchFolder);
                LiveConfigFetch *fetch = std::exchange(m_fetch, nullptr);
                fetch->deleteLater();
                const std::optional<LiveConfigFetch::Settings> previous = std::exchange(m_live, settings);
                if (ok && load({fetched->path()})) {
                    m_liveFolder = std::move(fetched); // the files stay while they are shown
                    m_liveMembers.clear();
                    for (auto it = fetch->folders().cbegin(); it != fetch->folders().cend(); ++it)
                        m_liveMembers.insert(QFileInfo(it.value()).fileName(), it.key());
                } else {
                    m_live = previous;
                    // Files that could not be read are findings, to be opened at their line.
                    if (ok)
                        m_unreadableFolder = std::move(fetched);
                }
                emit liveFetchFinished(ok, problems);
                if (const std::optional<LiveConfigFetch::Settings> again = std::exchange(m_readAgain, std::nullopt))
                    openLive(*again);
            });
    emit liveFetchStarted();
    m_fetch->start();
}

QList<Finding> ClusterWorkspace::findingsFor(const QString &nodeName) const
{
    QList<Finding> result;
    for (const Finding &finding : m_findings) {
        if (finding.node == nodeName)
            result.append(finding);
    }
    return result;
}

QString ClusterWorkspace::title() const
{
    if (m_live)
        return tr("running cluster (%1)").arg(m_live->seed.toString());
    return m_paths.isEmpty() ? QString() : QFileInfo(m_paths.first()).absoluteFilePath().section(QLatin1Char('/'), -1);
}

} // namespace Tribune
