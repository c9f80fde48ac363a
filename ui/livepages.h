#pragma once

#include <QCoreApplication>
#include <QString>

class QDateTime;

namespace Tribune {

struct GroupSummary;
struct LiveMember;
struct ServerTraffic;

// The live view's pages, as HTML for its text browser: one member's, and a group's summary
// (the cluster, the load balancer, a domain or a sub-domain).
class LivePages
{
    Q_DECLARE_TR_FUNCTIONS(Tribune::LivePages)

public:
    static QString memberHtml(const LiveMember &member);
    static QString groupHtml(const QString &title, const GroupSummary &summary, const QString &chartNote);

private:
    static QString withoutAgentHtml(const LiveMember &member);
    static QString balancerLine(const LiveMember &member);
    static QString trafficLine(const ServerTraffic &traffic);
    static QString clock(const QDateTime &time);
};

} // namespace Tribune
