#include "trafficcharts.h"

#include "live/metricseries.h"

#include <QComboBox>
#include <QDateTime>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPdfWriter>
#include <QTimer>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>

#include <qcustomplot.h>

namespace Tribune {

namespace {

constexpr int ReplotDelayMs = 200;
constexpr Metric ChartedMetrics[] = {Metric::RequestRate, Metric::Sessions,      Metric::BytesInRate,
                                     Metric::BytesOutRate, Metric::Errors5xxRate, Metric::ResponseTimeMs};

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

} // namespace

TrafficCharts::TrafficCharts(const MetricSeries *series, QWidget *parent)
    : QWidget(parent)
    , m_series(series)
    , m_title(new QLabel(this))
    , m_window(new QComboBox(this))
    , m_pause(new QToolButton(this))
    , m_replotTimer(new QTimer(this))
{
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    const QList<std::pair<QString, int>> windows = {{tr("1 minute"), 60},   {tr("5 minutes"), 300},
                                                    {tr("10 minutes"), 600}, {tr("1 hour"), 3600},
                                                    {tr("6 hours"), 6 * 3600}, {tr("24 hours"), 24 * 3600}};
    for (const auto &[label, seconds] : windows)
        m_window->addItem(label, seconds);
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

    auto *grid = new QGridLayout;
    grid->setSpacing(4);
    int index = 0;
    for (const Metric metric : ChartedMetrics) {
        auto *plot = new QCustomPlot(this);
        plot->setMinimumHeight(110);
        plot->setNoAntialiasingOnDrag(true);
        plot->plotLayout()->insertRow(0);
        plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, metricName(metric), QFont(font().family(), 8, QFont::Bold)));
        QSharedPointer<QCPAxisTickerDateTime> ticker(new QCPAxisTickerDateTime);
        ticker->setDateTimeFormat(QStringLiteral("HH:mm:ss"));
        plot->xAxis->setTicker(ticker);
        plot->xAxis->setTickLabelFont(QFont(font().family(), 7));
        plot->yAxis->setTickLabelFont(QFont(font().family(), 7));
        QCPGraph *graph = plot->addGraph();
        graph->setPen(QPen(colourOf(metric), 1.5));
        QColor fill = colourOf(metric);
        fill.setAlpha(40);
        graph->setBrush(fill);
        // Hover: the value under the mouse.
        connect(plot, &QCustomPlot::mouseMove, plot, [plot, metric](QMouseEvent *event) {
            const double key = plot->xAxis->pixelToCoord(event->position().x());
            QCPGraph *hovered = plot->graph(0);
            auto it = hovered->data()->findBegin(key, false);
            if (it == hovered->data()->constEnd())
                return;
            QToolTip::showText(event->globalPosition().toPoint(),
                               QStringLiteral("%1\n%2: %3")
                                   .arg(QDateTime::fromMSecsSinceEpoch(qint64(it->key * 1000)).toString(QStringLiteral("HH:mm:ss")),
                                        metricName(metric), QString::number(it->value, 'f', 1)),
                               plot);
        });
        m_plots.append(plot);
        grid->addWidget(plot, index / 2, index % 2);
        ++index;
    }
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addLayout(grid, 1);

    m_replotTimer->setSingleShot(true);
    m_replotTimer->setInterval(ReplotDelayMs);
    connect(m_replotTimer, &QTimer::timeout, this, &TrafficCharts::replot);
    connect(series, &MetricSeries::sampled, this, &TrafficCharts::scheduleReplot);
    connect(m_window, &QComboBox::currentIndexChanged, this, &TrafficCharts::replot);
    connect(m_pause, &QToolButton::toggled, this, [this](bool paused) {
        if (!paused)
            replot();
    });
}

TrafficCharts::~TrafficCharts() = default;

int TrafficCharts::windowSeconds() const
{
    return m_window->currentData().toInt();
}

void TrafficCharts::setMembers(const QStringList &memberIds, const QString &title)
{
    if (m_members == memberIds && m_title->text() == title)
        return;
    m_members = memberIds;
    m_title->setText(title);
    replot();
}

void TrafficCharts::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    replot();
}

void TrafficCharts::scheduleReplot()
{
    // Hidden or paused charts do no work; a burst of samples makes one replot.
    if (!isVisible() || m_pause->isChecked() || m_replotTimer->isActive())
        return;
    m_replotTimer->start();
}

void TrafficCharts::replot()
{
    if (!isVisible())
        return;
    const double now = m_series->latestTime() > 0 ? m_series->latestTime() : double(QDateTime::currentMSecsSinceEpoch()) / 1000;
    const double from = now - windowSeconds();
    QVector<double> times;
    QVector<double> values;
    for (int i = 0; i < m_plots.size(); ++i) {
        QCustomPlot *plot = m_plots.at(i);
        m_series->series(m_members, ChartedMetrics[i], from, now, &times, &values);
        plot->graph(0)->setData(times, values, true);
        plot->xAxis->setRange(from, now);
        double top = 1;
        for (const double value : std::as_const(values))
            top = std::max(top, value);
        plot->yAxis->setRange(0, top * 1.15);
        plot->replot(QCustomPlot::rpQueuedReplot);
    }
}

bool TrafficCharts::saveAs(const QString &path)
{
    // One picture of all the charts, as laid out on screen.
    if (path.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive)) {
        QPdfWriter writer(path);
        writer.setPageSize(QPageSize(QSizeF(width(), height()), QPageSize::Point));
        writer.setResolution(72);
        QPainter painter(&writer);
        if (!painter.isActive())
            return false;
        render(&painter);
        return true;
    }
    return grab().save(path);
}

void TrafficCharts::askWhereToSave()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Charts"), m_title->text() + QLatin1String(".png"),
                                                      tr("PNG image (*.png);;PDF document (*.pdf)"));
    if (!path.isEmpty())
        saveAs(path);
}

} // namespace Tribune
