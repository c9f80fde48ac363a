// tribunectl: the core without a GUI, for scripts and tests.
#include "cli/agentcommands.h"
#include "cli/historycommand.h"
#include "cli/lbcommands.h"
#include "cli/trafficcommand.h"
#include "cli/renderhaproxycommand.h"
#include "cli/servicecommand.h"
#include "cli/snapshotcommand.h"
#include "cli/dbcommand.h"
#include "cli/nodecommand.h"
#include "cli/validatecommand.h"
#include "i18n/translations.h"

#include <QCoreApplication>
#include <QLocale>
#include <QTextStream>

namespace {

// The program's own messages, in the context lupdate extracts for them.
struct CtlMainText
{
    Q_DECLARE_TR_FUNCTIONS(tribunectl)
};

int usage(QTextStream &stream)
{
    stream << CtlMainText::tr("Usage: tribunectl COMMAND [OPTIONS]\n\n"
                              "Commands:\n"
                              "  validate [--json] PATH...   check a cluster's configuration files\n"
                              "  node plan --like NODE --host HOST [PATH...]   plan a new node like one\n"
                              "  db check --node-dir DIR [--create --admin-user USER]   check a node's databases\n"
                              "  watch --seed HOST:PORT      print the membership view, then every change\n"
                              "  members --seed HOST:PORT    print the membership view once\n"
                              "  health --node HOST:PORT     print a node's health\n"
                              "  config ACTION --node HOST:PORT  get, push, backups or rollback a node's files\n"
                              "  config diff DIR_A DIR_B | --node HOST:PORT --from DIR   compare nodes' files\n"
                              "  config set --seed S --key-file K --node NODE FILE:KEY=VALUE...   typed edits, validated\n"
                              "  keygen FILE                 write a fresh cluster key file\n"
                              "  render-haproxy LBCONF [-o CFG]  render loadbalancer.conf as an HAProxy config\n"
                              "  service install CARBON_HOME [--lb]  run the node's agent under systemd\n"
                              "  traffic --target HOST:PORT --host NAME  send a steady stream of requests\n"
                              "  lb status|drain|ready|maint|weight --socket PATH  the load balancer's servers\n"
                              "  history check|events|samples [--history URL]  read the console's history\n"
                              "  snapshot export -o FILE | show FILE [--json] | diff A B | report --csv DIR FILE   snapshots\n\n"
                              "Run 'tribunectl COMMAND --help' for a command's options.\n");
    return 2;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tribunectl"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TRIBUNE_VERSION));
    Tribune::installTranslations(QLocale());
    QTextStream out(stdout);
    QTextStream err(stderr);

    QStringList arguments = QCoreApplication::arguments().mid(1);
    if (arguments.isEmpty())
        return usage(err);
    const QString command = arguments.takeFirst();
    if (command == u"validate")
        return Tribune::Cli::runValidate(arguments, out, err);
    if (command == u"db")
        return Tribune::Cli::runDb(arguments, out, err);
    if (command == u"node")
        return Tribune::Cli::runNode(arguments, out, err);
    if (command == u"watch")
        return Tribune::Cli::runWatch(arguments, out, err);
    if (command == u"members")
        return Tribune::Cli::runMembers(arguments, out, err);
    if (command == u"health")
        return Tribune::Cli::runHealth(arguments, out, err);
    if (command == u"config")
        return Tribune::Cli::runConfig(arguments, out, err);
    if (command == u"lb")
        return Tribune::Cli::runLoadBalancer(arguments, out, err);
    if (command == u"history")
        return Tribune::Cli::runHistory(arguments, out, err);
    if (command == u"snapshot")
        return Tribune::Cli::runSnapshot(arguments, out, err);
    if (command == u"traffic")
        return Tribune::Cli::runTraffic(arguments, out, err);
    if (command == u"keygen")
        return Tribune::Cli::runKeygen(arguments, out, err);
    if (command == u"service")
        return Tribune::Cli::runService(arguments, out, err);
    if (command == u"render-haproxy")
        return Tribune::Cli::runRenderHaproxy(arguments, out, err);
    if (command == u"--help" || command == u"-h" || command == u"help") {
        usage(out);
        return 0;
    }
    if (command == u"--version") {
        out << QCoreApplication::applicationName() << QLatin1Char(' ') << QCoreApplication::applicationVersion()
            << Qt::endl;
        return 0;
    }
    err << CtlMainText::tr("tribunectl: unknown command \"%1\"\n\n").arg(command);
    return usage(err);
}
