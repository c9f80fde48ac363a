#pragma once

#include "live/metricseries.h"

#include <QStringList>
#include <QtNumeric>
#include <QWidget>

class QComboBox;
class QCustomPlot;
class QCPItemStraightLine;
class QLabel;
class QTimer;
class QToolButton;

namespace Tribune {

// Live charts of one member, of members stacked, or of their sum: request rate, sessions, bytes
// in and out, 5xx rate and response time. Bursts of samples are merged by a timer (longer for
// longer windows, where a second is less than a pixel) and replotted with a queued replot; while
// hidden or paused the charts do no work.
class TrafficCharts final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrafficCharts)

public:
    explicit TrafficCharts(const MetricSeries *series, QWidget *parent = nullptr);
    ~TrafficCharts() override;

    // How several members are drawn: each on top of the one before, in its own colour (a
    // sub-domain, where who carries the load matters), or as one sum (a domain, the cluster).
    enum class Composition { Stacked, Summed };
    // What to chart: one member, or the members of a sub-domain, domain or the cluster.
    void setMembers(const QStringList &memberIds, const QString &title, Composition composition = Composition::Summed);
    int windowSeconds() const;
    // Shows the window of that many seconds, when it is one offered; others are ignored.
    void setWindowSeconds(int seconds);
    // The series on the chart of a metric now: one per member when stacked (the quietest sharing
    // one past ten), else one.
    int seriesCount(Metric metric) const;
    // Marks one moment on every chart with a vertical line (a snapshot's time shown); NaN: none.
    void setMarker(double time);
    double marker() const { return m_marker; }
    // What Save… writes: the plots alone.
    QWidget *plotArea() const { return m_plotArea; }
    bool isPaused() const;
    void setPaused(bool paused);
    // Saves the charts as PNG or PDF (by the file's extension); false on failure.
    bool saveAs(const QString &path);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void scheduleReplot();
    void replot();
    void plot(int chart);
    void showValuesAt(int chart, QMouseEvent *event);
    void updateLegend();
    void askWhereToSave();

    const MetricSeries *m_series;
    QStringList m_members;
    Composition m_composition = Composition::Summed;
    // What the charts show now, kept for the hover values: one layer per member when stacked.
    QVector<double> m_times;
    QList<MetricSeries::Columns> m_layers;
    QStringList m_layerNames;
    QLabel *m_title;
    QLabel *m_legend;
    QComboBox *m_window;
    QToolButton *m_pause;
    QList<QCustomPlot *> m_plots;
    QWidget *m_plotArea = nullptr;
    QLabel *m_pausedNote = nullptr;
    QTimer *m_replotTimer;
    QList<QCPItemStraightLine *> m_markers;
    double m_marker = qQNaN();
};

} // namespace Tribune
