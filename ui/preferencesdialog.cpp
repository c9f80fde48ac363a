#include "preferencesdialog.h"

#include "textfit.h"
#include "urlpasswordfield.h"

#include "concurrency/background.h"

#include "live/secretstore.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStyle>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace Tribune {


PreferencesDialog::PreferencesDialog(const ConsolePreferences &preferences, QWidget *parent)
    : QDialog(parent)
    , m_history(new QLineEdit(this))
    , m_check(new QPushButton(tr("C&heck"), this))
    , m_checkBox(new QWidget(this))
    , m_checkIcon(new QLabel(m_checkBox))
    , m_checkResult(new QLabel(m_checkBox))
    , m_notify(new QCheckBox(tr("Desktop &notifications of failures"), this))
    , m_record(new QCheckBox(tr("Take a &snapshot when a member fails"), this))
    , m_kept(new QSpinBox(this))
    , m_window(new QComboBox(this))
    , m_language(new QComboBox(this))
{
    setWindowTitle(tr("Preferences"));

    m_history->setObjectName(QStringLiteral("historyUrl"));
    m_history->setPlaceholderText(tr("default: SQLite in the data folder"));
    fitToPlaceholder(m_history);
    m_history->setToolTip(tr("Where to keep history: empty for a SQLite file in the data folder, "
                             "sqlite:///path/history.sqlite, mysql://user:password@host:port/database, "
                             "postgresql://user:password@host:port/database for a history the team shares, "
                             "or none to keep no history."));
    // The password goes to a masked field beside the URL.
    m_historyPassword = UrlPasswordField::attach(m_history, this);
    UrlPasswordField::setUrl(m_history, m_historyPassword, preferences.historyUrl);
    m_givenHistory = preferences.historyUrl.trimmed();
    m_check->setObjectName(QStringLiteral("checkHistory"));
    m_check->setAutoDefault(false); // Return in the field means OK, not Check
    m_check->setToolTip(tr("Open the database as the console would, and say where it is or what failed."));
    auto *historyRow = new QHBoxLayout;
    historyRow->addWidget(m_history, 1);
    historyRow->addWidget(m_historyPassword);
    historyRow->addWidget(m_check);

    // The check's result, right under the field it is about.
    m_checkBox->setObjectName(QStringLiteral("historyCheckBox"));
    auto *checkLayout = new QHBoxLayout(m_checkBox);
    checkLayout->setContentsMargins(0, 0, 0, 0);
    m_checkIcon->setAlignment(Qt::AlignTop);
    checkLayout->addWidget(m_checkIcon);
    m_checkResult->setObjectName(QStringLiteral("historyCheck"));
    m_checkResult->setWordWrap(true);
    m_checkResult->setTextFormat(Qt::PlainText);
    m_checkResult->setTextInteractionFlags(Qt::TextSelectableByMouse); // a driver's message to copy
    checkLayout->addWidget(m_checkResult, 1);
    m_checkBox->hide();

    auto *note = new QLabel(tr("A connection's own history URL, when it names one, wins over this one. A password "
                               "in the URL is kept in %1, never in the settings file.")
                                .arg(SecretStore::whereKept()),
                            this);
    note->setObjectName(QStringLiteral("historyNote"));
    note->setWordWrap(true);
    note->setTextFormat(Qt::PlainText);
    note->setForegroundRole(QPalette::PlaceholderText); // an aside, quieter than the fields

    m_notify->setObjectName(QStringLiteral("notifyFailures"));
    m_notify->setToolTip(tr("A member's failure always shows in the status bar; this also shows it as a desktop "
                            "notification where the desktop has a tray."));
    m_notify->setChecked(preferences.notifyFailures);

    m_window->setObjectName(QStringLiteral("chartWindow"));
    m_window->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed); // a short choice, not a text field
    for (const int seconds : ConsolePreferences::chartWindows())
        m_window->addItem(ConsolePreferences::chartWindowName(seconds), seconds);
    m_window->setCurrentIndex(
        std::max(0, m_window->findData(ConsolePreferences::snapChartWindow(preferences.chartWindowSeconds))));

    m_language->setObjectName(QStringLiteral("language"));
    m_language->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    const QLocale system = QLocale::system();
    // The "C" locale has no name of its own; its code says which it is.
    const QString systemName = system.nativeLanguageName().isEmpty() ? system.bcp47Name() : system.nativeLanguageName();
    m_language->addItem(tr("System default (%1)").arg(systemName), QString());
    for (const QString &code : ConsolePreferences::languages()) {
        const QLocale locale(code);
        // English is the source text; its locale's own name would say "American English".
        const QString name = code == u"en" ? QStringLiteral("English") : locale.nativeLanguageName();
        m_language->addItem(name, code);
    }
    m_language->setCurrentIndex(std::max(0, m_language->findData(preferences.language)));
    m_language->setToolTip(tr("The console speaks this language from its next start."));

    auto *form = new QFormLayout;
    // The field, its check's result and the note in one cell, so that a hidden result leaves no gap.
    auto *historyCell = new QWidget(this);
    auto *historyLayout = new QVBoxLayout(historyCell);
    historyLayout->setContentsMargins(0, 0, 0, 0);
    historyLayout->addLayout(historyRow);
    historyLayout->addWidget(m_checkBox);
    historyLayout->addWidget(note);
    // A gap before the other settings sets the history's rows apart.
    historyLayout->addSpacing(style()->pixelMetric(QStyle::PM_LayoutVerticalSpacing, nullptr, this));
    historyCell->setFocusProxy(m_history); // the row label's shortcut goes to the field
    form->addRow(tr("&History database:"), historyCell);
    form->addRow(QString(), m_notify);
    m_record->setObjectName(QStringLiteral("recordFailures"));
    m_record->setChecked(preferences.recordFailures);
    m_record->setToolTip(tr("A snapshot of the cluster and the minutes before, taken by itself when a member fails; "
                            "the event log says where it is."));
    m_kept->setObjectName(QStringLiteral("keptSnapshots"));
    m_kept->setRange(1, 1000);
    m_kept->setValue(preferences.keptSnapshots);
    m_kept->setSuffix(tr(" snapshots"));
    m_kept->setEnabled(preferences.recordFailures);
    m_kept->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    connect(m_record, &QCheckBox::toggled, m_kept, &QWidget::setEnabled);
    form->addRow(QString(), m_record);
    form->addRow(tr("&Keep the newest:"), m_kept);
    form->addRow(tr("Default &chart window:"), m_window);
    form->addRow(tr("&Language:"), m_language);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("ok"));
    buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancel"));
    connect(buttons, &QDialogButtonBox::accepted, this, &PreferencesDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &PreferencesDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addStretch();
    layout->addWidget(buttons);

    connect(m_check, &QPushButton::clicked, this, &PreferencesDialog::checkHistory);
    // A result about other text would mislead.
    connect(m_history, &QLineEdit::textEdited, m_checkBox, &QWidget::hide);
    connect(m_historyPassword, &QLineEdit::textEdited, m_checkBox, &QWidget::hide);
    // The wrapped note is as tall as the width makes it, not as its unwrapped hint says.
    resize(600, layout->hasHeightForWidth() ? layout->totalHeightForWidth(600) : sizeHint().height());
}

