#include "trafficcharts.h"

#include "live/consolepreferences.h"
#include "live/metricseries.h"

#include <QComboBox>

#include <cmath>
#include <QDateTime>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPdfWriter>
#include <QtNumeric>
#include <QTimer>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <algorithm>

namespace Tribune {

namespace {

constexpr int ReplotDelayMs = 200;
constexpr int MaxReplotDelayMs = 30 * 1000;
constexpr Metric ChartedMetrics[] = {Metric::RequestRate, Metric::Sessions,      Metric::BytesInRate,
                                     Metric::BytesOutRate, Metric::Errors5xxRate, Metric::ResponseTimeMs};

// Bytes per second read as people read them: B/s, kB/s, MB/s, GB/s (powers of 1000), with steps
// that fall on round values of the unit shown.
class ByteRateTicker final : public QCPAxisTicker
{
protected:
    double getTickStep(const QCPRange &range) override
    {
        const double unit = unitFor(range.upper);
        return QCPAxisTicker::getTickStep(QCPRange(range.lower / unit, range.upper / unit)) * unit;
    }
    QString getTickLabel(double tick, const QLocale &locale, QChar, int) override
    {
        const double unit = unitFor(std::abs(tick));
        const char *name = unit >= 1e9 ? "GB/s" : unit >= 1e6 ? "MB/s" : unit >= 1e3 ? "kB/s" : "B/s";
        return locale.toString(tick / unit, 'g', 4) + QLatin1Char(' ') + QLatin1String(name);
    }

private:
    static double unitFor(double value)
    {
        for (const double unit : {1e9, 1e6, 1e3}) {
            if (value >= unit)
                return unit;
        }
        return 1;
    }
};

// Counts (sessions) step by whole numbers, never by fractions of one.
class CountTicker final : public QCPAxisTicker
{
protected:
    double getTickStep(const QCPRange &range) override
    {
        return std::max(1.0, std::round(QCPAxisTicker::getTickStep(range)));
    }
    QString getTickLabel(double tick, const QLocale &locale, QChar, int) override
    {
        return locale.toString(qint64(std::llround(tick)));
    }
};

QColor colourOf(Metric metric)
{
    switch (metric) {
    case Metric::RequestRate: return QColor(0x1f, 0x77, 0xb4);
    case Metric::Sessions: return QColor(0x2c, 0xa0, 0x2c);
    case Metric::BytesInRate: return QColor(0x94, 0x67, 0xbd);
    case Metric::BytesOutRate: return QColor(0x8c, 0x56, 0x4b);
    case Metric::Errors5xxRate: return QColor(0xd6, 0x27, 0x28);
    case Metric::ResponseTimeMs: return QColor(0xff, 0x7f, 0x0e);
    }
    return Qt::black;
}

// Distinct colours for stacked members, in order.
constexpr QRgb MemberPalette[] = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                                  0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};

QColor memberColour(qsizetype layer)
{
    return QColor::fromRgb(MemberPalette[size_t(layer) % std::size(MemberPalette)]);
}

bool addsUp(Metric metric)
{
    return metric != Metric::ResponseTimeMs; // times are not summed or stacked
}

} // namespace

