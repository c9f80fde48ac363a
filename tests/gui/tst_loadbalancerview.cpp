// The console on a plain HAProxy, as HATop users run it: the live view from the admin socket
// alone (no agent, no key), its backends placed as domains and sub-domains, every server and
// frontend a row; Drain from the tree; a server deleted at run time leaving the tree; and a
// connection that fails (a wrong port, a wrong socket path) keeping the one shown before.
#include "liveview.h"
#include "mainwindow.h"

#include "../common/screenshot.h"
#include "../haproxy/livehaproxy.h"

#include "cluster/clusterworkspace.h"
#include "live/clusterconnection.h"
#include "live/livecluster.h"
#include "live/liveclustermodel.h"
#include "live/livesession.h"
#include "live/sessionkeeper.h"
#include "protocol/keyring.h"

#include <QApplication>
#include <QLabel>
#include <QLocalSocket>
#include <QMenu>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTreeView>

#include <memory>

using namespace Tribune;
using TestSupport::adminCommand;
using TestSupport::freePort;

namespace {


QModelIndex childNamed(const QAbstractItemModel *model, const QModelIndex &parent, const QString &name)
{
    for (int row = 0; row < model->rowCount(parent); ++row) {
        const QModelIndex child = model->index(row, LiveClusterModel::NameColumn, parent);
        if (child.data().toString() == name)
            return child;
    }
    return {};
}

QMessageBox *openMessageBox(const QWidget *window, const char *name)
{
    for (QMessageBox *box : window->findChildren<QMessageBox *>(QLatin1String(name))) {
        if (box->isVisible())
            return box;
    }
    return nullptr;
}

} // namespace

class TestLoadBalancerView final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void showsTheLoadBalancerAlone();
    void drainsAServerFromTheTree();
    void aServerDeletedLeavesTheTree();
    void aWrongPortKeepsTheConnectionShown();
    void aWrongSocketPathIsSaidPlainly();

private:
    QTemporaryDir m_dir;
    TestSupport::LiveHAProxy m_haproxy;
    TestSupport::HealthResponder m_healthy;
    QString m_socket;
    quint16 m_frontendPort = 0;
    ClusterWorkspace m_workspace;
    SessionKeeper m_keeper;
    std::unique_ptr<MainWindow> m_window;
};

void TestLoadBalancerView::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("settings")));
    if (TestSupport::LiveHAProxy::executable().isEmpty())
        QFAIL("haproxy is not installed: ./run test installs it");
    QVERIFY(m_healthy.listen());
    m_socket = m_dir.filePath(QStringLiteral("admin.sock"));
    m_frontendPort = freePort();
    const quint16 closed = freePort(); // nothing listens there: its server is DOWN
    // Tribune's own backends ("<domain>:<sub-domain>", "<domain>:default") and one of another
    // naming, behind one frontend.
    const QString config = QStringLiteral(
        "global\n"
        "    stats socket %1 mode 600 level admin\n"
        "defaults\n"
        "    mode http\n"
        "    timeout connect 1s\n"
        "    timeout client 5s\n"
        "    timeout server 5s\n"
        "frontend http-in\n"
        "    bind 127.0.0.1:%2\n"
        "    default_backend legacy-app\n"
        "backend wso2.esb.domain:worker\n"
        "    option httpchk GET /\n"
        "    default-server inter 300 fall 1 rise 1\n"
        "    server esb-worker-1 127.0.0.1:%3 check\n"
        "    server esb-worker-2 127.0.0.1:%3 check\n"
        "    server esb-worker-3 127.0.0.1:%4 check\n"
        "backend wso2.esb.domain:default\n"
        "    server esb-manager 127.0.0.1:%3\n"
        "backend legacy-app\n"
        "    server app-1 127.0.0.1:%3\n"
        "    server app-2 127.0.0.1:%3\n")
                               .arg(m_socket)
                               .arg(m_frontendPort)
                               .arg(m_healthy.port())
                               .arg(closed);
    const QString error = m_haproxy.start(m_dir.filePath(QStringLiteral("haproxy.cfg")), config, m_socket);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    m_window = std::make_unique<MainWindow>(&m_workspace);
    m_window->followSessions(&m_keeper);
    m_window->resize(1280, 800);
    m_window->show();
    ConnectionSettings settings;
    settings.loadBalancerSocket = m_socket;
    settings.keepHistory = false;
    QSignalSpy shown(&m_keeper, &SessionKeeper::currentChanged);
    m_keeper.connectTo(settings, QStringLiteral("plain HAProxy"));
    QVERIFY(shown.wait(10000));
    QVERIFY(m_window->liveView());
}

