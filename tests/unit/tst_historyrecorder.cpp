// The console's history on a thread of its own: opened there, the last day's events arriving in
// the log after the session starts, the charts' older samples answered later (and the charts told),
// every write done before the recorder goes, and a history that cannot open said.
#include "history/historystore.h"
#include "live/eventlogmodel.h"
#include "live/historyrecorder.h"
#include "live/livecluster.h"
#include "live/metricseries.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Tribune;

class TestHistoryRecorder final : public QObject
{
    Q_OBJECT

private slots:
    void readsAndWritesOffTheApplicationThread()
    {
        QTemporaryDir dir;
        const QString url = QLatin1String("sqlite://") + dir.filePath(QStringLiteral("history.sqlite"));
        const QString member = QStringLiteral("127.0.0.1:4001");
        const QDateTime now = QDateTime::currentDateTimeUtc();
        {
            QString error;
            std::optional<HistoryStore> store = HistoryStore::open(url, &error);
            QVERIFY2(store, qPrintable(error));
            QVERIFY(store->addEvent({now.addSecs(-3600), QStringLiteral("failure"), member, QStringLiteral("wso2.esb.domain"),
                                     QStringLiteral("worker"), QStringLiteral("no heartbeat")}));
            QList<MetricSample> samples;
            for (int second = 3000; second > 2000; --second)
                samples.append({now.addSecs(-second), member, 4, 1, 0, 0, 0, 10});
            QVERIFY(store->addSamples(samples));
        }
        LiveCluster cluster;
        MetricSeries series(&cluster);
        EventLogModel events;
        auto recorder = std::make_unique<HistoryRecorder>(url, &cluster, &series, &events);
        QSignalSpy opened(recorder.get(), &HistoryRecorder::opened);
        QCOMPARE(events.rowCount(), 0); // nothing was read on this thread
        QTRY_COMPARE(opened.size(), 1);
        QVERIFY(opened.first().first().toBool());
        QCOMPARE(events.rowCount(), 1);
        QCOMPARE(events.eventAt(0).kind, QStringLiteral("failure"));

        // Older samples: none at first, then the answer, and the charts are told.
        QSignalSpy arrived(&series, &MetricSeries::historyArrived);
        const double to = double(now.toSecsSinceEpoch());
        series.record(QStringLiteral("127.0.0.1:4002"), to, {}); // memory starts now
        QVERIFY(series.summed({member}, to - 3600, to).times.isEmpty());
        QTRY_COMPARE(arrived.size(), 1);
        QCOMPARE(series.summed({member}, to - 3600, to).times.size(), 1000);
        // Asked again for the same window, it answers from what it has.
        QCOMPARE(series.summed({member}, to - 3600, to).times.size(), 1000);
        QTest::qWait(100);
        QCOMPARE(arrived.size(), 1);

        // Writes are queued; all are done once the recorder is gone.
        for (int i = 0; i < 200; ++i)
            cluster.logEvent(QStringLiteral("admin"), member, QStringLiteral("drained %1").arg(i));
        recorder.reset();
        QString error;
        const std::optional<HistoryStore> store = HistoryStore::open(url, &error);
        QVERIFY2(store, qPrintable(error));
        QCOMPARE(store->events({}, {}, QStringLiteral("drained"), 0).size(), 200);
    }

    void saysWhenItCannotOpen()
    {
        LiveCluster cluster;
        MetricSeries series(&cluster);
        EventLogModel events;
        HistoryRecorder recorder(QStringLiteral("sqlite:///proc/no-such-folder/history.sqlite"), &cluster, &series, &events);
        QSignalSpy problem(&recorder, &HistoryRecorder::problem);
        QSignalSpy opened(&recorder, &HistoryRecorder::opened);
        QTRY_COMPARE(opened.size(), 1);
        QVERIFY(!opened.first().first().toBool());
        QCOMPARE(problem.size(), 1);
        QVERIFY2(problem.first().first().toString().startsWith(QLatin1String("no history is kept: ")),
                 qPrintable(problem.first().first().toString()));
        // Nothing to write to: logging goes on without it.
        cluster.logEvent(QStringLiteral("admin"), QString(), QStringLiteral("still fine"));
        QTest::qWait(50);
        QCOMPARE(problem.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestHistoryRecorder)
#include "tst_historyrecorder.moc"