TrafficCharts::TrafficCharts(const MetricSeries *series, QWidget *parent)
    : QWidget(parent)
    , m_series(series)
    , m_title(new QLabel(this))
    , m_legend(new QLabel(this))
    , m_window(new QComboBox(this))
    , m_pause(new QToolButton(this))
    , m_replotTimer(new QTimer(this))
{
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    for (const int seconds : ConsolePreferences::chartWindows())
        m_window->addItem(ConsolePreferences::chartWindowName(seconds), seconds);
    m_window->setCurrentIndex(0);
    m_pause->setText(tr("Pause"));
    m_pause->setCheckable(true);
    auto *save = new QToolButton(this);
    save->setText(tr("Save…"));
    connect(save, &QToolButton::clicked, this, &TrafficCharts::askWhereToSave);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_title, 1);
    bar->addWidget(m_window);
    bar->addWidget(m_pause);
    bar->addWidget(save);

    // The plots alone, as Save… writes them (not the window box and buttons above).
    m_plotArea = new QWidget(this);
    auto *grid = new QGridLayout(m_plotArea);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(4);
    int index = 0;
    for (const Metric metric : ChartedMetrics) {
        auto *plot = new QCustomPlot(m_plotArea);
        plot->setMinimumHeight(110);
        plot->setNoAntialiasingOnDrag(true);
        plot->setNotAntialiasedElements(QCP::aeFills); // areas meet straight edges; smoothing them costs most
        plot->plotLayout()->insertRow(0);
        plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, metricName(metric), QFont(font().family(), 8, QFont::Bold)));
        QSharedPointer<QCPAxisTickerDateTime> ticker(new QCPAxisTickerDateTime);
        ticker->setDateTimeFormat(QStringLiteral("HH:mm:ss"));
        plot->xAxis->setTicker(ticker);
        plot->xAxis->setTickLabelFont(QFont(font().family(), 7));
        plot->yAxis->setTickLabelFont(QFont(font().family(), 7));
        if (metric == Metric::BytesInRate || metric == Metric::BytesOutRate)
            plot->yAxis->setTicker(QSharedPointer<ByteRateTicker>::create());
        else if (metric == Metric::Sessions)
            plot->yAxis->setTicker(QSharedPointer<CountTicker>::create());
        const int chart = index;
        connect(plot, &QCustomPlot::mouseMove, plot, [this, chart](QMouseEvent *event) { showValuesAt(chart, event); });
        m_plots.append(plot);
        grid->addWidget(plot, index / 2, index % 2);
        ++index;
    }
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    m_legend->setTextFormat(Qt::RichText);
    m_legend->setWordWrap(true);
    m_legend->hide();
    layout->addWidget(m_legend);
    m_pausedNote = new QLabel(tr("Paused: the charts are not updating. Press Resume to follow the cluster again."), this);
    m_pausedNote->setObjectName(QStringLiteral("pausedNote"));
    m_pausedNote->setAutoFillBackground(true);
    QPalette noteColours = m_pausedNote->palette();
    noteColours.setColor(QPalette::Window, QColor(0xff, 0xf4, 0xce));
    noteColours.setColor(QPalette::WindowText, QColor(0x3b, 0x2f, 0x00));
    m_pausedNote->setPalette(noteColours);
    m_pausedNote->setContentsMargins(6, 2, 6, 2);
    m_pausedNote->hide();
    layout->addWidget(m_pausedNote);
    layout->addWidget(m_plotArea, 1);

    m_replotTimer->setSingleShot(true);
    m_replotTimer->setInterval(ReplotDelayMs);
    connect(m_replotTimer, &QTimer::timeout, this, &TrafficCharts::replot);
    connect(series, &MetricSeries::sampled, this, &TrafficCharts::scheduleReplot);
    connect(series, &MetricSeries::historyArrived, this, &TrafficCharts::scheduleReplot);
    connect(m_window, &QComboBox::currentIndexChanged, this, &TrafficCharts::replot);
    connect(m_pause, &QToolButton::toggled, this, [this](bool paused) {
        // Paused is seen, not only a pressed button: the note says it, the button offers Resume.
        m_pause->setText(paused ? tr("Resume") : tr("Pause"));
        m_pausedNote->setVisible(paused);
        if (!paused)
            replot();
    });
}

TrafficCharts::~TrafficCharts() = default;

bool TrafficCharts::isPaused() const
{
    return m_pause->isChecked();
}

void TrafficCharts::setPaused(bool paused)
{
    m_pause->setChecked(paused);
}

void TrafficCharts::setMarker(double time)
{
    m_marker = time;
    for (int chart = 0; chart < m_plots.size(); ++chart) {
        QCustomPlot *plot = m_plots.at(chart);
        if (m_markers.size() <= chart) {
            auto *line = new QCPItemStraightLine(plot);
            line->setPen(QPen(palette().color(QPalette::Highlight), 1.5, Qt::DashLine));
            line->setSelectable(false);
            m_markers.append(line);
        }
        QCPItemStraightLine *line = m_markers.at(chart);
        line->setVisible(!qIsNaN(time));
        line->point1->setCoords(qIsNaN(time) ? 0 : time, 0);
        line->point2->setCoords(qIsNaN(time) ? 0 : time, 1);
        plot->replot(QCustomPlot::rpQueuedReplot);
    }
}

