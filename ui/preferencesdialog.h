#pragma once

#include "live/consolepreferences.h"

#include <QDialog>

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

private:
    void checkHistory();
    void showCheck(bool ok, const QString &text);

    QLineEdit *m_history;
    QPushButton *m_check;
    QWidget *m_checkBox;
    QLabel *m_checkIcon;
    QLabel *m_checkResult;
    QCheckBox *m_notify;
    QCheckBox *m_record;
    QSpinBox *m_kept;
    QComboBox *m_window;
};

// Shows a PreferencesDialog; the edited preferences, or nothing when the user cancels.
std::optional<ConsolePreferences> askForPreferences(QWidget *parent, const ConsolePreferences &preferences);

} // namespace Tribune
