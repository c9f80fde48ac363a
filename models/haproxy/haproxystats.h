#pragma once

#include <QList>
#include <QMap>
#include <QString>

#include <optional>

// Parsers for the replies of HAProxy 2.6's runtime API that the console reads: "show stat",
// "show servers state" and "show info". Pure functions, no I/O; columns are found by the names
// in each reply's header line, so a newer HAProxy that adds or moves columns still parses.
namespace Tribune::HAProxy {

// One line of "show stat": a frontend, a backend or a server, with the figures the console shows.
// Counters HAProxy leaves empty (e.g. bytes of nothing yet, rates of a server) read as 0.
struct StatRow
{
    enum class Type { Frontend = 0, Backend = 1, Server = 2, Listener = 3 }; // the "type" column

    QString proxy;            // pxname: the frontend's or backend's name
    QString server;           // svname: "FRONTEND", "BACKEND" or the server's name
    Type type = Type::Frontend;
    QString status;           // "UP", "DOWN", "MAINT", "DRAIN", "no check", "OPEN", "UP 1/2", ...
    QString checkStatus;      // check_status: "L7OK", "L4CON", ...; empty without health checks
    QString checkDescription; // check_desc: "Layer4 connection problem", ...
    QString address;          // addr: a server's "ip:port"
    qint64 queued = 0;            // qcur: requests waiting for a connection slot
    qint64 currentSessions = 0;   // scur
    qint64 maxSessions = 0;       // smax: highest scur seen
    qint64 sessionLimit = 0;      // slim: maxconn, 0 for none
    qint64 sessionRate = 0;       // rate: sessions in the last second
    qint64 totalSessions = 0;     // stot
    qint64 bytesIn = 0;           // bin
    qint64 bytesOut = 0;          // bout
    qint64 requestRate = 0;       // req_rate: HTTP requests in the last second (frontends)
    qint64 totalRequests = 0;     // req_tot
    qint64 responses5xx = 0;      // hrsp_5xx
    qint64 connectionErrors = 0;  // econ
    qint64 responseErrors = 0;    // eresp
    qint64 checkFailures = 0;     // chkfail
    qint64 downtimeSeconds = 0;   // downtime
    qint64 responseTimeMs = 0;    // rtime: average over the last 1024 requests
    int weight = -1;              // effective weight; -1 where HAProxy leaves it empty (frontends)
    int lastChangeSeconds = -1;   // lastchg: seconds since the last UP/DOWN; -1 when empty

    bool isServer() const { return type == Type::Server; }
};

// One server line of "show servers state" (format version 1).
struct ServerState
{
    int backendId = 0;                  // be_id
    QString backend;                    // be_name
    int serverId = 0;                   // srv_id
    QString server;                     // srv_name
    QString address;                    // srv_addr: "-" until a name resolves
    QString fqdn;                       // srv_fqdn, empty for "-"
    int port = 0;                       // srv_port
    int operationalState = 0;           // srv_op_state: 0 stopped, 1 starting, 2 running, 3 stopping
    int adminState = 0;                 // srv_admin_state: flags, 0x23 maint, 0x18 drain
    int weight = 0;                     // srv_uweight: the current weight
    int initialWeight = 0;              // srv_iweight: the weight it was added or configured with
    qint64 secondsSinceLastChange = 0;  // srv_time_since_last_change
    int checkStatusCode = 0;            // srv_check_status: HAProxy's HCHK_STATUS_* number
    int checkState = 0;                 // srv_check_state: flags, 0x04 = checks enabled
    QString checkStatus;                // that number as "show stat" names it: "L7OK", "L4CON", ...

    bool isMaintenance() const { return adminState & 0x23; } // forced, inherited or DNS
    bool isDraining() const { return adminState & 0x18; }     // forced or inherited
    bool checksEnabled() const { return checkState & 0x04; }
    // Readable, in "show stat"'s words: "MAINT", "DRAIN", "no check" (up, not checked), "UP",
    // "DOWN" or "NOLB" (up but refusing new sessions).
    QString state() const;
};

// "show stat" CSV: the "# pxname,svname,..." header, then one line per proxy and server. Returns
// nullopt with *error (translated) when the first line is no header naming pxname and svname.
std::optional<QList<StatRow>> parseStat(QStringView text, QString *error);

// "show servers state": the version line "1", the "# be_id be_name ..." header, then one line per
// server. Returns nullopt with *error (translated) for another version, or no header naming
// be_name and srv_name.
std::optional<QList<ServerState>> parseServersState(QStringView text, QString *error);

// "show info": "Name: value" per line, in a map by name; lines without ": " are skipped.
QMap<QString, QString> parseInfo(QStringView text);

// The name "show stat" gives a check status number of "show servers state" ("L4CON" for 8), or
// an empty string for numbers it does not know.
QString checkStatusName(int code);

} // namespace Tribune::HAProxy
