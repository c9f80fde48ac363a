#pragma once

#include "xmlconfigfile.h"

#include <QList>

#include <optional>

namespace Tribune::Config {

struct CatalinaConnector
{
    int port = 0;
    std::optional<int> proxyPort;
    bool secure = false; // an HTTPS connector
    int line = 0;
};

// catalina-server.xml: the servlet transport's HTTP and HTTPS connectors.
class CatalinaXml final : public XmlConfigFile
{
    friend class XmlConfigFile;

public:
    static std::optional<CatalinaXml> load(const QString &path, ConfigError *error);
    static std::optional<CatalinaXml> parse(const QByteArray &bytes, const QString &fileName, ConfigError *error);

    QList<CatalinaConnector> connectors() const;
    // Sets proxyPort on the connector listening on port (before the offset).
    bool setProxyPort(int connectorPort, int proxyPort, ConfigError *error);

private:
    explicit CatalinaXml(XmlDocument document) : XmlConfigFile(std::move(document)) {}
    QList<XmlDocument::Element> connectorElements() const;
};

} // namespace Tribune::Config
