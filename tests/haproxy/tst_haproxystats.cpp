// The parsers of "show stat", "show servers state" and "show info", on replies recorded from a
// real HAProxy 2.6.12 (a backend with a server up, one down, one draining, one dynamic server
// still in maintenance, and a backend without checks) and on variations of them.
#include "haproxy/haproxystats.h"

#include <QTest>

#include <algorithm>

using namespace Tribune::HAProxy;

namespace {

// "show stat" after 27 requests, 3 of them answered 501 by worker1.
constexpr QStringView RecordedStat = uR"HAP(# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,addr,cookie,mode,algo,conn_rate,conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,reuse,cache_lookups,cache_hits,srv_icur,src_ilim,qtime_max,ctime_max,rtime_max,ttime_max,eint,idle_conn_cur,safe_conn_cur,used_conn_cur,need_conn_est,uweight,agg_server_status,agg_server_check_status,agg_check_status,-,ssl_sess,ssl_reused_sess,ssl_failed_handshake,h2_headers_rcvd,h2_data_rcvd,h2_settings_rcvd,h2_rst_stream_rcvd,h2_goaway_rcvd,h2_detected_conn_protocol_errors,h2_detected_strm_protocol_errors,h2_rst_stream_resp,h2_goaway_resp,h2_open_connections,h2_backend_open_streams,h2_total_connections,h2_backend_total_streams,h1_open_connections,h1_open_streams,h1_total_connections,h1_total_streams,h1_bytes_in,h1_bytes_out,h1_spliced_bytes_in,h1_spliced_bytes_out,
http-in,FRONTEND,,,0,1,9984,27,2307,9801,0,0,0,,,,,OPEN,,,,,,,,,1,2,0,,,,0,3,0,24,,,,0,12,0,12,3,0,,3,24,27,,,0,0,0,0,,,,,,,,,,,,,,,,,,,,,http,,3,24,27,0,0,0,0,,,0,0,,,,,,,0,,,,,,,,,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,27,27,2226,10524,0,0,
wso2.esb.domain:worker,worker1,0,0,0,1,,27,2307,9801,,0,,0,0,0,0,UP,1,1,0,1,1,7,1,,1,3,1,,27,,2,3,,24,L7OK,200,1,0,12,0,12,3,0,,,,27,0,0,,,,,0,,,0,0,1,1,,,,Layer7 check passed,,2,3,4,,,,127.0.0.1:19987,,http,,,,,,,,0,27,0,,,0,,0,0,1,2,0,0,0,0,1,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
wso2.esb.domain:worker,worker2,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN,1,1,0,1,1,7,7,,1,3,2,,0,,2,0,,0,L4CON,,0,0,0,0,0,0,0,,,,0,0,0,,,,,-1,Connection refused,,0,0,0,0,,,,Layer4 connection problem,,2,3,0,,,,127.0.0.1:19986,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,1,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
wso2.esb.domain:worker,worker3,0,0,0,0,,0,0,0,,0,,0,0,0,0,DRAIN,1,1,0,0,0,6,0,,1,3,3,,0,,2,0,,0,L7OK,200,1,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,Layer7 check passed,,2,3,4,,,,127.0.0.1:19987,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,1,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
wso2.esb.domain:worker,worker4,0,0,0,0,,0,0,0,,0,,0,0,0,0,MAINT,1,1,0,,,6,,,1,3,4,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:19985,,http,,,,,,,,0,0,0,,,0,0,0,0,0,0,0,0,0,0,0,100,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
wso2.esb.domain:worker,BACKEND,0,0,0,1,999,27,2307,9801,0,0,,0,0,0,0,UP,1,1,0,,0,8,0,,1,3,0,,27,,1,3,,24,,,,0,12,0,12,3,0,,,,27,0,0,0,0,0,0,0,,,0,0,1,1,,,,,,,,,,,,,,http,roundrobin,,,,,,,0,27,0,0,0,,,0,0,1,2,0,,,,,1,0,0,0,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,73,73,16191,2946,0,0,
wso2.esb.domain:mgt,mgt1,0,0,0,0,,0,0,0,,0,,0,0,0,0,no check,1,1,0,,,8,,,1,4,1,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:19987,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
wso2.esb.domain:mgt,BACKEND,0,0,0,0,1,0,0,0,0,0,,0,0,0,0,UP,1,1,0,,0,8,0,,1,4,0,,0,,1,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,0,0,0,0,-1,,,0,0,0,0,,,,,,,,,,,,,,http,roundrobin,,,,,,,0,0,0,0,0,,,0,0,0,0,0,,,,,1,0,0,0,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,

)HAP";

