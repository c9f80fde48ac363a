#pragma once

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace Tribune::Config {
class Axis2Xml;
class LoadBalancerConf;
struct ConfigError;
} // namespace Tribune::Config

// Renders a WSO2 / Stratos ELB loadbalancer.conf as an HAProxy 2.6 configuration plus the
// Host -> backend map file it routes through; the rules are listed at the top of haproxyconfig.cpp.
namespace Tribune::HAProxy {

// A server to write into a backend statically, so that a reload keeps the members the agent
// has already added through the runtime API.
struct RenderedServer
{
    QString name;    // HAProxy server name: letters, digits, '-', '_', '.', ':'
    QString address; // IP address or host name
    int port = 0;
    int weight = 100; // 0..256; 100 matches the runtime API's "add server ... weight 100"
};

struct RenderOptions
{
    QString bindAddress = QStringLiteral("*"); // "*" or an IP address
    int httpPort = 8280;                       // the ELB's pass-through HTTP port
    int httpsPort = 8243;                      // the ELB's pass-through HTTPS port
    // PEM holding certificate and key for the HTTPS listener; empty: no HTTPS listener (the
    // output says so in a comment and the result carries a warning).
    QString certificateFile;
    QString adminSocketPath; // unix admin socket, level admin (required; at most 97 bytes)
    QString adminTcpAddress; // optional "127.0.0.1:PORT" or "[::1]:PORT", level admin; loopback only
    QString hostsMapPath;    // map file Host -> backend; render() returns its text in hostsMap
    // Map file tenant-domain -> tenant id, read by HAProxy; required when a group has a
    // tenant_range other than "*".
    QString tenantsMapPath;
    QString ringName = QStringLiteral("tribune-events"); // ring that receives server state changes
    QMap<QString, QList<RenderedServer>> servers;        // backend name -> its current servers
};

struct RenderResult
{
    QString config;      // haproxy.cfg
    QString hostsMap;    // the text of options.hostsMapPath
    QStringList warnings; // translated; rendering went ahead
};

// Where the ELB listens, from its own axis2.xml: the ports of its active "http" and "https"
// transport receivers (the ESB guide moves them to 80 and 443). Empty where it names none.
struct ListenerPorts
{
    std::optional<int> http;
    std::optional<int> https;
};
ListenerPorts listenerPortsOf(const Config::Axis2Xml &axis2);
// The same from the axis2/axis2.xml beside a loadbalancer.conf in an ELB's repository/conf; empty
// when there is none or it cannot be read.
ListenerPorts listenerPortsBeside(const QString &loadBalancerConfPath);

// The backend of one (domain, sub-domain): "<domain>:<subDomain>", and "<domain>:default" for
// the default (empty) sub-domain. HAProxy accepts '.' and ':' in names.
QString backendName(const QString &domain, const QString &subDomain);

// Why the options cannot be rendered (translated), or an empty string when they can. render()
// checks them too; callers use this to tell bad options apart from a refused loadbalancer.conf.
QString checkOptions(const RenderOptions &options);

// The configuration, or nullopt with *error set: naming the file and line of loadbalancer.conf
// for what HAProxy cannot express, or with line 0 when the options are unusable.
std::optional<RenderResult> render(const Config::LoadBalancerConf &conf, const RenderOptions &options,
                                   Config::ConfigError *error);

} // namespace Tribune::HAProxy
