#include "snapshotcollector.h"

#include "cluster/clusterconfig.h"
#include "concurrency/background.h"
#include "cluster/nodeconfig.h"
#include "cluster/validator.h"
#include "config/configerror.h"
#include "config/secretredaction.h"
#include "haproxy/haproxystats.h"
#include "haproxy/runtimeclient.h"
#include "haproxy/runtimereply.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QTemporaryDir>

#include <algorithm>

namespace Tribune::Snapshot {

namespace {

struct CollectorText
{
    Q_DECLARE_TR_FUNCTIONS(Tribune::Snapshot::SnapshotCollector)
};

} // namespace

SnapshotCollector::SnapshotCollector(Settings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
{
}

SnapshotCollector::~SnapshotCollector() = default;

void SnapshotCollector::start()
{
    m_snapshot = Snapshot();
    m_snapshot.takenAt = QDateTime::currentDateTimeUtc();
    m_snapshot.windowFrom = m_snapshot.takenAt.addSecs(-60LL * m_settings.minutesWindow);
    m_snapshot.cluster = m_settings.cluster.seed.toString();
    m_snapshot.takenBy = m_settings.takenBy;
    m_snapshot.consoleVersion = QCoreApplication::applicationVersion();
    m_snapshot.secretsIncluded = m_settings.includeSecrets;
    emit progress(tr("asking %1 for the members").arg(m_settings.cluster.seed.toString()));
    auto *seed = new Protocol::AgentClient(m_settings.cluster.seed, m_settings.cluster.keys, m_settings.cluster.role,
                                           m_settings.cluster.tls, this);
    connect(seed, &Protocol::AgentClient::connected, seed, [seed] { seed->members(); });
    connect(seed, &Protocol::AgentClient::membersReceived, this,
            [this, seed](qint64, const QList<Protocol::MemberView> &members) {
        seed->setProperty("answered", true);
        seed->deleteLater();
        collectMembers(members);
    });
    const auto failed = [this, seed](const QString &why) {
        if (seed->property("answered").toBool())
            return;
        seed->setProperty("answered", true);
        seed->deleteLater();
        fail(tr("%1: %2").arg(m_settings.cluster.seed.toString(), why));
    };
    connect(seed, &Protocol::AgentClient::refused, this, failed);
    connect(seed, &Protocol::AgentClient::disconnected, this, failed);
    connect(seed, &Protocol::AgentClient::requestFailed, this,
            [failed](qint64, const QString &, const QString &message) { failed(message); });
    seed->open();
}

void SnapshotCollector::collectMembers(const QList<Protocol::MemberView> &members)
{
    for (const Protocol::MemberView &view : members)
        m_snapshot.members.append(memberOf(view.info, view.state));
    for (const Member &departed : std::as_const(m_settings.departed)) {
        const bool listed = std::any_of(m_snapshot.members.cbegin(), m_snapshot.members.cend(),
                                        [&](const Member &member) { return member.id == departed.id; });
        if (!listed)
            m_snapshot.members.append(departed);
    }
    // Each part on its own; the snapshot is written once all have answered or failed.
    m_waiting = 4;
    collectHealth();
    collectFiles();
    collectHaproxy();
    collectHistory();
}

void SnapshotCollector::collectHealth()
{
    emit progress(tr("asking %n member(s) for their health", nullptr, int(m_snapshot.members.size())));
    auto remaining = std::make_shared<int>(0);
    for (int index = 0; index < m_snapshot.members.size(); ++index) {
        const Member &member = m_snapshot.members.at(index);
        QString error;
        const std::optional<Protocol::AgentClient::Endpoint> endpoint = Protocol::AgentClient::parseEndpoint(member.id, &error);
        if (member.state != u"alive" || !endpoint)
            continue;
        ++*remaining;
        auto *client = new Protocol::AgentClient(*endpoint, m_settings.cluster.keys, m_settings.cluster.role,
                                                 m_settings.cluster.tls, this);
        const auto done = [this, client, remaining, id = member.id](const QString &problem) {
            if (client->property("answered").toBool())
                return;
            client->setProperty("answered", true);
            client->deleteLater();
            if (!problem.isEmpty())
                m_snapshot.missing.append(tr("health of %1: %2").arg(id, problem));
            if (--*remaining == 0)
                stepDone();
        };
        connect(client, &Protocol::AgentClient::connected, client, [client] { client->health(); });
        connect(client, &Protocol::AgentClient::healthReceived, this, [this, index, done](qint64, const QJsonObject &report) {
            Member &reported = m_snapshot.members[index];
            reported.cpuPercent = report.value(QLatin1String("cpuPercent")).toDouble(-1);
            reported.rssBytes = report.value(QLatin1String("rssBytes")).toInteger(-1);
            double sum = 0;
            const QJsonObject roundTrips = report.value(QLatin1String("roundTripMs")).toObject();
            for (auto it = roundTrips.constBegin(); it != roundTrips.constEnd(); ++it)
                sum += it.value().toDouble();
            reported.heartbeatRttMs = roundTrips.isEmpty() ? -1 : sum / double(roundTrips.size());
            const QString version = report.value(QLatin1String("version")).toString();
            if (!version.isEmpty())
                m_snapshot.agentVersions.insert(reported.id, version);
            done({});
        });
        connect(client, &Protocol::AgentClient::requestFailed, this,
                [done](qint64, const QString &, const QString &message) { done(message); });
        connect(client, &Protocol::AgentClient::refused, this, done);
        connect(client, &Protocol::AgentClient::disconnected, this, done);
        client->open();
    }
    if (*remaining == 0)
        stepDone();
}

void SnapshotCollector::collectFiles()
{
    emit progress(tr("reading every live member's configuration files"));
    m_folder = std::make_unique<QTemporaryDir>();
    if (!m_folder->isValid()) {
        m_snapshot.missing.append(tr("configuration files: cannot create a temporary folder: %1").arg(m_folder->errorString()));
        stepDone();
        return;
    }
    auto *fetch = new LiveConfigFetch(m_settings.cluster, m_folder->path(), this);
    connect(fetch, &LiveConfigFetch::finished, this, [this, fetch](bool, const QStringList &problems) {
        fetch->deleteLater();
        for (const QString &problem : problems)
            m_snapshot.missing.append(tr("configuration files: %1").arg(problem));
        QList<Config::ConfigError> errors;
        const ClusterConfig cluster = ClusterConfig::load({m_folder->path()}, &errors);
        for (const Config::ConfigError &error : errors)
            m_snapshot.missing.append(tr("configuration files: %1").arg(error.toString()));
        for (const NodeConfig &node : cluster.nodes()) {
            for (const NodeConfig::File file : NodeConfig::AllFiles) {
                if (!node.has(file))
                    continue;
                const QByteArray bytes = node.bytes(file);
                m_snapshot.files[node.name()].insert(NodeConfig::relativePath(file),
                                                     m_settings.includeSecrets ? bytes : Config::redactSecrets(bytes));
            }
        }
        // Findings name files by where they were read; in the snapshot, by node and path.
        const QString root = m_folder->path() + QLatin1Char('/');
        for (Finding finding : validateCluster(cluster)) {
            if (finding.file.startsWith(root))
                finding.file = finding.file.mid(root.size());
            m_snapshot.findings.append(finding);
        }
        m_folder.reset(); // the files held passwords
        stepDone();
    });
    fetch->start();
}

void SnapshotCollector::collectHaproxy()
{
    if (m_settings.loadBalancerSocket.isEmpty()) {
        m_snapshot.missing.append(tr("HAProxy: no admin socket was given (--lb-socket)"));
        stepDone();
        return;
    }
    QString error;
    const std::optional<HAProxy::RuntimeClient::Address> address =
        HAProxy::RuntimeClient::parseAddress(m_settings.loadBalancerSocket, &error);
    if (!address) {
        m_snapshot.missing.append(tr("HAProxy: %1").arg(error));
        stepDone();
        return;
    }
    emit progress(tr("asking HAProxy at %1").arg(address->toString()));
    auto *runtime = new HAProxy::RuntimeClient(*address, this);
    const QStringList commands{QStringLiteral("show info"), QStringLiteral("show stat"),
                               QStringLiteral("show servers state")};
    auto remaining = std::make_shared<int>(int(commands.size()));
    for (const QString &command : commands) {
        runtime->send(command, [this, runtime, remaining, command](const HAProxy::Reply &reply) {
            if (reply.ok) {
                m_snapshot.haproxy.insert(command, reply.text.toUtf8());
                QString parseError;
                const std::optional<QList<HAProxy::StatRow>> rows =
                    command == u"show stat" ? HAProxy::parseStat(reply.text, &parseError) : std::nullopt;
                if (rows) {
                    for (const HAProxy::StatRow &row : *rows) {
                        for (Member &member : m_snapshot.members) {
                            if (row.isServer() && row.server == member.id) {
                                member.balancerState = row.status;
                                member.checkStatus = row.checkStatus;
                                member.weight = row.weight;
                            }
                        }
                    }
                }
            } else {
                m_snapshot.missing.append(tr("HAProxy %1: %2").arg(command, reply.error));
            }
            if (--*remaining == 0) {
                runtime->deleteLater();
                stepDone();
            }
        });
    }
}

void SnapshotCollector::collectHistory()
{
    if (!m_settings.withHistory) {
        m_snapshot.missing.append(tr("events and samples: no history was asked for"));
        stepDone();
        return;
    }
    emit progress(tr("reading the history's events and samples"));
    // The history may be a database server: read on a thread of its own, never the GUI's.
    struct Window
    {
        QList<HistoryEvent> events;
        QList<MetricSample> samples;
        QString missing;
    };
    QStringList ids;
    for (const Member &member : std::as_const(m_snapshot.members))
        ids.append(member.id);
    const QString url = m_settings.historyUrl;
    const QDateTime eventsFrom = m_snapshot.takenAt.addSecs(-m_settings.secondsWindow);
    m_snapshot.eventsFrom = eventsFrom;
    const QDateTime samplesFrom = m_snapshot.windowFrom;
    const QDateTime to = m_snapshot.takenAt;
    runInBackground<Window>(
        this,
        [url, ids, eventsFrom, samplesFrom, to] {
            Window window;
            QString error;
            const std::optional<HistoryStore> history = HistoryStore::open(url, &error);
            if (!history) {
                window.missing = tr("events and samples: %1").arg(error);
                return window;
            }
            window.events = history->events(eventsFrom, to, {}, 0);
            const QHash<QString, QList<MetricSample>> samples = history->samplesOfEach(ids, samplesFrom, to);
            for (const QString &id : ids)
                window.samples += samples.value(id);
            if (window.events.isEmpty() && window.samples.isEmpty())
                window.missing = tr("events and samples: %1 holds none for this window").arg(history->location());
            return window;
        },
        [this](const Window &window) {
            m_snapshot.events = window.events;
            m_snapshot.samples = window.samples;
            if (!window.missing.isEmpty())
                m_snapshot.missing.append(window.missing);
            stepDone();
        });
}

void SnapshotCollector::stepDone()
{
    if (--m_waiting == 0 && !std::exchange(m_done, true))
        emit finished(true, {});
}

void SnapshotCollector::fail(const QString &why)
{
    if (!std::exchange(m_done, true))
        emit finished(false, why);
}

} // namespace Tribune::Snapshot
