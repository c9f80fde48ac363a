// The findings table under QAbstractItemModelTester, on a cluster with known problems.
#include "cluster/clusterworkspace.h"
#include "itemmodels/findingsmodel.h"

#include "../common/testsupport.h"

#include <QAbstractItemModelTester>
#include <QTemporaryDir>
#include <QTest>

using namespace Tribune;

class TestFindingsModel : public QObject
{
    Q_OBJECT

private slots:
    void rowsFollowTheWorkspace();
};

void TestFindingsModel::rowsFollowTheWorkspace()
{
    QTemporaryDir dir;
    QVERIFY(TestSupport::copyTree(TestSupport::sampleCluster(), dir.path()));
    ClusterWorkspace workspace;
    FindingsModel model(&workspace);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(workspace.open({dir.path()}));
    QCOMPARE(model.rowCount(), 0);

    const QString axis2 = dir.path() + QLatin1String("/greg2/repository/conf/axis2/axis2.xml");
    QVERIFY(TestSupport::replaceInFile(axis2, "<parameter name=\"localMemberPort\">4251</parameter>", "<parameter name=\"localMemberPort\">4250</parameter>"));
    QVERIFY(workspace.reload());

    // The clash is told on both nodes: a note on greg1, which keeps its port, then greg2's error.
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, 0).data(FindingsModel::SeverityRole).toInt(), int(Severity::Info));
    QCOMPARE(model.index(0, FindingsModel::NodeColumn).data().toString(), QStringLiteral("greg1"));
    const QModelIndex row = model.index(1, 0);
    QCOMPARE(row.data(FindingsModel::SeverityRole).toInt(), int(Severity::Error));
    QCOMPARE(row.data(FindingsModel::RuleRole).toString(), QStringLiteral("member-port-collision"));
    QCOMPARE(model.index(1, FindingsModel::NodeColumn).data().toString(), QStringLiteral("greg2"));
    QVERIFY(model.index(1, FindingsModel::LocationColumn).data().toString().startsWith(QLatin1String("axis2/axis2.xml:")));
    QVERIFY(model.index(1, FindingsModel::MessageColumn).data().toString().contains(QLatin1String("greg1")));
    QCOMPARE(row.data(FindingsModel::FilePathRole).toString(), axis2);
    QVERIFY(row.data(FindingsModel::LineRole).toInt() > 0);
}

QTEST_GUILESS_MAIN(TestFindingsModel)
#include "tst_findingsmodel.moc"
