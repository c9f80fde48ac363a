// The live view as an administrator works it, on a cluster given row by row (no agents needed):
// the tree filter shows every match and gives back the user's expansion when cleared, Ctrl+F and
// Esc; member actions only where they act; the charts save the plots alone and show when paused.
#include "liveview.h"
#include "trafficcharts.h"

#include "live/eventlogmodel.h"
#include "live/livecluster.h"
#include "live/liveclustermodel.h"
#include "live/metricseries.h"

#include <QAction>
#include <QDateTime>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include <qcustomplot.h>

#include <cmath>

using namespace Tribune;

namespace {

LiveMember member(const QString &id, const QString &name, const QString &domain, const QString &subDomain, bool loadBalancer = false)
{
    LiveMember live;
    live.info.id = id;
    live.info.name = name;
    live.info.domain = domain;
    live.info.subDomain = subDomain;
    live.info.host = id.section(u':', 0, 0);
    live.info.port = id.section(u':', 1).toInt();
    live.info.loadBalancer = loadBalancer;
    return live;
}

QStringList actionTexts(QMenu *menu)
{
    QStringList texts;
    for (const QAction *action : menu->actions())
        texts.append(action->text());
    delete menu;
    return texts;
}

} // namespace

class TestLiveView final : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        // Splitter sizes go to settings of this test's own.
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
        m_cluster = std::make_unique<LiveCluster>();
        m_cluster->showMembers({member(QStringLiteral("10.0.0.1:4000"), QStringLiteral("lb"), QStringLiteral("wso2.carbon.lb.domain"), QString(), true),
                                member(QStringLiteral("10.0.0.2:4000"), QStringLiteral("esb-manager"), QStringLiteral("wso2.esb.domain"), QStringLiteral("mgt")),
                                member(QStringLiteral("10.0.0.3:4000"), QStringLiteral("esb-worker1"), QStringLiteral("wso2.esb.domain"), QStringLiteral("worker")),
                                member(QStringLiteral("10.0.0.4:4000"), QStringLiteral("greg-worker1"), QStringLiteral("wso2.governance.domain"), QStringLiteral("worker"))},
                               true);
        m_model = std::make_unique<LiveClusterModel>(m_cluster.get(), QStringLiteral("prod"));
        m_series = std::make_unique<MetricSeries>(600);
        m_events = std::make_unique<EventLogModel>();
        MemberActions actions;
        actions.allowed = true;
        actions.setState = [](const QStringList &, MemberActions::State) {};
        actions.setWeight = [](const QStringList &, int) {};
        m_view = std::make_unique<LiveView>(m_cluster.get(), m_model.get(), m_series.get(), m_events.get(), actions);
        m_view->resize(1200, 800);
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    }
    void cleanup()
    {
        m_view.reset();
        m_events.reset();
        m_series.reset();
        m_model.reset();
        m_cluster.reset();
    }

    void pagesKeepTheirCharacters()
    {
        // A failed member's page under a UTF-8 locale: the dash and the ellipsis as they are, no
        // "â€”" from bytes read as Latin-1.
        LiveMember failed = member(QStringLiteral("10.0.0.3:4000"), QStringLiteral("esb-worker1"), QStringLiteral("wso2.esb.domain"),
                                   QStringLiteral("worker"));
        failed.state = Protocol::MemberState::Failed;
        failed.reason = QStringLiteral("no heartbeat for more than memberDropTime (3000 ms)…");
        failed.stateSince = QDateTime::currentDateTimeUtc();
        QList<LiveMember> members;
        for (auto it = m_cluster->members().cbegin(); it != m_cluster->members().cend(); ++it)
            members.append(it.key() == failed.info.id ? failed : *it);
        m_cluster->showMembers(members, true);
        QVERIFY(m_view->selectMember(failed.info.id));
        const QString page = m_view->pageText();
        QVERIFY2(page.contains(QStringLiteral(" — no heartbeat for more than memberDropTime (3000 ms)…")), qPrintable(page));
        QVERIFY2(!page.contains(u'â') && !page.contains(u'Â'), qPrintable(page));
        // The group's page: the busiest members joined by a middle dot, the recent problems named.
        m_events->append({QDateTime::currentDateTimeUtc(), QStringLiteral("health"), failed.info.id, failed.info.domain,
                          failed.info.subDomain, QStringLiteral("load balancer: UP → DOWN (L4CON)")});
        QVERIFY(m_view->selectMember(QStringLiteral("10.0.0.3:4000")));
        m_view->tree()->setCurrentIndex(m_view->tree()->currentIndex().parent());
        const QString groupPage = m_view->pageText();
        QVERIFY2(groupPage.contains(QStringLiteral("UP → DOWN (L4CON)")), qPrintable(groupPage));
        QVERIFY2(groupPage.contains(QLatin1String("1 failed")), qPrintable(groupPage));
        QVERIFY2(!groupPage.contains(u'â') && !groupPage.contains(u'Â'), qPrintable(groupPage));
    }

    void actionsOnlyWhereTheyAct()
    {
        QTreeView *tree = m_view->tree();
        const QModelIndex root = tree->model()->index(0, 0);
        QVERIFY(!actionTexts(m_view->menuFor(root)).contains(QStringLiteral("Drain")));
        QVERIFY(m_view->selectMember(QStringLiteral("10.0.0.1:4000")));
        const QStringList onLoadBalancer = actionTexts(m_view->menuFor(tree->currentIndex()));
        QVERIFY2(!onLoadBalancer.contains(QStringLiteral("Drain")) && !onLoadBalancer.contains(QStringLiteral("Set Weight…")),
                 qPrintable(onLoadBalancer.join(u',')));
        QVERIFY(m_view->selectMember(QStringLiteral("10.0.0.3:4000")));
        const QStringList onWorker = actionTexts(m_view->menuFor(tree->currentIndex()));
        QVERIFY(onWorker.contains(QStringLiteral("Drain")));
        QVERIFY(onWorker.contains(QStringLiteral("Configure…")));
        QVERIFY(actionTexts(m_view->menuFor(tree->currentIndex().parent())).contains(QStringLiteral("Drain")));
    }

    void filterShowsMatchesAndGivesTheExpansionBack()
    {
        QTreeView *tree = m_view->tree();
        // The user folded the governance domain away.
        QVERIFY(m_view->selectMember(QStringLiteral("10.0.0.4:4000")));
        const QPersistentModelIndex governance = tree->currentIndex().parent().parent();
        tree->collapse(governance);
        QVERIFY(m_view->selectMember(QStringLiteral("10.0.0.3:4000")));
        const QPersistentModelIndex esb = tree->currentIndex().parent().parent();
        QVERIFY(tree->isExpanded(esb));
        QVERIFY(!tree->isExpanded(governance));

        m_view->filterBox()->setText(QStringLiteral("greg-worker"));
        QCOMPARE(tree->model()->rowCount(), 1); // the cluster root
        QModelIndex found = tree->model()->index(0, 0);
        while (tree->model()->rowCount(found) > 0) {
            QVERIFY2(tree->isExpanded(found), qPrintable(found.data().toString()));
            found = tree->model()->index(0, 0, found);
        }
        QCOMPARE(found.data().toString(), QStringLiteral("greg-worker1"));

        m_view->filterBox()->clear();
        QVERIFY(m_view->selectMember(QStringLiteral("10.0.0.3:4000")));
        QVERIFY(tree->isExpanded(tree->currentIndex().parent().parent())); // esb stays open
        bool governanceFolded = false;
        const QModelIndex rootIndex = tree->model()->index(0, 0);
        for (int row = 0; row < tree->model()->rowCount(rootIndex); ++row) {
            const QModelIndex domain = tree->model()->index(row, 0, rootIndex);
            if (domain.data().toString() == u"wso2.governance.domain")
                governanceFolded = !tree->isExpanded(domain);
        }
        QVERIFY(governanceFolded);
    }

    void findAndEscape()
    {
        m_view->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_view.get()));
        m_view->tree()->setFocus();
        QTest::keyClick(m_view->tree(), Qt::Key_F, Qt::ControlModifier);
        QTRY_VERIFY(m_view->filterBox()->hasFocus());
        QTest::keyClicks(m_view->filterBox(), QStringLiteral("esb"));
        QCOMPARE(m_view->filterBox()->text(), QStringLiteral("esb"));
        QTest::keyClick(m_view->filterBox(), Qt::Key_Escape);
        QVERIFY(m_view->filterBox()->text().isEmpty());
    }

    void chartsSpeakInUnits()
    {
        // 250 kB/s in, 3 MB/s out, 2 to 3 sessions: bytes in their units, sessions in whole numbers.
        const double now = double(QDateTime::currentSecsSinceEpoch());
        for (int second = 60; second >= 0; --second)
            m_series->record(QStringLiteral("10.0.0.3:4000"), now - second,
                             {5, 2.0 + (second % 2), 250000.0 + second, 3000000.0, 0, 12});
        QVERIFY(m_view->selectMember(QStringLiteral("10.0.0.3:4000")));
        QStringList labels;
        QTRY_VERIFY2_WITH_TIMEOUT([&] {
            labels.clear();
            for (QCustomPlot *plot : m_view->charts()->findChildren<QCustomPlot *>()) {
                plot->replot();
                labels.append(QStringList(plot->yAxis->tickVectorLabels().cbegin(), plot->yAxis->tickVectorLabels().cend()).join(u'|'));
            }
            return labels.size() == 6 && labels.at(2).contains(QLatin1String("kB/s")) && labels.at(3).contains(QLatin1String("MB/s"));
        }(), qPrintable(labels.join(QLatin1String(" ; "))), 5000);
        QVERIFY(m_view->grab().save(QStringLiteral(TRIBUNE_SCREENSHOT_DIR "/liveview-units.png")));
        // Sessions: every tick a whole number.
        for (const double tick : m_view->charts()->findChildren<QCustomPlot *>().at(1)->yAxis->tickVector())
            QCOMPARE(tick, std::round(tick));
    }

    void chartsSaveThePlotsAloneAndShowWhenPaused()
    {
        TrafficCharts *charts = m_view->charts();
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("charts.png"));
        QVERIFY(charts->saveAs(path));
        const QImage saved(path);
        const qreal ratio = charts->plotArea()->devicePixelRatioF();
        QCOMPARE(saved.size(), charts->plotArea()->size() * ratio);
        QVERIFY(saved.height() < charts->height() * ratio); // not the window box and buttons above
        auto *note = charts->findChild<QLabel *>(QStringLiteral("pausedNote"));
        QVERIFY(note && !note->isVisible());
        charts->setPaused(true);
        QVERIFY(note->isVisible());
        charts->setPaused(false);
        QVERIFY(!note->isVisible());
    }

private:
    QTemporaryDir m_settingsDir;
    std::unique_ptr<LiveCluster> m_cluster;
    std::unique_ptr<LiveClusterModel> m_model;
    std::unique_ptr<MetricSeries> m_series;
    std::unique_ptr<EventLogModel> m_events;
    std::unique_ptr<LiveView> m_view;
};

QTEST_MAIN(TestLiveView)
#include "tst_liveview.moc"
