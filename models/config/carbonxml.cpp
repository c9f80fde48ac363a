#include "carbonxml.h"

namespace Tribune::Config {

std::optional<CarbonXml> CarbonXml::load(const QString &path, ConfigError *error)
{
    return wrap<CarbonXml>(loadWithRoot(path, u"Server", error));
}

std::optional<CarbonXml> CarbonXml::parse(const QByteArray &bytes, const QString &fileName, ConfigError *error)
{
    return wrap<CarbonXml>(parseWithRoot(bytes, fileName, u"Server", error));
}

void CarbonXml::collectPorts(XmlDocument::Element element, const QString &prefix, QList<ListenPort> *ports) const
{
    for (const XmlDocument::Element child : m_document.children(element)) {
        const QString name = m_document.name(child);
        if (name == u"Offset" || name.endsWith(u"ProxyPort"))
            continue;
        const QList<XmlDocument::Element> grandChildren = m_document.children(child);
        if (!grandChildren.isEmpty()) {
            collectPorts(child, prefix + name + QLatin1Char('/'), ports);
            continue;
        }
        bool ok = false;
        const int port = m_document.text(child).toInt(&ok);
        if (ok && port > 0)
            ports->append({prefix + name, port, m_document.line(child)});
    }
}

CarbonSettings CarbonXml::settings() const
{
    CarbonSettings settings;
    const XmlDocument::Element root = m_document.root();
    settings.hostName = m_document.childText(root, u"HostName");
    settings.mgtHostName = m_document.childText(root, u"MgtHostName");
    if (const XmlDocument::Element element = m_document.firstChild(root, u"HostName"); element != XmlDocument::NoElement)
        settings.hostNameLine = m_document.line(element);
    if (const XmlDocument::Element element = m_document.firstChild(root, u"MgtHostName"); element != XmlDocument::NoElement)
        settings.mgtHostNameLine = m_document.line(element);
    const XmlDocument::Element ports = m_document.firstChild(root, u"Ports");
    const XmlDocument::Element offset = m_document.firstChild(ports, u"Offset");
    settings.offset = m_document.text(offset).toInt();
    settings.offsetLine = m_document.line(offset);
    collectPorts(ports, QString(), &settings.ports);
    return settings;
}

bool CarbonXml::setOffset(int offset, ConfigError *error)
{
    return setTextAt(u"Ports/Offset", QString::number(offset), error);
}

bool CarbonXml::setHostName(const QString &hostName, ConfigError *error)
{
    return setTextAt(u"HostName", hostName, error);
}

bool CarbonXml::setMgtHostName(const QString &hostName, ConfigError *error)
{
    return setTextAt(u"MgtHostName", hostName, error);
}

} // namespace Tribune::Config
