#include "snapshotpdfreport.h"

#include "concurrency/background.h"
#include "live/metricseries.h"
#include "snapshot/snapshotreplay.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QFileInfo>
#include <QLocale>
#include <QMap>
#include <QPageLayout>
#include <QPdfWriter>
#include <QSaveFile>
#include <QTextDocument>

#include <qcustomplot.h>

namespace Tribune {

namespace {

struct ReportText
{
    Q_DECLARE_TR_FUNCTIONS(Tribune::SnapshotPdfReport)
};

// The most events a report lists (the newest); the CSV export has them all.
constexpr int MaxEventsListed = 2000;

QString escaped(const QString &text)
{
    return text.toHtmlEscaped();
}

QString timeText(const QDateTime &time)
{
    return QLocale().toString(time.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString number(double value, int decimals)
{
    return value < 0 ? QStringLiteral("—") : QLocale().toString(value, 'f', decimals);
}

// One domain's request and 5xx rates and response time over the window, as a PNG.
QByteArray domainChart(const MetricSeries *series, const QStringList &members, double from, double to)
{
    const MetricSeries::Table table = series->summed(members, from, to);
    QCustomPlot plot;
    plot.setBackground(Qt::white);
    plot.legend->setVisible(true);
    plot.legend->setFont(QFont(plot.font().family(), 7));
    QSharedPointer<QCPAxisTickerDateTime> ticker(new QCPAxisTickerDateTime);
    ticker->setDateTimeFormat(QStringLiteral("HH:mm"));
    plot.xAxis->setTicker(ticker);
    plot.xAxis->setRange(from, to);
    plot.yAxis->setLabel(ReportText::tr("per second"));
    plot.yAxis2->setVisible(true);
    plot.yAxis2->setLabel(ReportText::tr("ms"));
    const struct
    {
        Metric metric;
        QColor colour;
        QCPAxis *axis;
    } lines[] = {{Metric::RequestRate, QColor(0x1f, 0x77, 0xb4), plot.yAxis},
                 {Metric::Errors5xxRate, QColor(0xd6, 0x27, 0x28), plot.yAxis},
                 {Metric::ResponseTimeMs, QColor(0x9a, 0x67, 0x00), plot.yAxis2}};
    for (const auto &line : lines) {
        QCPGraph *graph = plot.addGraph(plot.xAxis, line.axis);
        graph->setName(metricName(line.metric));
        graph->setPen(QPen(line.colour, 1.5));
        graph->setData(table.times, table.values[size_t(line.metric)], true);
    }
    plot.yAxis->rescale();
    plot.yAxis2->rescale();
    plot.yAxis->setRangeLower(0);
    plot.yAxis2->setRangeLower(0);
    plot.yAxis->setRangeUpper(std::max(1.0, plot.yAxis->range().upper * 1.15));
    plot.yAxis2->setRangeUpper(std::max(1.0, plot.yAxis2->range().upper * 1.15));
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    plot.toPixmap(900, 240).save(&buffer, "PNG");
    return png;
}

QString reportHtml(const Snapshot::Snapshot &snapshot, const QStringList &domains)
{
    QString html;
    html += QStringLiteral("<h1>%1</h1>").arg(escaped(ReportText::tr("Snapshot of %1").arg(snapshot.cluster)));
    if (snapshot.secretsIncluded)
        html += QStringLiteral("<p style='color:#b3261e'><b>%1</b></p>")
                    .arg(escaped(ReportText::tr("This snapshot holds passwords: it was taken with secrets included.")));
    QMap<QString, int> byState;
    for (const Snapshot::Member &member : snapshot.members)
        ++byState[member.state];
    QStringList states;
    for (auto it = byState.cbegin(); it != byState.cend(); ++it)
        states.append(QStringLiteral("%1 %2").arg(it.value()).arg(it.key()));
    html += QStringLiteral("<table cellpadding='2'>");
    const auto row = [&html](const QString &label, const QString &value) {
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(escaped(label), escaped(value));
    };
    row(ReportText::tr("Taken"), timeText(snapshot.takenAt));
    if (!snapshot.takenBy.isEmpty())
        row(ReportText::tr("By"), snapshot.takenBy);
    row(ReportText::tr("Window"), ReportText::tr("events from %1, samples from %2")
                                      .arg(timeText(snapshot.eventsFrom.isValid() ? snapshot.eventsFrom : snapshot.windowFrom),
                                           timeText(snapshot.windowFrom)));
    row(ReportText::tr("Members"), ReportText::tr("%1 (%2)").arg(snapshot.members.size()).arg(states.join(QLatin1String(", "))));
    row(ReportText::tr("Findings"), QString::number(snapshot.findings.size()));
    row(ReportText::tr("Console"), snapshot.consoleVersion);
    for (const QString &missing : snapshot.missing)
        row(ReportText::tr("Not captured"), missing);
    html += QStringLiteral("</table>");

    html += QStringLiteral("<h2>%1</h2>").arg(escaped(ReportText::tr("Members")));
    html += QStringLiteral("<table border='1' cellspacing='0' cellpadding='3' width='100%'><tr>");
    for (const QString &header : {ReportText::tr("Domain / sub-domain"), ReportText::tr("Node"), ReportText::tr("Member"),
                                  ReportText::tr("State"), ReportText::tr("HAProxy"), ReportText::tr("Weight"),
                                  ReportText::tr("CPU %"), ReportText::tr("RSS MB")})
        html += QStringLiteral("<th>%1</th>").arg(escaped(header));
    html += QStringLiteral("</tr>");
    for (const Snapshot::Member &member : snapshot.members) {
        const bool bad = member.state == u"failed" || member.balancerState.startsWith(u"DOWN");
        html += QStringLiteral("<tr%1><td>%2</td><td>%3</td><td>%4</td><td>%5</td><td>%6</td><td>%7</td><td>%8</td><td>%9</td></tr>")
                    .arg(bad ? QStringLiteral(" style='color:#b3261e'") : QString(),
                         escaped(member.subDomain.isEmpty() ? member.domain : member.domain + u" / " + member.subDomain),
                         escaped(member.node), escaped(member.id), escaped(member.state), escaped(member.balancerState),
                         member.weight < 0 ? QStringLiteral("—") : QString::number(member.weight), number(member.cpuPercent, 1),
                         member.rssBytes < 0 ? QStringLiteral("—") : number(double(member.rssBytes) / 1e6, 1));
    }
    html += QStringLiteral("</table>");

    html += QStringLiteral("<h2>%1</h2>").arg(escaped(ReportText::tr("Findings")));
    if (snapshot.findings.isEmpty())
        html += QStringLiteral("<p>%1</p>").arg(escaped(ReportText::tr("No problems found in the cluster's files.")));
    else {
        html += QStringLiteral("<table border='1' cellspacing='0' cellpadding='3' width='100%'>");
        for (const Finding &finding : snapshot.findings)
            html += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3:%4</td><td>%5<br><i>%6</i></td></tr>")
                        .arg(escaped(severityLabel(finding.severity)), escaped(finding.node), escaped(finding.file))
                        .arg(finding.line)
                        .arg(escaped(finding.message), escaped(finding.fix));
        html += QStringLiteral("</table>");
    }

    html += QStringLiteral("<h2>%1</h2>").arg(escaped(ReportText::tr("Traffic by domain")));
    for (int index = 0; index < domains.size(); ++index)
        html += QStringLiteral("<h3>%1</h3><p><img src='chart:%2' width='680'></p>").arg(escaped(domains.at(index))).arg(index);

    html += QStringLiteral("<h2>%1</h2>").arg(escaped(ReportText::tr("Events")));
    const qsizetype first = std::max<qsizetype>(0, snapshot.events.size() - MaxEventsListed);
    if (first > 0)
        html += QStringLiteral("<p>%1</p>").arg(escaped(ReportText::tr("The newest %1 of %2 events; the CSV export has them all.")
                                                              .arg(MaxEventsListed)
                                                              .arg(snapshot.events.size())));
    html += QStringLiteral("<table border='1' cellspacing='0' cellpadding='3' width='100%'>");
    for (qsizetype i = first; i < snapshot.events.size(); ++i) {
        const HistoryEvent &event = snapshot.events.at(i);
        html += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td></tr>")
                    .arg(timeText(event.time), escaped(event.kind), escaped(event.memberId), escaped(event.reason));
    }
    html += QStringLiteral("</table>");
    return html;
}

} // namespace

void exportPdfReport(const Snapshot::SnapshotReplay *replay, const QString &path, QObject *receiver,
                     std::function<void(bool ok, const QString &message)> done)
{
    const Snapshot::Snapshot &snapshot = replay->snapshot();
    // Each domain's members, and its chart over the events' window (the one the snapshot's
    // window shows first; the minute samples before it are in the CSV).
    // (The load balancer's own node serves no traffic of its own: it has no chart.)
    QMap<QString, QStringList> membersOf;
    for (const Snapshot::Member &member : snapshot.members) {
        if (!member.domain.isEmpty() && !member.subDomain.isEmpty())
            membersOf[member.domain].append(member.id);
    }
    const double to = double(snapshot.takenAt.toMSecsSinceEpoch()) / 1000.0;
    const double from = double(replay->from().toMSecsSinceEpoch()) / 1000.0;
    QList<QByteArray> charts;
    for (auto it = membersOf.cbegin(); it != membersOf.cend(); ++it)
        charts.append(domainChart(replay->series(), it.value(), from, to));
    const QString html = reportHtml(snapshot, membersOf.keys());
    using Written = std::pair<bool, QString>;
    runInBackground<Written>(
        receiver,
        [html, charts, path, title = replay->title()] {
            QTextDocument document;
            document.setMetaInformation(QTextDocument::DocumentTitle, title);
            for (int index = 0; index < charts.size(); ++index)
                document.addResource(QTextDocument::ImageResource, QUrl(QStringLiteral("chart:%1").arg(index)),
                                     QImage::fromData(charts.at(index), "PNG"));
            document.setHtml(html);
            QSaveFile file(path);
            if (!file.open(QIODevice::WriteOnly))
                return Written{false, ReportText::tr("%1: cannot write: %2").arg(path, file.errorString())};
            {
                QPdfWriter writer(&file);
                writer.setTitle(title);
                writer.setCreator(QStringLiteral("Tribune"));
                writer.setPageSize(QPageSize(QPageSize::A4));
                writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
                // Laid out at screen resolution, so that the HTML's pixel widths and the fonts agree.
                writer.setResolution(96);
                document.setPageSize(writer.pageLayout().paintRectPixels(writer.resolution()).size());
                document.print(&writer);
            }
            if (!file.commit())
                return Written{false, ReportText::tr("%1: cannot write: %2").arg(path, file.errorString())};
            return Written{true, path};
        },
        [done = std::move(done)](const Written &written) { done(written.first, written.second); });
}

} // namespace Tribune