void TestLoadBalancerView::cleanupTestCase()
{
    m_window.reset();
    m_haproxy.stop();
}

void TestLoadBalancerView::showsTheLoadBalancerAlone()
{
    LiveSession *session = m_keeper.current();
    const LiveClusterModel *model = session->model();
    const QModelIndex root = model->index(0, 0);
    const QModelIndex esb = childNamed(model, root, QStringLiteral("wso2.esb.domain"));
    QVERIFY(esb.isValid());
    const QModelIndex workers = childNamed(model, esb, QStringLiteral("worker"));
    QVERIFY(workers.isValid());
    QCOMPARE(model->rowCount(workers), 3);
    // The domain's own members (the "default" sub-domain) sit under the domain itself.
    QVERIFY(childNamed(model, esb, QStringLiteral("esb-manager")).isValid());
    const QModelIndex legacy = childNamed(model, root, QStringLiteral("legacy-app"));
    QVERIFY(legacy.isValid());
    QCOMPARE(model->rowCount(legacy), 2);

    // Every server a row: its name, "no agent", HAProxy's state and its address.
    const QModelIndex worker3 = model->indexOfMember(QStringLiteral("wso2.esb.domain:worker/esb-worker-3"));
    QVERIFY(worker3.isValid());
    QCOMPARE(worker3.data().toString(), QStringLiteral("esb-worker-3"));
    QCOMPARE(worker3.siblingAtColumn(LiveClusterModel::StateColumn).data().toString(), QStringLiteral("no agent"));
    QTRY_VERIFY_WITH_TIMEOUT(worker3.siblingAtColumn(LiveClusterModel::BalancerColumn).data().toString().startsWith(u"DOWN"), 5000);
    const QModelIndex worker1 = model->indexOfMember(QStringLiteral("wso2.esb.domain:worker/esb-worker-1"));
    QTRY_VERIFY_WITH_TIMEOUT(worker1.siblingAtColumn(LiveClusterModel::BalancerColumn).data().toString().startsWith(u"UP"), 5000);
    QVERIFY(worker1.siblingAtColumn(LiveClusterModel::AddressColumn).data().toString().endsWith(QString::number(m_healthy.port())));
    QCOMPARE(workers.siblingAtColumn(LiveClusterModel::StateColumn).data().toString(), QStringLiteral("2/3 up"));

    // The frontend is the load balancer's own row; above it, traffic is counted from the servers.
    const QModelIndex balancer = childNamed(model, root, QStringLiteral("Load balancer"));
    QVERIFY(balancer.isValid());
    const QModelIndex frontend = childNamed(model, balancer, QStringLiteral("http-in"));
    QVERIFY(frontend.isValid());
    QCOMPARE(frontend.siblingAtColumn(LiveClusterModel::StateColumn).data().toString(), QStringLiteral("frontend"));
    QCOMPARE(frontend.siblingAtColumn(LiveClusterModel::BalancerColumn).data().toString(), QStringLiteral("OPEN"));
    const QStringList clusterTraffic = root.data(LiveClusterModel::TrafficIdsRole).toStringList();
    QCOMPARE(clusterTraffic.size(), 6);
    QVERIFY(!clusterTraffic.contains(QStringLiteral("http-in/FRONTEND")));

    // Requests through the frontend show on the servers behind it.
    QNetworkAccessManager network;
    for (int i = 0; i < 20; ++i) {
        std::unique_ptr<QNetworkReply> reply(
            network.get(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(m_frontendPort)))));
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 5000);
    }
    const QModelIndex app1 = model->indexOfMember(QStringLiteral("legacy-app/app-1"));
    QTRY_VERIFY_WITH_TIMEOUT(session->cluster()->member(QStringLiteral("legacy-app/app-1"))->traffic.bytesOutRate > 0
                                 || session->cluster()->member(QStringLiteral("legacy-app/app-2"))->traffic.bytesOutRate > 0,
                             5000);
    QVERIFY(app1.isValid());

    // The cluster's page sums it up: members by state and the load balancer's view of them.
    LiveView *view = m_window->liveView();
    view->tree()->setCurrentIndex(view->tree()->model()->index(0, 0));
    QTRY_VERIFY2(view->pageText().contains(QLatin1String("6: 6 without an agent")), qPrintable(view->pageText()));
    QVERIFY2(view->pageText().contains(QLatin1String("DOWN")), qPrintable(view->pageText()));
    QVERIFY(view->selectMember(QStringLiteral("wso2.esb.domain:worker/esb-worker-3")));
    QVERIFY2(view->pageText().contains(QLatin1String("only the load balancer knows this server")), qPrintable(view->pageText()));
    view->tree()->setCurrentIndex(view->tree()->model()->index(0, 0));
    // The status bar names the source and how fresh it is.
    QTRY_VERIFY2(m_window->statusText().contains(QLatin1String("confirmed")), qPrintable(m_window->statusText()));
    QVERIFY(!m_window->statusWarns());
    m_window->liveView()->tree()->expandAll();
    TestSupport::saveShot(m_window.get(), QStringLiteral("lb-only-view.png"));
}