int TrafficCharts::windowSeconds() const
{
    return m_window->currentData().toInt();
}

void TrafficCharts::setWindowSeconds(int seconds)
{
    const int index = m_window->findData(seconds);
    if (index >= 0)
        m_window->setCurrentIndex(index);
}

int TrafficCharts::seriesCount(Metric metric) const
{
    return m_plots.at(int(metric))->graphCount();
}

void TrafficCharts::setMembers(const QStringList &memberIds, const QString &title, Composition composition)
{
    const Composition effective = memberIds.size() > 1 ? composition : Composition::Summed;
    QStringList members = memberIds;
    // Stacked in name order, as the tree lists them, so that each member keeps its colour.
    if (effective == Composition::Stacked)
        members.sort();
    if (m_members == members && m_title->text() == title && m_composition == effective)
        return;
    m_members = members;
    m_composition = effective;
    m_title->setText(title);
    replot();
}

void TrafficCharts::updateLegend()
{
    m_legend->setVisible(m_composition == Composition::Stacked);
    if (m_composition != Composition::Stacked)
        return;
    QStringList entries;
    for (qsizetype layer = 0; layer < m_layerNames.size(); ++layer)
        entries << QStringLiteral("<span style='color:%1'>&#9632;</span>&nbsp;%2")
                       .arg(memberColour(layer).name(), m_layerNames.at(layer).toHtmlEscaped());
    m_legend->setText(entries.join(QLatin1String(" &nbsp; ")));
}

void TrafficCharts::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    replot();
}

void TrafficCharts::scheduleReplot()
{
    // Hidden or paused charts do no work; a burst of samples makes one replot, and a long window,
    // where a second is less than a pixel, is replotted less often.
    if (!isVisible() || m_pause->isChecked() || m_replotTimer->isActive())
        return;
    const int width = std::max(100, m_plots.constFirst()->axisRect()->width());
    m_replotTimer->start(std::clamp(windowSeconds() * 1000 / width, ReplotDelayMs, MaxReplotDelayMs));
}

void TrafficCharts::replot()
{
    m_replotTimer->stop(); // one pending for a longer window must not hold this one back
    if (!isVisible())
        return;
    const double now = m_series->latestTime() > 0 ? m_series->latestTime() : double(QDateTime::currentMSecsSinceEpoch()) / 1000;
    const double from = now - windowSeconds();
    QStringList names;
    if (m_composition == Composition::Stacked) {
        // As many layers as there are distinct colours; the quietest members share the last.
        MetricSeries::Layers layers = m_series->layered(m_members, from, now, int(std::size(MemberPalette)));
        m_times = std::move(layers.times);
        m_layers = std::move(layers.layers);
        names = std::move(layers.names);
    } else {
        MetricSeries::Table table = m_series->summed(m_members, from, now);
        m_times = std::move(table.times);
        m_layers = {std::move(table.values)};
        names = QStringList{m_title->text()};
    }
    if (names != m_layerNames) {
        m_layerNames = std::move(names);
        updateLegend();
    }
    for (int chart = 0; chart < m_plots.size(); ++chart) {
        m_plots.at(chart)->xAxis->setRange(from, now);
        plot(chart);
    }
}

