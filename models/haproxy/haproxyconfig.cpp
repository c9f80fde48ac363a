// Renders loadbalancer.conf as an HAProxy 2.6 configuration. The rules, repeated in the header
// comment of every generated file:
//
// - global: master-worker friendly (no "daemon"; the agent runs "haproxy -W -D -p PIDFILE"); the admin
//   socket is "stats socket <unix path> mode 600 level admin expose-fd listeners" (expose-fd lets
//   a reload take the listening sockets over), plus an optional TCP admin socket on loopback only;
//   "stats timeout 2m". A ring section receives the log lines of level notice and above, i.e.
//   server state changes (UP/DOWN, health checks) but not the per-request info lines, so
//   "show events <ring> -w" on the admin socket streams them. No server-state-file.
// - defaults: mode http, httplog, forwardfor, redispatch, retries 2, timeouts (connect 5s,
//   client/server 30s, http-request 10s), and health checks on every server:
//   "default-server check inter 1s fall 2 rise 2 weight 100" with "GET /health" expecting 200.
// - one backend per served (domain, sub-domain), named by backendName(): "<domain>:<sub-domain>"
//   or "<domain>:default"; "balance roundrobin" (the ELB's default); its server lines come only
//   from RenderOptions::servers, since members join at run time through the runtime API.
// - frontend http-in on bind:httpPort, and https-in on bind:httpsPort with "ssl crt <PEM>" when a
//   certificate is given (else no HTTPS listener, said in a comment and a warning).
// - routing by Host (lower-cased, port stripped) through the hosts map file, one line
//   "<host> <backend>" per host of a group whose tenant_range is "*". A Host in no map line gets
//   503. A host served only by tenant-specific groups has no map line (the ELB, too, served only
//   those tenants there); a warning says so.
// - tenants: Carbon names a tenant in the path, "/t/<tenant-domain>/...". Its id comes from the
//   tenants map file, "<tenant-domain> <id>" per line, as the administrator exports it from the
//   user store (SELECT UM_DOMAIN_NAME, UM_ID FROM UM_TENANT), domains in lower case. For every
//   group with a tenant_range other than "*", in file order and before the map rule:
//   "use_backend <backend> if hosts_<backend> tenants_<backend>" (acl "-m int N:M"). Requests
//   with no tenant, an unknown tenant or a tenant in no range fall to the hosts map.
// - refused, with file and line: a group without hosts; a host two "*" groups claim; two groups
//   with the same backend name; a host or name HAProxy cannot hold in a map key or proxy name;
//   tenant ranges without a tenants map.
#include "haproxyconfig.h"

#include "config/axis2xml.h"

#include "config/configerror.h"
#include "config/loadbalancerconf.h"
#include "i18n/trcontexts.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QHostAddress>
#include <QTextStream>

#include <algorithm>

