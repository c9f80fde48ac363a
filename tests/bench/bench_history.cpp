// Fills a history with an hour of one-second samples of 1,000 members, written the way the
// console writes them (one batch a second), and prints how long a batch takes to insert, how long
// one member's last hour and a 50-member sub-domain's take to read, and how long the minute
// roll-up takes. SQLite in a temporary folder, or the history URL given as the first argument;
// TRIBUNE_BENCH_SECONDS shortens the hour. Exits non-zero only if what it reads back is wrong.
#include "history/historystore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>

using namespace Tribune;

namespace {

constexpr int Members = 1000;

QString memberId(int member)
{
    return QStringLiteral("10.2.%1.%2:4000").arg(member / 250).arg(member % 250);
}

double requestRate(int member, int second)
{
    return member % 10 + second % 7;
}

double percentile(QList<double> values, double fraction)
{
    std::sort(values.begin(), values.end());
    return values.at(std::min<qsizetype>(values.size() - 1, qsizetype(fraction * double(values.size()))));
}

QString ms(double value)
{
    return QString::number(value, 'f', value < 10 ? 2 : 1) + QLatin1String(" ms");
}

double elapsedMs(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    QTextStream err(stderr);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("history.sqlite"));
    const QString url = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QLatin1String("sqlite://") + path;
    const int seconds = qEnvironmentVariableIsSet("TRIBUNE_BENCH_SECONDS")
        ? std::clamp(qEnvironmentVariableIntValue("TRIBUNE_BENCH_SECONDS"), 60, 3600)
        : 3600;
    QString error;
    std::optional<HistoryStore> store = HistoryStore::open(url, &error);
    if (!store) {
        err << error << Qt::endl;
        return 1;
    }
    out << "History: " << store->location() << Qt::endl;

    const QDateTime now(QDate(2025, 3, 14), QTime(16, 0), Qt::UTC);
    const QDateTime start = now.addSecs(-seconds);
    QList<double> inserts;
    QList<MetricSample> batch(Members);
    QElapsedTimer total;
    total.start();
    for (int second = 0; second < seconds; ++second) {
        const QDateTime time = start.addSecs(second);
        for (int member = 0; member < Members; ++member)
            batch[member] = {time, memberId(member), requestRate(member, second), double(member), 1000, 2000, 0,
                             20.0 + second % 5};
        QElapsedTimer timer;
        timer.start();
        if (!store->addSamples(batch)) {
            err << store->lastError() << Qt::endl;
            return 1;
        }
        inserts << elapsedMs(timer);
    }
    out << "Insert 1,000 samples (one second of " << Members << " members) in one transaction, " << seconds
        << " batches: median " << ms(percentile(inserts, 0.5)) << ", p95 " << ms(percentile(inserts, 0.95))
        << ", max " << ms(percentile(inserts, 1.0)) << "; " << seconds * Members << " rows in "
        << QString::number(double(total.elapsed()) / 1000, 'f', 1) << " s";
    if (argc <= 1)
        out << ", file " << (QFileInfo(path).size() + QFileInfo(path + QLatin1String("-wal")).size()) / (1024 * 1024)
            << " MB";
    out << Qt::endl;

    const int probe = 500;
    QList<double> queries;
    for (int round = 0; round < 20; ++round) {
        QElapsedTimer timer;
        timer.start();
        const QList<MetricSample> hour = store->samples(memberId(probe), now.addSecs(-3600), now);
        queries << elapsedMs(timer);
        if (hour.size() != seconds || hour.last().requestRate != requestRate(probe, seconds - 1)
            || hour.first().time != start) {
            err << "wrong samples read back: " << hour.size() << " rows " << store->lastError() << Qt::endl;
            return 1;
        }
    }
    out << "Query one member's last hour (" << seconds << " one-second rows): median "
        << ms(percentile(queries, 0.5)) << ", max " << ms(percentile(queries, 1.0)) << Qt::endl;

    QStringList subDomain;
    for (int member = 0; member < 50; ++member)
        subDomain << memberId(member);
    queries.clear();
    for (int round = 0; round < 5; ++round) {
        QElapsedTimer timer;
        timer.start();
        const QList<MetricSample> summed = store->samplesSummed(subDomain, now.addSecs(-3600), now);
        queries << elapsedMs(timer);
        if (summed.size() != seconds || summed.first().sessions != 49 * 50 / 2) {
            err << "wrong sums read back: " << summed.size() << " rows " << store->lastError() << Qt::endl;
            return 1;
        }
    }
    out << "Query a 50-member sub-domain's last hour, summed: median " << ms(percentile(queries, 0.5)) << Qt::endl;

    // The first call a minute after the hour is full rolls up its oldest minute.
    QElapsedTimer timer;
    timer.start();
    if (!store->compact(start.addSecs(3600 + 60))) {
        err << store->lastError() << Qt::endl;
        return 1;
    }
    const double rollUp = elapsedMs(timer);
    queries.clear();
    for (int round = 0; round < 20; ++round) {
        timer.start();
        store->compact(start.addSecs(3600 + 60));
        queries << elapsedMs(timer);
    }
    out << "Compact: roll up one minute of " << Members << " members (" << 60 * Members
        << " rows) " << ms(rollUp) << "; with nothing due " << ms(percentile(queries, 0.5)) << Qt::endl;

    timer.start();
    const QList<MetricSample> mixed = store->samples(memberId(probe), start, now);
    const double mixedMs = elapsedMs(timer);
    if (mixed.size() != 1 + seconds - 60 || mixed.first().responseTimeMs != 24) {
        err << "wrong rolled-up samples: " << mixed.size() << " rows " << store->lastError() << Qt::endl;
        return 1;
    }
    out << "Query one member's hour after the roll-up (one minute row, then seconds): " << ms(mixedMs) << Qt::endl;
    return 0;
}
