// replyError() and escapeArgument() on replies recorded from a real HAProxy 2.6.12: refusals of
// every kind, silent successes, sentences of success, and data that holds words of refusal.
#include "haproxy/runtimereply.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Tribune::HAProxy;

class TestRuntimeReply final : public QObject
{
    Q_OBJECT

private slots:
    void recordedReplies_data();
    void recordedReplies();
    void silentCommandAnswered();
    void escapesArguments();
};

// Replies recorded from HAProxy 2.6.12, with the error replyError() must find (empty: success).
void TestRuntimeReply::recordedReplies_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");
    const auto row = [](const char *name, const char *command, const char *text, const char *error) {
        QTest::newRow(name) << QString::fromUtf8(command) << QString::fromUtf8(text)
                            << QString::fromUtf8(error);
    };
    row("show info", "show info", "Name: HAProxy\nVersion: 2.6.12-1+deb12u4\n\n", "");
    row("unknown command", "foo bar",
        "Unknown command, but maybe one of the following ones is a better match:\n"
        "  clear acl [@<ver>] <acl>                : clear the contents of this acl\n"
        "  quit                                    : disconnect\n\n",
        "Unknown command, but maybe one of the following ones is a better match:");
    row("no such backend", "set server nob/x state ready", "No such backend.\n\n", "No such backend.");
    row("no such server", "set server b/nosuch state ready", "No such server.\n\n", "No such server.");
    row("state drain", "set server b/s1 state drain", "\n", "");
    row("bad state", "set server b/s1 state bogus",
        "'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n\n",
        "'set server <srv> state' expects 'ready', 'drain' and 'maint'.");
    row("weight 50", "set server b/s1 weight 50", "\n", "");
    row("weight 300", "set server b/s1 weight 300",
        "Absolute weight can only be between 0 and 256 inclusive.\n\n",
        "Absolute weight can only be between 0 and 256 inclusive.");
    row("weight abc", "set server b/s1 weight abc", "Empty weight string empty or preceded by garbage",
        "Empty weight string empty or preceded by garbage");
    row("weight operator", "set server b/s1 weight 5", "Permission denied\n\n", "Permission denied");
    row("add server", "add server b/w1 127.0.0.1:19996 check weight 100", "New server registered.\n\n", "");
    row("add server twice", "add server b/w1 127.0.0.1:19996 check weight 100",
        "Already exists a server with the same name in backend.\n\n",
        "Already exists a server with the same name in backend.");
    row("add server bad port", "add server b/w2 127.0.0.1:abc",
        "invalid character 'a' in port number 'abc' in '127.0.0.1:abc'\n\n\n",
        "invalid character 'a' in port number 'abc' in '127.0.0.1:abc'");
    row("add server bad keyword", "add server b/w2 127.0.0.1:80 bogusopt", "unknown keyword 'bogusopt'.\n\n",
        "unknown keyword 'bogusopt'.");
    row("add server bad weight", "add server b/w3 127.0.0.1:80 weight 1000",
        "weight of server w3 is not within 0 and 256 (1000)..\n\n", "weight of server w3 is not within 0 and 256 (1000)..");
    row("add server no backend", "add server nob/w1 127.0.0.1:1", "No such backend.\n", "No such backend.");
    row("add server operator", "add server b/w9 127.0.0.1:1", "Permission denied\n\n", "Permission denied");
    row("del server not maint", "del server b/w1", "Only servers in maintenance mode can be deleted.\n",
        "Only servers in maintenance mode can be deleted.");
    row("del server", "del server b/w1", "Server deleted.\n", "");
    row("del server gone", "del server b/w1", "No such server.\n", "No such server.");
    row("enable health", "enable health b/w1", "\n", "");
    row("enable health no server", "enable health b", "Require 'backend/server'.\n\n",
        "Require 'backend/server'.");
    row("enable agent", "enable agent b/s1", "Agent was not configured on this server, cannot enable.\n\n",
        "Agent was not configured on this server, cannot enable.");
    row("agent up", "set server b/s1 agent up", "agent checks are not enabled on this server.\n\n",
        "agent checks are not enabled on this server.");
    row("shutdown sessions", "shutdown sessions server b/w1", "\n", "");
    row("shutdown frontend", "shutdown frontend nosuch", "No such frontend.\n\n", "No such frontend.");
    row("add map", "add map /tmp/hosts.map a.com b", "\n", "");
    row("add map no map", "add map /tmp/nomap x y", "Unknown map identifier. Please use #<id> or <file>.\n\n",
        "Unknown map identifier. Please use #<id> or <file>.");
    row("add map no value", "add map /tmp/hosts.map",
        "'add map' expects three parameters (map identifier, key and value) or one parameter (map identifier) and a payload\n\n",
        "'add map' expects three parameters (map identifier, key and value) or one parameter (map identifier) and a payload");
    row("set map missing", "set map /tmp/hosts.map zz.com c", "entry not found.\n\n", "entry not found.");
    row("del map missing", "del map /tmp/hosts.map a.com", "Key not found.\n\n", "Key not found.");
    row("del map no key", "del map /tmp/hosts.map",
        "This command expects two parameters: map identifier and key.\n\n",
        "This command expects two parameters: map identifier and key.");
    row("del acl missing", "del acl /tmp/a.acl /foo", "Key not found.\n\n", "Key not found.");
    row("show map", "show map /tmp/hosts.map",
        "0x55a02087a000 example.com wso2.esb.domain:worker\n0x55a020a4e520 unknown.example.com cannot.be:found\n\n", "");
    row("show map no map", "show map /tmp/nomap", "Unknown map identifier. Please use #<id> or <file>.\n\n",
        "Unknown map identifier. Please use #<id> or <file>.");
    row("show servers state no backend", "show servers state nob", "Can't find backend.\n\n",
        "Can't find backend.");
    row("show stat", "show stat",
        "# pxname,svname,status,check_desc\nb,s1,DOWN,Connection refused\nb,BACKEND,DOWN,\n\n", "");
    row("show table", "show table", "\n", "");
    row("show sess", "show sess 0x1", "Session not found.\n\n", "Session not found.");
    row("show events", "show events foo", "No such event sink", "No such event sink");
    row("get weight", "get weight b/s1", "1 (initial 1)\n\n", "");
    row("get weight no server", "get weight b/zz", "No such server.\n\n", "No such server.");
    row("set addr", "set server b/s1 addr 1.2.3.4 port 99999",
        "IP changed from '127.0.0.1' to '1.2.3.4', port changed from '19997' to '34463' by 'stats socket command'\n\n", "");
    row("set addr same", "set server b/s1 addr 127.0.0.1",
        "no need to change the addr by 'stats socket command'\n\n", "");
    row("set server usage", "set server b/s1",
        "usage: set server <backend>/<server> addr | agent | agent-addr | agent-port | agent-send | check-addr | "
        "check-port | fqdn | health | ssl | state | weight\n\n",
        "usage: set server <backend>/<server> addr | agent | agent-addr | agent-port | agent-send | check-addr | "
        "check-port | fqdn | health | ssl | state | weight");
}

