#pragma once

#include "xmlconfigfile.h"

#include <QList>
#include <QString>

namespace Tribune::Config {

struct Datasource
{
    QString name;
    QString description;
    QString jndiName;
    QString definitionType; // "RDBMS"
    QString url;
    QString username;
    QString password;
    QString driverClassName;
    QList<std::pair<QString, QString>> pool; // maxActive, maxWait, testOnBorrow, validationQuery, ...
    int line = 0;
    int jndiLine = 0;
    int urlLine = 0;
};

// master-datasources.xml: the JDBC datasources a node binds under JNDI names.
class DatasourcesXml final : public XmlConfigFile
{
    friend class XmlConfigFile;

public:
    static std::optional<DatasourcesXml> load(const QString &path, ConfigError *error);
    static std::optional<DatasourcesXml> parse(const QByteArray &bytes, const QString &fileName,
                                               ConfigError *error);

    QList<Datasource> datasources() const;

    // Sets a value of a datasource: "url", "username", "password", "driverClassName", a pool
    // setting such as "maxActive", or "jndiName" / "description".
    bool setValue(const QString &datasource, const QString &key, const QString &value, ConfigError *error);
    bool addDatasource(const Datasource &datasource, ConfigError *error);
    bool removeDatasource(const QString &name, ConfigError *error);

private:
    explicit DatasourcesXml(XmlDocument document) : XmlConfigFile(std::move(document)) {}
    XmlDocument::Element datasourceElement(QStringView name) const;
};

} // namespace Tribune::Config
