#include "snapshotwindow.h"

#include "configview.h"
#include "liveview.h"
#include "trafficcharts.h"

#include "cluster/clusterworkspace.h"
#include "live/eventlogmodel.h"
#include "snapshotcomparedialog.h"
#include "snapshotpdfreport.h"

#include "concurrency/background.h"
#include "snapshot/snapshotcompare.h"
#include "snapshot/snapshotreplay.h"
#include "snapshot/snapshotreport.h"

#include <QApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressDialog>
#include <QSlider>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>
#include <optional>

namespace Tribune {

namespace {

QString timeText(const QDateTime &time)
{
    return QLocale().toString(time.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace

SnapshotWindow::SnapshotWindow(Snapshot::SnapshotReplay *replay, QWidget *parent)
    : QMainWindow(parent)
    , m_replay(replay)
    , m_workspace(new ClusterWorkspace(this))
    , m_tabs(new QTabWidget(this))
{
    replay->setParent(this);
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("Snapshot: %1 — Tribune").arg(replay->title()));
    MemberActions readOnly;
    readOnly.notAllowedReason = tr("a snapshot is read-only: connect to the cluster to change it");
    m_liveView = new LiveView(replay->cluster(), replay->model(), replay->series(), replay->events(), readOnly, this);
    // The whole window of one-second samples at once: what led up to the snapshot.
    m_liveView->charts()->setWindowSeconds(600);
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_liveView, tr("Cluster at the Time"));
    QString error;
    const QString folder = replay->writeConfigFolder(&error);
    if (!folder.isEmpty() && m_workspace->open({folder})) {
        m_configView = new ConfigView(m_workspace, this);
        m_configView->setReadOnly(true);
        m_tabs->addTab(m_configView, tr("Configuration Files"));
    } else {
        auto *none = new QLabel(tr("No configuration files: %1").arg(error.isEmpty() ? tr("they could not be read") : error), this);
        none->setAlignment(Qt::AlignCenter);
        m_tabs->addTab(none, tr("Configuration Files"));
    }
    m_tabs->addTab(createHaproxyTab(), tr("HAProxy"));

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(createBanner());
    layout->addWidget(createTimeBar());
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);
    createMenus();
    statusBar()->showMessage(tr("Read-only snapshot of %1 · %n member(s)", nullptr, int(replay->snapshot().members.size()))
                                 .arg(replay->title()));
    connect(replay, &Snapshot::SnapshotReplay::shownAtChanged, this, [this](const QDateTime &time) {
        m_moment->setText(time == m_replay->to() ? tr("%1 (when taken)").arg(timeText(time)) : timeText(time));
        m_liveView->markMoment(time);
    });
    m_moment->setText(tr("%1 (when taken)").arg(timeText(replay->to())));
    m_liveView->markMoment(replay->to());
    resize(1280, 860);
}

SnapshotWindow::~SnapshotWindow()
{
    // The views first: they point at the replay's models and the workspace, also children of this.
    delete centralWidget();
}

QString SnapshotWindow::bannerText() const
{
    return m_banner->text();
}

QWidget *SnapshotWindow::createBanner()
{
    const Snapshot::Snapshot &snapshot = m_replay->snapshot();
    QStringList lines;
    lines.append(tr("<b>Snapshot of %1</b>, taken %2%3 — read-only; nothing here is live.")
                     .arg(snapshot.cluster.toHtmlEscaped(), timeText(snapshot.takenAt),
                          snapshot.takenBy.isEmpty() ? QString() : tr(" by %1").arg(snapshot.takenBy.toHtmlEscaped())));
    if (snapshot.secretsIncluded)
        lines.append(tr("<b>This snapshot holds passwords</b>: it was taken with secrets included. Share it with care."));
    if (!snapshot.missing.isEmpty())
        lines.append(tr("Not captured: %1").arg(snapshot.missing.join(QStringLiteral("; ")).toHtmlEscaped()));
    m_banner = new QLabel(lines.join(QStringLiteral("<br>")), this);
    m_banner->setObjectName(QStringLiteral("snapshotBanner"));
    m_banner->setWordWrap(true);
    m_banner->setTextFormat(Qt::RichText);
    m_banner->setContentsMargins(10, 6, 10, 6);
    m_banner->setAutoFillBackground(true);
    QPalette palette = m_banner->palette();
    palette.setColor(QPalette::Window, snapshot.secretsIncluded ? QColor(0xf8, 0xd7, 0xda) : QColor(0xff, 0xf4, 0xce));
    palette.setColor(QPalette::WindowText, QColor(0x3b, 0x2f, 0x00));
    m_banner->setPalette(palette);
    return m_banner;
}

QWidget *SnapshotWindow::createTimeBar()
{
    auto *bar = new QWidget(this);
    auto *layout = new QHBoxLayout(bar);
    layout->setContentsMargins(10, 4, 10, 4);
    m_slider = new QSlider(Qt::Horizontal, bar);
    m_slider->setObjectName(QStringLiteral("timeSlider"));
    m_slider->setRange(0, int(m_replay->from().secsTo(m_replay->to())));
    m_slider->setValue(m_slider->maximum());
    m_slider->setPageStep(60);
    m_slider->setToolTip(tr("The cluster as it was at that second, rebuilt from the snapshot's events"));
    m_moment = new QLabel(bar);
    m_moment->setObjectName(QStringLiteral("momentLabel"));
    m_moment->setMinimumWidth(m_moment->fontMetrics().horizontalAdvance(QStringLiteral("0000-00-00 00:00:00 (when taken)")));
    auto *previous = new QToolButton(bar);
    previous->setText(tr("◀ Event"));
    previous->setToolTip(tr("The event before the moment shown"));
    auto *next = new QToolButton(bar);
    next->setText(tr("Event ▶"));
    next->setToolTip(tr("The event after the moment shown"));
    auto *latest = new QToolButton(bar);
    latest->setText(tr("When Taken"));
    layout->addWidget(new QLabel(tr("Shown at:"), bar));
    layout->addWidget(m_moment);
    layout->addWidget(previous);
    layout->addWidget(m_slider, 1);
    layout->addWidget(next);
    layout->addWidget(latest);
    // A drag passes many seconds: show the last one once the slider rests for a moment.
    auto *settle = new QTimer(this);
    settle->setSingleShot(true);
    settle->setInterval(40);
    connect(settle, &QTimer::timeout, this, &SnapshotWindow::showMoment);
    connect(m_slider, &QSlider::valueChanged, settle, qOverload<>(&QTimer::start));
    connect(previous, &QToolButton::clicked, this, [this] { stepToEvent(-1); });
    connect(next, &QToolButton::clicked, this, [this] { stepToEvent(+1); });
    connect(latest, &QToolButton::clicked, this, [this] { m_slider->setValue(m_slider->maximum()); });
    return bar;
}

QWidget *SnapshotWindow::createHaproxyTab()
{
    const QMap<QString, QByteArray> &answers = m_replay->snapshot().haproxy;
    auto *text = new QPlainTextEdit(this);
    text->setReadOnly(true);
    text->setLineWrapMode(QPlainTextEdit::NoWrap);
    text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    QString all;
    for (auto it = answers.cbegin(); it != answers.cend(); ++it)
        all += QStringLiteral("# %1\n%2\n").arg(it.key(), QString::fromUtf8(it.value()));
    text->setPlainText(answers.isEmpty() ? tr("HAProxy's answers were not captured.") : all);
    return text;
}

void SnapshotWindow::createMenus()
{
    QMenu *menu = menuBar()->addMenu(tr("&Snapshot"));
    menu->addAction(tr("&Open Snapshot…"), this, [this] { askAndOpen(this); })->setShortcuts(QKeySequence::Open);
    QAction *compare = menu->addAction(tr("Co&mpare With…"), this, [this] { compareWith(QString()); });
    compare->setObjectName(QStringLiteral("compareAction"));
    compare->setToolTip(tr("Another snapshot against this one: members, each domain's traffic, every node's files, findings"));
    menu->addSeparator();
    QAction *csv = menu->addAction(tr("Export &CSV…"), this, [this] { exportCsv(QString()); });
    csv->setObjectName(QStringLiteral("exportCsvAction"));
    csv->setToolTip(tr("members.csv, events.csv and samples.csv in a folder"));
    QAction *pdf = menu->addAction(tr("Export &PDF Report…"), this, [this] { exportPdf(QString()); });
    pdf->setObjectName(QStringLiteral("exportPdfAction"));
    pdf->setShortcuts(QKeySequence::Print);
    pdf->setToolTip(tr("The summary, the members, findings, each domain's charts and the events, as one PDF"));
    menu->addSeparator();
    menu->addAction(tr("&Close"), this, &QWidget::close)->setShortcuts(QKeySequence::Close);
}

void SnapshotWindow::compareWith(const QString &chosenPath)
{
    const QString path = chosenPath.isEmpty() ? askForSnapshot(this, tr("Compare With Snapshot")) : chosenPath;
    if (path.isEmpty())
        return;
    statusBar()->showMessage(tr("Reading %1…").arg(QFileInfo(path).fileName()));
    Snapshot::compareWithFile(m_replay->snapshot(), tr("this snapshot"), path, this, [this](const Snapshot::Comparison &comparison) {
        statusBar()->clearMessage();
        if (SnapshotCompareDialog *dialog = SnapshotCompareDialog::showComparison(comparison, this))
            emit comparisonShown(dialog);
    });
}

void SnapshotWindow::exportCsv(const QString &chosenFolder)
{
    QString folder = chosenFolder;
    if (folder.isEmpty())
        folder = QFileDialog::getExistingDirectory(this, tr("Export CSV Into"));
    if (folder.isEmpty())
        return;
    statusBar()->showMessage(tr("Writing CSV files into %1…").arg(QDir::toNativeSeparators(folder)));
    using Written = std::pair<QStringList, QString>;
    runInBackground<Written>(
        this,
        [snapshot = m_replay->snapshot(), folder] {
            Written written;
            Snapshot::writeCsvReport(snapshot, folder, &written.first, &written.second);
            return written;
        },
        [this](const Written &written) {
            if (!written.second.isEmpty()) {
                statusBar()->clearMessage();
                warn(tr("Cannot Export CSV"), written.second);
            } else {
                statusBar()->showMessage(tr("Wrote %1").arg(written.first.join(QLatin1String(", "))), 10000);
            }
            emit csvExported(written.second.isEmpty(), written.second.isEmpty() ? written.first.join(u'\n') : written.second);
        });
}

void SnapshotWindow::exportPdf(const QString &chosenPath)
{
    QString path = chosenPath;
    if (path.isEmpty())
        path = QFileDialog::getSaveFileName(this, tr("Export PDF Report"),
                                            QStringLiteral("snapshot-%1.pdf")
                                                .arg(m_replay->to().toLocalTime().toString(QStringLiteral("yyyyMMdd-HHmm"))),
                                            tr("PDF document (*.pdf)"));
    if (path.isEmpty())
        return;
    statusBar()->showMessage(tr("Writing the report to %1…").arg(QDir::toNativeSeparators(path)));
    exportPdfReport(m_replay, path, this, [this](bool ok, const QString &message) {
        if (ok)
            statusBar()->showMessage(tr("Wrote %1").arg(QDir::toNativeSeparators(message)), 10000);
        else {
            statusBar()->clearMessage();
            warn(tr("Cannot Export the Report"), message);
        }
        emit pdfExported(ok, message);
    });
}

void SnapshotWindow::warn(const QString &title, const QString &text)
{
    // Said without holding up whoever is waiting for the result.
    auto *box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Close, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void SnapshotWindow::showMoment()
{
    m_replay->showAt(m_replay->from().addSecs(m_slider->value()));
}

void SnapshotWindow::stepToEvent(int direction)
{
    // An event shows from the first whole second of the slider at or after it.
    const auto slotOf = [this](const QDateTime &time) {
        return int(std::ceil(double(m_replay->from().msecsTo(time)) / 1000.0));
    };
    const int shown = m_slider->value();
    const EventLogModel *events = m_replay->events();
    std::optional<int> target;
    for (int row = 0; row < events->rowCount(); ++row) {
        const int slot = slotOf(events->eventAt(row).time);
        if (direction > 0 && slot > shown) {
            target = slot;
            break;
        }
        if (direction < 0 && slot < shown)
            target = slot;
    }
    if (target)
        m_slider->setValue(*target);
}

void SnapshotWindow::openFile(const QString &path, QWidget *parent, const std::function<void(SnapshotWindow *)> &opened)
{
    auto *progress = new QProgressDialog(tr("Reading %1…").arg(QFileInfo(path).fileName()), QString(), 0, 0, parent);
    progress->setWindowTitle(tr("Open Snapshot"));
    progress->setAttribute(Qt::WA_DeleteOnClose);
    QTimer::singleShot(300, progress, &QWidget::show); // only a read that takes a while shows it
    // The receiver lives until the read is delivered: the parent if there is one, else the dialog.
    QObject *receiver = parent ? static_cast<QObject *>(parent) : progress;
    // The dialog may be closed (and gone) before the file is read.
    Snapshot::SnapshotReplay::open(path, receiver, [progress = QPointer<QProgressDialog>(progress), parent, opened](
                                                       Snapshot::SnapshotReplay *replay, const QString &error) {
        if (progress)
            progress->close();
        if (!replay) {
            QMessageBox::warning(parent, tr("Cannot Open the Snapshot"), error);
            if (opened)
                opened(nullptr);
            return;
        }
        auto *window = new SnapshotWindow(replay);
        window->show();
        if (opened)
            opened(window);
    });
}

QString SnapshotWindow::askForSnapshot(QWidget *parent, const QString &title)
{
    return QFileDialog::getOpenFileName(parent, title, QString(), tr("Tribune snapshots (*.tribune-snapshot);;All files (*)"));
}

void SnapshotWindow::askAndOpen(QWidget *parent)
{
    const QString path = askForSnapshot(parent, tr("Open Snapshot"));
    if (!path.isEmpty())
        openFile(path, parent);
}

} // namespace Tribune
