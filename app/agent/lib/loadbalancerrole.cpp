#include "loadbalancerrole.h"

#include "haproxysupervisor.h"
#include "loadbalancerdriver.h"
#include "membershipservice.h"

#include "config/configerror.h"
#include "config/loadbalancerconf.h"
#include "haproxy/runtimeclient.h"
#include "i18n/trcontexts.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QLockFile>
#include <QSaveFile>
#include <QSet>
#include <QTimer>

namespace Tribune::Agent {

namespace {

bool writeFile(const QString &path, const QString &text, QString *error)
{
    QSaveFile file(path);
    const QByteArray bytes = text.toUtf8();
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = AgentText::tr("%1: cannot write: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

QByteArray readSmallFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.read(4096) : QByteArray();
}

QStringList domainsOf(const Config::LoadBalancerConf &conf)
{
    QStringList domains;
    for (const Config::LbSubDomainGroup &group : conf.groups()) {
        if (!domains.contains(group.domain))
            domains.append(group.domain);
    }
    return domains;
}

QSet<QString> backendsOf(const Config::LoadBalancerConf &conf)
{
    QSet<QString> backends;
    for (const Config::LbSubDomainGroup &group : conf.groups())
        backends.insert(HAProxy::backendName(group.domain, group.subDomain));
    return backends;
}

} // namespace

LoadBalancerRole::LoadBalancerRole(MembershipService *membership, LoadBalancerOptions options, QObject *parent)
    : QObject(parent)
    , m_membership(membership)
    , m_options(std::move(options))
    , m_watcher(new QFileSystemWatcher(this))
    , m_debounce(new QTimer(this))
{
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(300);
    connect(m_debounce, &QTimer::timeout, this, &LoadBalancerRole::applyChangedConf);
    // Editors replace files; watch the folder too so a replaced file is noticed.
    connect(m_watcher, &QFileSystemWatcher::fileChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, m_debounce, qOverload<>(&QTimer::start));
}

LoadBalancerRole::~LoadBalancerRole() = default;

QString LoadBalancerRole::adminSocket() const
{
    return m_options.attachSocket.isEmpty() ? m_options.render.adminSocketPath : m_options.attachSocket;
}

bool LoadBalancerRole::writeConfiguration(QString *error)
{
    Config::ConfigError configError;
    const std::optional<Config::LoadBalancerConf> conf = Config::LoadBalancerConf::load(m_options.confPath, &configError);
    if (!conf) {
        *error = configError.toString();
        return false;
    }
    HAProxy::RenderOptions render = m_options.render;
    if (m_driver) {
        m_driver->setBackends(backendsOf(*conf));
        const QHash<QString, QList<LoadBalancerDriver::Server>> servers = m_driver->desiredServers();
        for (auto it = servers.cbegin(); it != servers.cend(); ++it) {
            for (const LoadBalancerDriver::Server &server : it.value())
                render.servers[it.key()].append({server.name, server.address, server.port, 100});
        }
    }
    const std::optional<HAProxy::RenderResult> result = HAProxy::render(*conf, render, &configError);
    if (!result) {
        *error = configError.toString();
        return false;
    }
    for (const QString &warning : result->warnings)
        emit message(warning);
    m_renderedStamp = stampOf(*conf); // of the file just read: it may change on disk meanwhile
    return writeFile(m_options.runtimeFolder + QLatin1String("/haproxy.cfg"), result->config, error)
        && writeFile(render.hostsMapPath, result->hostsMap, error);
}

void LoadBalancerRole::recordRunningStamp()
{
    QString error;
    if (!writeFile(sourceStampPath(), QString::fromLatin1(m_renderedStamp), &error))
        emit message(error);
}

QString LoadBalancerRole::sourceStampPath() const
{
    return m_options.runtimeFolder + QLatin1String("/haproxy.source");
}

QByteArray LoadBalancerRole::stampOf(const Config::LoadBalancerConf &conf) const
{
    // What the configuration is made of apart from the servers membership adds: loadbalancer.conf
    // and the agent's options, as a digest of their rendering without servers.
    Config::ConfigError configError;
    const std::optional<HAProxy::RenderResult> result = HAProxy::render(conf, m_options.render, &configError);
    if (!result)
        return {};
    return QCryptographicHash::hash(QByteArray(result->config.toUtf8() + result->hostsMap.toUtf8()),
                                    QCryptographicHash::Sha256)
        .toHex();
}

bool LoadBalancerRole::start(QString *error)
{
    Config::ConfigError configError;
    const std::optional<Config::LoadBalancerConf> conf = Config::LoadBalancerConf::load(m_options.confPath, &configError);
    if (!conf) {
        *error = configError.toString();
        return false;
    }
    const QString socket = adminSocket();
    std::optional<HAProxy::RuntimeClient::Address> address = HAProxy::RuntimeClient::parseAddress(socket, error);
    if (!address)
        return false;
    m_runtime = new HAProxy::RuntimeClient(*address, this);
    m_driver = new LoadBalancerDriver(m_membership, m_runtime, backendsOf(*conf), m_options.render.httpPort, this);
    connect(m_driver, &LoadBalancerDriver::problem, this, &LoadBalancerRole::message);

    m_watcher->addPath(m_options.confPath);
    m_watcher->addPath(QFileInfo(m_options.confPath).absolutePath());
    if (!m_options.attachSocket.isEmpty()) {
        m_driver->start();
        return true;
    }
    if (!QDir().mkpath(m_options.runtimeFolder)) {
        *error = tr("cannot create %1").arg(m_options.runtimeFolder);
        return false;
    }
    const HAProxySupervisor::Paths paths = HAProxySupervisor::pathsIn(m_options.runtimeFolder, m_options.haproxyBinary);
    // One agent per HAProxy: a second would fight the first over its servers and its restarts.
    m_agentLock = std::make_unique<QLockFile>(paths.agentLock);
    m_agentLock->setStaleLockTime(0); // held as long as the agent runs; stale only once it is gone
    if (!m_agentLock->tryLock(0)) {
        qint64 pid = 0;
        QString host;
        QString application;
        m_agentLock->getLockInfo(&pid, &host, &application);
        *error = tr("another load balancer's agent (pid %1) supervises the HAProxy of %2").arg(pid).arg(m_options.runtimeFolder);
        return false;
    }
    if (!writeConfiguration(error))
        return false;
    m_supervisor = new HAProxySupervisor(paths, this);
    // After every start, restart or reload: bring HAProxy's servers in line with the view.
    connect(m_supervisor, &HAProxySupervisor::ready, m_driver, &LoadBalancerDriver::reconcile);
    connect(m_supervisor, &HAProxySupervisor::crashed, this, &LoadBalancerRole::message);
    // A new master read the configuration just written.
    connect(m_supervisor, &HAProxySupervisor::launched, this, &LoadBalancerRole::recordRunningStamp);
    if (!m_supervisor->start(error))
        return false;
    if (m_supervisor->adopted()) {
        // HAProxy kept serving while no agent ran. Its servers stay until membership has had
        // the time it takes to declare a member failed: the view fills from joins and probes first.
        m_driver->holdRemovals(m_membership->settings().dropTimeMs);
        emit message(tr("took over the running HAProxy (pid %1)").arg(m_supervisor->pid()));
        // A loadbalancer.conf changed while no agent ran is applied once the view has filled.
        if (readSmallFile(sourceStampPath()) != m_renderedStamp)
            QTimer::singleShot(m_membership->settings().dropTimeMs, this, &LoadBalancerRole::applyChangedConf);
    }
    // The first reconcile comes with ready(); until then there is no socket to talk to.
    connect(m_supervisor, &HAProxySupervisor::ready, m_driver, &LoadBalancerDriver::start, Qt::SingleShotConnection);
    return true;
}

void LoadBalancerRole::applyChangedConf()
{
    if (!m_watcher->files().contains(m_options.confPath))
        m_watcher->addPath(m_options.confPath);
    Config::ConfigError configError;
    const std::optional<Config::LoadBalancerConf> conf = Config::LoadBalancerConf::load(m_options.confPath, &configError);
    if (!conf) {
        emit message(tr("loadbalancer.conf not applied, HAProxy keeps its configuration: %1").arg(configError.toString()));
        return;
    }
    const QSet<QString> backends = backendsOf(*conf);
    const QSet<QString> added = backends - m_driver->backends();
    const QStringList domains = domainsOf(*conf);
    QString error;
    if (!m_supervisor) {
        // Attached to someone else's HAProxy: its runtime API adds servers, not backends. The
        // driver fills a new backend once its owner has reloaded HAProxy with it.
        m_driver->setBackends(backends);
        m_membership->setServedDomains(domains);
        if (added.isEmpty())
            return;
        const QString pending = m_options.runtimeFolder + QLatin1String("/haproxy.cfg.pending");
        HAProxy::RenderOptions render = m_options.render;
        const std::optional<HAProxy::RenderResult> result = HAProxy::render(*conf, render, &configError);
        if (QDir().mkpath(m_options.runtimeFolder) && result && writeFile(pending, result->config, &error))
            emit message(tr("loadbalancer.conf names backends HAProxy does not have (%1); its runtime API cannot add "
                            "them: reload HAProxy with the backends of %2 (its owner's job), then they are served")
                             .arg(QStringList(added.cbegin(), added.cend()).join(QLatin1String(", ")), pending));
        else
            emit message(tr("loadbalancer.conf names new backends (%1) that need a reload of HAProxy by its owner; "
                            "rendering them failed: %2")
                             .arg(QStringList(added.cbegin(), added.cend()).join(QLatin1String(", ")),
                                  result ? error : configError.toString()));
        return;
    }
    if (!writeConfiguration(&error) || !m_supervisor->reload(&error)) {
        emit message(tr("loadbalancer.conf not applied, HAProxy keeps its configuration: %1").arg(error));
        return;
    }
    recordRunningStamp();
    // Members of a newly served domain join once HAProxy has their backend.
    connect(m_supervisor, &HAProxySupervisor::ready, this, [this, domains] { m_membership->setServedDomains(domains); },
            Qt::SingleShotConnection);
    emit message(tr("loadbalancer.conf applied by a seamless reload"));
}

} // namespace Tribune::Agent
