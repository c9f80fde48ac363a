// tribune: the console. Start-up wiring only: the workspace and the live session from models/,
// the window from ui/.
#include "connectdialog.h"
#include "liveview.h"
#include "mainwindow.h"
#include "preferencesdialog.h"
#include "snapshotwindow.h"

#include "cluster/clusterworkspace.h"
#include "live/livesession.h"
#include "live/sessionkeeper.h"
#include "live/connectionprofiles.h"
#include "live/consolepreferences.h"
#include "i18n/translations.h"
#include "protocol/keyring.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QIcon>
#include <QLocale>
#include <QMessageBox>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

namespace {

// The program's own messages, in the context lupdate extracts for them.
struct ConsoleMainText
{
    Q_DECLARE_TR_FUNCTIONS(tribune)
};

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Tribune"));
    QApplication::setOrganizationName(QStringLiteral("Tribune"));
    QApplication::setApplicationVersion(QStringLiteral(TRIBUNE_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/tribune.svg")));

    // The system's language, unless Preferences chose one; Qt's own dialogs and buttons follow.
    const QLocale uiLocale = Tribune::ConsolePreferences::uiLocale(Tribune::ConsolePreferences::savedLanguage());
    QLocale::setDefault(uiLocale);
    Tribune::installTranslations(uiLocale);

    QCommandLineParser parser;
    parser.setApplicationDescription(ConsoleMainText::tr("Console for application-server clusters."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("PATH"), ConsoleMainText::tr("A cluster folder, node folders or a loadbalancer.conf to open; or *.tribune-snapshot files, each opened alone, offline."),
                                 QStringLiteral("[PATH...]"));
    const QCommandLineOption seed(QStringLiteral("seed"), ConsoleMainText::tr("A well-known member's membership port (repeatable)."),
                                  QStringLiteral("HOST:PORT"));
    const QCommandLineOption lbSocket(QStringLiteral("lb-socket"), ConsoleMainText::tr("The load balancer's admin socket; alone, without --seed, the console watches HAProxy by itself."),
                                      QStringLiteral("PATH|HOST:PORT"));
    const QCommandLineOption keyFile(QStringLiteral("key-file"), ConsoleMainText::tr("The cluster key file (mode 0600)."), QStringLiteral("FILE"));
    const QCommandLineOption role(QStringLiteral("role"), ConsoleMainText::tr("console or viewer (default: the strongest key in the file)."),
                                  QStringLiteral("ROLE"));
    const QCommandLineOption tlsCa(QStringLiteral("tls-ca"), ConsoleMainText::tr("Use TLS, trusting this certificate authority."), QStringLiteral("FILE"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        ConsoleMainText::tr("Save a picture of the window to FILE after a few seconds, then quit."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption history(QStringLiteral("history"),
                                     ConsoleMainText::tr("Where to keep history: sqlite:///path/history.sqlite or "
                                                         "mysql://user:password@host:port/database; default: a SQLite file in the data folder."),
                                     QStringLiteral("URL"));
    const QCommandLineOption noHistory(QStringLiteral("no-history"), ConsoleMainText::tr("Keep no history."));
    const QCommandLineOption hosts(QStringLiteral("hosts"),
                                   ConsoleMainText::tr("Resolve the cluster's host names with this file (/etc/hosts format) alone."),
                                   QStringLiteral("FILE"));
    parser.addOptions({seed, lbSocket, keyFile, role, tlsCa, screenshot, history, noHistory, hosts});
    parser.process(app);

    // A snapshot given as the argument opens alone, offline: no connection, no cluster folder.
    const QStringList arguments = parser.positionalArguments();
    if (!arguments.isEmpty() && std::all_of(arguments.cbegin(), arguments.cend(), [](const QString &argument) {
            return argument.endsWith(QLatin1String(".tribune-snapshot"));
        })) {
        for (const QString &path : arguments) {
            Tribune::SnapshotWindow::openFile(path, nullptr, [&parser, &screenshot](Tribune::SnapshotWindow *window) {
                if (window && parser.isSet(screenshot))
                    QTimer::singleShot(1500, window, [window, path = parser.value(screenshot)] {
                        QApplication::exit(window->grab().save(path) ? 0 : 1);
                    });
            });
        }
        return QApplication::exec();
    }

    Tribune::ConsolePreferences preferences = Tribune::ConsolePreferences::load();

    // A connection from the command line, else one chosen later in the Connect dialog. With no
    // well-known member, the load balancer's admin socket alone is the source, and needs no key.
    const auto settingsOf = [&preferences](const Tribune::ConnectionProfile &profile,
                                           QString *error) -> std::optional<Tribune::ConnectionSettings> {
        Tribune::ConnectionSettings settings;
        settings.seeds = profile.seeds;
        if (!profile.seeds.isEmpty()) {
            const std::optional<Tribune::Protocol::KeyRing> keys = Tribune::Protocol::KeyRing::load(profile.keyFile, error);
            if (!keys)
                return std::nullopt;
            settings.keys = *keys;
            settings.role = profile.role.isEmpty()
                ? keys->strongestClientRole().value_or(Tribune::Protocol::Role::Viewer)
                : Tribune::Protocol::roleFromName(profile.role).value_or(Tribune::Protocol::Role::Viewer);
        }
        settings.keyFile = profile.keyFile;
        settings.tls.caFile = profile.tlsCaFile;
        settings.loadBalancerSocket = profile.loadBalancerSocket;
        // The connection's own history, else the one in the preferences.
        settings.historyUrl = preferences.historyFor(profile);
        settings.keepHistory = settings.historyUrl != u"none";
        settings.recordFailures = preferences.recordFailures;
        settings.keptSnapshots = preferences.keptSnapshots;
        return settings;
    };
    const auto titleOf = [](const Tribune::ConnectionProfile &profile) {
        return profile.name.isEmpty() ? ConsoleMainText::tr("Cluster") : profile.name;
    };
    Tribune::SessionKeeper sessions;
    if (parser.isSet(seed) || parser.isSet(lbSocket)) {
        Tribune::ConnectionProfile profile;
        profile.seeds = parser.values(seed);
        profile.keyFile = parser.value(keyFile);
        profile.role = parser.value(role);
        profile.tlsCaFile = parser.value(tlsCa);
        profile.loadBalancerSocket = parser.value(lbSocket);
        profile.historyUrl = parser.isSet(noHistory) ? QStringLiteral("none") : parser.value(history);
        QString error;
        const std::optional<Tribune::ConnectionSettings> settings = settingsOf(profile, &error);
        if (!settings) {
            QTextStream(stderr) << "tribune: " << error << Qt::endl;
            QMessageBox::critical(nullptr, ConsoleMainText::tr("Cannot Connect"), error);
            return 2;
        }
        // Started at once: what fails shows in the status bar while it keeps trying.
        sessions.adopt(*settings, titleOf(profile));
    }

    Tribune::ClusterWorkspace workspace;
    workspace.setHostsFile(parser.value(hosts));
    Tribune::MainWindow window(&workspace);
    window.followSessions(&sessions);
    window.setNotifyFailures(preferences.notifyFailures);
    window.setChartWindowSeconds(preferences.chartWindowSeconds);
    window.show();
    if (!parser.positionalArguments().isEmpty())
        workspace.open(parser.positionalArguments());
    // A profile is kept once its connection has answered, not before.
    std::optional<Tribune::ConnectionProfile> tried;
    QObject::connect(&sessions, &Tribune::SessionKeeper::currentChanged, &window, [&tried] {
        if (tried)
            Tribune::ConnectionProfiles::remember(*std::exchange(tried, std::nullopt));
    });
    QObject::connect(&sessions, &Tribune::SessionKeeper::connectFailed, &window, [&tried] { tried.reset(); });
    QObject::connect(&window, &Tribune::MainWindow::connectRequested, &window, [&] {
        const std::optional<Tribune::ConnectionProfile> profile =
            Tribune::askForConnection(&window, Tribune::ConnectionProfiles::load(), preferences.historyUrl);
        if (!profile)
            return;
        QString error;
        const std::optional<Tribune::ConnectionSettings> settings = settingsOf(*profile, &error);
        if (!settings) {
            QMessageBox::warning(&window, ConsoleMainText::tr("Cannot Connect"), error);
            return;
        }
        tried = profile;
        sessions.connectTo(*settings, titleOf(*profile));
    });
    QObject::connect(&window, &Tribune::MainWindow::preferencesRequested, &window, [&] {
        const std::optional<Tribune::ConsolePreferences> chosen = Tribune::askForPreferences(&window, preferences);
        if (!chosen)
            return;
        // A window picked on the charts stays unless the default itself changed.
        if (chosen->chartWindowSeconds != preferences.chartWindowSeconds)
            window.setChartWindowSeconds(chosen->chartWindowSeconds);
        window.setNotifyFailures(chosen->notifyFailures);
        preferences = *chosen;
        QString error;
        if (!preferences.save(&error))
            QMessageBox::warning(&window, ConsoleMainText::tr("Cannot Keep the Password"),
                                 ConsoleMainText::tr("The preferences are saved, but the history database's password could not be "
                                                     "kept, so the next start will not have it: %1")
                                     .arg(error));
    });
    if (parser.isSet(screenshot)) {
        // Live data needs a few seconds to arrive; files are there at once.
        QTimer::singleShot(sessions.current() ? 8000 : 500, &window, [&window, path = parser.value(screenshot)] {
            QApplication::exit(window.grab().save(path) ? 0 : 1);
        });
    }
    return QApplication::exec();
}
