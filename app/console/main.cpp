// tribune: the console. Start-up wiring only: the workspace from models/, the window from ui/.
#include "mainwindow.h"

#include "cluster/clusterworkspace.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QLocale>
#include <QTimer>
#include <QTranslator>

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
    parser.setApplicationDescription(QApplication::translate("tribune", "Console for application-server clusters."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("PATH"),
                                 QApplication::translate("tribune", "A cluster folder, node folders or a loadbalancer.conf to open."),
                                 QStringLiteral("[PATH...]"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QApplication::translate("tribune", "Save a picture of the window to FILE once the cluster is open, then quit."),
        QStringLiteral("FILE"));
    parser.addOption(screenshot);
    parser.process(app);

    Tribune::ClusterWorkspace workspace;
    Tribune::MainWindow window(&workspace);
    window.show();
    if (!parser.positionalArguments().isEmpty())
        workspace.open(parser.positionalArguments());
    if (parser.isSet(screenshot)) {
        // Give the window one turn of the event loop to lay itself out before the picture.
        QTimer::singleShot(500, &window, [&window, path = parser.value(screenshot)] {
            const bool saved = window.grab().save(path);
            QApplication::exit(saved ? 0 : 1);
        });
    }
    return QApplication::exec();
}
