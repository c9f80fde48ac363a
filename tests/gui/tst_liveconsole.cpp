// The console against a real small cluster: agents and HAProxy on loopback, driven by the
// load balancer's agent. A worker started appears; a worker killed is marked failed; drain from
// the tree's context menu shows DRAIN in HAProxy and in the tree; the history survives a restart of the
// console; and a screenshot of the window goes to the build folder.
#include "liveview.h"
#include "mainwindow.h"
#include "configview.h"
#include "trafficcharts.h"

#include "../integration/agentcluster.h"

#include "cluster/clusterworkspace.h"
#include "haproxy/haproxystats.h"
#include "haproxy/runtimeclient.h"
#include "live/eventlogmodel.h"
#include "live/livecluster.h"
#include "live/liveclustermodel.h"
#include "live/livesession.h"

#include <QAbstractButton>
#include <QApplication>
#include <QContextMenuEvent>
#include <QDialog>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTcpServer>
#include <QAction>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>
#include <QTimer>
#include <QTreeView>

#include <signal.h>

using namespace Tribune;

namespace {

quint16 freePort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

bool eventLogHas(const EventLogModel *events, const QString &kind, const QString &member)
{
    for (int row = 0; row < events->rowCount(); ++row) {
        if (events->eventAt(row).kind == kind && events->eventAt(row).memberId == member)
            return true;
    }
    return false;
}

// Answers what the console opens next, in whatever event loop runs then: first the context
// menu's action, then the confirmation's Yes. Polls rather than guessing how long each takes to
// open, and closes whatever is left open at the deadline so that a failure cannot hang the test.
class MenuAnswerer final : public QObject
{
public:
    explicit MenuAnswerer(QString action)
        : m_action(std::move(action))
    {
        m_deadline.start();
        poll();
    }
    bool done() const { return m_done; }
    QString error() const { return m_error; }

private:
    void poll()
    {
        QTimer::singleShot(20, this, [this] { step(); });
    }
    void finish(const QString &error = {})
    {
        m_error = error;
        m_done = true;
    }
    void step()
    {
        if (m_deadline.hasExpired(5000)) {
            if (QWidget *popup = QApplication::activePopupWidget())
                popup->close();
            if (auto *dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget()))
                dialog->reject();
            finish(m_menuAnswered ? QStringLiteral("no confirmation opened after \"%1\"").arg(m_action)
                                  : QStringLiteral("no context menu opened"));
            return;
        }
        if (!m_menuAnswered) {
            if (auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget())) {
                m_menuAnswered = true;
                for (QAction *action : menu->actions()) {
                    if (action->text() == m_action && action->isEnabled()) {
                        QTest::mouseClick(menu, Qt::LeftButton, {}, menu->actionGeometry(action).center());
                        poll();
                        return;
                    }
                }
                menu->close();
                finish(QStringLiteral("the context menu has no enabled \"%1\"").arg(m_action));
                return;
            }
        } else if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
            QAbstractButton *yes = box->button(QMessageBox::Yes);
            if (!yes) {
                box->reject();
                finish(QStringLiteral("the confirmation has no Yes button"));
                return;
            }
            QTest::mouseClick(yes, Qt::LeftButton);
            finish();
            return;
        }
        poll();
    }

    QString m_action;
    QElapsedTimer m_deadline;
    bool m_menuAnswered = false;
    bool m_done = false;
    QString m_error;
};

// Opens the tree's context menu on a member's row as a right click does, picks an action, and
// confirms it when the console asks. Returns what went wrong, or nothing.
QString chooseFromContextMenu(QTreeView *tree, const QString &memberId, const QString &action)
{
    const QPersistentModelIndex row = tree->model()
                                          ->match(tree->model()->index(0, 0), LiveClusterModel::MemberIdRole, memberId, 1,
                                                  Qt::MatchExactly | Qt::MatchRecursive)
                                          .value(0);
    if (!row.isValid())
        return QStringLiteral("%1 is not in the tree").arg(memberId);
    tree->scrollTo(row);
    const QPoint position = tree->visualRect(row).center();
    MenuAnswerer answerer(action);
    QContextMenuEvent event(QContextMenuEvent::Mouse, position, tree->viewport()->mapToGlobal(position));
    QApplication::sendEvent(tree->viewport(), &event);
    if (!QTest::qWaitFor([&answerer] { return answerer.done(); }, 6000))
        return QStringLiteral("the menu and its confirmation were not answered in time");
    return answerer.error();
}

} // namespace