void TestLoadBalancerView::drainsAServerFromTheTree()
{
    LiveView *view = m_window->liveView();
    const QString id = QStringLiteral("legacy-app/app-2");
    QVERIFY(view->selectMember(id));
    std::unique_ptr<QMenu> menu(view->menuFor(view->tree()->currentIndex()));
    QAction *ready = nullptr;
    QAction *configure = nullptr;
    for (QAction *action : menu->actions()) {
        if (action->text() == u"Ready")
            ready = action;
        if (action->text() == u"Configure…")
            configure = action;
    }
    // HAProxy's own state can be set; a node with no agent has no files to configure.
    QVERIFY(ready && ready->isEnabled());
    QVERIFY(!configure);
    m_keeper.current()->loadBalancer()->setState({id}, LoadBalancerLink::Action::Drain);
    QTRY_COMPARE_WITH_TIMEOUT(m_keeper.current()->model()->indexOfMember(id).data(LiveClusterModel::BalancerStatusRole).toString(),
                              QStringLiteral("DRAIN"), 5000);
    m_keeper.current()->loadBalancer()->setState({id}, LoadBalancerLink::Action::Ready);
    QTRY_COMPARE_WITH_TIMEOUT(m_keeper.current()->model()->indexOfMember(id).data(LiveClusterModel::BalancerStatusRole).toString(),
                              QStringLiteral("no check"), 5000);
    // A drain with nothing to act on says why, in the log, instead of doing nothing silently.
    QSignalSpy logged(m_keeper.current()->cluster(), &LiveCluster::eventLogged);
    m_keeper.current()->loadBalancer()->setState({QStringLiteral("http-in/FRONTEND")}, LoadBalancerLink::Action::Drain);
    QCOMPARE(logged.count(), 1);
    QVERIFY2(logged.first().first().value<LiveEvent>().reason.contains(QLatin1String("has no server for this member")),
             qPrintable(logged.first().first().value<LiveEvent>().reason));
}

void TestLoadBalancerView::aServerDeletedLeavesTheTree()
{
    const QString id = QStringLiteral("legacy-app/app-2");
    QSignalSpy removed(m_keeper.current()->cluster(), &LiveCluster::memberRemoved);
    QSignalSpy logged(m_keeper.current()->cluster(), &LiveCluster::eventLogged);
    adminCommand(m_socket, "disable server legacy-app/app-2");
    const QByteArray answer = adminCommand(m_socket, "del server legacy-app/app-2");
    QVERIFY2(answer.contains("Server deleted"), answer.constData());
    QTRY_VERIFY_WITH_TIMEOUT(!m_keeper.current()->model()->indexOfMember(id).isValid(), 5000);
    QCOMPARE(removed.count(), 1);
    bool said = false;
    for (const QList<QVariant> &arguments : std::as_const(logged))
        said = said || arguments.first().value<LiveEvent>().reason.contains(QLatin1String("removed from legacy-app"));
    QVERIFY(said);
}

