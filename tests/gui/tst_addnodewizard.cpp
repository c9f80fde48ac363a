// The Add Node wizard against a real small cluster (agents and HAProxy on loopback):
// - opened from the Cluster menu, a worker like worker2 on the server that runs the load
//   balancer, the manager and worker2; a membership port that collides is marked where it is
//   typed and keeps Push disabled with the reason; with a free one, the push reaches a bare
//   provisioning agent, the join ticks off step by step, the new member shows in the live tree
//   and answers requests through HAProxy; without an agent the plan is exported; Cancel before
//   Push writes nothing. Each page is saved as a screenshot.
// - the database page against a real MariaDB: a wrong password is reported from the server, the
//   right one is ready, a missing database is created with administrator credentials, and the
//   edited datasources reach the review's plan.
// - a new sub-domain: the load balancer's change is planned with the node; when the node's push
//   fails, the load balancer is rolled back byte for byte.
#include "addnodewizard.h"
#include "liveview.h"
#include "mainwindow.h"

#include "../common/mariadbserver.h"
#include "../common/testsupport.h"
#include "consoleoncluster.h"

#include "cluster/clusterworkspace.h"
#include "live/clusterconnection.h"
#include "live/liveclustermodel.h"
#include "live/livesession.h"
#include "planner/addnodeflow.h"
#include "planner/planfolder.h"

#include "../common/screenshot.h"

#include <QAbstractButton>
#include <QDialog>
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSqlDatabase>
#include <QStandardPaths>
#include <QUrl>
#include <QTcpServer>
#include <QTest>
#include <QTreeWidget>

using namespace Tribune;
using TestSupport::saveShot;

namespace {

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestAddNodeWizard : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void addsAWorkerThatJoins();
    void databasePageAsksTheRealServer();
    void newSubDomainRollsBackAfterAFailedPush();
};

void TestAddNodeWizard::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    const QString busy = busyPorts({{QStringLiteral("127.0.0.1"), 9764}, {QStringLiteral("127.0.0.1"), 9765}, {QStringLiteral("127.0.0.1"), 9766}});
    QVERIFY2(busy.isEmpty(), qPrintable(QStringLiteral("the sample members need these ports: ") + busy));
}