// "show servers state" of the same process.
constexpr QStringView RecordedServersState = uR"HAP(1
# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port
3 wso2.esb.domain:worker 1 worker1 127.0.0.1 2 0 1 1 7 15 3 4 6 0 0 0 - 19987 - 0 0 - - 0
3 wso2.esb.domain:worker 2 worker2 127.0.0.1 0 0 1 1 7 8 2 0 6 0 0 0 - 19986 - 0 0 - - 0
3 wso2.esb.domain:worker 3 worker3 127.0.0.1 2 8 1 1 6 15 3 4 6 0 0 0 - 19987 - 0 0 - - 0
3 wso2.esb.domain:worker 4 worker4 127.0.0.1 0 1 100 100 6 1 0 0 2 0 0 0 - 19985 - 0 0 - - 0
4 wso2.esb.domain:mgt 1 mgt1 127.0.0.1 2 0 1 1 8 1 0 2 0 0 0 0 - 19987 - 0 0 - - 0

)HAP";

// "show servers state" with a server added by name ("notanaddress:80": srv_addr stays "-",
// srv_fqdn is set), drained, and one added at "[::1]:8080" still in maintenance.
constexpr QStringView RecordedServersStateFqdn = uR"HAP(1
# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port
3 wso2.esb.domain:worker 2 w2 - 2 8 100 100 0 1 0 0 2 0 0 0 notanaddress 80 - 0 0 - - 0
3 wso2.esb.domain:worker 3 v6 ::1 0 1 100 100 1 1 0 0 0 0 0 0 - 8080 - 0 0 - - 0

)HAP";

// "show info" of the same process.
constexpr QStringView RecordedInfo = uR"HAP(Name: HAProxy
Version: 2.6.12-1+deb12u4
Release_date: 2026/10/17
Nbthread: 2
Nbproc: 1
Process_num: 1
Pid: 32695
Uptime: 0d 0h00m07s
Uptime_sec: 7
Memmax_MB: 0
PoolAlloc_MB: 0
PoolUsed_MB: 0
PoolFailed: 0
Ulimit-n: 19999
Maxsock: 19999
Maxconn: 9984
Hard_maxconn: 9984
CurrConns: 0
CumConns: 81
CumReq: 35
MaxSslConns: 0
CurrSslConns: 0
CumSslConns: 0
Maxpipes: 0
PipesUsed: 0
PipesFree: 0
ConnRate: 3
ConnRateLimit: 0
MaxConnRate: 24
SessRate: 3
SessRateLimit: 0
MaxSessRate: 24
SslRate: 0
SslRateLimit: 0
MaxSslRate: 0
SslFrontendKeyRate: 0
SslFrontendMaxKeyRate: 0
SslFrontendSessionReuse_pct: 0
SslBackendKeyRate: 0
SslBackendMaxKeyRate: 0
SslCacheLookups: 0
SslCacheMisses: 0
CompressBpsIn: 0
CompressBpsOut: 0
CompressBpsRateLim: 0
Tasks: 18
Run_queue: 0
Idle_pct: 100
node: vm
Stopping: 0
Jobs: 3
Unstoppable Jobs: 0
Listeners: 2
ActivePeers: 0
ConnectedPeers: 0
DroppedLogs: 0
BusyPolling: 0
FailedResolutions: 0
TotalBytesOut: 23132
TotalSplicdedBytesOut: 0
BytesOutRate: 5760
DebugCommandsIssued: 0
CumRecvLogs: 0
Build info: 2.6.12-1+deb12u4
Memmax_bytes: 0
PoolAlloc_bytes: 129280
PoolUsed_bytes: 129280
Start_time_sec: 1795436073
Tainted: 0

)HAP";

