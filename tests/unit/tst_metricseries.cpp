// The live charts' samples: summed for domains and the cluster, one layer per member on a shared
// time axis for stacked sub-domains, history taking over exactly where memory ends, and memory
// kept to its window.
#include "live/livecluster.h"
#include "live/metricseries.h"

#include <QTest>

#include <cmath>

using namespace Tribune;

namespace {

MetricSeries::Values values(double requestRate, double responseTimeMs)
{
    return {requestRate, requestRate * 2, requestRate * 100, requestRate * 200, 0, responseTimeMs};
}

constexpr size_t Requests = size_t(Metric::RequestRate);
constexpr size_t ResponseTime = size_t(Metric::ResponseTimeMs);

} // namespace

class TestMetricSeries : public QObject
{
    Q_OBJECT

private slots:
    void summedAddsRatesAndAveragesResponseTime();
    void layersShareOneTimeAxis();
    void historyTakesOverWhereMemoryEnds();
    void memoryKeepsItsWindow();
    void boundaryOfFractionalSeconds();
    void memberNoLongerSampledHoldsNoBoundaryBack();
    void quietestMembersShareALayer();
    void slidingWindowSumsAsAFreshOne();
};

void TestMetricSeries::summedAddsRatesAndAveragesResponseTime()
{
    LiveCluster cluster;
    MetricSeries series(&cluster);
    series.record(QStringLiteral("a"), 100, values(3, 10));
    series.record(QStringLiteral("b"), 100, values(5, 30));
    series.record(QStringLiteral("a"), 101, values(4, 20));
    series.record(QStringLiteral("c"), 101, values(7, 70)); // not asked for

    const MetricSeries::Table table = series.summed({QStringLiteral("a"), QStringLiteral("b")}, 100, 101);
    QCOMPARE(table.times, (QVector<double>{100, 101}));
    QCOMPARE(table.values[Requests], (QVector<double>{8, 4}));
    QCOMPARE(table.values[size_t(Metric::Sessions)], (QVector<double>{16, 8}));
    QCOMPARE(table.values[ResponseTime], (QVector<double>{20, 20})); // (10 + 30) / 2, then a alone

    // The window's bounds hold.
    QCOMPARE(series.summed({QStringLiteral("a"), QStringLiteral("b")}, 100.5, 200).times, (QVector<double>{101}));
    QVERIFY(series.summed({QStringLiteral("unknown")}, 0, 200).times.isEmpty());
}

void TestMetricSeries::layersShareOneTimeAxis()
{
    LiveCluster cluster;
    MetricSeries series(&cluster);
    // b joins at 101 and leaves after 102; a is there throughout.
    series.record(QStringLiteral("a"), 100, values(1, 10));
    series.record(QStringLiteral("a"), 101, values(2, 10));
    series.record(QStringLiteral("b"), 101, values(5, 50));
    series.record(QStringLiteral("a"), 102, values(3, 10));
    series.record(QStringLiteral("b"), 102, values(6, 50));
    series.record(QStringLiteral("a"), 103, values(4, 10));

    const MetricSeries::Layers layers = series.layered({QStringLiteral("b"), QStringLiteral("a")}, 0, 200);
    QCOMPARE(layers.times, (QVector<double>{100, 101, 102, 103}));
    QCOMPARE(layers.layers.size(), 2);
    // In the order asked for; absent times count nothing, and break the response time line.
    QCOMPARE(layers.layers[0][Requests], (QVector<double>{0, 5, 6, 0}));
    QCOMPARE(layers.layers[1][Requests], (QVector<double>{1, 2, 3, 4}));
    const QVector<double> &bResponse = layers.layers[0][ResponseTime];
    QVERIFY(qIsNaN(bResponse[0]) && qIsNaN(bResponse[3]));
    QCOMPARE(bResponse[1], 50.0);

    // Stacked, the top of the last layer is the sum.
    const MetricSeries::Table sum = series.summed({QStringLiteral("a"), QStringLiteral("b")}, 0, 200);
    for (qsizetype i = 0; i < layers.times.size(); ++i)
        QCOMPARE(layers.layers[0][Requests][i] + layers.layers[1][Requests][i], sum.values[Requests][i]);
}

