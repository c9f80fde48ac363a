// tribune: the console. Start-up wiring only: the workspace and the live session from models/,
// the window from ui/.
#include "liveview.h"
#include "mainwindow.h"

#include "cluster/clusterworkspace.h"
#include "live/livesession.h"
#include "live/loadbalancerlink.h"
#include "protocol/keyring.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QLocale>
#include <QMessageBox>
#include <QTextStream>
#include <QTimer>
#include <QTranslator>

#include <memory>

namespace {

QString tr(const char *text)
{
    return QApplication::translate("tribune", text);
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Tribune"));
    QApplication::setOrganizationName(QStringLiteral("Tribune"));
    QApplication::setApplicationVersion(QStringLiteral(TRIBUNE_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/tribune.svg")));

    QTranslator translator;
    if (translator.load(QLocale(), QStringLiteral("tribune"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&translator);

    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Console for application-server clusters."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("PATH"), tr("A cluster folder, node folders or a loadbalancer.conf to open."),
                                 QStringLiteral("[PATH...]"));
    const QCommandLineOption seed(QStringLiteral("seed"), tr("A well-known member's membership port (repeatable)."),
                                  QStringLiteral("HOST:PORT"));
    const QCommandLineOption lbSocket(QStringLiteral("lb-socket"), tr("The load balancer's admin socket."),
                                      QStringLiteral("PATH|HOST:PORT"));
    const QCommandLineOption keyFile(QStringLiteral("key-file"), tr("The cluster key file (mode 0600)."), QStringLiteral("FILE"));
    const QCommandLineOption role(QStringLiteral("role"), tr("console or viewer (default: the strongest key in the file)."),
                                  QStringLiteral("ROLE"));
    const QCommandLineOption tlsCa(QStringLiteral("tls-ca"), tr("Use TLS, trusting this certificate authority."), QStringLiteral("FILE"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        tr("Save a picture of the window to FILE after a few seconds, then quit."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption history(QStringLiteral("history"),
                                     tr("Where to keep history: sqlite:///path/history.sqlite or "
                                        "mysql://user:password@host:port/database; default: a SQLite file in the data folder."),
                                     QStringLiteral("URL"));
    const QCommandLineOption noHistory(QStringLiteral("no-history"), tr("Keep no history."));
    parser.addOptions({seed, lbSocket, keyFile, role, tlsCa, screenshot, history, noHistory});
    parser.process(app);

    std::unique_ptr<Tribune::LiveSession> session;
    if (parser.isSet(seed)) {
        QString error;
        const std::optional<Tribune::Protocol::KeyRing> keys = Tribune::Protocol::KeyRing::load(parser.value(keyFile), &error);
        if (!keys) {
            QTextStream(stderr) << "tribune: " << error << Qt::endl;
            QMessageBox::critical(nullptr, tr("Cannot Connect"), error);
            return 2;
        }
        Tribune::ConnectionSettings settings;
        settings.seeds = parser.values(seed);
        settings.keys = *keys;
        settings.role = parser.isSet(role) ? Tribune::Protocol::roleFromName(parser.value(role)).value_or(Tribune::Protocol::Role::Viewer)
                                           : keys->strongestClientRole().value_or(Tribune::Protocol::Role::Viewer);
        settings.tls.caFile = parser.value(tlsCa);
        settings.loadBalancerSocket = parser.value(lbSocket);
        settings.historyUrl = parser.value(history);
        settings.keepHistory = !parser.isSet(noHistory);
        session = std::make_unique<Tribune::LiveSession>(settings, tr("Cluster"));
    }

    Tribune::MemberActions actions;
    if (session) {
        actions.allowed = session->canChangeMembers(&actions.notAllowedReason);
        Tribune::LoadBalancerLink *balancer = session->loadBalancer();
        actions.setState = [balancer](const QStringList &members, Tribune::MemberActions::State state) {
            balancer->setState(members, state == Tribune::MemberActions::State::Drain ? Tribune::LoadBalancerLink::Action::Drain
                                        : state == Tribune::MemberActions::State::Maintenance
                                            ? Tribune::LoadBalancerLink::Action::Maintenance
                                            : Tribune::LoadBalancerLink::Action::Ready);
        };
        actions.setWeight = [balancer](const QStringList &members, int weight) { balancer->setWeight(members, weight); };
    }

    Tribune::ClusterWorkspace workspace;
    Tribune::MainWindow window(&workspace, session.get(), actions);
    window.show();
    if (!parser.positionalArguments().isEmpty())
        workspace.open(parser.positionalArguments());
    if (session)
        session->start();
    if (parser.isSet(screenshot)) {
        // Live data needs a few seconds to arrive; files are there at once.
        QTimer::singleShot(session ? 8000 : 500, &window, [&window, path = parser.value(screenshot)] {
            QApplication::exit(window.grab().save(path) ? 0 : 1);
        });
    }
    return QApplication::exec();
}