const StatRow *findRow(const QList<StatRow> &rows, QStringView proxy, QStringView server)
{
    for (const StatRow &row : rows) {
        if (row.proxy == proxy && row.server == server)
            return &row;
    }
    return nullptr;
}

} // namespace

class TestHaproxyStats final : public QObject
{
    Q_OBJECT

private slots:
    void statRecorded();
    void statServerStatuses();
    void statColumnsByName();
    void statRefusesOtherText_data();
    void statRefusesOtherText();
    void serversStateRecorded();
    void serversStateFqdnAndIpv6();
    void serversStateRefusesOtherText_data();
    void serversStateRefusesOtherText();
    void infoRecorded();
    void checkStatusNames();
};

void TestHaproxyStats::statRecorded()
{
    QString error;
    const std::optional<QList<StatRow>> rows = parseStat(RecordedStat, &error);
    QVERIFY2(rows, qPrintable(error));
    QCOMPARE(rows->size(), 8);

    const StatRow &frontend = rows->at(0);
    QCOMPARE(frontend.proxy, QStringLiteral("http-in"));
    QCOMPARE(frontend.server, QStringLiteral("FRONTEND"));
    QCOMPARE(frontend.type, StatRow::Type::Frontend);
    QVERIFY(!frontend.isServer());
    QCOMPARE(frontend.status, QStringLiteral("OPEN"));
    QCOMPARE(frontend.sessionLimit, 9984);
    QCOMPARE(frontend.requestRate, 3);
    QCOMPARE(frontend.totalRequests, 27);
    QCOMPARE(frontend.responses5xx, 3);
    QCOMPARE(frontend.weight, -1);            // empty for a frontend
    QCOMPARE(frontend.lastChangeSeconds, -1); // empty for a frontend

    const StatRow *worker1 = findRow(*rows, u"wso2.esb.domain:worker", u"worker1");
    QVERIFY(worker1);
    QVERIFY(worker1->isServer());
    QCOMPARE(worker1->status, QStringLiteral("UP"));
    QCOMPARE(worker1->checkStatus, QStringLiteral("L7OK"));
    QCOMPARE(worker1->checkDescription, QStringLiteral("Layer7 check passed"));
    QCOMPARE(worker1->address, QStringLiteral("127.0.0.1:19987"));
    QCOMPARE(worker1->queued, 0);
    QCOMPARE(worker1->currentSessions, 0);
    QCOMPARE(worker1->maxSessions, 1);
    QCOMPARE(worker1->sessionRate, 3);
    QCOMPARE(worker1->totalSessions, 27);
    QCOMPARE(worker1->bytesIn, 2307);
    QCOMPARE(worker1->bytesOut, 9801);
    QCOMPARE(worker1->requestRate, 0); // empty for a server
    QCOMPARE(worker1->responses5xx, 3);
    QCOMPARE(worker1->checkFailures, 1);
    QCOMPARE(worker1->downtimeSeconds, 1);
    QCOMPARE(worker1->responseTimeMs, 1);
    QCOMPARE(worker1->weight, 1);
    QCOMPARE(worker1->lastChangeSeconds, 7);

    const StatRow *backend = findRow(*rows, u"wso2.esb.domain:worker", u"BACKEND");
    QVERIFY(backend);
    QCOMPARE(backend->type, StatRow::Type::Backend);
    QCOMPARE(backend->status, QStringLiteral("UP"));
    QCOMPARE(backend->sessionLimit, 999);
    QCOMPARE(backend->totalSessions, 27);
    QCOMPARE(backend->lastChangeSeconds, 8);
}

