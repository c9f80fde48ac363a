#include "livepages.h"

#include "live/groupsummary.h"
#include "live/livecluster.h"

#include <QDateTime>

#include <utility>

namespace Tribune {

namespace {

QString megabytes(qint64 bytes)
{
    return QStringLiteral("%1 MB").arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', 1);
}

QString duration(qint64 ms)
{
    const qint64 seconds = ms / 1000;
    return QStringLiteral("%1:%2:%3")
        .arg(seconds / 3600)
        .arg((seconds / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

using Rows = QList<std::pair<QString, QString>>;

QString table(const Rows &rows)
{
    QString html = QStringLiteral("<table cellspacing='0' cellpadding='2'>");
    for (const auto &[label, value] : rows)
        html += QStringLiteral("<tr><td align='right' valign='top'><b>%1</b></td><td>%2</td></tr>")
                    .arg(label.toHtmlEscaped(), value.toHtmlEscaped().replace(u'\n', QLatin1String("<br>")));
    return html + QLatin1String("</table>");
}

} // namespace

QString LivePages::clock(const QDateTime &time)
{
    return time.isValid() ? time.toLocalTime().toString(QStringLiteral("HH:mm:ss")) : tr("unknown");
}

QString LivePages::balancerLine(const LiveMember &member)
{
    if (!member.inLoadBalancer)
        return member.state == Protocol::MemberState::Failed || member.state == Protocol::MemberState::Left
            ? tr("removed from the load balancer")
            : tr("not a server");
    const ServerTraffic &traffic = member.traffic;
    return tr("%1 in %2, check %3, weight %4, since %5")
        .arg(traffic.status, traffic.backend, traffic.checkStatus.isEmpty() ? tr("none") : traffic.checkStatus)
        .arg(traffic.weight)
        .arg(clock(member.balancerSince));
}

QString LivePages::trafficLine(const ServerTraffic &traffic)
{
    return tr("%1 sessions, %2 req/s, in %3 kB/s, out %4 kB/s")
        .arg(traffic.sessions, 0, 'f', 0)
        .arg(traffic.requestRate, 0, 'f', 1)
        .arg(traffic.bytesInRate / 1000.0, 0, 'f', 1)
        .arg(traffic.bytesOutRate / 1000.0, 0, 'f', 1);
}

// What only the load balancer knows of: a frontend, or a server no agent stands behind.
QString LivePages::withoutAgentHtml(const LiveMember &member)
{
    const ServerTraffic &traffic = member.traffic;
    if (traffic.isFrontend) {
        return QStringLiteral("<h3>%1</h3>").arg(tr("Frontend %1").arg(traffic.backend).toHtmlEscaped())
            + table({{tr("State"), traffic.status}, {tr("Traffic in"), trafficLine(traffic)}});
    }
    return QStringLiteral("<h3>%1</h3>").arg(tr("%1 (%2)").arg(member.info.name, traffic.address).toHtmlEscaped())
        + table({{tr("Backend"), traffic.backend},
                 {tr("Load balancer"), balancerLine(member)},
                 {tr("Traffic"), trafficLine(traffic)},
                 {tr("Agent"), tr("none: only the load balancer knows this server. Run tribune-agent on it to see "
                                  "its membership, health and configuration here.")}});
}

QString LivePages::memberHtml(const LiveMember &member)
{
    if (!member.hasAgent)
        return withoutAgentHtml(member);
    const Protocol::MemberInfo &info = member.info;
    QStringList mappings;
    for (auto it = info.portMappings.cbegin(); it != info.portMappings.cend(); ++it)
        mappings.append(QStringLiteral("%1 → %2").arg(it.key()).arg(it.value()));
    QStringList roundTrips;
    for (auto it = member.roundTripsMs.cbegin(); it != member.roundTripsMs.cend(); ++it)
        roundTrips.append(QStringLiteral("%1: %2 ms").arg(it.key()).arg(it.value(), 0, 'f', 0));
    roundTrips.sort();
    const Rows rows = {
        {tr("Domain"), info.subDomain.isEmpty() ? info.domain : info.domain + QLatin1String(" / ") + info.subDomain},
        {tr("Membership"), tr("%1 since %2%3").arg(stateLabel(member.state), clock(member.stateSince),
                                                    member.reason.isEmpty() ? QString() : QStringLiteral(" — ") + member.reason)},
        {tr("Host and ports"), tr("%1, membership %2, HTTP %3, HTTPS %4 (offset %5)")
                                   .arg(info.host).arg(info.port).arg(info.httpPort).arg(info.httpsPort).arg(info.offset)},
        {tr("Port mappings"), mappings.isEmpty() ? tr("none") : mappings.join(QLatin1String(", "))},
        {tr("Incarnation"), tr("%1 (started %2)").arg(info.incarnation)
                                .arg(QDateTime::fromMSecsSinceEpoch(info.startedAtMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")))},
        {tr("Load balancer"), balancerLine(member)},
        {tr("Health"), member.hasHealth ? tr("up %1, CPU %2 %, RSS %3")
                                                .arg(duration(member.uptimeMs))
                                                .arg(member.cpuPercent, 0, 'f', 1)
                                                .arg(megabytes(member.rssBytes))
                                          : tr("no report yet")},
        {tr("Probe round trips"), roundTrips.isEmpty() ? tr("none yet") : roundTrips.join(QLatin1String(", "))},
    };
    // Named as the tree names it, with the member's address beside.
    const QString title = info.name.isEmpty() ? info.id : tr("%1 (%2)").arg(info.name, info.id);
    return QStringLiteral("<h3>%1</h3>").arg(title.toHtmlEscaped()) + table(rows);
}

QString LivePages::groupHtml(const QString &title, const GroupSummary &summary, const QString &chartNote)
{
    QStringList states;
    const auto count = [](QStringList &into, int n, const QString &what) {
        if (n > 0)
            into.append(what.arg(n));
    };
    count(states, summary.alive, tr("%1 alive"));
    count(states, summary.suspect, tr("%1 suspect"));
    count(states, summary.failed, tr("%1 failed"));
    count(states, summary.left, tr("%1 left"));
    count(states, summary.withoutAgent, tr("%1 without an agent"));
    QStringList balancer;
    count(balancer, summary.serving, tr("%1 serving"));
    count(balancer, summary.down, tr("%1 DOWN"));
    count(balancer, summary.drained, tr("%1 drained or in maintenance"));
    Rows rows = {
        {tr("Members"), tr("%1: %2").arg(summary.members).arg(states.isEmpty() ? tr("none") : states.join(QLatin1String(", ")))},
        {tr("Frontends"), QString::number(summary.frontends)},
        {tr("Load balancer"), balancer.isEmpty() ? tr("no servers") : balancer.join(QLatin1String(", "))},
        {tr("Traffic"), tr("%1 req/s, %2 sessions").arg(summary.requestRate, 0, 'f', 1).arg(summary.sessions, 0, 'f', 0)},
    };
    if (summary.frontends == 0)
        rows.removeAt(1);
    QStringList talkers;
    for (const GroupSummary::Talker &talker : summary.topTalkers)
        talkers.append(tr("%1 (%2 req/s, %3 sessions)").arg(talker.name).arg(talker.requestRate, 0, 'f', 1).arg(talker.sessions, 0, 'f', 0));
    rows.append({tr("Busiest"), talkers.isEmpty() ? tr("no traffic now") : talkers.join(QStringLiteral(" · "))});
    QStringList problems;
    for (const GroupSummary::Problem &problem : summary.recentProblems)
        problems.append(tr("%1 %2 %3: %4").arg(clock(problem.event.time), problem.event.kind, problem.name, problem.event.reason));
    rows.append({tr("Recent problems"), problems.isEmpty() ? tr("none in the event log") : problems.join(u'\n')});
    rows.append({tr("Charts"), chartNote});
    return QStringLiteral("<h3>%1</h3>").arg(title.toHtmlEscaped()) + table(rows);
}

} // namespace Tribune
