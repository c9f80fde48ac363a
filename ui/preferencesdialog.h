#pragma once

#include "live/consolepreferences.h"

#include <QDialog>

#include <functional>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace Tribune {

// The console's preferences: the default history database (with a Check that opens it as the
// console would), desktop notifications of failures, and the charts' default window. Saves
// nothing itself: the caller saves what preferences() returns.
class PreferencesDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PreferencesDialog)

public:
    explicit PreferencesDialog(const ConsolePreferences &preferences, QWidget *parent = nullptr);
    ~PreferencesDialog() override;

    // What the fields say.
    ConsolePreferences preferences() const;

public slots:
    // OK: a history URL other than the one the dialog opened with is checked first, as Check
    // does, and refused (with the reason under the field) when it cannot be opened.
    void accept() override;

private:
    void checkHistory();
    // The history URL of both fields, its password put back.
    QString historyUrl() const;
    // Opens the history the field names on a thread of its own (a database server may take
    // seconds to answer), shows the result, then calls then(ok).
    void runCheck(const std::function<void(bool ok)> &then);
    void showCheck(bool ok, const QString &text);

    QString m_givenHistory; // what the dialog opened with: already in use
    bool m_checking = false;
    QLineEdit *m_history;
    QLineEdit *m_historyPassword = nullptr;
    QPushButton *m_check;
    QWidget *m_checkBox;
    QLabel *m_checkIcon;
    QLabel *m_checkResult;
    QCheckBox *m_notify;
    QCheckBox *m_record;
    QSpinBox *m_kept;
    QComboBox *m_window;
    QComboBox *m_language;
};

// Shows a PreferencesDialog; the edited preferences, or nothing when the user cancels.
std::optional<ConsolePreferences> askForPreferences(QWidget *parent, const ConsolePreferences &preferences);

} // namespace Tribune