void TestHaproxyStats::statServerStatuses()
{
    QString error;
    const QList<StatRow> rows = parseStat(RecordedStat, &error).value();
    const auto statusOf = [&rows](QStringView proxy, QStringView server) {
        const StatRow *row = findRow(rows, proxy, server);
        return row ? row->status + u'/' + row->checkStatus : QStringLiteral("(missing)");
    };
    QCOMPARE(statusOf(u"wso2.esb.domain:worker", u"worker2"), QStringLiteral("DOWN/L4CON"));
    QCOMPARE(statusOf(u"wso2.esb.domain:worker", u"worker3"), QStringLiteral("DRAIN/L7OK"));
    QCOMPARE(statusOf(u"wso2.esb.domain:worker", u"worker4"), QStringLiteral("MAINT/"));
    QCOMPARE(statusOf(u"wso2.esb.domain:mgt", u"mgt1"), QStringLiteral("no check/"));
    QCOMPARE(findRow(rows, u"wso2.esb.domain:worker", u"worker2")->checkDescription,
             QStringLiteral("Layer4 connection problem"));
    QCOMPARE(std::count_if(rows.cbegin(), rows.cend(), [](const StatRow &row) { return row.isServer(); }),
             5);
}

// A newer HAProxy may add or move columns: fields follow the header's names; CRLF line ends are
// read; a short line leaves its missing fields at their defaults.
void TestHaproxyStats::statColumnsByName()
{
    QString error;
    const QStringView text = u"# svname,future_column,scur,pxname,type,status,weight,\r\n"
                             u"web1,zzz,12,be:one,2,UP,100,\r\n"
                             u"web2,zzz,3,be:one\r\n"
                             u"\r\n";
    const std::optional<QList<StatRow>> rows = parseStat(text, &error);
    QVERIFY2(rows, qPrintable(error));
    QCOMPARE(rows->size(), 2);
    QCOMPARE(rows->at(0).proxy, QStringLiteral("be:one"));
    QCOMPARE(rows->at(0).server, QStringLiteral("web1"));
    QCOMPARE(rows->at(0).currentSessions, 12);
    QCOMPARE(rows->at(0).type, StatRow::Type::Server);
    QCOMPARE(rows->at(0).status, QStringLiteral("UP"));
    QCOMPARE(rows->at(0).weight, 100);
    QCOMPARE(rows->at(1).server, QStringLiteral("web2"));
    QCOMPARE(rows->at(1).proxy, QStringLiteral("be:one"));
    QCOMPARE(rows->at(1).currentSessions, 3);
    QCOMPARE(rows->at(1).status, QString());
    QCOMPARE(rows->at(1).weight, -1);

    const std::optional<QList<StatRow>> none = parseStat(u"# pxname,svname\n", &error);
    QVERIFY2(none && none->isEmpty(), qPrintable(error));
}

void TestHaproxyStats::statRefusesOtherText_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("permission denied") << QStringLiteral("Permission denied\n\n");
    QTest::newRow("unknown command")
        << QStringLiteral("Unknown command, but maybe one of the following ones is a better match:\n"
                          "  clear acl [@<ver>] <acl>                : clear the contents of this acl\n");
    QTest::newRow("servers state") << RecordedServersState.toString();
    QTest::newRow("no svname") << QStringLiteral("# pxname,scur\nfe,1\n");
}

void TestHaproxyStats::statRefusesOtherText()
{
    QFETCH(QString, text);
    QString error;
    QVERIFY(!parseStat(text, &error));
    QVERIFY2(error.contains(QLatin1String("show stat")), qPrintable(error));
}

void TestHaproxyStats::serversStateRecorded()
{
    QString error;
    const std::optional<QList<ServerState>> states = parseServersState(RecordedServersState, &error);
    QVERIFY2(states, qPrintable(error));
    QCOMPARE(states->size(), 5);

    const ServerState &worker1 = states->at(0);
    QCOMPARE(worker1.backendId, 3);
    QCOMPARE(worker1.backend, QStringLiteral("wso2.esb.domain:worker"));
    QCOMPARE(worker1.serverId, 1);
    QCOMPARE(worker1.server, QStringLiteral("worker1"));
    QCOMPARE(worker1.address, QStringLiteral("127.0.0.1"));
    QCOMPARE(worker1.port, 19987);
    QCOMPARE(worker1.operationalState, 2);
    QCOMPARE(worker1.adminState, 0);
    QCOMPARE(worker1.weight, 1);
    QCOMPARE(worker1.initialWeight, 1);
    QCOMPARE(worker1.checkStatusCode, 15);
    QCOMPARE(worker1.checkStatus, QStringLiteral("L7OK"));
    QVERIFY(worker1.checksEnabled());
    QCOMPARE(worker1.fqdn, QString());
    QCOMPARE(worker1.state(), QStringLiteral("UP"));

    QCOMPARE(states->at(1).checkStatus, QStringLiteral("L4CON"));
    QCOMPARE(states->at(1).state(), QStringLiteral("DOWN"));
    QCOMPARE(states->at(2).state(), QStringLiteral("DRAIN"));
    QVERIFY(states->at(2).isDraining());
    const ServerState &worker4 = states->at(3);
    QCOMPARE(worker4.state(), QStringLiteral("MAINT"));
    QVERIFY(worker4.isMaintenance());
    QCOMPARE(worker4.weight, 100);
    QCOMPARE(worker4.port, 19985);
    QVERIFY(!worker4.checksEnabled()); // configured, not yet enabled ("enable health")
    QCOMPARE(states->at(4).backend, QStringLiteral("wso2.esb.domain:mgt"));
    QCOMPARE(states->at(4).state(), QStringLiteral("no check"));
}

