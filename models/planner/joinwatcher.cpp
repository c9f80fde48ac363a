#include "joinwatcher.h"

#include "haproxy/haproxystats.h"
#include "haproxy/runtimeclient.h"

#include <QFileInfo>
#include <QTimer>

namespace Tribune::Planner {

using Protocol::AgentClient;
using Protocol::MemberInfo;
using Protocol::MembershipEvent;

QString JoinWatcher::stepName(Step step)
{
    switch (step) {
    case Step::FilesWritten: return tr("files written");
    case Step::Joined: return tr("joined as the node");
    case Step::SeenByAll: return tr("seen by every member");
    case Step::InLoadBalancer: return tr("server added in HAProxy");
    case Step::Up: return tr("first health check UP");
    case Step::RequestServed: return tr("first request served through HAProxy");
    }
    return {};
}

JoinWatcher::JoinWatcher(Settings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_poller(new QTimer(this))
    , m_deadline(new QTimer(this))
{
    m_poller->setInterval(m_settings.pollMs);
    connect(m_poller, &QTimer::timeout, this, &JoinWatcher::poll);
    m_deadline->setSingleShot(true);
    connect(m_deadline, &QTimer::timeout, this, [this] {
        for (const Step step : {Step::FilesWritten, Step::Joined, Step::SeenByAll, Step::InLoadBalancer, Step::Up,
                                Step::RequestServed}) {
            if (!reached(step)) {
                fail(tr("timed out after %1 s waiting for: %2").arg(m_settings.timeoutMs / 1000.0).arg(stepName(step)));
                return;
            }
        }
    });
}

JoinWatcher::~JoinWatcher() = default;

void JoinWatcher::watch(const QString &memberId, const QString &nodeName, bool expectJoin)
{
    m_memberId = memberId;
    m_nodeName = nodeName;
    m_expectJoin = expectJoin;
    m_clock.start();
    m_deadline->start(m_settings.timeoutMs);
    m_seed = new AgentClient(m_settings.seed, m_settings.keys, m_settings.role, m_settings.tls, this);
    m_seed->setAutoReconnect(true);
    connect(m_seed, &AgentClient::snapshotReceived, this,
            [this](qint64, qint64, const QList<Protocol::MemberView> &members) {
                m_view.clear();
                for (const Protocol::MemberView &view : members) {
                    m_view.insert(view.info.id, view.info);
                    onView(view.info, false);
                }
            });
    connect(m_seed, &AgentClient::eventReceived, this, [this](const MembershipEvent &event) {
        switch (event.type) {
        case MembershipEvent::Type::Leave:
        case MembershipEvent::Type::Failure:
            m_view.remove(event.member.id);
            return;
        case MembershipEvent::Type::Rejoin:
            m_view.remove(event.previousId);
            break;
        case MembershipEvent::Type::Join:
        case MembershipEvent::Type::Suspect:
        case MembershipEvent::Type::Refute:
            break;
        }
        m_view.insert(event.member.id, event.member);
        onView(event.member,
               event.type == MembershipEvent::Type::Join || event.type == MembershipEvent::Type::Rejoin);
    });
    connect(m_seed, &AgentClient::refused, this, [this](const QString &reason) {
        fail(tr("%1 refused the key: %2").arg(m_settings.seed.toString(), reason));
    });
    m_seed->open();
    m_seed->subscribe();
    m_poller->start();
}

void JoinWatcher::onView(const MemberInfo &member, bool arrived)
{
    // Before the push was answered, only an arrival counts: a node that is in the view already
    // under that id is what is being replaced.
    const bool matches = member.id == m_memberId || (arrived && !m_nodeName.isEmpty() && member.name == m_nodeName);
    if (!matches || (m_expectJoin && !arrived && !reached(Step::FilesWritten)))
        return;
    if (m_member && reached(Step::Joined))
        return;
    m_member = member;
    m_memberId = member.id;
    if (reached(Step::FilesWritten))
        reach(Step::Joined, tr("%1 (%2)").arg(member.id, member.name));
}

void JoinWatcher::markFilesWritten(const QString &detail)
{
    reach(Step::FilesWritten, detail);
    if (!m_expectJoin && m_view.contains(m_memberId))
        m_member = m_view.value(m_memberId);
    if (m_member)
        reach(Step::Joined, m_expectJoin ? tr("%1 (%2)").arg(m_member->id, m_member->name)
                                         : tr("%1 is a member already; its identity did not change").arg(m_memberId));
}

void JoinWatcher::fail(const QString &why)
{
    if (m_done)
        return;
    m_done = true;
    m_poller->stop();
    m_deadline->stop();
    emit finished(false, why);
}

void JoinWatcher::reach(Step step, const QString &detail)
{
    if (m_done || reached(step))
        return;
    m_reached.insert(step);
    if (step == Step::Joined)
        m_joinedAtMs = m_clock.elapsed();
    emit stepReached(step, m_clock.elapsed(), detail);
    checkDone();
}

bool JoinWatcher::seesNewMember(const MemberInfo &other) const
{
    if (!m_member || other.id == m_member->id)
        return false;
    if (other.loadBalancer)
        return other.servedDomains.contains(m_member->domain) || m_member->loadBalancer;
    return other.domain == m_member->domain;
}

void JoinWatcher::poll()
{
    if (m_done || !reached(Step::Joined))
        return;
    if (!reached(Step::SeenByAll))
        pollMembers();
    if (m_noLoadBalancer.isEmpty())
        pollLoadBalancer();
}

void JoinWatcher::pollMembers()
{
    int observers = 0;
    for (const MemberInfo &other : std::as_const(m_view)) {
        if (!seesNewMember(other))
            continue;
        ++observers;
        if (m_seenBy.contains(other.id) || m_asking.contains(other.id))
            continue;
        AgentClient *&client = m_observers[other.id];
        if (!client) {
            client = new AgentClient({other.host, quint16(other.port)}, m_settings.keys, m_settings.role, m_settings.tls, this);
            client->setAutoReconnect(true);
            const QString id = other.id;
            connect(client, &AgentClient::membersReceived, this, [this, id](qint64, const QList<Protocol::MemberView> &members) {
                m_asking.remove(id);
                for (const Protocol::MemberView &view : members) {
                    if (view.info.id == m_memberId)
                        m_seenBy.insert(id);
                }
            });
            connect(client, &AgentClient::requestFailed, this, [this, id] { m_asking.remove(id); });
            client->open();
        }
        if (client->isConnected()) {
            m_asking.insert(other.id);
            client->members();
        }
    }
    int seen = 0;
    for (const MemberInfo &other : std::as_const(m_view))
        seen += seesNewMember(other) && m_seenBy.contains(other.id) ? 1 : 0;
    if (seen == observers)
        reach(Step::SeenByAll, observers == 0 ? tr("no other member may see it") : tr("by %n member(s)", nullptr, observers));
}

void JoinWatcher::findLoadBalancerSocket()
{
    if (m_askedForSocket || !m_member)
        return;
    const MemberInfo *balancer = nullptr;
    for (const MemberInfo &other : std::as_const(m_view)) {
        if (other.loadBalancer && other.servedDomains.contains(m_member->domain))
            balancer = &other;
    }
    if (!balancer) {
        // A load balancer that was just given the node's domain serves it once HAProxy has the
        // backend: wait a little before concluding that none does.
        if (m_clock.elapsed() - m_joinedAtMs < NoLoadBalancerGraceMs)
            return;
        m_noLoadBalancer = tr("no load balancer in the view serves %1").arg(m_member->domain);
        checkDone();
        return;
    }
    m_askedForSocket = true;
    auto *client = new AgentClient({balancer->host, quint16(balancer->port)}, m_settings.keys, m_settings.role,
                                   m_settings.tls, this);
    const auto unreachable = [this, client](const QString &reason) {
        client->deleteLater();
        if (m_haproxy || !m_noLoadBalancer.isEmpty())
            return;
        m_noLoadBalancer = tr("the load balancer's agent cannot be asked for its HAProxy socket (%1); give --lb-socket")
                               .arg(reason);
        checkDone();
    };
    connect(client, &AgentClient::disconnected, this, unreachable);
    connect(client, &AgentClient::refused, this, unreachable);
    connect(client, &AgentClient::connected, client, [client] { client->health(); });
    connect(client, &AgentClient::healthReceived, this, [this, client](qint64, const QJsonObject &report) {
        disconnect(client, nullptr, this, nullptr);
        client->deleteLater();
        const QString socket = report.value(QLatin1String("haproxySocket")).toString();
        QString error;
        const auto address = HAProxy::RuntimeClient::parseAddress(socket, &error);
        const bool reachable = address && (address->kind != HAProxy::RuntimeClient::Address::Kind::Unix
                                           || QFileInfo::exists(socket));
        if (!reachable) {
            m_noLoadBalancer = tr("the load balancer's agent names no HAProxy admin socket this machine can reach; "
                                  "give --lb-socket");
            checkDone();
            return;
        }
        m_haproxy = new HAProxy::RuntimeClient(*address, this);
    });
    connect(client, &AgentClient::requestFailed, this, [this, client](qint64, const QString &, const QString &message) {
        disconnect(client, nullptr, this, nullptr);
        client->deleteLater();
        m_noLoadBalancer = tr("the load balancer's agent did not tell its HAProxy socket (%1); give --lb-socket").arg(message);
        checkDone();
    });
    client->open();
}

void JoinWatcher::pollLoadBalancer()
{
    if (!m_haproxy && !m_settings.loadBalancerSocket.isEmpty()) {
        QString error;
        const auto address = HAProxy::RuntimeClient::parseAddress(m_settings.loadBalancerSocket, &error);
        if (!address) {
            fail(tr("--lb-socket: %1").arg(error));
            return;
        }
        m_haproxy = new HAProxy::RuntimeClient(*address, this);
    }
    if (!m_haproxy) {
        findLoadBalancerSocket();
        return;
    }
    if (m_statPending)
        return;
    m_statPending = true;
    m_haproxy->showStat([this](const HAProxy::Reply &reply, const QList<HAProxy::StatRow> &rows) {
        m_statPending = false;
        if (!reply.ok || m_done)
            return;
        for (const HAProxy::StatRow &row : rows) {
            if (!row.isServer() || row.server != m_memberId)
                continue;
            if (m_sessionsBefore < 0)
                m_sessionsBefore = m_expectJoin ? 0 : row.totalSessions;
            reach(Step::InLoadBalancer, tr("backend %1").arg(row.proxy));
            // A server added at run time reads UP before its first check (INI); only a check
            // that passed, or a server without checks, counts.
            if (row.status.startsWith(QLatin1String("UP"))
                && (row.checkStatus.endsWith(QLatin1String("OK")) || row.status.contains(QLatin1String("no check"))))
                reach(Step::Up, row.checkStatus);
            if (m_settings.waitForRequest && row.totalSessions > m_sessionsBefore)
                reach(Step::RequestServed, tr("%n request(s) so far", nullptr, int(row.totalSessions)));
        }
    });
}

void JoinWatcher::checkDone()
{
    if (m_done || !reached(Step::SeenByAll))
        return;
    const bool balancerDone = !m_noLoadBalancer.isEmpty()
        || (reached(Step::Up) && (!m_settings.waitForRequest || reached(Step::RequestServed)));
    if (!balancerDone)
        return;
    m_done = true;
    m_poller->stop();
    m_deadline->stop();
    emit finished(true, m_noLoadBalancer.isEmpty() ? tr("%1 is in the cluster and served through HAProxy").arg(m_memberId)
                                                   : tr("%1 is in the cluster; HAProxy not watched: %2").arg(m_memberId, m_noLoadBalancer));
}

} // namespace Tribune::Planner
