#include "snapshotdiff.h"

#include "planner/plandiff.h"

#include <QCoreApplication>
#include <QSet>

#include <algorithm>

namespace Tribune::Snapshot {

namespace {

struct DiffText
{
    Q_DECLARE_TR_FUNCTIONS(Tribune::Snapshot::SnapshotDiff)
};

QMap<QString, Member> byId(const QList<Member> &members)
{
    QMap<QString, Member> map;
    for (const Member &member : members)
        map.insert(member.id, member);
    return map;
}

// What identifies a finding across snapshots: its rule, node and message (lines may move).
QString keyOf(const Finding &finding)
{
    return finding.rule + u'\n' + finding.node + u'\n' + finding.message;
}

QList<Finding> onlyIn(const QList<Finding> &these, const QList<Finding> &others)
{
    QSet<QString> known;
    for (const Finding &finding : others)
        known.insert(keyOf(finding));
    QList<Finding> result;
    for (const Finding &finding : these) {
        if (!known.contains(keyOf(finding)))
            result.append(finding);
    }
    return result;
}

// HAProxy's state of a member, or that it does not serve it.
QString servedAs(const QString &balancerState)
{
    return balancerState.isEmpty() ? DiffText::tr("not served") : balancerState;
}

} // namespace

SnapshotDiff diffSnapshots(const Snapshot &a, const Snapshot &b)
{
    SnapshotDiff diff;
    const QMap<QString, Member> before = byId(a.members);
    const QMap<QString, Member> after = byId(b.members);
    for (const Member &was : before) {
        const auto now = after.constFind(was.id);
        if (now == after.cend()) {
            diff.members.append({MemberChange::Kind::Removed, was.id, was.node,
                                 {DiffText::tr("gone (was %1)").arg(was.state)}});
            continue;
        }
        QStringList what;
        if (was.state != now->state)
            what.append(DiffText::tr("state %1 → %2").arg(was.state, now->state));
        if (was.balancerState.section(u' ', 0, 0) != now->balancerState.section(u' ', 0, 0))
            what.append(DiffText::tr("HAProxy %1 → %2").arg(servedAs(was.balancerState), servedAs(now->balancerState)));
        // A weight is only known while HAProxy serves the member: its leaving is said above.
        if (was.weight != now->weight && was.weight >= 0 && now->weight >= 0)
            what.append(DiffText::tr("weight %1 → %2").arg(was.weight).arg(now->weight));
        if (was.incarnation != now->incarnation)
            what.append(DiffText::tr("incarnation %1 → %2 (it restarted or rejoined)").arg(was.incarnation).arg(now->incarnation));
        if (!what.isEmpty())
            diff.members.append({MemberChange::Kind::Changed, was.id, now->node, what});
    }
    for (const Member &now : after) {
        if (!before.contains(now.id))
            diff.members.append({MemberChange::Kind::Added, now.id, now.node, {DiffText::tr("new (%1)").arg(now.state)}});
    }
    // Files of the nodes both snapshots hold: a node in one only was not live in the other, which
    // its member's change says; its files did not change for that.
    for (auto node = a.files.cbegin(); node != a.files.cend(); ++node) {
        const auto later = b.files.constFind(node.key());
        if (later == b.files.cend())
            continue;
        QSet<QString> paths;
        for (auto it = node.value().cbegin(); it != node.value().cend(); ++it)
            paths.insert(it.key());
        for (auto it = later.value().cbegin(); it != later.value().cend(); ++it)
            paths.insert(it.key());
        QStringList sorted(paths.cbegin(), paths.cend());
        sorted.sort();
        for (const QString &path : std::as_const(sorted)) {
            if (node.value().value(path) != later.value().value(path))
                diff.files[node.key()].append({path, node.value().value(path), later.value().value(path), {}});
        }
    }
    diff.newFindings = onlyIn(b.findings, a.findings);
    diff.resolvedFindings = onlyIn(a.findings, b.findings);
    QStringList domains;
    for (const QList<Member> *members : {&a.members, &b.members}) {
        for (const Member &member : *members) {
            if (!member.domain.isEmpty() && !domains.contains(member.domain))
                domains.append(member.domain);
        }
    }
    domains.sort();
    const QList<MetricSample> samplesBefore = a.allSamples(); // decoded once for every domain
    const QList<MetricSample> samplesAfter = b.allSamples();
    for (const QString &domain : std::as_const(domains))
        diff.domains.append({domain, domainTraffic(a, samplesBefore, domain), domainTraffic(b, samplesAfter, domain)});
    return diff;
}

DomainTraffic domainTraffic(const Snapshot &snapshot, const QString &domain, int seconds)
{
    return domainTraffic(snapshot, snapshot.allSamples(), domain, seconds);
}

DomainTraffic domainTraffic(const Snapshot &snapshot, const QList<MetricSample> &samples, const QString &domain, int seconds)
{
    QSet<QString> members;
    for (const Member &member : snapshot.members) {
        if (member.domain == domain)
            members.insert(member.id);
    }
    const QDateTime from = snapshot.takenAt.addSecs(-seconds);
    QSet<qint64> secondsSampled;
    DomainTraffic traffic;
    double responseSum = 0;
    int responses = 0;
    for (const MetricSample &sample : samples) {
        if (sample.time <= from || sample.time > snapshot.takenAt || !members.contains(sample.memberId))
            continue;
        secondsSampled.insert(sample.time.toSecsSinceEpoch());
        traffic.requestRate += sample.requestRate;
        traffic.errors5xxRate += sample.errors5xxRate;
        if (sample.responseTimeMs > 0) {
            responseSum += sample.responseTimeMs;
            ++responses;
        }
    }
    if (secondsSampled.isEmpty())
        return traffic;
    traffic.sampled = true;
    traffic.requestRate /= double(secondsSampled.size());
    traffic.errors5xxRate /= double(secondsSampled.size());
    traffic.responseTimeMs = responses > 0 ? responseSum / responses : 0;
    return traffic;
}

QString diffAsText(const SnapshotDiff &diff, const QString &aName, const QString &bName, bool withFiles)
{
    QString text;
    for (const MemberChange &change : diff.members) {
        const QLatin1String mark(change.kind == MemberChange::Kind::Added     ? "+"
                                 : change.kind == MemberChange::Kind::Removed ? "-"
                                                                             : "~");
        text += QStringLiteral("%1 %2 %3: %4\n")
                    .arg(mark, change.id, change.node.isEmpty() ? QStringLiteral("-") : change.node,
                         change.what.join(QLatin1String(", ")));
    }
    const bool trafficMoved = std::any_of(diff.domains.cbegin(), diff.domains.cend(), [](const DomainComparison &domain) {
        return domain.before.sampled != domain.after.sampled || domain.before.requestRate != domain.after.requestRate
            || domain.before.errors5xxRate != domain.after.errors5xxRate
            || domain.before.responseTimeMs != domain.after.responseTimeMs;
    });
    if (trafficMoved) {
        text += DiffText::tr("traffic over the last minute of each (%1 → %2):").arg(aName, bName) + u'\n';
        const auto rates = [](const DomainTraffic &traffic) -> QString {
            if (!traffic.sampled)
                return DiffText::tr("not sampled");
            return DiffText::tr("%1 req/s, %2 5xx/s, %3 ms")
                .arg(traffic.requestRate, 0, 'f', 1)
                .arg(traffic.errors5xxRate, 0, 'f', 2)
                .arg(traffic.responseTimeMs, 0, 'f', 1);
        };
        for (const DomainComparison &domain : diff.domains)
            text += QStringLiteral("  %1: %2 → %3\n").arg(domain.domain, rates(domain.before), rates(domain.after));
    }
    if (withFiles) {
        for (auto it = diff.files.cbegin(); it != diff.files.cend(); ++it) {
            for (const Planner::PlannedFile &file : it.value())
                text += Planner::unifiedDiff(file.before, file.after, QStringLiteral("a/%1/%2").arg(it.key(), file.path),
                                             QStringLiteral("b/%1/%2").arg(it.key(), file.path));
        }
    }
    for (const Finding &finding : diff.newFindings)
        text += DiffText::tr("new finding: %1 %2: %3").arg(severityName(finding.severity), finding.node, finding.message) + u'\n';
    for (const Finding &finding : diff.resolvedFindings)
        text += DiffText::tr("resolved: %1 %2: %3").arg(severityName(finding.severity), finding.node, finding.message) + u'\n';
    return text;
}

} // namespace Tribune::Snapshot
