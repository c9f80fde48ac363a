#pragma once

#include "config/axis2xml.h"
#include "config/carbonxml.h"
#include "config/catalinaxml.h"
#include "config/datasourcesxml.h"
#include "config/loadbalancerconf.h"
#include "config/registryxml.h"
#include "config/usermgtxml.h"

#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace Tribune {

// The configuration files of one node: what an administrator edits in its repository/conf.
// A file the node does not have stays empty; a file that cannot be read is an error.
class NodeConfig
{
public:
    enum class File { Axis2, Carbon, Registry, Datasources, UserMgt, Catalina, LoadBalancer };
    static constexpr File AllFiles[] = {File::Axis2,    File::Carbon,   File::Registry,    File::Datasources,
                                        File::UserMgt,  File::Catalina, File::LoadBalancer};

    // Path of a file relative to repository/conf.
    static QString relativePath(File file);
    // The repository/conf folder of a CARBON_HOME or of a conf folder itself; empty if neither.
    static QString confFolderOf(const QString &folder);

    // Reads every file the node has. Returns nothing, and appends to errors, when a file is
    // unreadable or malformed.
    static std::optional<NodeConfig> load(const QString &folder, QList<Config::ConfigError> *errors);
    // The same from files in memory, as a node at homePath would have them: for plans, before
    // anything is written. File names in errors are where the files would be.
    static std::optional<NodeConfig> fromFiles(const QString &homePath, const QMap<File, QByteArray> &files,
                                               QList<Config::ConfigError> *errors);
    // A file's bytes as read, or empty when the node does not have it.
    QByteArray bytes(File file) const;

    const QString &name() const { return m_name; }
    const QString &homePath() const { return m_homePath; }
    const QString &confPath() const { return m_confPath; }
    QString filePath(File file) const;
    bool isLoadBalancer() const { return m_loadBalancer.has_value(); }
    // Whether the node has this file (it was read when the node was loaded).
    bool has(File file) const;

    const std::optional<Config::Axis2Xml> &axis2() const { return m_axis2; }
    const std::optional<Config::CarbonXml> &carbon() const { return m_carbon; }
    const std::optional<Config::RegistryXml> &registry() const { return m_registry; }
    const std::optional<Config::DatasourcesXml> &datasources() const { return m_datasources; }
    const std::optional<Config::UserMgtXml> &userMgt() const { return m_userMgt; }
    const std::optional<Config::CatalinaXml> &catalina() const { return m_catalina; }
    const std::optional<Config::LoadBalancerConf> &loadBalancer() const { return m_loadBalancer; }

private:
    QString m_name;
    QString m_homePath;
    QString m_confPath;
    std::optional<Config::Axis2Xml> m_axis2;
    std::optional<Config::CarbonXml> m_carbon;
    std::optional<Config::RegistryXml> m_registry;
    std::optional<Config::DatasourcesXml> m_datasources;
    std::optional<Config::UserMgtXml> m_userMgt;
    std::optional<Config::CatalinaXml> m_catalina;
    std::optional<Config::LoadBalancerConf> m_loadBalancer;
};

} // namespace Tribune
