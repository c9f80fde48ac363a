#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QTabWidget>

class QPlainTextEdit;
class QTableWidget;

namespace Tribune {

// Changes to files, unified (as patch and `tribunectl` print them) or side by side (before on
// the left, after on the right, changed lines paired), coloured the same way in both. Passwords
// show redacted (a changed one as changed); a change of line ends alone is said in words.
class DiffView final : public QTabWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DiffView)

public:
    static constexpr qsizetype MaxShownBytes = 4 * 1024 * 1024;

    struct File
    {
        QString title; // "esb-worker1: axis2/axis2.xml"
        QByteArray before;
        QByteArray after;
        QString beforeName; // for the unified header
        QString afterName;
    };

    explicit DiffView(QWidget *parent = nullptr);
    ~DiffView() override;

    void setFiles(const QList<File> &files);
    void clear() { setFiles({}); }
    QPlainTextEdit *unifiedView() const { return m_unified; }
    QTableWidget *sideBySideView() const { return m_sideBySide; }

private:
    QPlainTextEdit *m_unified;
    QTableWidget *m_sideBySide;
};

} // namespace Tribune
