#pragma once

#include "xmlconfigfile.h"

#include <QList>
#include <QString>

namespace Tribune::Config {

struct RegistryDbConfig
{
    QString name;
    QString dataSource; // JNDI name of a datasource in master-datasources.xml
    int line = 0;
};

struct RegistryRemoteInstance
{
    QString url;
    QString id;
    QString dbConfig;
    bool readOnly = false;
    bool enableCache = false;
    QString registryRoot;
    QString cacheId;
    int line = 0;
    int readOnlyLine = 0;
    int cacheIdLine = 0;
};

struct RegistryMount
{
    QString path;
    bool overwrite = false;
    QString instanceId;
    QString targetPath;
    int line = 0;
};

struct RegistrySettings
{
    QString currentDbConfig;
    int currentDbConfigLine = 0;
    QList<RegistryDbConfig> dbConfigs;
    QList<RegistryRemoteInstance> remoteInstances;
    QList<RegistryMount> mounts;

    // Pointers into this object: keep the object (not a temporary) while they are used.
    const RegistryDbConfig *dbConfig(QStringView name) const;
    const RegistryRemoteInstance *remoteInstance(QStringView id) const;
    const RegistryMount *mount(QStringView path) const;
};

// registry.xml: the local registry's database, remote (shared) instances and their mounts.
class RegistryXml final : public XmlConfigFile
{
    friend class XmlConfigFile;

public:
    static std::optional<RegistryXml> load(const QString &path, ConfigError *error);
    static std::optional<RegistryXml> parse(const QByteArray &bytes, const QString &fileName, ConfigError *error);

    RegistrySettings settings() const;

    // Sets a child value (readOnly, cacheId, dbConfig, ...) of the remote instance with this id.
    bool setRemoteInstanceValue(const QString &id, const QString &key, const QString &value, ConfigError *error);
    bool setDbConfigDataSource(const QString &name, const QString &dataSource, ConfigError *error);
    bool setMountTarget(const QString &path, const QString &instanceId, const QString &targetPath,
                        ConfigError *error);
    bool addMount(const RegistryMount &mount, ConfigError *error);
    // Adds <dbConfig name><dataSource/></dbConfig> after the last dbConfig.
    bool addDbConfig(const QString &name, const QString &dataSource, ConfigError *error);
    // Adds a <remoteInstance> (url, id, dbConfig, readOnly, enableCache, registryRoot, cacheId)
    // after the last one, or before the first mount.
    bool addRemoteInstance(const RegistryRemoteInstance &instance, ConfigError *error);
    bool removeMount(const QString &path, ConfigError *error);

private:
    explicit RegistryXml(XmlDocument document) : XmlConfigFile(std::move(document)) {}
};

} // namespace Tribune::Config
