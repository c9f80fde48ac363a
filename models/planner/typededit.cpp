#include "typededit.h"

#include "config/configerror.h"

#include <QCoreApplication>

#include <algorithm>
#include <functional>
#include <type_traits>

namespace Tribune::Planner {

using namespace Config;
using File = NodeConfig::File;

namespace {

struct EditText
{
    Q_DECLARE_TR_FUNCTIONS(Tribune::Planner)
};

const QMap<QString, File> &filesByName()
{
    static const QMap<QString, File> files = {
        {QStringLiteral("axis2.xml"), File::Axis2},
        {QStringLiteral("carbon.xml"), File::Carbon},
        {QStringLiteral("registry.xml"), File::Registry},
        {QStringLiteral("master-datasources.xml"), File::Datasources},
        {QStringLiteral("user-mgt.xml"), File::UserMgt},
        {QStringLiteral("catalina-server.xml"), File::Catalina},
        {QStringLiteral("loadbalancer.conf"), File::LoadBalancer},
    };
    return files;
}

// The keys of each file: exact names, and prefixes that take a suffix ("port.mapping.80").
const QMap<File, QStringList> &keysByFile()
{
    static const QMap<File, QStringList> keys = {
        {File::Axis2, {QStringLiteral("enable"), QStringLiteral("class"), QStringLiteral("membershipScheme"),
                       QStringLiteral("domain"), QStringLiteral("localMemberHost"), QStringLiteral("localMemberPort"),
                       QStringLiteral("subDomain"), QStringLiteral("wka"), QStringLiteral("port.mapping.")}},
        {File::Carbon, {QStringLiteral("Offset"), QStringLiteral("HostName"), QStringLiteral("MgtHostName")}},
        {File::Registry, {QStringLiteral("readOnly."), QStringLiteral("cacheId."), QStringLiteral("dbConfig.")}},
        {File::Datasources, {QStringLiteral("url."), QStringLiteral("username."), QStringLiteral("password.")}},
        {File::UserMgt, {QStringLiteral("dataSource")}},
        {File::Catalina, {QStringLiteral("proxyPort.")}},
        {File::LoadBalancer, {QStringLiteral("hosts."), QStringLiteral("tenant_range."), QStringLiteral("group_mgt_port.")}},
    };
    return keys;
}

bool knownKey(File file, const QString &key)
{
    for (const QString &known : keysByFile().value(file)) {
        if (known.endsWith(u'.') ? key.startsWith(known) && key.size() > known.size() : key == known)
            return true;
    }
    return false;
}

std::optional<int> toPort(const QString &text)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    return ok && value >= 0 && value <= 65535 ? std::optional<int>(value) : std::nullopt;
}

bool invalid(const QString &what, const QString &value, ConfigError *error)
{
    error->message = EditText::tr("%1: \"%2\" is not a valid value").arg(what, value);
    return false;
}

bool applyAxis2(Axis2Xml &f, const TypedEdit &edit, ConfigError *e)
{
    if (edit.key == u"enable")
        return f.setClusteringEnabled(edit.value == u"true", e);
    if (edit.key == u"class")
        return f.setClusteringAgentClass(edit.value, e);
    if (edit.key == u"subDomain")
        return f.setProperty(edit.key, edit.value, e);
    if (edit.key.startsWith(u"port.mapping.")) {
        if (!toPort(edit.key.mid(13)) || !toPort(edit.value))
            return invalid(edit.key, edit.value, e);
        return f.setProperty(edit.key, edit.value, e);
    }
    if (edit.key == u"wka") {
        QList<WellKnownMember> members;
        for (const QString &entry : edit.value.split(u',', Qt::SkipEmptyParts)) {
            const qsizetype colon = entry.lastIndexOf(u':');
            const std::optional<int> port = colon > 0 ? toPort(entry.mid(colon + 1)) : std::nullopt;
            if (!port)
                return invalid(QStringLiteral("wka"), entry, e);
            members.append({entry.left(colon).trimmed(), *port, 0});
        }
        return f.setWellKnownMembers(members, e);
    }
    if (edit.key == u"localMemberPort" && !toPort(edit.value))
        return invalid(edit.key, edit.value, e);
    return f.setParameter(edit.key, edit.value, e);
}

bool applyCarbon(CarbonXml &f, const TypedEdit &edit, ConfigError *e)
{
    if (edit.key == u"Offset") {
        bool ok = false;
        const int offset = edit.value.toInt(&ok);
        return ok && offset >= 0 && offset < 1000 ? f.setOffset(offset, e) : invalid(edit.key, edit.value, e);
    }
    return edit.key == u"HostName" ? f.setHostName(edit.value, e) : f.setMgtHostName(edit.value, e);
}

bool applyRegistry(RegistryXml &f, const TypedEdit &edit, ConfigError *e)
{
    const QString field = edit.key.section(u'.', 0, 0);
    const QString instance = edit.key.section(u'.', 1);
    return f.setRemoteInstanceValue(instance, field, edit.value, e);
}

bool applyDatasources(DatasourcesXml &f, const TypedEdit &edit, ConfigError *e)
{
    return f.setValue(edit.key.section(u'.', 1), edit.key.section(u'.', 0, 0), edit.value, e);
}

bool applyCatalina(CatalinaXml &f, const TypedEdit &edit, ConfigError *e)
{
    const std::optional<int> connector = toPort(edit.key.mid(10));
    const std::optional<int> proxy = toPort(edit.value);
    return connector && proxy ? f.setProxyPort(*connector, *proxy, e) : invalid(edit.key, edit.value, e);
}

// hosts.SERVICE/DOMAIN[/SUB] (creating the group when it is new), tenant_range... and
// group_mgt_port... of one domain or sub-domain group.
bool applyLoadBalancer(LoadBalancerConf &f, const TypedEdit &edit, ConfigError *e)
{
    const QString field = edit.key.section(u'.', 0, 0);
    const QStringList where = edit.key.section(u'.', 1).split(u'/');
    if (where.size() < 2 || where.size() > 3 || where.contains(QString()))
        return invalid(edit.key, edit.value, e);
    const QString &service = where.at(0);
    const QString &domain = where.at(1);
    const QString subDomain = where.value(2);
    QString value = edit.value.trimmed();
    if (field == u"hosts") {
        QStringList hosts;
        for (const QString &host : edit.value.split(u',', Qt::SkipEmptyParts))
            hosts.append(host.trimmed());
        if (hosts.isEmpty())
            return invalid(edit.key, edit.value, e);
        value = hosts.join(QLatin1String(", "));
        const QList<LbSubDomainGroup> groups = f.groups();
        const bool exists = std::any_of(groups.cbegin(), groups.cend(), [&](const LbSubDomainGroup &group) {
            return group.service == service && group.domain == domain && group.subDomain == subDomain;
        });
        if (!exists) {
            LbSubDomainGroup group;
            group.domain = domain;
            group.subDomain = subDomain;
            group.hosts = hosts;
            return f.addDomain(service, group, e);
        }
    } else if (field == u"tenant_range") {
        QString reason;
        if (!TenantRange::parse(value, &reason))
            return invalid(edit.key, edit.value, e);
    } else if (!toPort(value)) {
        return invalid(edit.key, edit.value, e);
    }
    return f.setDomainValue(service, domain, subDomain, field, value, e);
}

template<typename Xml>
bool edit(QMap<File, QByteArray> *files, const TypedEdit &change, const QString &path,
          bool (*apply)(Xml &, const TypedEdit &, ConfigError *), QString *error)
{
    if (!files->contains(change.file)) {
        *error = EditText::tr("%1: the node has no such file").arg(path);
        return false;
    }
    ConfigError configError;
    configError.file = path;
    std::optional<Xml> document;
    if constexpr (std::is_same_v<Xml, LoadBalancerConf>)
        document = Xml::parse(QString::fromUtf8(files->value(change.file)), path, &configError);
    else
        document = Xml::parse(files->value(change.file), path, &configError);
    if (!document || !apply(*document, change, &configError)) {
        *error = configError.toString();
        return false;
    }
    files->insert(change.file, document->toBytes());
    return true;
}

} // namespace

