#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace Tribune::Protocol {

// A member of the cluster as the membership protocol describes it. Its id is the membership
// endpoint "host:port". startedAtMs tells one run of a node's agent from the next (a restarted
// node keeps its id); incarnation grows within a run each time the member refutes a suspicion.
struct MemberInfo
{
    QString id;
    QString name; // the node's name: its CARBON_HOME folder's unless its agent was given one
    qint64 startedAtMs = 0;
    qint64 incarnation = 0;
    QString domain;
    QString subDomain;
    QString host;
    int port = 0; // membership port
    int httpPort = 0;
    int httpsPort = 0;
    int offset = 0;
    QMap<int, int> portMappings; // load balancer port -> member port
    bool loadBalancer = false;
    QStringList servedDomains; // the load balancer's domains

    QJsonObject toJson() const;
    static std::optional<MemberInfo> fromJson(const QJsonObject &json);
};

enum class MemberState { Alive, Suspect, Failed, Left };
QString stateName(MemberState state); // "alive", "suspect"…: stable, for the wire and JSON
QString stateLabel(MemberState state); // translated, for people
std::optional<MemberState> stateFromName(QStringView name);

// A member as a view lists it.
struct MemberView
{
    MemberInfo info;
    MemberState state = MemberState::Alive;
};

// One change of the membership view, numbered in the order the agent saw it.
struct MembershipEvent
{
    // Rejoin: a member whose identity changed (a pushed configuration moved its membership
    // endpoint, domain or sub-domain) left and joined again as member, one change.
    enum class Type { Join, Leave, Failure, Suspect, Refute, Rejoin };

    qint64 sequence = 0;
    Type type = Type::Join;
    MemberInfo member;
    QString reason;
    QDateTime time;
    QString previousId; // Rejoin: the member's id before

    QJsonObject toJson() const;
    static std::optional<MembershipEvent> fromJson(const QJsonObject &json);
};
QString eventTypeName(MembershipEvent::Type type);

// The state a member is in after an event of this type.
MemberState stateAfter(MembershipEvent::Type type);

// Who sees whom: members see their own domain and the load balancer; the load balancer sees
// every domain it serves. The relation is symmetric, so two members either probe each other
// or ignore each other; a console sees what the member it subscribes to sees.
bool visible(const MemberInfo &viewer, const MemberInfo &other);

} // namespace Tribune::Protocol