void TestRuntimeReply::recordedReplies()
{
    QFETCH(QString, command);
    QFETCH(QString, text);
    QFETCH(QString, error);
    QCOMPARE(replyError(command, text), error);
}

// A command that succeeds silently fails on any text, even text no rule knows; a command whose
// success is a sentence fails without it.
void TestRuntimeReply::silentCommandAnswered()
{
    QCOMPARE(replyError(u"set server b/s1 state ready"_s, u"\n"_s), QString());
    QCOMPARE(replyError(u"set server b/s1 state ready"_s, u"Something new happened.\n"_s),
             u"Something new happened."_s);
    QCOMPARE(replyError(u"add map /tmp/x.map k v"_s, u"\n\nOut of memory.\n"_s),
             u"Out of memory."_s);
    QVERIFY(replyError(u"del server b/w1"_s, QString()).contains(QLatin1String("del server b/w1")));
    QCOMPARE(replyError(u"add server b/w1 10.0.0.1:80"_s, u"Something new.\n"_s),
             u"Something new."_s);
    // Case and spacing of the command do not change its kind.
    QCOMPARE(replyError(u"  SET   server b/s1 weight 5"_s, u"odd\n"_s), u"odd"_s);
}

void TestRuntimeReply::escapesArguments()
{
    QCOMPARE(escapeArgument(u"a b;c\\d"_s), u"a\\ b\\;c\\\\d"_s);
    QCOMPARE(escapeArgument(u"plain.example.com"_s), u"plain.example.com"_s);
}

QTEST_GUILESS_MAIN(TestRuntimeReply)
#include "tst_runtimereply.moc"