PreferencesDialog::~PreferencesDialog() = default;

ConsolePreferences PreferencesDialog::preferences() const
{
    ConsolePreferences chosen;
    chosen.historyUrl = historyUrl();
    chosen.notifyFailures = m_notify->isChecked();
    chosen.recordFailures = m_record->isChecked();
    chosen.keptSnapshots = m_kept->value();
    chosen.chartWindowSeconds = m_window->currentData().toInt();
    chosen.language = m_language->currentData().toString();
    return chosen;
}

QString PreferencesDialog::historyUrl() const
{
    return UrlPasswordField::url(m_history, m_historyPassword).trimmed();
}

void PreferencesDialog::checkHistory()
{
    runCheck({});
}

void PreferencesDialog::accept()
{
    const QString url = historyUrl();
    if (url == m_givenHistory || url == u"none") {
        QDialog::accept();
        return;
    }
    runCheck([this](bool ok) {
        if (ok)
            QDialog::accept();
    });
}

void PreferencesDialog::runCheck(const std::function<void(bool ok)> &then)
{
    const QString url = historyUrl();
    if (url == u"none") {
        showCheck(true, tr("No history will be kept."));
        if (then)
            then(true);
        return;
    }
    if (m_checking)
        return;
    m_checking = true;
    m_check->setEnabled(false);
    m_check->setText(tr("Checking…"));
    using Checked = std::pair<QString, QString>; // location, or the error
    runInBackground<Checked>(
        this,
        [url] {
            QString error;
            const QString location = ConsolePreferences::checkHistory(url, &error);
            return Checked{location, error};
        },
        [this, then](const Checked &checked) {
            m_checking = false;
            m_check->setEnabled(true);
            m_check->setText(tr("C&heck"));
            const bool ok = !checked.first.isEmpty();
            showCheck(ok, ok ? tr("Opened %1.").arg(checked.first) : checked.second);
            if (then)
                then(ok);
        });
}

void PreferencesDialog::showCheck(bool ok, const QString &text)
{
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    const QStyle::StandardPixmap icon = ok ? QStyle::SP_DialogApplyButton : QStyle::SP_MessageBoxWarning;
    m_checkIcon->setPixmap(style()->standardIcon(icon, nullptr, this).pixmap(iconSize, iconSize));
    m_checkResult->setText(text);
    m_checkResult->setProperty("ok", ok); // for tests and style sheets
    m_checkBox->show();
    // A window does not grow for wrapped text by itself: make room for the message.
    const int needed = layout()->totalHeightForWidth(width());
    if (needed > height())
        resize(width(), needed);
}

std::optional<ConsolePreferences> askForPreferences(QWidget *parent, const ConsolePreferences &preferences)
{
    PreferencesDialog dialog(preferences, parent);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.preferences();
}

} // namespace Tribune
