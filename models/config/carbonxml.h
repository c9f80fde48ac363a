#pragma once

#include "xmlconfigfile.h"

#include <QList>
#include <QString>

namespace Tribune::Config {

// A port a Carbon server listens on, before the offset is added.
struct ListenPort
{
    QString name; // "HTTP", "NHTTPS", "JMX/RMIRegistryPort", ...
    int port = 0;
    int line = 0; // 0 for ports the product defines without a line in this file
};

struct CarbonSettings
{
    QString hostName;
    QString mgtHostName;
    int hostNameLine = 0;
    int mgtHostNameLine = 0;
    int offset = 0;
    int offsetLine = 0;
    // Listening ports declared under <Ports> (proxy ports excluded: nothing listens on them).
    QList<ListenPort> ports;
};

// carbon.xml: host names and the port offset every port of the server is shifted by.
class CarbonXml final : public XmlConfigFile
{
    friend class XmlConfigFile;

public:
    static std::optional<CarbonXml> load(const QString &path, ConfigError *error);
    static std::optional<CarbonXml> parse(const QByteArray &bytes, const QString &fileName, ConfigError *error);

    CarbonSettings settings() const;

    bool setOffset(int offset, ConfigError *error);
    bool setHostName(const QString &hostName, ConfigError *error);
    bool setMgtHostName(const QString &hostName, ConfigError *error);

private:
    explicit CarbonXml(XmlDocument document) : XmlConfigFile(std::move(document)) {}
    void collectPorts(XmlDocument::Element element, const QString &prefix, QList<ListenPort> *ports) const;
};

} // namespace Tribune::Config