void TestAddNodeWizard::addsAWorkerThatJoins()
{
    ConsoleOnCluster console({QStringLiteral("lb"), QStringLiteral("esb-manager"), QStringLiteral("esb-worker2")});
    QString error;
    QVERIFY2(console.start(&error), qPrintable(error));
    AgentCluster &cluster = console.cluster;
    LiveSession &session = *console.session;
    MainWindow &window = *console.window;
    // The bare agent on the new node's server, as the wizard's command line says to start it.
    const quint16 provisionPort = freePort();
    const QString newHome = cluster.root() + QLatin1String("/esb-worker9");
    std::unique_ptr<QProcess> bare(startAgentProcess(
        {QStringLiteral("--provision"), QStringLiteral("--carbon-home"), newHome, QStringLiteral("--key-file"),
         cluster.keyFile(), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(provisionPort),
         QStringLiteral("--serve-http")}));
    QVERIFY(bare);
    AddNodeWizard *wizard = nullptr;
    const auto openWizard = [&] { return (wizard = console.openWizard()) != nullptr; };

    // Without a bare agent, the plan can only be exported (for a server reached by other means);
    // then Cancel, which writes nothing anywhere: not on the bare node, not on any member.
    QVERIFY(openWizard());
    wizard->setField(QStringLiteral("like"), QStringLiteral("esb-worker2"));
    wizard->next();
    wizard->setField(QStringLiteral("host"), QStringLiteral("127.0.0.1"));
    wizard->next();
    QTRY_VERIFY(wizard->button(QWizard::NextButton)->isEnabled());
    wizard->next();
    QCOMPARE(wizard->currentId(), int(AddNodeWizard::DatabasePage));
    wizard->next();
    QCOMPARE(wizard->currentId(), int(AddNodeWizard::ReviewPage));
    QVERIFY(!wizard->button(QWizard::CommitButton)->isEnabled());
    QVERIFY(wizard->findChild<QLabel *>(QStringLiteral("reviewVerdict"))->text().contains(QLatin1String("Export")));
    const QString archive = cluster.root() + QLatin1String("/exported.tar.gz");
    QVERIFY2(wizard->exportPlan(archive, &error), qPrintable(error));
    const std::optional<Planner::PlanFolder> exported = Planner::PlanFolder::read(archive, &error);
    QVERIFY2(exported, qPrintable(error));
    QCOMPARE(exported->nodes.size(), 1);
    QVERIFY(exported->nodes.first().contains(QStringLiteral("axis2/axis2.xml")));
    QCOMPARE(exported->document.value(QLatin1String("like")).toString(), QStringLiteral("esb-worker2"));
    wizard->button(QWizard::CancelButton)->click();
    QTRY_VERIFY(!window.findChild<AddNodeWizard *>());
    QVERIFY(QDir(newHome + QLatin1String("/repository/conf")).isEmpty());
    for (const QString &node : {QStringLiteral("lb"), QStringLiteral("esb-manager"), QStringLiteral("esb-worker2")})
        QVERIFY2(!QFileInfo::exists(cluster.home(node) + QLatin1String("/.tribune/audit.log")), qPrintable(node));

    QVERIFY(openWizard());

    QCOMPARE(wizard->currentId(), int(AddNodeWizard::WhatPage));
    wizard->setField(QStringLiteral("like"), QStringLiteral("esb-worker2"));
    wizard->setField(QStringLiteral("name"), QStringLiteral("esb-worker9"));
    saveShot(wizard, QStringLiteral("wizard-1-what.png"));
    wizard->next();

    QCOMPARE(wizard->currentId(), int(AddNodeWizard::WherePage));
    QVERIFY(!wizard->button(QWizard::NextButton)->isEnabled()); // host and agent are needed
    wizard->setField(QStringLiteral("host"), QStringLiteral("127.0.0.1"));
    wizard->setField(QStringLiteral("agent"), QStringLiteral("127.0.0.1:%1").arg(provisionPort));
    const auto *command = wizard->findChild<QLineEdit *>(QStringLiteral("provisionCommand"));
    QVERIFY(command->text().contains(QLatin1String("--provision --carbon-home /opt/wso2/esb-worker9 --key-file ")
                                     + cluster.keyFile()));
    QVERIFY(!command->text().contains(QString::fromLatin1(cluster.keys().key(Protocol::Role::Console).toBase64())));
    saveShot(wizard, QStringLiteral("wizard-2-where.png"));
    wizard->next();

    // Settings: a free offset on that server; first worker2's own membership port, a collision.
    QCOMPARE(wizard->currentId(), int(AddNodeWizard::SettingsPage));
    QTRY_VERIFY(wizard->button(QWizard::NextButton)->isEnabled());
    QVERIFY(wizard->field(QStringLiteral("offset")).toInt() > 2);
    wizard->setField(QStringLiteral("memberPort"), int(cluster.memberPort(QStringLiteral("esb-worker2"))));
    // Marked in place, with the reason.
    const auto *memberPortProblem = wizard->findChild<QLabel *>(QStringLiteral("memberPortProblem"));
    QTRY_VERIFY(!memberPortProblem->text().isEmpty());
    QVERIFY2(memberPortProblem->text().contains(QLatin1String("esb-worker2")), qPrintable(memberPortProblem->text()));
    saveShot(wizard, QStringLiteral("wizard-3-settings.png"));
    wizard->next();
    QCOMPARE(wizard->currentId(), int(AddNodeWizard::DatabasePage));
    wizard->next();
    QCOMPARE(wizard->currentId(), int(AddNodeWizard::ReviewPage));
    const auto *verdict = wizard->findChild<QLabel *>(QStringLiteral("reviewVerdict"));
    QVERIFY2(verdict->text().contains(QLatin1String("Push is disabled")), qPrintable(verdict->text()));
    QVERIFY(!wizard->button(QWizard::CommitButton)->isEnabled());
    wizard->back();
    wizard->back();
    QCOMPARE(wizard->currentId(), int(AddNodeWizard::SettingsPage));
    const quint16 memberPort = freePort();
    wizard->setField(QStringLiteral("memberPort"), int(memberPort));
    wizard->next();
    wizard->next();
    QVERIFY2(wizard->button(QWizard::CommitButton)->isEnabled(), qPrintable(verdict->text()));
    QVERIFY(!wizard->findChild<QPlainTextEdit *>(QStringLiteral("reviewDiff"))->toPlainText().isEmpty());
    saveShot(wizard, QStringLiteral("wizard-5-review.png"));
    // Nothing anywhere yet: the bare node has no files.
    QVERIFY(QDir(newHome + QLatin1String("/repository/conf")).isEmpty());

    // Push: the steps tick off, and the member joins the tree.
    wizard->button(QWizard::CommitButton)->click();
    QCOMPARE(wizard->currentId(), int(AddNodeWizard::WatchPage));
    const auto *status = wizard->findChild<QLabel *>(QStringLiteral("joinStatus"));
    QTRY_VERIFY_WITH_TIMEOUT(wizard->button(QWizard::FinishButton)->isEnabled(), 30000);
    QVERIFY2(status->text().contains(QLatin1String("is in the cluster")), qPrintable(status->text()));
    const auto *steps = wizard->findChild<QTreeWidget *>(QStringLiteral("joinSteps"));
    QVERIFY(steps->topLevelItemCount() >= 5);
    saveShot(wizard, QStringLiteral("wizard-6-join.png"));
    const QString newId = QStringLiteral("127.0.0.1:%1").arg(memberPort);
    QTRY_VERIFY_WITH_TIMEOUT(session.model()->indexOfMember(newId).isValid(), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(session.model()->indexOfMember(newId).data(LiveClusterModel::BalancerStatusRole).toString(),
                              QStringLiteral("UP"), 10000);
    // And it takes traffic: HAProxy sends it the workers' requests in turn.
    QTRY_VERIFY_WITH_TIMEOUT(console.servedBy(newId, QStringLiteral("worker.esb.wso2.com")), 10000);
    wizard->button(QWizard::FinishButton)->click();
    QTRY_VERIFY(!window.findChild<AddNodeWizard *>());

    stopAgentProcesses({bare.release()}, newHome);
}

void TestAddNodeWizard::databasePageAsksTheRealServer()
{
    QVERIFY2(QSqlDatabase::isDriverAvailable(QStringLiteral("QMYSQL")),
             qPrintable(QLatin1String("QMYSQL is not installed. Run: ") + TestSupport::MariaDbInstallLine));
    TestSupport::MariaDbServer server;
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    QVERIFY2(server.sql(QStringLiteral("CREATE USER 'regadmin'@'%' IDENTIFIED BY 'the-right-one';"
                                       "CREATE USER 'dba'@'%' IDENTIFIED BY 'dbapw';"
                                       "GRANT ALL PRIVILEGES ON *.* TO 'dba'@'%' WITH GRANT OPTION;"
                                       "CREATE DATABASE REGISTRY_DB; CREATE TABLE REGISTRY_DB.REG_RESOURCE (id INT);"
                                       "GRANT ALL PRIVILEGES ON REGISTRY_DB.* TO 'regadmin'@'%';"),
                        &error),
             qPrintable(error));

    // The sample cluster's files are enough to plan on; nothing is pushed here.
    ClusterWorkspace workspace;
    QVERIFY(workspace.open({TestSupport::sampleCluster()}));
    Planner::AddNodeFlow flow(&workspace, {});
    AddNodeWizard wizard(&flow, QStringLiteral("esb-worker2"), QStringLiteral("/etc/tribune/cluster.key"));
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    wizard.next();
    wizard.setField(QStringLiteral("host"), QStringLiteral("127.0.0.1"));
    wizard.next();
    QTRY_VERIFY(wizard.button(QWizard::NextButton)->isEnabled());
    wizard.next();
    QCOMPARE(wizard.currentId(), int(AddNodeWizard::DatabasePage));

    auto *list = wizard.findChild<QTreeWidget *>(QStringLiteral("datasourceList"));
    auto *url = wizard.findChild<QLineEdit *>(QStringLiteral("datasourceUrl"));
    auto *password = wizard.findChild<QLineEdit *>(QStringLiteral("datasourcePassword"));
    auto *test = wizard.findChild<QAbstractButton *>(QStringLiteral("testDatasources"));
    auto *create = wizard.findChild<QAbstractButton *>(QStringLiteral("createDatabase"));
    QVERIFY(list && url && password && test && create);
    QCOMPARE(list->topLevelItemCount(), 3);
    const auto rowOf = [list](const QString &name) {
        return list->findItems(name, Qt::MatchExactly).value(0);
    };
    QTreeWidgetItem *shared = rowOf(QStringLiteral("REGISTRY_DB"));
    QTreeWidgetItem *local = rowOf(QStringLiteral("WSO2_CARBON_DB"));
    QVERIFY(shared && local);
    const auto type = [](QLineEdit *field, const QString &text) {
        field->selectAll();
        QTest::keyClicks(field, text);
    };
    const QString at = QStringLiteral("jdbc:mysql://127.0.0.1:%1/").arg(server.port());

    // The sample's password, which this server does not take: the server says so.
    list->setCurrentItem(shared);
    type(url, at + QLatin1String("REGISTRY_DB"));
    QVERIFY(shared->font(1).bold()); // changed against the template
    test->click();
    QTRY_VERIFY_WITH_TIMEOUT(!shared->text(3).isEmpty(), 15000);
    QCOMPARE(shared->text(3), QStringLiteral("Wrong user or password"));
    QVERIFY2(shared->toolTip(3).contains(QLatin1String("refuses the user name or password")), qPrintable(shared->toolTip(3)));

    // The right password: ready. The local registry's database does not exist yet.
    type(password, QStringLiteral("the-right-one"));
    list->setCurrentItem(local);
    const QString localDatabase = QUrl(local->text(1).mid(5)).path().mid(1);
    QVERIFY(!localDatabase.isEmpty());
    type(url, at + localDatabase);
    type(password, QStringLiteral("the-right-one"));
    QTRY_VERIFY(test->isEnabled());
    test->click();
    QTRY_VERIFY_WITH_TIMEOUT(!local->text(3).isEmpty() && !shared->text(3).isEmpty(), 15000);
    QCOMPARE(shared->text(3), QStringLiteral("Ready"));
    QCOMPARE(local->text(3), QStringLiteral("Not granted")); // no database, and no right to see so
    saveShot(&wizard, QStringLiteral("wizard-4-database.png"));

    // Create it with an administrator's credentials, asked for this once.
    QTRY_VERIFY(create->isEnabled());
    create->click();
    auto *credentials = wizard.findChild<QDialog *>(QStringLiteral("adminCredentials"));
    QVERIFY(credentials && credentials->isVisible());
    credentials->findChild<QLineEdit *>(QStringLiteral("adminUser"))->setText(QStringLiteral("dba"));
    credentials->findChild<QLineEdit *>(QStringLiteral("adminPassword"))->setText(QStringLiteral("dbapw"));
    credentials->accept();
    // Reached as the node's user now: created and granted, only without tables yet.
    QTRY_COMPARE_WITH_TIMEOUT(local->text(3), QStringLiteral("No tables"), 15000);

    // The review's plan has the datasources as edited.
    wizard.next();
    QCOMPARE(wizard.currentId(), int(AddNodeWizard::ReviewPage));
    const QString diff = wizard.findChild<QPlainTextEdit *>(QStringLiteral("reviewDiff"))->toPlainText();
    QVERIFY2(diff.contains(at + QLatin1String("REGISTRY_DB")), qPrintable(diff));
    // The password changed; the diff says so and never shows it.
    QVERIFY(!diff.contains(QLatin1String("the-right-one")));
    QVERIFY2(diff.contains(QLatin1String("+                    <password>[redacted: changed]</password>")), qPrintable(diff));
    wizard.reject();
    server.stop();
}

void TestAddNodeWizard::newSubDomainRollsBackAfterAFailedPush()
{
    ConsoleOnCluster console({QStringLiteral("lb"), QStringLiteral("esb-manager"), QStringLiteral("esb-worker2")});
    QString error;
    QVERIFY2(console.start(&error), qPrintable(error));
    const QString conf = console.cluster.home(QStringLiteral("lb")) + QLatin1String("/repository/conf/loadbalancer.conf");
    QFile file(conf);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray before = file.readAll();
    file.close();

    // A "batch" sub-domain: the wizard asks for the host names the load balancer serves it under.
    AddNodeWizard *wizard = console.openWizard();
    QVERIFY(wizard);
    wizard->setField(QStringLiteral("like"), QStringLiteral("esb-worker2"));
    wizard->setField(QStringLiteral("name"), QStringLiteral("esb-batch1"));
    wizard->setField(QStringLiteral("subDomain"), QStringLiteral("batch"));
    QVERIFY(!wizard->button(QWizard::NextButton)->isEnabled());
    QVERIFY(wizard->findChild<QLabel *>(QStringLiteral("newSubDomain"))->text().contains(QLatin1String("new sub-domain")));
    wizard->setField(QStringLiteral("subDomainHosts"), QStringLiteral("batch.esb.wso2.com"));
    QVERIFY(wizard->button(QWizard::NextButton)->isEnabled());
    wizard->next();
    // An agent address where nothing listens: the node's push fails after the load balancer's.
    wizard->setField(QStringLiteral("host"), QStringLiteral("127.0.0.1"));
    wizard->setField(QStringLiteral("agent"), QStringLiteral("127.0.0.1:%1").arg(freePort()));
    wizard->next();
    QTRY_VERIFY(wizard->button(QWizard::NextButton)->isEnabled());
    wizard->setField(QStringLiteral("memberPort"), int(freePort()));
    wizard->next();
    wizard->next();
    QCOMPARE(wizard->currentId(), int(AddNodeWizard::ReviewPage));
    const auto *verdict = wizard->findChild<QLabel *>(QStringLiteral("reviewVerdict"));
    QVERIFY2(wizard->button(QWizard::CommitButton)->isEnabled(), qPrintable(verdict->text()));
    const QString diff = wizard->findChild<QPlainTextEdit *>(QStringLiteral("reviewDiff"))->toPlainText();
    QVERIFY2(diff.contains(QLatin1String("+++ b/lb/loadbalancer.conf")) && diff.contains(QLatin1String("batch.esb.wso2.com")),
             qPrintable(diff));

    wizard->button(QWizard::CommitButton)->click();
    const auto *status = wizard->findChild<QLabel *>(QStringLiteral("joinStatus"));
    auto *rollBack = wizard->findChild<QAbstractButton *>(QStringLiteral("rollBackPlan"));
    QTRY_VERIFY_WITH_TIMEOUT(rollBack->isVisible(), 20000);
    QVERIFY2(status->text().startsWith(QLatin1String("Failed")), qPrintable(status->text()));
    QVERIFY(rollBack->text().contains(QLatin1String("lb")));
    QTRY_VERIFY(readFile(conf) != before); // the load balancer took its part
    saveShot(wizard, QStringLiteral("wizard-failed-rollback.png"));
    rollBack->click();
    QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QLatin1String("Rolled back")), 10000);
    QCOMPARE(readFile(conf), before);
    wizard->button(QWizard::FinishButton)->click();
}

QTEST_MAIN(TestAddNodeWizard)
#include "tst_addnodewizard.moc"