class TestLiveConsole : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void liveClusterInTheConsole();
};

void TestLiveConsole::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    const QString busy = busyPorts({{QStringLiteral("127.0.0.1"), 9763}, {QStringLiteral("127.0.0.1"), 9764}, {QStringLiteral("127.0.0.1"), 9765}});
    QVERIFY2(busy.isEmpty(), qPrintable(QStringLiteral("the sample members need these ports: ") + busy));
}

void TestLiveConsole::liveClusterInTheConsole()
{
    AgentCluster cluster({QStringLiteral("lb"), QStringLiteral("esb-manager"), QStringLiteral("esb-worker1"),
                          QStringLiteral("esb-worker2")});
    QString error;
    QVERIFY2(cluster.prepare(&error), qPrintable(error));
    const QString runtime = cluster.root() + QLatin1String("/haproxy");
    const quint16 httpPort = freePort();
    QVERIFY(cluster.start(QStringLiteral("lb"), {QStringLiteral("--role"), QStringLiteral("lb"), QStringLiteral("--bind"),
                                                 QStringLiteral("127.0.0.1"), QStringLiteral("--http-port"), QString::number(httpPort),
                                                 QStringLiteral("--https-port"), QString::number(freePort()),
                                                 QStringLiteral("--runtime-dir"), runtime}));
    QVERIFY(cluster.start(QStringLiteral("esb-manager"), {QStringLiteral("--serve-http")}));
    QVERIFY(cluster.start(QStringLiteral("esb-worker1"), {QStringLiteral("--serve-http")}));

    ConnectionSettings settings;
    settings.seeds = {cluster.memberId(QStringLiteral("lb"))};
    settings.keys = cluster.keys();
    settings.loadBalancerSocket = runtime + QLatin1String("/admin.sock");
    settings.historyUrl = QLatin1String("sqlite://") + cluster.root() + QLatin1String("/history.sqlite");
    const QString worker1 = cluster.memberId(QStringLiteral("esb-worker1"));
    const QString worker2 = cluster.memberId(QStringLiteral("esb-worker2"));
    {
        LiveSession session(settings, QStringLiteral("test cluster"));
        ClusterWorkspace workspace;
        MainWindow window(&workspace, &session, MemberActions::of(&session));
        window.resize(1280, 800);
        window.show();
        session.start();
        LiveClusterModel *model = session.model();

        // The worker shows, and HAProxy has it UP.
        QTRY_VERIFY_WITH_TIMEOUT(model->indexOfMember(worker1).isValid(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(model->indexOfMember(worker1).data(LiveClusterModel::BalancerStatusRole).toString(),
                                  QStringLiteral("UP"), 10000);

        // A worker started appears.
        QVERIFY(cluster.start(QStringLiteral("esb-worker2"), {QStringLiteral("--serve-http")}));
        QTRY_VERIFY_WITH_TIMEOUT(model->indexOfMember(worker2).isValid(), 8000);
        QVERIFY(window.liveView()->selectMember(worker2));
        QTRY_VERIFY(window.liveView()->pageText().contains(QLatin1String("wso2.esb.domain / worker")));

        // A worker killed is marked failed.
        QVERIFY(cluster.kill(QStringLiteral("esb-worker2")));
        QTRY_COMPARE_WITH_TIMEOUT(model->indexOfMember(worker2).data(LiveClusterModel::MemberStateRole).toInt(),
                                  int(Protocol::MemberState::Failed), 6000);
        QCOMPARE(model->indexOfMember(worker2).data(LiveClusterModel::ToneRole).toInt(), int(LiveClusterModel::Tone::Bad));
        // Said by the node's name, with its address beside, in the status bar, the tree and the log.
        QVERIFY2(window.statusBar()->currentMessage().contains(QLatin1String("esb-worker2 (") + worker2 + QLatin1String(") failed")),
                 qPrintable(window.statusBar()->currentMessage()));
        QCOMPARE(model->indexOfMember(worker2).data().toString(), QStringLiteral("esb-worker2"));
        bool namedInLog = false;
        for (int row = 0; row < session.events()->rowCount(); ++row) {
            const QModelIndex member = session.events()->index(row, EventLogModel::MemberColumn);
            namedInLog = namedInLog
                || (member.data(EventLogModel::MemberIdRole).toString() == worker2 && member.data().toString() == u"esb-worker2"
                    && member.data(Qt::ToolTipRole).toString() == worker2);
        }
        QVERIFY(namedInLog);
        // The filter finds members by name.
        window.liveView()->filterBox()->setText(QStringLiteral("esb-worker1"));
        QTRY_VERIFY(window.liveView()->selectMember(worker1));
        QVERIFY(!window.liveView()->selectMember(worker2));
        window.liveView()->filterBox()->clear();
        // The membership source is confirmed while all is quiet, not ageing.
        window.liveView()->tree()->setFocus();
        QTRY_VERIFY_WITH_TIMEOUT(window.statusText().contains(QLatin1String("membership ") + settings.seeds.first()
                                                              + QLatin1String(": confirmed")),
                                 5000);
        QVERIFY2(!window.statusWarns(), qPrintable(window.statusText()));

        // A server that no agent stands behind is shown too, marked so, not dropped.
        HAProxy::RuntimeClient adder(*HAProxy::RuntimeClient::parseAddress(settings.loadBalancerSocket, &error));
        // The load balancer's agent removes servers it did not add at its next reconcile (every
        // 2 s), so the server is added again until the console has polled it once.
        const QString legacy = QStringLiteral("wso2.esb.domain:worker/legacy-box");
        bool added = false;
        QElapsedTimer adding;
        adding.start();
        while (!model->indexOfMember(legacy).isValid() && adding.elapsed() < 10000) {
            adder.send(QStringLiteral("add server wso2.esb.domain:worker/legacy-box 127.0.0.1:1"),
                       [&added](const HAProxy::Reply &reply) { added = added || reply.ok; });
            QTest::qWait(200);
        }
        QVERIFY(added);
        QVERIFY(model->indexOfMember(legacy).isValid());
        QCOMPARE(model->indexOfMember(legacy).siblingAtColumn(LiveClusterModel::StateColumn).data().toString(),
                 QStringLiteral("no agent"));
        QVERIFY(model->indexOfMember(worker1).isValid());

        // Drain from the tree's context menu, confirmed: DRAIN in HAProxy and in the tree.
        QVERIFY(window.liveView()->selectMember(worker1));
        const QString menuError = chooseFromContextMenu(window.liveView()->tree(), worker1, QStringLiteral("Drain"));
        QVERIFY2(menuError.isEmpty(), qPrintable(menuError));
        QTRY_COMPARE_WITH_TIMEOUT(model->indexOfMember(worker1).data(LiveClusterModel::BalancerStatusRole).toString(),
                                  QStringLiteral("DRAIN"), 5000);
        HAProxy::RuntimeClient runtimeClient(*HAProxy::RuntimeClient::parseAddress(settings.loadBalancerSocket, &error));
        QString haproxyStatus;
        runtimeClient.showStat([&](const HAProxy::Reply &, const QList<HAProxy::StatRow> &rows) {
            for (const HAProxy::StatRow &row : rows) {
                if (row.server == worker1)
                    haproxyStatus = row.status;
            }
        });
        QTRY_COMPARE(haproxyStatus, QStringLiteral("DRAIN"));
        QTRY_VERIFY(eventLogHas(session.events(), QStringLiteral("admin"), worker1));

        // The worker sub-domain's charts stack its members, one series each; the domain's sum them.
        QVERIFY(window.liveView()->selectMember(worker1));
        QTreeView *tree = window.liveView()->tree();
        const QPersistentModelIndex subDomain = tree->currentIndex().parent();
        QCOMPARE(subDomain.data(LiveClusterModel::KindRole).toInt(), int(LiveClusterModel::Kind::SubDomain));
        const int workers = int(subDomain.data(LiveClusterModel::MemberIdsRole).toStringList().size());
        QVERIFY(workers >= 2);
        tree->setCurrentIndex(subDomain);
        QTRY_COMPARE(window.liveView()->charts()->seriesCount(Metric::RequestRate), workers);
        QVERIFY(window.liveView()->pageText().contains(QLatin1String("stack")));
        tree->setCurrentIndex(subDomain.parent());
        QTRY_COMPARE(window.liveView()->charts()->seriesCount(Metric::RequestRate), 1);

        // A picture of the console on the live cluster.
        QVERIFY(window.liveView()->selectMember(worker1));
        QTest::qWait(2500); // a few seconds of samples in the charts
        // Round trips of the probes the worker's agent answered, from its health.
        QTRY_VERIFY_WITH_TIMEOUT(window.liveView()->pageText().contains(QLatin1String("Probe round trips")), 5000);
        const QString path = QStringLiteral(TRIBUNE_SCREENSHOT_DIR "/tribune-live.png");
        QVERIFY(window.grab().save(path));
        qInfo("screenshot: %s", qPrintable(path));
        // The domain's page sums it up: members by state, the load balancer's view, recent problems.
        tree->setCurrentIndex(tree->currentIndex().parent().parent());
        QCOMPARE(tree->currentIndex().data(LiveClusterModel::KindRole).toInt(), int(LiveClusterModel::Kind::Domain));
        const QString domainPage = window.liveView()->pageText();
        QVERIFY2(domainPage.contains(QLatin1String("1 failed")) && domainPage.contains(QLatin1String("Recent problems"))
                     && domainPage.contains(QLatin1String("esb-worker2")),
                 qPrintable(domainPage));
        const QString summaryPath = QStringLiteral(TRIBUNE_SCREENSHOT_DIR "/live-domain-summary.png");
        QVERIFY(window.grab().save(summaryPath));
        qInfo("screenshot: %s", qPrintable(summaryPath));

        // Cluster → Check the Running Cluster's Files: every live member's files, read from its
        // agent in the background and validated as a whole, in the configuration tab.
        auto *checkLive = window.findChild<QAction *>(QStringLiteral("checkLiveAction"));
        QVERIFY(checkLive && checkLive->isEnabled());
        QSignalSpy fetched(&workspace, &ClusterWorkspace::liveFetchFinished);
        checkLive->trigger();
        QVERIFY(!checkLive->isEnabled()); // one read at a time
        QTRY_COMPARE_WITH_TIMEOUT(fetched.size(), 1, 10000);
        QVERIFY2(fetched.first().at(0).toBool(), qPrintable(fetched.first().at(1).toStringList().join(u'\n')));
        QVERIFY(workspace.isLive());
        QVERIFY(workspace.title().contains(cluster.memberId(QStringLiteral("lb"))));
        QStringList nodes;
        for (const NodeConfig &node : workspace.cluster().nodes())
            nodes.append(node.name());
        nodes.sort();
        QCOMPARE(nodes, (QStringList{QStringLiteral("esb-manager"), QStringLiteral("esb-worker1"), QStringLiteral("lb")}));
        QCOMPARE(window.findChild<QTabWidget *>()->currentWidget(), static_cast<QWidget *>(window.configView()));
        QVERIFY(window.selectNode(QStringLiteral("esb-worker1")));
        QTest::qWait(200);
        const QString filesPath = QStringLiteral(TRIBUNE_SCREENSHOT_DIR "/tribune-live-files.png");
        QVERIFY(window.grab().save(filesPath));
        qInfo("screenshot: %s", qPrintable(filesPath));

        // A well-known member that stops answering (stopped, its connection still open) turns the
        // status bar into a warning once its data is really stale, and back once it answers.
        window.findChild<QTabWidget *>()->setCurrentWidget(window.liveView());
        QTRY_VERIFY(window.statusText().contains(QLatin1String(": confirmed")));
        const qint64 seedPid = cluster.pid(QStringLiteral("lb"));
        QVERIFY(::kill(pid_t(seedPid), SIGSTOP) == 0);
        QTRY_VERIFY_WITH_TIMEOUT(window.statusWarns(), session.connection()->staleAfterMs() + 4000);
        QVERIFY2(window.statusText().contains(QLatin1String("no answer for")), qPrintable(window.statusText()));
        QVERIFY(::kill(pid_t(seedPid), SIGCONT) == 0);
        QTRY_VERIFY_WITH_TIMEOUT(!window.statusWarns(), 8000);
    }

    // The console restarts: its event log still holds what happened before.
    // (read on the history's thread, so they arrive a moment after the session starts).
    LiveSession again(settings, QStringLiteral("test cluster"));
    QTRY_VERIFY(eventLogHas(again.events(), QStringLiteral("failure"), worker2));
    QVERIFY(eventLogHas(again.events(), QStringLiteral("admin"), worker1));
}

QTEST_MAIN(TestLiveConsole)
#include "tst_liveconsole.moc"
