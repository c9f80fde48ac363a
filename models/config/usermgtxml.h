#pragma once

#include "xmlconfigfile.h"

namespace Tribune::Config {

struct UserMgtSettings
{
    QString dataSource; // JNDI name of the user store's datasource
    int dataSourceLine = 0;
    QString adminUser;
};

// user-mgt.xml: which datasource the user manager keeps its tables in.
class UserMgtXml final : public XmlConfigFile
{
    friend class XmlConfigFile;

public:
    static std::optional<UserMgtXml> load(const QString &path, ConfigError *error);
    static std::optional<UserMgtXml> parse(const QByteArray &bytes, const QString &fileName, ConfigError *error);

    UserMgtSettings settings() const;
    bool setDataSource(const QString &jndiName, ConfigError *error);

private:
    explicit UserMgtXml(XmlDocument document) : XmlConfigFile(std::move(document)) {}
    XmlDocument::Element configurationElement() const;
};

} // namespace Tribune::Config
