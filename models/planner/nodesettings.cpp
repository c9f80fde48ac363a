#include "nodesettings.h"

#include "cluster/nodeconfig.h"
#include "config/axis2xml.h"
#include "config/carbonxml.h"
#include "config/catalinaxml.h"
#include "config/datasourcesxml.h"
#include "config/registryxml.h"
#include "config/usermgtxml.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace Tribune::Planner {

namespace {

struct SettingText
{
    Q_DECLARE_TR_FUNCTIONS(Tribune::Planner::NodeSettings)
};

using File = NodeConfig::File;
using Kind = NodeSetting::Kind;

void membership(const Config::Axis2Xml &axis2, QList<NodeSetting> *settings)
{
    const Config::Axis2Clustering clustering = axis2.clustering();
    const QString group = SettingText::tr("Membership");
    const auto line = [&](QStringView name) {
        const Config::NamedValue *parameter = clustering.parameter(name);
        return parameter ? parameter->line : clustering.line;
    };
    settings->append({group, SettingText::tr("Clustering enabled"), File::Axis2, QStringLiteral("enable"),
                      clustering.enabled ? QStringLiteral("true") : QStringLiteral("false"), Kind::Flag, clustering.line});
    settings->append({group, SettingText::tr("Domain"), File::Axis2, QStringLiteral("domain"), clustering.domain(),
                      Kind::Text, line(u"domain")});
    const Config::NamedValue *subDomain = clustering.property(u"subDomain");
    settings->append({group, SettingText::tr("Sub-domain"), File::Axis2, QStringLiteral("subDomain"),
                      clustering.subDomain(), Kind::Text, subDomain ? subDomain->line : clustering.line});
    settings->append({group, SettingText::tr("Membership host"), File::Axis2, QStringLiteral("localMemberHost"),
                      clustering.localMemberHost(), Kind::Text, line(u"localMemberHost")});
    settings->append({group, SettingText::tr("Membership port"), File::Axis2, QStringLiteral("localMemberPort"),
                      QString::number(clustering.localMemberPort()), Kind::Number, line(u"localMemberPort")});
    QStringList members;
    for (const Config::WellKnownMember &member : clustering.members)
        members.append(member.host + u':' + QString::number(member.port));
    settings->append({group, SettingText::tr("Well-known members"), File::Axis2, QStringLiteral("wka"),
                      members.join(u','), Kind::Text, clustering.members.isEmpty() ? clustering.line
                                                                                   : clustering.members.first().line});
}

void hostsAndPorts(const NodeConfig &node, QList<NodeSetting> *settings)
{
    if (node.carbon()) {
        const Config::CarbonSettings carbon = node.carbon()->settings();
        settings->append({SettingText::tr("Ports"), SettingText::tr("Port offset"), File::Carbon, QStringLiteral("Offset"),
                          QString::number(carbon.offset), Kind::Number, carbon.offsetLine});
        settings->append({SettingText::tr("Hosts"), SettingText::tr("HostName"), File::Carbon, QStringLiteral("HostName"),
                          carbon.hostName, Kind::Text, carbon.hostNameLine});
        settings->append({SettingText::tr("Hosts"), SettingText::tr("MgtHostName"), File::Carbon,
                          QStringLiteral("MgtHostName"), carbon.mgtHostName, Kind::Text, carbon.mgtHostNameLine});
    }
    if (node.catalina()) {
        for (const Config::CatalinaConnector &connector : node.catalina()->connectors())
            settings->append({SettingText::tr("Ports"),
                              SettingText::tr("Proxy port of the %1 connector on %2")
                                  .arg(connector.secure ? QStringLiteral("HTTPS") : QStringLiteral("HTTP"))
                                  .arg(connector.port),
                              File::Catalina, QStringLiteral("proxyPort.%1").arg(connector.port),
                              connector.proxyPort ? QString::number(*connector.proxyPort) : QString(), Kind::Number,
                              connector.line});
    }
}

void registry(const Config::RegistryXml &registryXml, QList<NodeSetting> *settings)
{
    const Config::RegistrySettings registrySettings = registryXml.settings();
    for (const Config::RegistryRemoteInstance &instance : registrySettings.remoteInstances) {
        QStringList mountedAt;
        for (const Config::RegistryMount &mount : registrySettings.mounts) {
            if (mount.instanceId == instance.id)
                mountedAt.append(mount.path);
        }
        const QString group = SettingText::tr("Registry %1 (mounted at %2)")
                                  .arg(instance.id, mountedAt.isEmpty() ? SettingText::tr("nothing")
                                                                        : mountedAt.join(QLatin1String(", ")));
        settings->append({group, SettingText::tr("Read-only"), File::Registry, QStringLiteral("readOnly.") + instance.id,
                          instance.readOnly ? QStringLiteral("true") : QStringLiteral("false"), Kind::Flag,
                          instance.readOnlyLine ? instance.readOnlyLine : instance.line});
        settings->append({group, SettingText::tr("Cache id"), File::Registry, QStringLiteral("cacheId.") + instance.id,
                          instance.cacheId, Kind::Text, instance.cacheIdLine ? instance.cacheIdLine : instance.line});
        settings->append({group, SettingText::tr("Database configuration"), File::Registry,
                          QStringLiteral("dbConfig.") + instance.id, instance.dbConfig, Kind::Text, instance.line});
    }
}

} // namespace

QList<NodeSetting> nodeSettings(const NodeConfig &node)
{
    QList<NodeSetting> settings;
    if (node.axis2())
        membership(*node.axis2(), &settings);
    hostsAndPorts(node, &settings);
    if (node.registry())
        registry(*node.registry(), &settings);
    if (node.userMgt()) {
        const Config::UserMgtSettings userMgt = node.userMgt()->settings();
        settings.append({SettingText::tr("User store"), SettingText::tr("Datasource (JNDI name)"), File::UserMgt,
                         QStringLiteral("dataSource"), userMgt.dataSource, Kind::Text, userMgt.dataSourceLine});
    }
    if (node.datasources()) {
        for (const Config::Datasource &datasource : node.datasources()->datasources()) {
            const QString group = SettingText::tr("Datasource %1").arg(datasource.name);
            settings.append({group, SettingText::tr("URL"), File::Datasources, QStringLiteral("url.") + datasource.name,
                             datasource.url, Kind::Text, datasource.urlLine});
            settings.append({group, SettingText::tr("User"), File::Datasources,
                             QStringLiteral("username.") + datasource.name, datasource.username, Kind::Text, datasource.line});
            settings.append({group, SettingText::tr("Password"), File::Datasources,
                             QStringLiteral("password.") + datasource.name, datasource.password, Kind::Secret,
                             datasource.line});
        }
    }
    return settings;
}

QString confRelativePath(const NodeConfig &node, const QString &path)
{
    const QString relative = QFileInfo(path).isAbsolute() ? QDir(node.confPath()).relativeFilePath(path) : path;
    for (const NodeConfig::File file : NodeConfig::AllFiles) {
        if (NodeConfig::relativePath(file) == relative)
            return relative;
    }
    return {};
}

std::optional<NodeSetting> settingAt(const NodeConfig &node, const QString &path, int line)
{
    const QString relative = confRelativePath(node, path);
    if (relative.isEmpty() || line <= 0)
        return std::nullopt;
    for (const NodeSetting &setting : nodeSettings(node)) {
        if (setting.line == line && NodeConfig::relativePath(setting.file) == relative)
            return setting;
    }
    return std::nullopt;
}

} // namespace Tribune::Planner