void TestMetricSeries::historyTakesOverWhereMemoryEnds()
{
    LiveCluster cluster;
    MetricSeries series(&cluster, 60);
    // Memory holds 1000..1060; the store answers for anything asked, one row per 10 s per member,
    // so a second counted from both would show as a double value or a duplicate time.
    QList<QStringList> asked;
    QList<QStringList> askedOfEach;
    const auto rows = [](double from, double to, double rate) {
        QList<MetricSeries::Sample> samples;
        for (double time = std::ceil(from / 10) * 10; time <= to; time += 10)
            samples.append({time, values(rate, 5)});
        return samples;
    };
    series.setHistory(
        [&asked, rows](const QStringList &members, double from, double to) {
            asked << members;
            return rows(from, to, double(members.size()) * 100);
        },
        [&askedOfEach, rows](const QStringList &members, double from, double to) {
            askedOfEach << members;
            QHash<QString, QList<MetricSeries::Sample>> each;
            for (const QString &member : members)
                each.insert(member, rows(from, to, member == u"a" ? 100 : 200));
            return each;
        });
    for (int second = 0; second <= 60; ++second) {
        series.record(QStringLiteral("a"), 1000 + second, values(1, 10));
        series.record(QStringLiteral("b"), 1000 + second, values(2, 10));
    }

    // Within what memory holds, the store is not asked.
    QCOMPARE(series.summed({QStringLiteral("a"), QStringLiteral("b")}, 1010, 1060).times.size(), 51);
    QVERIFY(asked.isEmpty());

    // Further back: the store once for both members, summed, then memory from 1000 on.
    const MetricSeries::Table table = series.summed({QStringLiteral("a"), QStringLiteral("b")}, 900, 1060);
    QCOMPARE(asked, (QList<QStringList>{{QStringLiteral("a"), QStringLiteral("b")}}));
    QCOMPARE(table.times.size(), 10 + 61); // 900..990 from the store, 1000..1060 from memory
    QCOMPARE(table.times.first(), 900.0);
    QCOMPARE(table.times[9], 990.0);
    QCOMPARE(table.times[10], 1000.0);
    QCOMPARE(table.values[Requests][9], 200.0); // the store's sum
    QCOMPARE(table.values[Requests][10], 3.0);  // memory's sum
    QCOMPARE(table.values[ResponseTime][9], 5.0); // averaged by the store, not again

    // Layered: the store once for all the members, each with its own rows.
    asked.clear();
    const MetricSeries::Layers layers = series.layered({QStringLiteral("a"), QStringLiteral("b")}, 900, 1060);
    QVERIFY(asked.isEmpty());
    QCOMPARE(askedOfEach, (QList<QStringList>{{QStringLiteral("a"), QStringLiteral("b")}}));
    QCOMPARE(layers.times, table.times);
    QCOMPARE(layers.layers[0][Requests][0], 100.0);
    QCOMPARE(layers.layers[1][Requests][0], 200.0);
    QCOMPARE(layers.layers[1][Requests][10], 2.0);
}

void TestMetricSeries::memoryKeepsItsWindow()
{
    LiveCluster cluster;
    MetricSeries series(&cluster, 10);
    for (int second = 0; second < 100; ++second)
        series.record(QStringLiteral("a"), second, values(1, 1));
    const MetricSeries::Table table = series.summed({QStringLiteral("a")}, 0, 100);
    QCOMPARE(table.times.first(), 89.0);
    QCOMPARE(table.times.size(), 11);
    QCOMPARE(series.latestTime(), 99.0);
}

// Polls fall anywhere in a second, while the store keeps whole seconds: the second of the oldest
// kept sample must come from memory alone, and every earlier one from the store.
void TestMetricSeries::boundaryOfFractionalSeconds()
{
    LiveCluster cluster;
    MetricSeries series(&cluster, 60);
    series.setHistory([](const QStringList &, double from, double to) {
        QList<MetricSeries::Sample> samples;
        for (double second = std::ceil(from); second <= to; ++second)
            samples.append({second, values(100, 5)}); // the store's rows, truncated to the second
        return samples;
    }, {});
    for (int poll = 0; poll <= 60; ++poll)
        series.record(QStringLiteral("a"), 1000.7 + poll, values(1, 10));

    const MetricSeries::Table table = series.summed({QStringLiteral("a")}, 990, 1060.7);
    QCOMPARE(table.times.size(), 10 + 61); // 990..999 from the store, 1000.7..1060.7 from memory
    QCOMPARE(table.times[9], 999.0);
    QCOMPARE(table.times[10], 1000.7);
    QCOMPARE(table.values[Requests][9], 100.0);
    QCOMPARE(table.values[Requests][10], 1.0);

    // The first poll: memory's one sample is also the store's newest row; it counts once.
    MetricSeries fresh(&cluster, 60);
    fresh.setHistory([](const QStringList &, double from, double to) {
        QList<MetricSeries::Sample> samples;
        for (double second = std::ceil(from); second <= to; ++second)
            samples.append({second, values(1, 10)});
        return samples;
    }, {});
    fresh.record(QStringLiteral("a"), 2000.2, values(1, 10));
    const MetricSeries::Table first = fresh.summed({QStringLiteral("a")}, 1990, 2000.2);
    QCOMPARE(first.times.last(), 2000.2);
    QCOMPARE(first.times[first.times.size() - 2], 1999.0);
    QCOMPARE(first.values[Requests].last(), 1.0);
}