void TrafficCharts::plot(int chart)
{
    QCustomPlot *plot = m_plots.at(chart);
    const Metric metric = ChartedMetrics[chart];
    const bool stacked = m_composition == Composition::Stacked && addsUp(metric);
    const qsizetype graphs = m_layers.size();
    // Stacked areas are drawn top down, each opaque and filled to the axis, so that every member
    // covers the one above it up to its own top: what shows is the band between the two. (Filling
    // between neighbouring graphs instead costs QCustomPlot a polygon intersection per graph.)
    const auto graphOf = [plot, graphs, stacked](qsizetype layer) {
        return plot->graph(int(stacked ? graphs - 1 - layer : layer));
    };
    if (plot->graphCount() != graphs) {
        plot->clearGraphs();
        for (qsizetype graph = 0; graph < graphs; ++graph)
            plot->addGraph();
        for (qsizetype layer = 0; layer < graphs; ++layer) {
            QCPGraph *graph = graphOf(layer);
            const QColor colour = graphs == 1 ? colourOf(metric) : memberColour(layer);
            graph->setPen(QPen(colour, graphs == 1 ? 1.5 : 1.0));
            if (graphs == 1) {
                QColor fill = colour;
                fill.setAlpha(40);
                graph->setBrush(fill);
            } else if (stacked) {
                graph->setBrush(QColor::fromRgbF(0.45f * colour.redF() + 0.55f, 0.45f * colour.greenF() + 0.55f,
                                                 0.45f * colour.blueF() + 0.55f));
            }
        }
    }
    QVector<double> top(m_times.size(), 0.0);
    double highest = 1;
    for (qsizetype layer = 0; layer < graphs; ++layer) {
        const QVector<double> &values = m_layers.at(layer)[size_t(metric)];
        if (stacked) {
            for (qsizetype i = 0; i < top.size(); ++i)
                top[i] += values.at(i);
        } else {
            top = values;
        }
        for (const double value : std::as_const(top)) {
            if (!qIsNaN(value))
                highest = std::max(highest, value);
        }
        graphOf(layer)->setData(m_times, top, true);
    }
    plot->yAxis->setRange(0, highest * 1.15);
    plot->replot(QCustomPlot::rpQueuedReplot);
}

void TrafficCharts::showValuesAt(int chart, QMouseEvent *event)
{
    // The values under the mouse: each member's own when stacked, and their total.
    QCustomPlot *plot = m_plots.at(chart);
    const Metric metric = ChartedMetrics[chart];
    const double key = plot->xAxis->pixelToCoord(event->position().x());
    const auto at = std::lower_bound(m_times.cbegin(), m_times.cend(), key);
    if (at == m_times.cend() || m_layers.isEmpty())
        return;
    const qsizetype row = at - m_times.cbegin();
    const auto number = [](double value) -> QString {
        return qIsNaN(value) ? QStringLiteral("–") : QString::number(value, 'f', 1);
    };
    QStringList lines = {QDateTime::fromMSecsSinceEpoch(qint64(*at * 1000)).toString(QStringLiteral("HH:mm:ss"))};
    if (m_layers.size() == 1)
        lines << metricName(metric) + QLatin1String(": ") + number(m_layers.constFirst()[size_t(metric)].at(row));
    else
        lines << metricName(metric);
    double total = 0;
    for (qsizetype layer = 0; m_layers.size() > 1 && layer < m_layers.size(); ++layer) {
        const double value = m_layers.at(layer)[size_t(metric)].at(row);
        total += qIsNaN(value) ? 0 : value;
        lines << m_layerNames.value(layer) + QLatin1String(": ") + number(value);
    }
    if (m_layers.size() > 1 && addsUp(metric))
        lines << tr("Total: %1").arg(number(total));
    QToolTip::showText(event->globalPosition().toPoint(), lines.join(QLatin1Char('\n')), plot);
}

bool TrafficCharts::saveAs(const QString &path)
{
    // One picture of the plots, as laid out on screen.
    if (path.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive)) {
        QPdfWriter writer(path);
        writer.setPageSize(QPageSize(QSizeF(m_plotArea->width(), m_plotArea->height()), QPageSize::Point));
        writer.setResolution(72);
        QPainter painter(&writer);
        if (!painter.isActive())
            return false;
        m_plotArea->render(&painter);
        return true;
    }
    return m_plotArea->grab().save(path);
}

void TrafficCharts::askWhereToSave()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Charts"), m_title->text() + QLatin1String(".png"),
                                                      tr("PNG image (*.png);;PDF document (*.pdf)"));
    if (!path.isEmpty())
        saveAs(path);
}

} // namespace Tribune
