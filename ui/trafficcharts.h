#pragma once

#include <QStringList>
#include <QWidget>

class QComboBox;
class QCustomPlot;
class QLabel;
class QTimer;
class QToolButton;

namespace Tribune {

class MetricSeries;

// Live charts of one member or a sum of members: request rate, sessions, bytes in and out,
// 5xx rate and response time. Bursts of samples are merged by a short timer and replotted
// with a queued replot; while hidden or paused the charts do no work.
class TrafficCharts final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrafficCharts)

public:
    explicit TrafficCharts(const MetricSeries *series, QWidget *parent = nullptr);
    ~TrafficCharts() override;

    // What to chart: one member, or every member of a sub-domain, domain or the cluster.
    void setMembers(const QStringList &memberIds, const QString &title);
    int windowSeconds() const;
    // Saves the charts as PNG or PDF (by the file's extension); false on failure.
    bool saveAs(const QString &path);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void scheduleReplot();
    void replot();
    void askWhereToSave();

    const MetricSeries *m_series;
    QStringList m_members;
    QLabel *m_title;
    QComboBox *m_window;
    QToolButton *m_pause;
    QList<QCustomPlot *> m_plots;
    QTimer *m_replotTimer;
};

} // namespace Tribune