// A member that failed keeps its last samples until it ages out; the store must still answer
// for the others' older seconds rather than stop at the failed member's last minute.
void TestMetricSeries::memberNoLongerSampledHoldsNoBoundaryBack()
{
    LiveCluster cluster;
    MetricSeries series(&cluster, 60);
    series.setHistory([](const QStringList &, double from, double to) {
        QList<MetricSeries::Sample> samples;
        for (double second = std::ceil(from); second <= to; ++second)
            samples.append({second, values(7, 5)});
        return samples;
    }, {});
    for (int second = 1000; second <= 1200; ++second) {
        series.record(QStringLiteral("a"), second, values(1, 10));
        if (second <= 1060)
            series.record(QStringLiteral("b"), second, values(2, 10)); // then b fails
    }
    const MetricSeries::Table table = series.summed({QStringLiteral("a")}, 900, 1200);
    QCOMPARE(table.times.size(), 301); // every second of the window, none twice, no hole
    for (qsizetype i = 1; i < table.times.size(); ++i)
        QCOMPARE(table.times[i] - table.times[i - 1], 1.0);
    QCOMPARE(table.values[Requests][239], 7.0);  // 1139 from the store
    QCOMPARE(table.values[Requests][240], 1.0);  // 1140 from memory
}

void TestMetricSeries::quietestMembersShareALayer()
{
    LiveCluster cluster;
    MetricSeries series(&cluster);
    const QStringList members = {QStringLiteral("m1"), QStringLiteral("m2"), QStringLiteral("m3"), QStringLiteral("m4"),
                                 QStringLiteral("m5")};
    const double rates[] = {1, 50, 2, 40, 3};
    for (int second = 0; second < 10; ++second) {
        for (qsizetype i = 0; i < members.size(); ++i) {
            if (members[i] != u"m5" || second < 5) // m5 reports for half the window
                series.record(members[i], second, values(rates[i], 10 * double(i + 1)));
        }
    }
    // Three layers: the two busiest, in the order asked for, then the other three together.
    const MetricSeries::Layers layers = series.layered(members, 0, 10, 3);
    QCOMPARE(layers.names, (QStringList{QStringLiteral("m2"), QStringLiteral("m4"), QStringLiteral("3 other(s)")}));
    QCOMPARE(layers.layers.size(), 3);
    QCOMPARE(layers.layers[0][Requests][0], 50.0);
    QCOMPARE(layers.layers[2][Requests][0], 6.0); // 1 + 2 + 3
    QCOMPARE(layers.layers[2][Requests][9], 3.0); // m5 gone
    QCOMPARE(layers.layers[2][ResponseTime][0], 30.0); // (10 + 30 + 50) / 3
    QCOMPARE(layers.layers[2][ResponseTime][9], 20.0); // (10 + 30) / 2
    // Nothing is lost: the stack still adds up to the sum.
    const MetricSeries::Table sum = series.summed(members, 0, 10);
    for (qsizetype i = 0; i < layers.times.size(); ++i)
        QCOMPARE(layers.layers[0][Requests][i] + layers.layers[1][Requests][i] + layers.layers[2][Requests][i],
                 sum.values[Requests][i]);
    // Few enough members keep a layer each.
    QCOMPARE(series.layered(members, 0, 10, 5).names, members);
}

void TestMetricSeries::slidingWindowSumsAsAFreshOne()
{
    // The charts ask each second for the window one second later: what is reused from the last
    // answer and what is summed anew must add up to the answer a fresh series gives.
    LiveCluster cluster;
    MetricSeries series(&cluster);
    MetricSeries fresh(&cluster);
    const QStringList members{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")};
    for (int second = 0; second < 40; ++second) {
        const double time = 1000 + second;
        for (int i = 0; i < members.size(); ++i) {
            // c stops being sampled half-way; b only every other second.
            if ((i == 2 && second > 20) || (i == 1 && second % 2))
                continue;
            series.record(members.at(i), time, values(second + i, 10.0 * (i + 1)));
            fresh.record(members.at(i), time, values(second + i, 10.0 * (i + 1)));
        }
        const double to = time + 0.25; // asked a moment after the poll, as the charts do
        const MetricSeries::Table sliding = series.summed(members, to - 10, to);
        const MetricSeries::Table expected = fresh.summed(members, to - 10, to);
        QCOMPARE(sliding.times, expected.times);
        for (size_t metric = 0; metric < sliding.values.size(); ++metric)
            QCOMPARE(sliding.values[metric], expected.values[metric]);
        // Another member set in between is answered for itself and does not disturb the next.
        if (second % 7 == 0)
            QCOMPARE(series.summed({QStringLiteral("a")}, to - 10, to).times.size(), std::min(second + 1, 10));
        fresh.summed({QStringLiteral("a")}, 0, 1); // the fresh one forgets its last answer too
    }
    // Charts hidden a while: the window moved past the last answer, and nothing older shows.
    for (int second = 40; second < 60; ++second) {
        series.record(QStringLiteral("a"), 1000 + second, values(1, 10));
        fresh.record(QStringLiteral("a"), 1000 + second, values(1, 10));
    }
    const MetricSeries::Table later = series.summed(members, 1050, 1059.5);
    QCOMPARE(later.times, fresh.summed(members, 1050, 1059.5).times);
    QVERIFY(later.times.first() >= 1050);
}

QTEST_GUILESS_MAIN(TestMetricSeries)
#include "tst_metricseries.moc"
