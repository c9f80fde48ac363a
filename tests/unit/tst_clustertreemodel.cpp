// The cluster tree under QAbstractItemModelTester: its shape on the sample cluster, the counts it
// rolls up, and a reload after a file changed.
#include "cluster/clusterworkspace.h"
#include "itemmodels/clustertreemodel.h"

#include "../common/testsupport.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Tribune;

namespace {

QModelIndex find(const QAbstractItemModel &model, const QModelIndex &parent, const QString &prefix)
{
    for (int row = 0; row < model.rowCount(parent); ++row) {
        const QModelIndex index = model.index(row, 0, parent);
        if (index.data().toString().startsWith(prefix))
            return index;
    }
    return {};
}

} // namespace

class TestClusterTreeModel : public QObject
{
    Q_OBJECT

private slots:
    void emptyWorkspace();
    void sampleClusterShape();
    void countsRollUp();
    void servedSubDomainWithoutMembersShows();
};

void TestClusterTreeModel::emptyWorkspace()
{
    ClusterWorkspace workspace;
    ClusterTreeModel model(&workspace);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), int(ClusterTreeModel::ColumnCount));
}

void TestClusterTreeModel::sampleClusterShape()
{
    ClusterWorkspace workspace;
    ClusterTreeModel model(&workspace);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QVERIFY(workspace.open({TestSupport::sampleCluster()}));
    QCOMPARE(resets.size(), 1);

    const QModelIndex cluster = model.index(0, 0);
    QCOMPARE(cluster.data(ClusterTreeModel::KindRole).toInt(), int(ClusterTreeModel::Kind::Cluster));
    QCOMPARE(model.rowCount(cluster), 3);
    const QModelIndex esb = find(model, cluster, QStringLiteral("wso2.esb.domain"));
    QCOMPARE(esb.data(ClusterTreeModel::KindRole).toInt(), int(ClusterTreeModel::Kind::Domain));
    QCOMPARE(esb.data(ClusterTreeModel::NodeCountRole).toInt(), 4);
    const QModelIndex mgt = find(model, esb, QStringLiteral("mgt"));
    QCOMPARE(mgt.data(ClusterTreeModel::KindRole).toInt(), int(ClusterTreeModel::Kind::SubDomain));
    const QModelIndex manager = model.index(0, 0, mgt);
    QCOMPARE(manager.data(ClusterTreeModel::NodeNameRole).toString(), QStringLiteral("esb-manager"));
    QCOMPARE(manager.siblingAtColumn(ClusterTreeModel::MemberPortColumn).data().toInt(), 4001);
    QCOMPARE(manager.siblingAtColumn(ClusterTreeModel::HttpsColumn).data().toInt(), 9444);
    QCOMPARE(manager.siblingAtColumn(ClusterTreeModel::OffsetColumn).data().toInt(), 1);
    QCOMPARE(model.parent(manager), mgt);
    QCOMPARE(model.indexOfNode(QStringLiteral("esb-manager")), manager);
    QVERIFY(!model.indexOfNode(QStringLiteral("nobody")).isValid());

    // Governance has no manager/worker split: its nodes sit right under the domain.
    const QModelIndex governance = find(model, cluster, QStringLiteral("wso2.governance.domain"));
    QCOMPARE(model.rowCount(governance), 3);
    QCOMPARE(model.index(0, 0, governance).data(ClusterTreeModel::KindRole).toInt(), int(ClusterTreeModel::Kind::Node));
    const QModelIndex balancer = find(model, cluster, QStringLiteral("Load balancer"));
    QCOMPARE(balancer.data(ClusterTreeModel::KindRole).toInt(), int(ClusterTreeModel::Kind::LoadBalancer));
}

void TestClusterTreeModel::countsRollUp()
{
    QTemporaryDir dir;
    QVERIFY(TestSupport::copyTree(TestSupport::sampleCluster(), dir.path()));
    ClusterWorkspace workspace;
    ClusterTreeModel model(&workspace);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(workspace.open({dir.path()}));
    QCOMPARE(model.index(0, 0).data(ClusterTreeModel::SeverityRole).toInt(), -1);

    // Two workers writable: two errors on the worker sub-domain, the domain and the cluster.
    for (const char *node : {"esb-worker1", "esb-worker2"}) {
        const QString path = dir.path() + QLatin1Char('/') + QLatin1String(node) + QLatin1String("/repository/conf/registry.xml");
        QVERIFY(TestSupport::replaceInFile(path, "<readOnly>true</readOnly>", "<readOnly>false</readOnly>"));
    }
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QVERIFY(workspace.reload());
    QCOMPARE(resets.size(), 1);
    const QModelIndex cluster = model.index(0, 0);
    const QModelIndex esb = find(model, cluster, QStringLiteral("wso2.esb.domain"));
    const QModelIndex workers = find(model, esb, QStringLiteral("worker"));
    for (const QModelIndex &index : {cluster, esb, workers}) {
        QCOMPARE(index.data(ClusterTreeModel::ErrorCountRole).toInt(), 2);
        QCOMPARE(index.data(ClusterTreeModel::SeverityRole).toInt(), int(Severity::Error));
        QCOMPARE(index.siblingAtColumn(ClusterTreeModel::FindingsColumn).data().toString(), QStringLiteral("2 errors"));
    }
    QCOMPARE(find(model, esb, QStringLiteral("mgt")).data(ClusterTreeModel::ErrorCountRole).toInt(), 0);
    QCOMPARE(model.indexOfNode(QStringLiteral("esb-worker3")).siblingAtColumn(ClusterTreeModel::FindingsColumn).data().toString(),
             QStringLiteral("OK"));
}

void TestClusterTreeModel::servedSubDomainWithoutMembersShows()
{
    // Only the load balancer: its served domains show, with no members yet.
    ClusterWorkspace workspace;
    ClusterTreeModel model(&workspace);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(workspace.open({TestSupport::sampleCluster() + QLatin1String("/lb/repository/conf/loadbalancer.conf")}));
    const QModelIndex cluster = model.index(0, 0);
    const QModelIndex esb = find(model, cluster, QStringLiteral("wso2.esb.domain"));
    QVERIFY(esb.isValid());
    QCOMPARE(model.rowCount(esb), 2);
    QCOMPARE(esb.data(ClusterTreeModel::NodeCountRole).toInt(), 0);
    QCOMPARE(esb.data().toString(), QStringLiteral("wso2.esb.domain (0)"));
}

QTEST_GUILESS_MAIN(TestClusterTreeModel)
#include "tst_clustertreemodel.moc"
