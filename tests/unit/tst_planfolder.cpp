// A plan written to a folder or a .tar.gz and read back byte for byte; what is not part of a
// plan in an archive (paths that climb out, other files) is left out; limits hold.
#include "planner/planfolder.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using Tribune::Planner::PlanFolder;

namespace {

PlanFolder samplePlan()
{
    PlanFolder plan;
    plan.document = {{QStringLiteral("node"), QStringLiteral("esb-worker9")}, {QStringLiteral("offset"), 3}};
    plan.nodes[QStringLiteral("esb-worker9")].insert(QStringLiteral("axis2/axis2.xml"), QByteArray("<axisconfig/>\n"));
    plan.nodes[QStringLiteral("esb-worker9")].insert(QStringLiteral("carbon.xml"), QByteArray("<Server>\xc3\xa9</Server>\n"));
    plan.nodes[QStringLiteral("lb")].insert(QStringLiteral("loadbalancer.conf"), QByteArray("services {}\n"));
    return plan;
}

} // namespace

class TestPlanFolder : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip_data();
    void roundTrip();
    void archiveKeepsToThePlan();
    void notAPlan();
};

void TestPlanFolder::roundTrip_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("folder") << QStringLiteral("plan");
    QTest::newRow("tar.gz") << QStringLiteral("plan.tar.gz");
    QTest::newRow("tgz") << QStringLiteral("plan.tgz");
}

void TestPlanFolder::roundTrip()
{
    QFETCH(QString, name);
    const QTemporaryDir dir;
    const QString path = dir.filePath(name);
    const PlanFolder plan = samplePlan();
    QString error;
    QVERIFY2(plan.write(path, &error), qPrintable(error));
    const std::optional<PlanFolder> read = PlanFolder::read(path, &error);
    QVERIFY2(read, qPrintable(error));
    QCOMPARE(read->document, plan.document);
    QCOMPARE(read->nodes, plan.nodes);
    if (PlanFolder::isArchivePath(path)) {
        // What tar sees: the same layout as the folder.
        QProcess tar;
        tar.start(QStringLiteral("tar"), {QStringLiteral("-tzf"), path});
        QVERIFY(tar.waitForFinished(5000));
        const QByteArray listing = tar.readAllStandardOutput();
        QVERIFY2(listing.contains("esb-worker9/repository/conf/axis2/axis2.xml\n") && listing.contains("plan.json\n"),
                 listing.constData());
    }
}

void TestPlanFolder::archiveKeepsToThePlan()
{
    // An archive made by hand: a path that climbs out and a stray file are not part of the plan.
    const QTemporaryDir dir;
    const QDir root(dir.path());
    QVERIFY(root.mkpath(QStringLiteral("src/esb-worker9/repository/conf")));
    const auto write = [&](const QString &path, const QByteArray &bytes) {
        QFile file(root.filePath(path));
        return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
    };
    QVERIFY(write(QStringLiteral("src/plan.json"), "{\"node\":\"esb-worker9\"}"));
    QVERIFY(write(QStringLiteral("src/esb-worker9/repository/conf/carbon.xml"), "<Server/>"));
    QVERIFY(write(QStringLiteral("src/README"), "notes"));
    QVERIFY(write(QStringLiteral("evil"), "outside"));
    QProcess tar;
    tar.setWorkingDirectory(root.filePath(QStringLiteral("src")));
    tar.start(QStringLiteral("tar"), {QStringLiteral("-czf"), root.filePath(QStringLiteral("hand.tar.gz")), QStringLiteral("plan.json"),
                                      QStringLiteral("esb-worker9"), QStringLiteral("README"), QStringLiteral("../evil")});
    QVERIFY(tar.waitForFinished(5000));
    QString error;
    const std::optional<PlanFolder> read = PlanFolder::read(root.filePath(QStringLiteral("hand.tar.gz")), &error);
    QVERIFY2(read, qPrintable(error));
    QCOMPARE(read->nodes.keys(), QStringList{QStringLiteral("esb-worker9")});
    QCOMPARE(read->nodes.value(QStringLiteral("esb-worker9")).keys(), QStringList{QStringLiteral("carbon.xml")});
}

void TestPlanFolder::notAPlan()
{
    const QTemporaryDir dir;
    QString error;
    QVERIFY(!PlanFolder::read(dir.path(), &error));
    QVERIFY2(error.contains(QLatin1String("plan.json")), qPrintable(error));
    QFile damaged(dir.filePath(QStringLiteral("damaged.tar.gz")));
    QVERIFY(damaged.open(QIODevice::WriteOnly) && damaged.write("\x1f\x8b not really gzip") > 0);
    damaged.close();
    QVERIFY(!PlanFolder::read(damaged.fileName(), &error));
    QVERIFY2(error.contains(QLatin1String("damaged.tar.gz")), qPrintable(error));
    // The plan's folder archived with its name: said how to archive it instead.
    QString writeError;
    QVERIFY2(samplePlan().write(dir.filePath(QStringLiteral("plan")), &writeError), qPrintable(writeError));
    QProcess tar;
    tar.setWorkingDirectory(dir.path());
    tar.start(QStringLiteral("tar"), {QStringLiteral("-czf"), QStringLiteral("wrapped.tar.gz"), QStringLiteral("plan")});
    QVERIFY(tar.waitForFinished(5000));
    QVERIFY(!PlanFolder::read(dir.filePath(QStringLiteral("wrapped.tar.gz")), &error));
    QVERIFY2(error.contains(QLatin1String("inside the folder plan/")), qPrintable(error));
    // More nodes than a plan may hold.
    PlanFolder many;
    many.document = {{QStringLiteral("node"), QStringLiteral("n0")}};
    for (int i = 0; i <= PlanFolder::MaxNodes; ++i)
        many.nodes[QStringLiteral("n%1").arg(i)].insert(QStringLiteral("carbon.xml"), "<Server/>");
    QVERIFY2(many.write(dir.filePath(QStringLiteral("many.tar.gz")), &error), qPrintable(error));
    QVERIFY(!PlanFolder::read(dir.filePath(QStringLiteral("many.tar.gz")), &error));
    QVERIFY2(error.contains(QString::number(PlanFolder::MaxNodes)), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestPlanFolder)
#include "tst_planfolder.moc"
