#include "member.h"

#include "i18n/trcontexts.h"

#include <QJsonArray>

namespace Tribune::Protocol {

namespace {

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

} // namespace

namespace {
constexpr int MaxNameLength = 255; // a folder name's limit: what a peer sends is bounded
}

QJsonObject MemberInfo::toJson() const
{
    QJsonObject mappings;
    for (auto it = portMappings.cbegin(); it != portMappings.cend(); ++it)
        mappings.insert(QString::number(it.key()), it.value());
    QJsonObject json{{key("id"), id},
                     {key("name"), name},
                     {key("startedAt"), startedAtMs},
                     {key("incarnation"), incarnation},
                     {key("domain"), domain},
                     {key("subDomain"), subDomain},
                     {key("host"), host},
                     {key("port"), port},
                     {key("httpPort"), httpPort},
                     {key("httpsPort"), httpsPort},
                     {key("offset"), offset},
                     {key("portMappings"), mappings}};
    if (loadBalancer) {
        json.insert(key("loadBalancer"), true);
        json.insert(key("servedDomains"), QJsonArray::fromStringList(servedDomains));
    }
    return json;
}

std::optional<MemberInfo> MemberInfo::fromJson(const QJsonObject &json)
{
    MemberInfo member;
    member.id = json.value(key("id")).toString();
    member.name = json.value(key("name")).toString().left(MaxNameLength);
    member.startedAtMs = json.value(key("startedAt")).toInteger();
    member.incarnation = json.value(key("incarnation")).toInteger();
    member.domain = json.value(key("domain")).toString();
    member.subDomain = json.value(key("subDomain")).toString();
    member.host = json.value(key("host")).toString();
    member.port = json.value(key("port")).toInt();
    member.httpPort = json.value(key("httpPort")).toInt();
    member.httpsPort = json.value(key("httpsPort")).toInt();
    member.offset = json.value(key("offset")).toInt();
    const QJsonObject mappings = json.value(key("portMappings")).toObject();
    for (auto it = mappings.constBegin(); it != mappings.constEnd(); ++it)
        member.portMappings.insert(it.key().toInt(), it.value().toInt());
    member.loadBalancer = json.value(key("loadBalancer")).toBool();
    for (const QJsonValue &domain : json.value(key("servedDomains")).toArray())
        member.servedDomains.append(domain.toString());
    if (member.id.isEmpty() || member.port <= 0 || member.port > 65535)
        return std::nullopt;
    return member;
}

QString stateName(MemberState state)
{
    switch (state) {
    case MemberState::Alive: return QStringLiteral("alive");
    case MemberState::Suspect: return QStringLiteral("suspect");
    case MemberState::Failed: return QStringLiteral("failed");
    case MemberState::Left: return QStringLiteral("left");
    }
    return {};
}

QString stateLabel(MemberState state)
{
    switch (state) {
    case MemberState::Alive: return MemberText::tr("alive");
    case MemberState::Suspect: return MemberText::tr("suspect");
    case MemberState::Failed: return MemberText::tr("failed");
    case MemberState::Left: return MemberText::tr("left");
    }
    return {};
}

std::optional<MemberState> stateFromName(QStringView name)
{
    for (const MemberState state : {MemberState::Alive, MemberState::Suspect, MemberState::Failed, MemberState::Left}) {
        if (stateName(state) == name)
            return state;
    }
    return std::nullopt;
}

QString eventTypeName(MembershipEvent::Type type)
{
    switch (type) {
    case MembershipEvent::Type::Join: return QStringLiteral("join");
    case MembershipEvent::Type::Leave: return QStringLiteral("leave");
    case MembershipEvent::Type::Failure: return QStringLiteral("failure");
    case MembershipEvent::Type::Suspect: return QStringLiteral("suspect");
    case MembershipEvent::Type::Refute: return QStringLiteral("refute");
    case MembershipEvent::Type::Rejoin: return QStringLiteral("rejoin");
    }
    return {};
}

MemberState stateAfter(MembershipEvent::Type type)
{
    switch (type) {
    case MembershipEvent::Type::Join:
    case MembershipEvent::Type::Refute:
    case MembershipEvent::Type::Rejoin: return MemberState::Alive;
    case MembershipEvent::Type::Leave: return MemberState::Left;
    case MembershipEvent::Type::Failure: return MemberState::Failed;
    case MembershipEvent::Type::Suspect: return MemberState::Suspect;
    }
    return MemberState::Alive;
}

QJsonObject MembershipEvent::toJson() const
{
    QJsonObject json{{key("sequence"), sequence},
                     {key("event"), eventTypeName(type)},
                     {key("member"), member.toJson()},
                     {key("reason"), reason},
                     {key("time"), time.toUTC().toString(Qt::ISODateWithMs)}};
    if (type == Type::Rejoin)
        json.insert(key("previousId"), previousId);
    return json;
}

std::optional<MembershipEvent> MembershipEvent::fromJson(const QJsonObject &json)
{
    MembershipEvent event;
    event.sequence = json.value(key("sequence")).toInteger();
    const QString typeName = json.value(key("event")).toString();
    bool known = false;
    for (const Type type : {Type::Join, Type::Leave, Type::Failure, Type::Suspect, Type::Refute, Type::Rejoin}) {
        if (eventTypeName(type) == typeName) {
            event.type = type;
            known = true;
        }
    }
    const std::optional<MemberInfo> member = MemberInfo::fromJson(json.value(key("member")).toObject());
    if (!known || !member)
        return std::nullopt;
    event.member = *member;
    event.reason = json.value(key("reason")).toString();
    event.time = QDateTime::fromString(json.value(key("time")).toString(), Qt::ISODateWithMs);
    event.previousId = json.value(key("previousId")).toString().left(MaxNameLength);
    return event;
}

bool visible(const MemberInfo &viewer, const MemberInfo &other)
{
    if (viewer.id == other.id)
        return false;
    if (viewer.domain == other.domain || (viewer.loadBalancer && other.loadBalancer))
        return true;
    if (viewer.loadBalancer)
        return viewer.servedDomains.contains(other.domain);
    return other.loadBalancer && other.servedDomains.contains(viewer.domain);
}

} // namespace Tribune::Protocol