namespace Tribune::HAProxy {

namespace {

// HAProxy proxy, server, ACL and ring names: letters, digits, '-', '_', '.', ':'.
bool isName(const QString &name)
{
    return !name.isEmpty() && std::all_of(name.cbegin(), name.cend(), [](QChar c) {
               return (c.isLetterOrNumber() && c.unicode() < 128) || QStringView(u"-_.:").contains(c);
           });
}

// A host name usable as a map key: no spaces, ports, wildcards or characters needing escapes.
bool isHost(const QString &host)
{
    return !host.isEmpty() && std::all_of(host.cbegin(), host.cend(), [](QChar c) {
               return (c.isLetterOrNumber() && c.unicode() < 128) || QStringView(u"-_.").contains(c);
           });
}

// An absolute path that needs no quoting anywhere in the configuration, also inside "%[...]".
bool isPlainPath(const QString &path)
{
    return path.startsWith(u'/') && std::all_of(path.cbegin(), path.cend(), [](QChar c) {
               return (c.isLetterOrNumber() && c.unicode() < 128) || QStringView(u"/._-+@~=").contains(c);
           });
}

bool isPort(int port) { return port > 0 && port < 65536; }

// "127.0.0.1:9999" -> "ipv4@127.0.0.1:9999", "[::1]:9999" -> "ipv6@::1:9999"; empty when the
// address is not a loopback address with a port.
QString loopbackSocket(const QString &address)
{
    const qsizetype colon = address.lastIndexOf(u':');
    bool ok = false;
    const int port = address.mid(colon + 1).toInt(&ok);
    QString host = address.left(colon);
    const bool bracketed = host.startsWith(u'[') && host.endsWith(u']');
    if (bracketed)
        host = host.mid(1, host.size() - 2);
    const QHostAddress ip(host);
    if (colon < 0 || !ok || !isPort(port) || ip.isNull() || !ip.isLoopback())
        return {};
    if (ip.protocol() == QAbstractSocket::IPv6Protocol)
        return bracketed ? QLatin1String("ipv6@") + host + u':' + QString::number(port) : QString();
    return QLatin1String("ipv4@") + host + u':' + QString::number(port);
}

// The address part of "bind": "*" as is, an IPv6 address in brackets.
QString bindHost(const QString &address)
{
    return address.contains(u':') ? QLatin1String("[") + address + u']' : address;
}

// One group as it will be rendered.
struct Route
{
    const Config::LbSubDomainGroup *group = nullptr;
    QString backend;
    QStringList hosts; // lower-case, without duplicates
};

bool refuse(Config::ConfigError *error, const QString &file, int line, const QString &message)
{
    if (error)
        *error = Config::ConfigError{file, line, 0, message};
    return false;
}

// Checks the groups and fills routes and the hosts map (host -> index of its "*" route).
bool plan(const QList<Config::LbSubDomainGroup> &groups, const RenderOptions &options, const QString &file,
          QList<Route> *routes, QList<QPair<QString, qsizetype>> *hostsMap, Config::ConfigError *error)
{
    QHash<QString, qsizetype> byBackend;
    QHash<QString, qsizetype> byHost;
    for (const Config::LbSubDomainGroup &group : groups) {
        Route route{&group, backendName(group.domain, group.subDomain), {}};
        if (!isName(group.domain) || !(group.subDomain.isEmpty() || isName(group.subDomain)))
            return refuse(error, file, group.line,
                          HAProxyText::tr("domain '%1' with sub-domain '%2' cannot name an HAProxy "
                                          "backend: use only letters, digits, '-', '_', '.' and ':'")
                              .arg(group.domain, group.subDomain));
        if (const auto seen = byBackend.constFind(route.backend); seen != byBackend.cend())
            return refuse(error, file, group.line,
                          HAProxyText::tr("backend '%1' is already defined by line %2: the same domain "
                                          "and sub-domain are served twice; merge the two blocks")
                              .arg(route.backend)
                              .arg(routes->at(*seen).group->line));
        for (const QString &host : group.hosts) {
            const QString key = host.toLower();
            if (!isHost(key))
                return refuse(error, file, group.line,
                              HAProxyText::tr("host '%1' of domain '%2' cannot be a key of the hosts "
                                              "map: use only letters, digits, '-', '_' and '.', "
                                              "without a port")
                                  .arg(host, group.domain));
            if (!route.hosts.contains(key))
                route.hosts.append(key);
        }
        if (route.hosts.isEmpty())
            return refuse(error, file, group.line,
                          HAProxyText::tr("domain '%1' (backend '%2') has no hosts, so no request "
                                          "could reach it; add a hosts statement")
                              .arg(group.domain, route.backend));
        if (!group.tenantRange.all && options.tenantsMapPath.isEmpty())
            return refuse(error, file, group.line,
                          HAProxyText::tr("domain '%1' serves tenants %2 only, which needs a tenants "
                                          "map (tenant domain -> id); give one")
                              .arg(group.domain, group.tenantRange.toString()));
        if (group.tenantRange.all) {
            for (const QString &host : std::as_const(route.hosts)) {
                if (const auto other = byHost.constFind(host); other != byHost.cend())
                    return refuse(error, file, group.line,
                                  HAProxyText::tr("host '%1' already routes to backend '%2' (line %3) "
                                                  "for all tenants; one host cannot route to two "
                                                  "backends, so give them different hosts")
                                      .arg(host, routes->at(*other).backend)
                                      .arg(routes->at(*other).group->line));
                byHost.insert(host, routes->size());
                hostsMap->append({host, routes->size()});
            }
        }
        byBackend.insert(route.backend, routes->size());
        routes->append(route);
    }
    // A service's own hosts that nearer blocks replaced are routed, not dropped: to the service's
    // workers (where the guides send service requests), else its default sub-domain, else its
    // first group, among those serving every tenant; unless a group already routes them.
    const auto preference = [](const Route &route) {
        return route.group->subDomain == u"worker" ? 0 : route.group->subDomain.isEmpty() ? 1 : 2;
    };
    for (int wanted = 0; wanted < 3; ++wanted) {
        for (qsizetype i = 0; i < routes->size(); ++i) {
            Route &route = (*routes)[i];
            if (!route.group->tenantRange.all || preference(route) != wanted)
                continue;
            for (const QString &host : route.group->serviceHosts) {
                const QString key = host.toLower();
                if (!isHost(key) || byHost.contains(key))
                    continue;
                route.hosts.append(key);
                byHost.insert(key, i);
                hostsMap->append({key, i});
            }
        }
    }
    return true;
}

// Warnings about what renders but may surprise: unrouted hosts, overlapping ranges, unused input.
QStringList warningsFor(const QList<Route> &routes, const QList<QPair<QString, qsizetype>> &hostsMap,
                        const RenderOptions &options)
{
    QStringList warnings;
    if (options.certificateFile.isEmpty())
        warnings << HAProxyText::tr("no certificate given: there is no HTTPS listener on port %1")
                        .arg(options.httpsPort);
    bool anyRange = false;
    QStringList mapped;
    for (const auto &entry : hostsMap)
        mapped << entry.first;
    for (qsizetype i = 0; i < routes.size(); ++i) {
        const Route &route = routes.at(i);
        if (route.group->tenantRange.all)
            continue;
        anyRange = true;
        for (const QString &host : route.hosts) {
            if (!mapped.contains(host)) {
                warnings << HAProxyText::tr("host '%1' is served only for some tenants; requests for "
                                            "it without such a tenant get 503")
                                .arg(host);
                mapped << host; // once per host
            }
        }
        for (qsizetype j = 0; j < i; ++j) {
            const Route &earlier = routes.at(j);
            const bool shareHost = std::any_of(route.hosts.cbegin(), route.hosts.cend(),
                                               [&](const QString &h) { return earlier.hosts.contains(h); });
            if (shareHost && !earlier.group->tenantRange.all
                && earlier.group->tenantRange.overlaps(route.group->tenantRange))
                warnings << HAProxyText::tr("tenants %1 of backend '%2' overlap tenants %3 of backend "
                                            "'%4' on a shared host; the earlier backend gets them")
                                .arg(route.group->tenantRange.toString(), route.backend,
                                     earlier.group->tenantRange.toString(), earlier.backend);
        }
    }
    if (!anyRange && !options.tenantsMapPath.isEmpty())
        warnings << HAProxyText::tr("no domain has a tenant range; the tenants map is not used");
    for (auto it = options.servers.cbegin(); it != options.servers.cend(); ++it) {
        if (std::none_of(routes.cbegin(), routes.cend(), [&](const Route &r) { return r.backend == it.key(); }))
            warnings << HAProxyText::tr("there is no backend '%1'; its %n server(s) are left out",
                                                    nullptr, int(it.value().size()))
                            .arg(it.key());
    }
    return warnings;
}

// Routing rules shared by both frontends: tenant rules first, then the hosts map.
void writeRouting(QTextStream &s, const QList<Route> &routes, const RenderOptions &options)
{
    const bool tenants = std::any_of(routes.cbegin(), routes.cend(),
                                     [](const Route &r) { return !r.group->tenantRange.all; });
    if (tenants) {
        s << "    # tenant from \"/t/<tenant-domain>/...\", its id from the tenants map\n"
          << "    http-request set-var(txn.tenant_domain) path,field(3,/),lower if { path_beg /t/ }\n"
          << "    http-request set-var(txn.tenant_id) var(txn.tenant_domain),map_str_int("
          << options.tenantsMapPath << ") if { var(txn.tenant_domain) -m found }\n";
        for (const Route &route : routes) {
            const Config::TenantRange &range = route.group->tenantRange;
            if (range.all)
                continue;
            // Lines of an ACL add up; splitting long host lists keeps each under HAProxy's 2048 bytes.
            for (qsizetype i = 0; i < route.hosts.size();) {
                s << "    acl hosts_" << route.backend << " req.hdr(host),lower,word(1,:) -m str";
                for (qsizetype length = 0; i < route.hosts.size() && length < 1000; ++i) {
                    s << ' ' << route.hosts.at(i);
                    length += route.hosts.at(i).size() + 1;
                }
                s << '\n';
            }
            s << "    acl tenants_" << route.backend << " var(txn.tenant_id) -m int " << range.first;
            if (range.last != range.first)
                s << ':' << range.last;
            s << "\n    use_backend " << route.backend << " if hosts_" << route.backend << " tenants_"
              << route.backend << '\n';
        }
    }
    s << "    # by Host through the hosts map (a Host it lacks: 503)\n"
      << "    use_backend %[req.hdr(host),lower,word(1,:),map(" << options.hostsMapPath << ")]\n";
}

void writeConfig(QTextStream &s, const QString &file, const QList<Route> &routes, const RenderOptions &options)
{
    s << "# HAProxy configuration rendered by Tribune from " << file << "\n"
      << "# Do not edit: \"tribunectl render-haproxy\" rewrites it. The rules:\n"
      << "#  - one backend per (domain, sub-domain) named \"<domain>:<sub-domain>\" (\"<domain>:default\"\n"
      << "#    for the default sub-domain), balance roundrobin, health checks GET /health -> 200;\n"
      << "#    members join as servers through the admin socket (runtime API)\n"
      << "#  - requests route by Host (lower-case, port stripped) through " << options.hostsMapPath << "\n"
      << "#  - tenant-specific domains (tenant_range other than *) take \"/t/<tenant-domain>/...\"\n"
      << "#    requests first, the tenant id coming from the tenants map (\"<tenant-domain> <id>\" lines\n"
      << "#    exported from the user store's UM_TENANT table); the rest fall to the hosts map\n"
      << "#  - server state changes go to ring " << options.ringName << " (show events " << options.ringName
      << " -w)\n"
      << "#  - master-worker: the load balancer's agent runs \"haproxy -W -D -p haproxy.pid -f <this file>\"\n"
      << "#    (it outlives the agent); by hand, \"haproxy -W -db -f <this file>\" in the foreground\n\n"
      << "global\n"
      << "    stats socket " << options.adminSocketPath << " mode 600 level admin expose-fd listeners\n";
    if (!options.adminTcpAddress.isEmpty())
        s << "    stats socket " << loopbackSocket(options.adminTcpAddress) << " level admin\n";
    s << "    stats timeout 2m\n"
      << "    # notice and above: server state changes, not the per-request lines\n"
      << "    log ring@" << options.ringName << " local0 notice\n\n"
      << "ring " << options.ringName << "\n"
      << "    description \"Tribune: server state changes\"\n"
      << "    format timed\n    maxlen 1200\n    size 262144\n\n"
      << "defaults\n"
      << "    mode http\n    log global\n    option httplog\n    option forwardfor\n    option redispatch\n"
      // On a seamless reload the old worker answers a kept-alive connection's next request
      // (with "Connection: close") instead of dropping the connection.
      << "    option idle-close-on-response\n"
      << "    retries 2\n"
      << "    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n    timeout http-request 10s\n"
      << "    default-server check inter 1s fall 2 rise 2 weight 100\n"
      << "    option httpchk GET /health\n    http-check expect status 200\n";
    for (const Route &route : routes) {
        const Config::LbSubDomainGroup &g = *route.group;
        s << "\n# service " << g.service << ", domain " << g.domain << ", sub-domain "
          << (g.subDomain.isEmpty() ? QStringLiteral("(default)") : g.subDomain) << ", tenants "
          << g.tenantRange.toString() << ", hosts " << route.hosts.join(u' ') << " (line " << g.line << ")\n"
          << "backend " << route.backend << "\n    balance roundrobin\n";
        for (const RenderedServer &server : options.servers.value(route.backend))
            s << "    server " << server.name << ' ' << bindHost(server.address) << ':' << server.port << " weight "
              << server.weight << '\n';
    }
    s << "\nfrontend http-in\n    bind " << bindHost(options.bindAddress) << ':' << options.httpPort << '\n';
    writeRouting(s, routes, options);
    if (options.certificateFile.isEmpty()) {
        s << "\n# no HTTPS listener: no certificate was given\n";
        return;
    }
    s << "\nfrontend https-in\n    bind " << bindHost(options.bindAddress) << ':' << options.httpsPort << " ssl crt "
      << options.certificateFile << "\n    http-request set-header X-Forwarded-Proto https\n";
    writeRouting(s, routes, options);
}

} // namespace

ListenerPorts listenerPortsOf(const Config::Axis2Xml &axis2)
{
    return {axis2.receiverPort(u"http"), axis2.receiverPort(u"https")};
}

ListenerPorts listenerPortsBeside(const QString &loadBalancerConfPath)
{
    const QString axis2Path = QFileInfo(loadBalancerConfPath).dir().filePath(QStringLiteral("axis2/axis2.xml"));
    if (!QFileInfo::exists(axis2Path))
        return {};
    Config::ConfigError error;
    const std::optional<Config::Axis2Xml> axis2 = Config::Axis2Xml::load(axis2Path, &error);
    return axis2 ? listenerPortsOf(*axis2) : ListenerPorts{};
}

QString backendName(const QString &domain, const QString &subDomain)
{
    return domain + u':' + (subDomain.isEmpty() ? QStringLiteral("default") : subDomain);
}

QString checkOptions(const RenderOptions &options)
{
    const auto badPath = [](const QString &what, const QString &path) -> QString {
        return HAProxyText::tr("%1 '%2' must be an absolute path of letters, digits and / . _ - + @ ~ =")
            .arg(what, path);
    };
    if (options.adminSocketPath.isEmpty())
        return HAProxyText::tr("an admin socket path is required");
    if (!isPlainPath(options.adminSocketPath))
        return badPath(HAProxyText::tr("admin socket"), options.adminSocketPath);
    if (options.adminSocketPath.toUtf8().size() > 97) // HAProxy's limit for unix socket paths
        return HAProxyText::tr("admin socket path '%1' is longer than 97 bytes")
            .arg(options.adminSocketPath);
    if (options.hostsMapPath.isEmpty() || !isPlainPath(options.hostsMapPath))
        return badPath(HAProxyText::tr("hosts map"), options.hostsMapPath);
    if (!options.tenantsMapPath.isEmpty() && !isPlainPath(options.tenantsMapPath))
        return badPath(HAProxyText::tr("tenants map"), options.tenantsMapPath);
    if (!options.certificateFile.isEmpty() && !isPlainPath(options.certificateFile))
        return badPath(HAProxyText::tr("certificate"), options.certificateFile);
    if (!options.adminTcpAddress.isEmpty() && loopbackSocket(options.adminTcpAddress).isEmpty())
        return HAProxyText::tr("admin TCP address '%1' must be a loopback address with a port, "
                               "e.g. 127.0.0.1:9999 or [::1]:9999")
            .arg(options.adminTcpAddress);
    if (options.bindAddress != u"*" && QHostAddress(options.bindAddress).isNull())
        return HAProxyText::tr("bind address '%1' must be * or an IP address")
            .arg(options.bindAddress);
    if (!isPort(options.httpPort) || !isPort(options.httpsPort)
        || (!options.certificateFile.isEmpty() && options.httpPort == options.httpsPort))
        return HAProxyText::tr("ports %1 and %2 must be two different ports from 1 to 65535")
            .arg(options.httpPort)
            .arg(options.httpsPort);
    if (!isName(options.ringName))
        return HAProxyText::tr("ring name '%1' is not a valid HAProxy name")
            .arg(options.ringName);
    for (auto it = options.servers.cbegin(); it != options.servers.cend(); ++it) {
        QStringList names;
        for (const RenderedServer &server : it.value()) {
            const bool address = !QHostAddress(server.address).isNull() || isHost(server.address);
            if (!isName(server.name) || names.contains(server.name) || !address || !isPort(server.port)
                || server.weight < 0 || server.weight > 256)
                return HAProxyText::tr("server '%1' at %2:%3 weight %4 of backend '%5' cannot be "
                                       "rendered: check its name (unique), address, port and weight (0-256)")
                    .arg(server.name, server.address)
                    .arg(server.port)
                    .arg(server.weight)
                    .arg(it.key());
            names << server.name;
        }
    }
    return {};
}

std::optional<RenderResult> render(const Config::LoadBalancerConf &conf, const RenderOptions &options,
                                   Config::ConfigError *error)
{
    if (const QString problem = checkOptions(options); !problem.isEmpty()) {
        refuse(error, QString(), 0, problem);
        return std::nullopt;
    }
    const QString file = conf.source().fileName();
    const QList<Config::LbSubDomainGroup> groups = conf.groups();
    QList<Route> routes;
    QList<QPair<QString, qsizetype>> hostsMap;
    if (!plan(groups, options, file, &routes, &hostsMap, error))
        return std::nullopt;

    RenderResult result;
    QTextStream config(&result.config);
    writeConfig(config, file, routes, options);
    config.flush();
    QTextStream map(&result.hostsMap);
    map << "# Host -> HAProxy backend, rendered by Tribune from " << file << "\n"
        << "# Keys are lower-case host names without a port; change entries at run time with\n"
        << "# \"add map\", \"set map\" and \"del map\" on the admin socket.\n";
    for (const auto &[host, index] : std::as_const(hostsMap))
        map << host << ' ' << routes.at(index).backend << '\n';
    map.flush();
    result.warnings = warningsFor(routes, hostsMap, options);
    return result;
}

} // namespace Tribune::HAProxy