std::optional<TypedEdit> parseTypedEdit(const QString &text, QString *error)
{
    const qsizetype colon = text.indexOf(u':');
    const qsizetype equals = text.indexOf(u'=', colon + 1);
    if (colon <= 0 || equals <= colon + 1) {
        *error = EditText::tr("\"%1\" is not FILE:KEY=VALUE, e.g. axis2.xml:localMemberPort=4010").arg(text);
        return std::nullopt;
    }
    const QString fileName = text.left(colon);
    const auto file = filesByName().constFind(fileName);
    if (file == filesByName().cend()) {
        *error = EditText::tr("\"%1\" is not a file typed edits know; they are: %2")
                     .arg(fileName, filesByName().keys().join(QLatin1String(", ")));
        return std::nullopt;
    }
    TypedEdit edit{*file, text.mid(colon + 1, equals - colon - 1), text.mid(equals + 1)};
    if (!knownKey(edit.file, edit.key)) {
        *error = EditText::tr("%1 has no key \"%2\" for typed edits; the keys are: %3")
                     .arg(fileName, edit.key, keysByFile().value(edit.file).join(QLatin1String(", ")));
        return std::nullopt;
    }
    return edit;
}

bool applyTypedEdits(QMap<File, QByteArray> *files, const QList<TypedEdit> &edits, const QString &confPath,
                     QString *error)
{
    for (const TypedEdit &change : edits) {
        const QString path = confPath + QLatin1Char('/') + NodeConfig::relativePath(change.file);
        bool ok = false;
        switch (change.file) {
        case File::Axis2: ok = edit<Axis2Xml>(files, change, path, &applyAxis2, error); break;
        case File::Carbon: ok = edit<CarbonXml>(files, change, path, &applyCarbon, error); break;
        case File::Registry: ok = edit<RegistryXml>(files, change, path, &applyRegistry, error); break;
        case File::Datasources: ok = edit<DatasourcesXml>(files, change, path, &applyDatasources, error); break;
        case File::UserMgt:
            ok = edit<UserMgtXml>(files, change, path,
                                  +[](UserMgtXml &f, const TypedEdit &e, ConfigError *c) { return f.setDataSource(e.value, c); },
                                  error);
            break;
        case File::Catalina: ok = edit<CatalinaXml>(files, change, path, &applyCatalina, error); break;
        case File::LoadBalancer: ok = edit<LoadBalancerConf>(files, change, path, &applyLoadBalancer, error); break;
        }
        if (!ok)
            return false;
    }
    return true;
}

} // namespace Tribune::Planner
