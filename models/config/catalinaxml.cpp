#include "catalinaxml.h"

namespace Tribune::Config {

std::optional<CatalinaXml> CatalinaXml::load(const QString &path, ConfigError *error)
{
    return wrap<CatalinaXml>(loadWithRoot(path, u"Server", error));
}

std::optional<CatalinaXml> CatalinaXml::parse(const QByteArray &bytes, const QString &fileName, ConfigError *error)
{
    return wrap<CatalinaXml>(parseWithRoot(bytes, fileName, u"Server", error));
}

QList<XmlDocument::Element> CatalinaXml::connectorElements() const
{
    QList<XmlDocument::Element> result;
    for (const XmlDocument::Element service : m_document.children(m_document.root(), u"Service"))
        result += m_document.children(service, u"Connector");
    return result;
}

QList<CatalinaConnector> CatalinaXml::connectors() const
{
    QList<CatalinaConnector> result;
    for (const XmlDocument::Element element : connectorElements()) {
        CatalinaConnector connector;
        connector.port = m_document.attribute(element, u"port").toInt();
        bool ok = false;
        const int proxy = m_document.attribute(element, u"proxyPort").toInt(&ok);
        if (ok)
            connector.proxyPort = proxy;
        connector.secure = m_document.attribute(element, u"scheme") == u"https"
            || m_document.attribute(element, u"SSLEnabled") == u"true"
            || m_document.attribute(element, u"secure") == u"true";
        connector.line = m_document.line(element);
        result.append(connector);
    }
    return result;
}

bool CatalinaXml::setProxyPort(int connectorPort, int proxyPort, ConfigError *error)
{
    for (const XmlDocument::Element element : connectorElements()) {
        if (m_document.attribute(element, u"port").toInt() == connectorPort)
            return m_document.setAttribute(element, QStringLiteral("proxyPort"), QString::number(proxyPort), error);
    }
    return notFound(QStringLiteral("<Connector port=\"%1\">").arg(connectorPort), error);
}

} // namespace Tribune::Config
