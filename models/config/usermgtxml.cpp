#include "usermgtxml.h"

namespace Tribune::Config {

std::optional<UserMgtXml> UserMgtXml::load(const QString &path, ConfigError *error)
{
    return wrap<UserMgtXml>(loadWithRoot(path, u"UserManager", error));
}

std::optional<UserMgtXml> UserMgtXml::parse(const QByteArray &bytes, const QString &fileName, ConfigError *error)
{
    return wrap<UserMgtXml>(parseWithRoot(bytes, fileName, u"UserManager", error));
}

XmlDocument::Element UserMgtXml::configurationElement() const
{
    return m_document.firstChild(m_document.firstChild(m_document.root(), u"Realm"), u"Configuration");
}

UserMgtSettings UserMgtXml::settings() const
{
    const XmlDocument::Element configuration = configurationElement();
    const XmlDocument::Element dataSource =
        m_document.childWithAttribute(configuration, u"Property", u"name", u"dataSource");
    return {m_document.text(dataSource), m_document.line(dataSource),
            m_document.childText(m_document.firstChild(configuration, u"AdminUser"), u"UserName")};
}

bool UserMgtXml::setDataSource(const QString &jndiName, ConfigError *error)
{
    const XmlDocument::Element configuration = configurationElement();
    if (configuration == XmlDocument::NoElement)
        return notFound(QStringLiteral("<Realm><Configuration>"), error);
    const XmlDocument::Element dataSource =
        m_document.childWithAttribute(configuration, u"Property", u"name", u"dataSource");
    if (dataSource != XmlDocument::NoElement)
        return m_document.setText(dataSource, jndiName, error);
    return m_document.appendChild(configuration, QLatin1String("<Property name=\"dataSource\">")
                                                     + m_document.escaped(jndiName) + QLatin1String("</Property>"),
                                  error)
        != XmlDocument::NoElement;
}

} // namespace Tribune::Config
