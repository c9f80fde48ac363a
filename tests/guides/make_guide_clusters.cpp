// Writes the guides' clusters into a folder, one sub-folder per guide and stage, for a person to
// look at or to validate by hand: make_guide_clusters OUT
#include "guideclusters.h"

#include <QCoreApplication>
#include <QDir>
#include <QTextStream>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTextStream err(stderr);
    const QStringList arguments = app.arguments();
    if (arguments.size() != 2) {
        err << "usage: make_guide_clusters OUT\n";
        return 2;
    }
    using Tribune::Guides::Stage;
    const QDir out(arguments.at(1));
    const std::pair<const char *, Stage> stages[] = {
        {"as-written", Stage::AsWritten}, {"escaped", Stage::Escaped}, {"corrected", Stage::Corrected}};
    for (const auto &[name, stage] : stages) {
        QString error;
        if (stage != Stage::Escaped
            && !Tribune::Guides::buildEsbCluster(out.filePath(QStringLiteral("esb-") + QLatin1String(name)), stage, &error)) {
            err << error << '\n';
            return 1;
        }
        if (!Tribune::Guides::buildGovernanceCluster(out.filePath(QStringLiteral("governance-") + QLatin1String(name)),
                                                     stage, &error)) {
            err << error << '\n';
            return 1;
        }
    }
    return 0;
}
