#include "axis2xml.h"

#include "configerror.h"

namespace Tribune::Config {

namespace {

const NamedValue *findNamed(const QList<NamedValue> &values, QStringView name)
{
    for (const NamedValue &value : values) {
        if (value.name == name)
            return &value;
    }
    return nullptr;
}

int toIntOr(const QString &text, int fallback)
{
    bool ok = false;
    const int value = text.trimmed().toInt(&ok);
    return ok ? value : fallback;
}

const QString PortMappingPrefix = QStringLiteral("port.mapping.");

} // namespace

const NamedValue *Axis2Clustering::parameter(QStringView name) const
{
    return findNamed(parameters, name);
}

const NamedValue *Axis2Clustering::property(QStringView name) const
{
    return findNamed(properties, name);
}

QString Axis2Clustering::parameterValue(QStringView name) const
{
    const NamedValue *found = parameter(name);
    return found ? found->value : QString();
}

int Axis2Clustering::localMemberPort() const
{
    return toIntOr(parameterValue(u"localMemberPort"), DefaultMemberPort);
}

int Axis2Clustering::memberDropTimeMs() const
{
    return toIntOr(parameterValue(u"memberDropTime"), DefaultMemberDropTimeMs);
}

QString Axis2Clustering::subDomain() const
{
    const NamedValue *found = property(u"subDomain");
    return found ? found->value : QString();
}

QList<Axis2Clustering::PortMapping> Axis2Clustering::portMappings() const
{
    QList<PortMapping> mappings;
    for (const NamedValue &value : properties) {
        if (!value.name.startsWith(PortMappingPrefix))
            continue;
        bool lbOk = false;
        bool memberOk = false;
        const int lbPort = value.name.mid(PortMappingPrefix.size()).toInt(&lbOk);
        const int memberPort = value.value.toInt(&memberOk);
        if (lbOk && memberOk)
            mappings.append({lbPort, memberPort, value.line});
    }
    return mappings;
}

std::optional<Axis2Xml> Axis2Xml::load(const QString &path, ConfigError *error)
{
    return wrap<Axis2Xml>(loadWithRoot(path, u"axisconfig", error));
}

std::optional<Axis2Xml> Axis2Xml::parse(const QByteArray &bytes, const QString &fileName, ConfigError *error)
{
    return wrap<Axis2Xml>(parseWithRoot(bytes, fileName, u"axisconfig", error));
}

XmlDocument::Element Axis2Xml::clusteringElement() const
{
    return m_document.firstChild(m_document.root(), u"clustering");
}

XmlDocument::Element Axis2Xml::propertiesElement() const
{
    return m_document.childWithAttribute(clusteringElement(), u"parameter", u"name", u"properties");
}

Axis2Clustering Axis2Xml::clustering() const
{
    Axis2Clustering result;
    const XmlDocument &doc = m_document;
    const XmlDocument::Element clustering = clusteringElement();
    if (clustering == XmlDocument::NoElement)
        return result;
    result.present = true;
    result.agentClass = doc.attribute(clustering, u"class");
    result.enabled = doc.attribute(clustering, u"enable").trimmed().compare(u"true", Qt::CaseInsensitive) == 0;
    result.line = doc.line(clustering);
    for (const XmlDocument::Element parameter : doc.children(clustering, u"parameter")) {
        const QString name = doc.attribute(parameter, u"name");
        if (name == u"properties") {
            for (const XmlDocument::Element property : doc.children(parameter, u"property"))
                result.properties.append({doc.attribute(property, u"name"),
                                          doc.attribute(property, u"value").trimmed(), doc.line(property)});
        } else {
            result.parameters.append({name, doc.text(parameter), doc.line(parameter)});
        }
    }
    for (const XmlDocument::Element member : doc.children(doc.firstChild(clustering, u"members"), u"member"))
        result.members.append({doc.childText(member, u"hostName"), toIntOr(doc.childText(member, u"port"), 0),
                               doc.line(member)});
    const XmlDocument::Element groupManagement = doc.firstChild(clustering, u"groupManagement");
    result.groupManagementEnabled =
        doc.attribute(groupManagement, u"enable").trimmed().compare(u"true", Qt::CaseInsensitive) == 0;
    for (const XmlDocument::Element domain : doc.children(groupManagement, u"applicationDomain"))
        result.applicationDomains.append({doc.attribute(domain, u"name"), doc.attribute(domain, u"description"),
                                          doc.attribute(domain, u"agent"), doc.attribute(domain, u"subDomain"),
                                          toIntOr(doc.attribute(domain, u"port"), 0), doc.line(domain)});
    return result;
}

QList<TransportReceiver> Axis2Xml::transportReceivers() const
{
    QList<TransportReceiver> receivers;
    for (const XmlDocument::Element receiver : m_document.children(m_document.root(), u"transportReceiver")) {
        TransportReceiver entry;
        entry.name = m_document.attribute(receiver, u"name");
        entry.className = m_document.attribute(receiver, u"class");
        entry.line = m_document.line(receiver);
        const XmlDocument::Element port = m_document.childWithAttribute(receiver, u"parameter", u"name", u"port");
        bool ok = false;
        const int value = m_document.text(port).toInt(&ok);
        if (ok)
            entry.port = value;
        const XmlDocument::Element prefix =
            m_document.childWithAttribute(receiver, u"parameter", u"name", u"WSDLEPRPrefix");
        if (prefix != XmlDocument::NoElement) {
            entry.wsdlEprPrefix = m_document.text(prefix).trimmed();
            entry.wsdlEprPrefixLine = m_document.line(prefix);
        }
        receivers.append(entry);
    }
    return receivers;
}

std::optional<int> Axis2Xml::receiverPort(QStringView name) const
{
    for (const TransportReceiver &receiver : transportReceivers()) {
        if (receiver.name == name && receiver.port)
            return receiver.port;
    }
    return std::nullopt;
}

bool Axis2Xml::setClusteringEnabled(bool enabled, ConfigError *error)
{
    const XmlDocument::Element clustering = clusteringElement();
    if (clustering == XmlDocument::NoElement)
        return notFound(QStringLiteral("<clustering>"), error);
    return m_document.setAttribute(clustering, QStringLiteral("enable"),
                                   enabled ? QStringLiteral("true") : QStringLiteral("false"), error);
}

bool Axis2Xml::setClusteringAgentClass(const QString &className, ConfigError *error)
{
    const XmlDocument::Element clustering = clusteringElement();
    if (clustering == XmlDocument::NoElement)
        return notFound(QStringLiteral("<clustering>"), error);
    return m_document.setAttribute(clustering, QStringLiteral("class"), className, error);
}

bool Axis2Xml::setTransportReceiverParameter(const QString &receiver, const QString &name, const QString &value,
                                             ConfigError *error)
{
    const XmlDocument::Element element =
        m_document.childWithAttribute(m_document.root(), u"transportReceiver", u"name", receiver);
    if (element == XmlDocument::NoElement)
        return notFound(QStringLiteral("<transportReceiver name=\"%1\">").arg(receiver), error);
    const XmlDocument::Element existing = m_document.childWithAttribute(element, u"parameter", u"name", name);
    if (existing != XmlDocument::NoElement)
        return m_document.setText(existing, value, error);
    const QString fragment = QLatin1String("<parameter name=\"") + m_document.escaped(name)
        + QLatin1String("\" locked=\"false\">") + m_document.escaped(value) + QLatin1String("</parameter>");
    return m_document.appendChild(element, fragment, error) != XmlDocument::NoElement;
}

bool Axis2Xml::addTransportReceiver(const QString &name, const QString &className,
                                    const QList<std::pair<QString, QString>> &parameters, ConfigError *error)
{
    QString fragment = QLatin1String("<transportReceiver name=\"") + m_document.escaped(name)
        + QLatin1String("\" class=\"") + m_document.escaped(className) + QLatin1String("\">");
    for (const auto &[parameter, value] : parameters)
        fragment += QLatin1String("\n    <parameter name=\"") + m_document.escaped(parameter)
            + QLatin1String("\" locked=\"false\">") + m_document.escaped(value) + QLatin1String("</parameter>");
    fragment += QLatin1String("\n</transportReceiver>");
    const QList<XmlDocument::Element> receivers = m_document.children(m_document.root(), u"transportReceiver");
    const XmlDocument::Element added = receivers.isEmpty()
        ? m_document.appendChild(m_document.root(), fragment, error)
        : m_document.insertAfter(receivers.last(), fragment, error);
    return added != XmlDocument::NoElement;
}

bool Axis2Xml::setParameter(const QString &name, const QString &value, ConfigError *error)
{
    const XmlDocument::Element clustering = clusteringElement();
    if (clustering == XmlDocument::NoElement)
        return notFound(QStringLiteral("<clustering>"), error);
    const XmlDocument::Element existing = m_document.childWithAttribute(clustering, u"parameter", u"name", name);
    if (existing != XmlDocument::NoElement)
        return m_document.setText(existing, value, error);
    const QString fragment = QLatin1String("<parameter name=\"") + m_document.escaped(name) + QLatin1String("\">")
        + m_document.escaped(value) + QLatin1String("</parameter>");
    // Parameters come before <members> and <groupManagement>: add after the last plain one.
    XmlDocument::Element lastParameter = XmlDocument::NoElement;
    for (const XmlDocument::Element parameter : m_document.children(clustering, u"parameter")) {
        if (m_document.attribute(parameter, u"name") != u"properties")
            lastParameter = parameter;
    }
    const XmlDocument::Element added = lastParameter != XmlDocument::NoElement
        ? m_document.insertAfter(lastParameter, fragment, error)
        : m_document.appendChild(clustering, fragment, error);
    return added != XmlDocument::NoElement;
}

bool Axis2Xml::removeParameter(const QString &name, ConfigError *error)
{
    const XmlDocument::Element existing =
        m_document.childWithAttribute(clusteringElement(), u"parameter", u"name", name);
    if (existing == XmlDocument::NoElement)
        return notFound(QStringLiteral("<parameter name=\"%1\">").arg(name), error);
    return m_document.remove(existing, error);
}

bool Axis2Xml::setProperty(const QString &name, const QString &value, ConfigError *error)
{
    XmlDocument::Element properties = propertiesElement();
    if (properties == XmlDocument::NoElement) {
        const XmlDocument::Element clustering = clusteringElement();
        if (clustering == XmlDocument::NoElement)
            return notFound(QStringLiteral("<clustering>"), error);
        properties = m_document.appendChild(clustering, QStringLiteral("<parameter name=\"properties\">\n</parameter>"),
                                            error);
        if (properties == XmlDocument::NoElement)
            return false;
    }
    const XmlDocument::Element existing = m_document.childWithAttribute(properties, u"property", u"name", name);
    if (existing != XmlDocument::NoElement)
        return m_document.setAttribute(existing, QStringLiteral("value"), value, error);
    return m_document.appendChild(properties,
                                  QLatin1String("<property name=\"") + m_document.escaped(name)
                                      + QLatin1String("\" value=\"") + m_document.escaped(value) + QLatin1String("\"/>"),
                                  error)
        != XmlDocument::NoElement;
}

bool Axis2Xml::removeProperty(const QString &name, ConfigError *error)
{
    const XmlDocument::Element existing = m_document.childWithAttribute(propertiesElement(), u"property", u"name", name);
    if (existing == XmlDocument::NoElement)
        return notFound(QStringLiteral("<property name=\"%1\">").arg(name), error);
    return m_document.remove(existing, error);
}

bool Axis2Xml::setWellKnownMembers(const QList<WellKnownMember> &members, ConfigError *error)
{
    const XmlDocument::Element clustering = clusteringElement();
    if (clustering == XmlDocument::NoElement)
        return notFound(QStringLiteral("<clustering>"), error);
    XmlDocument::Element list = m_document.firstChild(clustering, u"members");
    if (list == XmlDocument::NoElement) {
        list = m_document.appendChild(clustering, QStringLiteral("<members>\n</members>"), error);
        if (list == XmlDocument::NoElement)
            return false;
    }
    // Remove from the last so earlier indices stay valid.
    QList<XmlDocument::Element> existing = m_document.children(list, u"member");
    while (!existing.isEmpty()) {
        if (!m_document.remove(existing.takeLast(), error))
            return false;
        list = m_document.firstChild(clusteringElement(), u"members");
    }
    for (const WellKnownMember &member : members) {
        const QString fragment = QLatin1String("<member>\n    <hostName>") + m_document.escaped(member.host)
            + QLatin1String("</hostName>\n    <port>") + QString::number(member.port)
            + QLatin1String("</port>\n</member>");
        if (m_document.appendChild(list, fragment, error) == XmlDocument::NoElement)
            return false;
        list = m_document.firstChild(clusteringElement(), u"members");
    }
    return true;
}

} // namespace Tribune::Config