void TestHaproxyStats::serversStateFqdnAndIpv6()
{
    QString error;
    const std::optional<QList<ServerState>> states = parseServersState(RecordedServersStateFqdn, &error);
    QVERIFY2(states, qPrintable(error));
    QCOMPARE(states->size(), 2);
    QCOMPARE(states->at(0).address, QStringLiteral("-"));
    QCOMPARE(states->at(0).fqdn, QStringLiteral("notanaddress"));
    QCOMPARE(states->at(0).port, 80);
    QCOMPARE(states->at(0).state(), QStringLiteral("DRAIN"));
    QCOMPARE(states->at(1).address, QStringLiteral("::1"));
    QCOMPARE(states->at(1).port, 8080);
    QCOMPARE(states->at(1).state(), QStringLiteral("MAINT"));
}

void TestHaproxyStats::serversStateRefusesOtherText_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("unknown backend") << QStringLiteral("Can't find backend.\n\n");
    QTest::newRow("other version") << QStringLiteral("2\n# be_id be_name srv_id srv_name\n");
    QTest::newRow("no header") << QStringLiteral("1\n3 be 1 srv\n");
    QTest::newRow("show stat") << RecordedStat.toString();
}

void TestHaproxyStats::serversStateRefusesOtherText()
{
    QFETCH(QString, text);
    QString error;
    QVERIFY(!parseServersState(text, &error));
    QVERIFY2(error.contains(QLatin1String("show servers state")), qPrintable(error));
}

void TestHaproxyStats::infoRecorded()
{
    const QMap<QString, QString> info = parseInfo(RecordedInfo);
    QCOMPARE(info.value(QStringLiteral("Name")), QStringLiteral("HAProxy"));
    QCOMPARE(info.value(QStringLiteral("Version")), QStringLiteral("2.6.12-1+deb12u4"));
    QCOMPARE(info.value(QStringLiteral("Uptime")), QStringLiteral("0d 0h00m07s"));
    QCOMPARE(info.value(QStringLiteral("Unstoppable Jobs")), QStringLiteral("0"));
    QCOMPARE(info.value(QStringLiteral("Build info")), QStringLiteral("2.6.12-1+deb12u4"));
    QCOMPARE(info.value(QStringLiteral("CumReq")), QStringLiteral("35"));
    QCOMPARE(info.size(), 69); // every line but the closing empty one
    QVERIFY(parseInfo(u"Permission denied\n").isEmpty());
}

void TestHaproxyStats::checkStatusNames()
{
    QCOMPARE(checkStatusName(0), QStringLiteral("UNK"));
    QCOMPARE(checkStatusName(1), QStringLiteral("INI"));
    QCOMPARE(checkStatusName(8), QStringLiteral("L4CON"));
    QCOMPARE(checkStatusName(15), QStringLiteral("L7OK"));
    QCOMPARE(checkStatusName(17), QStringLiteral("L7STS"));
    QCOMPARE(checkStatusName(99), QString());
    QCOMPARE(checkStatusName(-1), QString());
}

QTEST_GUILESS_MAIN(TestHaproxyStats)
#include "tst_haproxystats.moc"
