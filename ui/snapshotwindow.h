#pragma once

#include <QMainWindow>

#include <functional>

class QDialog;
class QLabel;
class QSlider;
class QTabWidget;

namespace Tribune {

class ClusterWorkspace;
class ConfigView;
class LiveView;
namespace Snapshot {
class SnapshotReplay;
}

// A snapshot opened offline, in a window of its own: the live console's tree, member pages,
// charts, events and Configuration tab on the snapshot's content, read-only, with a banner saying
// whose snapshot of when it is and a time slider over its window.
class SnapshotWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SnapshotWindow)

public:
    // Takes the replay (it becomes the window's child).
    explicit SnapshotWindow(Snapshot::SnapshotReplay *replay, QWidget *parent = nullptr);
    ~SnapshotWindow() override;

    // Reads a snapshot file without blocking, with progress, then shows it in a new window; a
    // file that cannot be read is said in a dialog over parent. opened() tells the window, if any.
    static void openFile(const QString &path, QWidget *parent, const std::function<void(SnapshotWindow *)> &opened = {});
    // Asks for a snapshot file in a dialog titled so; empty when none was chosen.
    static QString askForSnapshot(QWidget *parent, const QString &title);
    // Asks which snapshot to open, then opens it as openFile does.
    static void askAndOpen(QWidget *parent);

    Snapshot::SnapshotReplay *replay() const { return m_replay; }
    LiveView *liveView() const { return m_liveView; }
    ConfigView *configView() const { return m_configView; }
    QTabWidget *tabs() const { return m_tabs; }
    QSlider *timeSlider() const { return m_slider; }
    QString bannerText() const;
    // Snapshot › Compare With…; with a path, that file without asking.
    void compareWith(const QString &path);
    // Snapshot › Export CSV…; with a folder, into it without asking.
    void exportCsv(const QString &folder);
    // Snapshot › Export PDF Report…; with a path, there without asking.
    void exportPdf(const QString &path);

signals:
    void comparisonShown(QDialog *dialog);
    // message: the files written, one per line, or why none were.
    void csvExported(bool ok, const QString &message);
    // message: the file written, or why nothing was.
    void pdfExported(bool ok, const QString &message);

private:
    QWidget *createBanner();
    QWidget *createTimeBar();
    QWidget *createHaproxyTab();
    void createMenus();
    void showMoment();
    void warn(const QString &title, const QString &text);
    // Moves the slider to the event before or after the moment shown.
    void stepToEvent(int direction);

    Snapshot::SnapshotReplay *m_replay;
    ClusterWorkspace *m_workspace;
    QTabWidget *m_tabs;
    LiveView *m_liveView;
    ConfigView *m_configView = nullptr;
    QLabel *m_banner = nullptr;
    QSlider *m_slider = nullptr;
    QLabel *m_moment = nullptr;
};

} // namespace Tribune
