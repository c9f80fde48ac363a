#pragma once

#include "xmlconfigfile.h"

#include <QList>
#include <QString>

#include <optional>

namespace Tribune::Config {

struct WellKnownMember
{
    QString host;
    int port = 0;
    int line = 0;
};

struct NamedValue
{
    QString name;
    QString value;
    int line = 0;
};

struct ApplicationDomain
{
    QString name;
    QString description;
    QString agent;
    QString subDomain;
    int port = 0;
    int line = 0;
};

// The <clustering> section of axis2.xml, as read.
struct Axis2Clustering
{
    static constexpr int DefaultMemberPort = 4000;
    static constexpr int DefaultMemberDropTimeMs = 3000;

    bool present = false;
    QString agentClass;
    bool enabled = false;
    int line = 0;
    QList<NamedValue> parameters; // <parameter name=..>value</parameter>, except "properties"
    QList<NamedValue> properties; // <parameter name="properties"><property name= value=/>
    QList<WellKnownMember> members;
    bool groupManagementEnabled = false;
    QList<ApplicationDomain> applicationDomains;

    const NamedValue *parameter(QStringView name) const;
    const NamedValue *property(QStringView name) const;
    QString parameterValue(QStringView name) const;

    QString membershipScheme() const { return parameterValue(u"membershipScheme"); }
    QString domain() const { return parameterValue(u"domain"); }
    QString localMemberHost() const { return parameterValue(u"localMemberHost"); }
    int localMemberPort() const;
    int memberDropTimeMs() const;
    // The "subDomain" member property; empty when the node belongs to the default sub-domain.
    QString subDomain() const;
    // port.mapping.<load balancer port> = <member port>, in file order.
    struct PortMapping
    {
        int loadBalancerPort = 0;
        int memberPort = 0;
        int line = 0;
    };
    QList<PortMapping> portMappings() const;
};

struct TransportReceiver
{
    QString name;
    QString className;
    std::optional<int> port;
    int line = 0;
    QString wsdlEprPrefix; // the address the node publishes in its WSDLs, e.g. http://host:8280
    int wsdlEprPrefixLine = 0;
};

// axis2.xml: the clustering section and the transport receivers.
class Axis2Xml final : public XmlConfigFile
{
    friend class XmlConfigFile;

public:
    static std::optional<Axis2Xml> load(const QString &path, ConfigError *error);
    static std::optional<Axis2Xml> parse(const QByteArray &bytes, const QString &fileName, ConfigError *error);

    Axis2Clustering clustering() const;
    QList<TransportReceiver> transportReceivers() const;
    // The port of the first active transport receiver of that name ("http", "https").
    std::optional<int> receiverPort(QStringView name) const;

    bool setClusteringEnabled(bool enabled, ConfigError *error);
    // The clustering agent: Tribes (org.apache.axis2.clustering.tribes.TribesClusteringAgent) or
    // Hazelcast (org.wso2.carbon.core.clustering.hazelcast.HazelcastClusteringAgent).
    bool setClusteringAgentClass(const QString &className, ConfigError *error);
    // Sets a <parameter> of the first active transport receiver of that name, adding it if missing.
    bool setTransportReceiverParameter(const QString &receiver, const QString &name, const QString &value,
                                       ConfigError *error);
    // Adds a transport receiver after the last one, with its parameters in order.
    bool addTransportReceiver(const QString &name, const QString &className,
                              const QList<std::pair<QString, QString>> &parameters, ConfigError *error);
    // Sets a <parameter> of the clustering section, adding it after the last one if missing.
    bool setParameter(const QString &name, const QString &value, ConfigError *error);
    bool removeParameter(const QString &name, ConfigError *error);
    // Sets a member property (subDomain, port.mapping.N, ...), adding it if missing.
    bool setProperty(const QString &name, const QString &value, ConfigError *error);
    bool removeProperty(const QString &name, ConfigError *error);
    // Replaces the well-known members with the given list.
    bool setWellKnownMembers(const QList<WellKnownMember> &members, ConfigError *error);

private:
    explicit Axis2Xml(XmlDocument document) : XmlConfigFile(std::move(document)) {}
    XmlDocument::Element clusteringElement() const;
    XmlDocument::Element propertiesElement() const;
};

} // namespace Tribune::Config
