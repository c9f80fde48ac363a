#include "datasourcesxml.h"

namespace Tribune::Config {

namespace {

const QStringList ConnectionKeys = {QStringLiteral("url"), QStringLiteral("username"), QStringLiteral("password"),
                                    QStringLiteral("driverClassName")};

} // namespace

std::optional<DatasourcesXml> DatasourcesXml::load(const QString &path, ConfigError *error)
{
    return wrap<DatasourcesXml>(loadWithRoot(path, u"datasources-configuration", error));
}

std::optional<DatasourcesXml> DatasourcesXml::parse(const QByteArray &bytes, const QString &fileName,
                                                    ConfigError *error)
{
    return wrap<DatasourcesXml>(parseWithRoot(bytes, fileName, u"datasources-configuration", error));
}

QList<Datasource> DatasourcesXml::datasources() const
{
    const XmlDocument &doc = m_document;
    QList<Datasource> result;
    for (const XmlDocument::Element element : doc.children(doc.firstChild(doc.root(), u"datasources"), u"datasource")) {
        Datasource source;
        source.name = doc.childText(element, u"name");
        source.description = doc.childText(element, u"description");
        const XmlDocument::Element jndi = doc.firstChild(doc.firstChild(element, u"jndiConfig"), u"name");
        source.jndiName = doc.text(jndi);
        source.jndiLine = doc.line(jndi);
        const XmlDocument::Element definition = doc.firstChild(element, u"definition");
        source.definitionType = doc.attribute(definition, u"type");
        const XmlDocument::Element configuration = doc.firstChild(definition, u"configuration");
        for (const XmlDocument::Element setting : doc.children(configuration)) {
            const QString key = doc.name(setting);
            const QString value = doc.text(setting);
            if (key == u"url") {
                source.url = value;
                source.urlLine = doc.line(setting);
            } else if (key == u"username") {
                source.username = value;
            } else if (key == u"password") {
                source.password = value;
            } else if (key == u"driverClassName") {
                source.driverClassName = value;
            } else {
                source.pool.append({key, value});
            }
        }
        source.line = doc.line(element);
        result.append(source);
    }
    return result;
}

XmlDocument::Element DatasourcesXml::datasourceElement(QStringView name) const
{
    for (const XmlDocument::Element element :
         m_document.children(m_document.firstChild(m_document.root(), u"datasources"), u"datasource")) {
        if (m_document.childText(element, u"name") == name)
            return element;
    }
    return XmlDocument::NoElement;
}

bool DatasourcesXml::setValue(const QString &datasource, const QString &key, const QString &value,
                              ConfigError *error)
{
    const XmlDocument::Element element = datasourceElement(datasource);
    if (element == XmlDocument::NoElement)
        return notFound(QStringLiteral("datasource \"%1\"").arg(datasource), error);
    XmlDocument::Element target = XmlDocument::NoElement;
    if (key == u"jndiName")
        target = m_document.firstChild(m_document.firstChild(element, u"jndiConfig"), u"name");
    else if (key == u"description")
        target = m_document.firstChild(element, u"description");
    else {
        const XmlDocument::Element configuration =
            m_document.firstChild(m_document.firstChild(element, u"definition"), u"configuration");
        if (configuration == XmlDocument::NoElement)
            return notFound(QStringLiteral("<definition><configuration> of datasource \"%1\"").arg(datasource), error);
        target = m_document.firstChild(configuration, key);
        if (target == XmlDocument::NoElement)
            return m_document.appendChild(configuration, QLatin1Char('<') + key + QLatin1Char('>')
                                                             + m_document.escaped(value) + QLatin1String("</") + key
                                                             + QLatin1Char('>'),
                                          error)
                != XmlDocument::NoElement;
    }
    if (target == XmlDocument::NoElement)
        return notFound(QStringLiteral("%1 of datasource \"%2\"").arg(key, datasource), error);
    return m_document.setText(target, value, error);
}

bool DatasourcesXml::addDatasource(const Datasource &datasource, ConfigError *error)
{
    const auto element = [this](const QString &name, const QString &value) -> QString {
        return QLatin1Char('<') + name + QLatin1Char('>') + m_document.escaped(value) + QLatin1String("</") + name
            + QLatin1Char('>');
    };
    QString fragment = QLatin1String("<datasource>\n    ") + element(QStringLiteral("name"), datasource.name)
        + QLatin1String("\n    ") + element(QStringLiteral("description"), datasource.description)
        + QLatin1String("\n    <jndiConfig>\n        ") + element(QStringLiteral("name"), datasource.jndiName)
        + QLatin1String("\n    </jndiConfig>\n    <definition type=\"")
        + m_document.escaped(datasource.definitionType.isEmpty() ? QStringLiteral("RDBMS") : datasource.definitionType)
        + QLatin1String("\">\n        <configuration>");
    const QStringList values = {datasource.url, datasource.username, datasource.password, datasource.driverClassName};
    for (int i = 0; i < ConnectionKeys.size(); ++i)
        fragment += QLatin1String("\n            ") + element(ConnectionKeys.at(i), values.at(i));
    for (const auto &[key, value] : datasource.pool)
        fragment += QLatin1String("\n            ") + element(key, value);
    fragment += QLatin1String("\n        </configuration>\n    </definition>\n</datasource>");

    XmlDocument::Element list = m_document.firstChild(m_document.root(), u"datasources");
    if (list == XmlDocument::NoElement) {
        list = m_document.appendChild(m_document.root(), QStringLiteral("<datasources>\n</datasources>"), error);
        if (list == XmlDocument::NoElement)
            return false;
    }
    return m_document.appendChild(list, fragment, error) != XmlDocument::NoElement;
}

bool DatasourcesXml::removeDatasource(const QString &name, ConfigError *error)
{
    const XmlDocument::Element element = datasourceElement(name);
    if (element == XmlDocument::NoElement)
        return notFound(QStringLiteral("datasource \"%1\"").arg(name), error);
    return m_document.remove(element, error);
}

} // namespace Tribune::Config