void TestLoadBalancerView::aWrongPortKeepsTheConnectionShown()
{
    LiveSession *before = m_keeper.current();
    LiveView *viewBefore = m_window->liveView();
    ConnectionSettings settings;
    settings.seeds = {QStringLiteral("127.0.0.1:%1").arg(freePort())}; // nothing listens there
    settings.keys = Protocol::KeyRing::generate();
    settings.keepHistory = false;
    QSignalSpy failed(&m_keeper, &SessionKeeper::connectFailed);
    m_keeper.connectTo(settings, QStringLiteral("wrong"));
    QVERIFY(m_window->statusBar()->currentMessage().contains(QLatin1String("the connection shown stays")));
    QVERIFY(failed.wait(ClusterConnection::EstablishTimeoutMs + 2000));
    QVERIFY2(failed.first().first().toString().contains(settings.seeds.first()), qPrintable(failed.first().first().toString()));
    // The working connection is untouched, and the user is told why the new one failed.
    QCOMPARE(m_keeper.current(), before);
    QCOMPARE(m_window->liveView(), viewBefore);
    QVERIFY(!m_keeper.pending());
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = openMessageBox(m_window.get(), "connectFailure")) != nullptr);
    QVERIFY2(box->text().contains(settings.seeds.first()), qPrintable(box->text()));
    QVERIFY(box->informativeText().contains(QLatin1String("stays")));
    QVERIFY(m_window->statusBar()->currentMessage().contains(QLatin1String("Could not connect")));
    // The message is in sight: the endpoints' line makes way for it while it shows.
    QVERIFY(!m_window->findChild<QLabel *>(QStringLiteral("endpointStatus"))->isVisible());
    TestSupport::saveShot(m_window.get(), QStringLiteral("connect-failed.png"));
    box->close();
    // The live view still runs on the old connection.
    QVERIFY(m_keeper.current()->model()->indexOfMember(QStringLiteral("legacy-app/app-1")).isValid());
}

void TestLoadBalancerView::aWrongSocketPathIsSaidPlainly()
{
    LiveSession *before = m_keeper.current();
    ConnectionSettings settings;
    settings.loadBalancerSocket = m_dir.filePath(QStringLiteral("no-such.sock"));
    settings.keepHistory = false;
    QSignalSpy failed(&m_keeper, &SessionKeeper::connectFailed);
    m_keeper.connectTo(settings, QStringLiteral("wrong socket"));
    QVERIFY(failed.wait(ClusterConnection::EstablishTimeoutMs + 2000));
    const QString reason = failed.first().first().toString();
    QVERIFY2(reason.contains(settings.loadBalancerSocket), qPrintable(reason));
    QCOMPARE(m_keeper.current(), before);
    if (QMessageBox *box = openMessageBox(m_window.get(), "connectFailure"))
        box->close();

    // With a membership source too, a wrong socket does not stop the view; the tree's row and
    // the status bar say why the statistics do not come.
    LiveCluster cluster;
    LiveClusterModel model(&cluster, QStringLiteral("c"));
    cluster.setLoadBalancerProblem(QStringLiteral("cannot connect to %1: no such file").arg(settings.loadBalancerSocket));
    const QString shown = model.index(0, LiveClusterModel::BalancerColumn).data().toString();
    QVERIFY2(shown.contains(settings.loadBalancerSocket), qPrintable(shown));
    QCOMPARE(model.index(0, 0).data(LiveClusterModel::ToneRole).toInt(), int(LiveClusterModel::Tone::Bad));
}

QTEST_MAIN(TestLoadBalancerView)
#include "tst_loadbalancerview.moc"
