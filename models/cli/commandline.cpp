#include "commandline.h"

#include <QCommandLineParser>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

namespace Tribune::Cli {

bool parseCommandLine(QCommandLineParser &parser, const QString &command, const QStringList &arguments,
                      QTextStream &out, QTextStream &err, int *exitCode)
{
    parser.addHelpOption();
    if (!parser.parse(QStringList{QStringLiteral("tribunectl ") + command} + arguments)) {
        err << parser.errorText() << Qt::endl;
        *exitCode = 2;
        return false;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        *exitCode = 0;
        return false;
    }
    return true;
}

void printJson(QTextStream &out, const QJsonObject &object)
{
    out << QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented));
}

} // namespace Tribune::Cli
