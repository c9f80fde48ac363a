// The Preferences dialog driven through its widgets, offscreen: the fields show the preferences
// given, Check says where a good history is and what failed for a bad one, OK returns what was
// edited, Cancel returns nothing and saves nothing; the main window's action asks for it.
// Settings and secrets go to temporary folders, never to the user's.
#include "mainwindow.h"
#include "preferencesdialog.h"

#include "cluster/clusterworkspace.h"
#include "live/consolepreferences.h"

#include "../common/dialogdriver.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>

using namespace Tribune;
using namespace TestSupport;

namespace {

// Runs the dialog, doing what `user` does once it is up.
std::optional<ConsolePreferences> askAndDo(const ConsolePreferences &preferences, const std::function<void(PreferencesDialog *)> &user)
{
    return answerModal<PreferencesDialog, ConsolePreferences>([&] { return askForPreferences(nullptr, preferences); }, user);
}

// Check runs on a thread of its own: clicked, then waited for.
void checkAndWait(QDialog *dialog)
{
    click(dialog, "checkHistory");
    QVERIFY(QTest::qWaitFor([dialog] { return child<QPushButton>(dialog, "checkHistory")->isEnabled(); }, 10000));
}

ConsolePreferences teamPreferences()
{
    ConsolePreferences preferences;
    preferences.historyUrl = QStringLiteral("postgresql://tribune@db.example:5432/history");
    preferences.notifyFailures = false;
    preferences.chartWindowSeconds = 3600;
    return preferences;
}

} // namespace

class TestPreferencesDialog : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void fillsFieldsFromPreferences();
    void languageIsTheSystemsUnlessChosen();
    void checkShowsTheLocation();
    void checkShowsTheError();
    void okReturnsTheEditedPreferences();
    void passwordsAreMasked();
    void cancelChangesNothing();
    void mainWindowAsksForPreferences();
    void screenshot();

private:
    std::unique_ptr<PreferencesDialog> openDialog(const ConsolePreferences &preferences = {});

    QTemporaryDir m_home;
    QTemporaryDir m_data;
};

void TestPreferencesDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_home.isValid() && m_data.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_home.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_home.path());
    QVERIFY(QSettings().fileName().startsWith(m_home.path()));
}

std::unique_ptr<PreferencesDialog> TestPreferencesDialog::openDialog(const ConsolePreferences &preferences)
{
    auto dialog = std::make_unique<PreferencesDialog>(preferences);
    dialog->show();
    if (!QTest::qWaitForWindowExposed(dialog.get()))
        qWarning("the dialog was not shown");
    return dialog;
}

void TestPreferencesDialog::fillsFieldsFromPreferences()
{
    const ConsolePreferences given = teamPreferences();
    const std::unique_ptr<PreferencesDialog> dialog = openDialog(given);
    QCOMPARE(dialog->windowTitle(), QStringLiteral("Preferences"));
    auto *history = child<QLineEdit>(dialog.get(), "historyUrl");
    QCOMPARE(history->text(), given.historyUrl);
    QCOMPARE(history->placeholderText(), QStringLiteral("default: SQLite in the data folder"));
    for (const char *form : {"sqlite:///", "mysql://user:password@host:port/database", "postgresql://", "none"})
        QVERIFY2(history->toolTip().contains(QLatin1String(form)), form);
    QVERIFY(!child<QCheckBox>(dialog.get(), "notifyFailures")->isChecked());
    auto *window = child<QComboBox>(dialog.get(), "chartWindow");
    QCOMPARE(window->currentData().toInt(), 3600);
    QCOMPARE(window->currentText(), QStringLiteral("1 hour"));
    QCOMPARE(window->count(), ConsolePreferences::chartWindows().size());
    QVERIFY(!child<QLabel>(dialog.get(), "historyCheck")->isVisible()); // nothing checked yet
    QVERIFY(child<QLabel>(dialog.get(), "historyNote")->text().contains(QLatin1String("wins")));
    QVERIFY(dialog->preferences() == given);

    // The defaults: an empty field, notifications on, one minute.
    const std::unique_ptr<PreferencesDialog> plain = openDialog();
    QVERIFY(child<QLineEdit>(plain.get(), "historyUrl")->text().isEmpty());
    QVERIFY(child<QCheckBox>(plain.get(), "notifyFailures")->isChecked());
    QCOMPARE(child<QComboBox>(plain.get(), "chartWindow")->currentText(), QStringLiteral("1 minute"));
    QVERIFY(plain->preferences() == ConsolePreferences());
}

void TestPreferencesDialog::languageIsTheSystemsUnlessChosen()
{
    const std::unique_ptr<PreferencesDialog> plain = openDialog();
    auto *language = child<QComboBox>(plain.get(), "language");
    QCOMPARE(language->currentIndex(), 0);
    QVERIFY(language->currentText().startsWith(QLatin1String("System default")));
    // The system's default, then English and each translation in its own name.
    QCOMPARE(language->count(), 1 + ConsolePreferences::languages().size());
    QVERIFY(language->findText(QStringLiteral("Deutsch")) > 0);
    QVERIFY(language->findText(QStringLiteral("français")) > 0);
    QVERIFY(language->findText(QStringLiteral("日本語")) > 0);
    language->setCurrentIndex(language->findText(QStringLiteral("Deutsch")));
    QCOMPARE(plain->preferences().language, QStringLiteral("de"));

    ConsolePreferences japanese;
    japanese.language = QStringLiteral("ja");
    const std::unique_ptr<PreferencesDialog> chosen = openDialog(japanese);
    QCOMPARE(child<QComboBox>(chosen.get(), "language")->currentText(), QStringLiteral("日本語"));
    QVERIFY(chosen->preferences() == japanese);
}

void TestPreferencesDialog::checkShowsTheLocation()
{
    const QString path = m_data.filePath(QStringLiteral("team.sqlite"));
    const std::unique_ptr<PreferencesDialog> dialog = openDialog();
    QTest::keyClicks(child<QLineEdit>(dialog.get(), "historyUrl"), QStringLiteral("sqlite://") + path);
    checkAndWait(dialog.get());
    auto *result = child<QLabel>(dialog.get(), "historyCheck");
    QVERIFY(result->isVisible());
    QVERIFY2(result->text().contains(path), qPrintable(result->text()));
    QVERIFY(result->property("ok").toBool());
    QVERIFY(dialog->isVisible()); // Check is not OK

    QTest::keyClick(child<QLineEdit>(dialog.get(), "historyUrl"), Qt::Key_Backspace);
    QVERIFY(!result->isVisible()); // the result was about other text
}

void TestPreferencesDialog::checkShowsTheError()
{
    const std::unique_ptr<PreferencesDialog> dialog = openDialog();
    QTest::keyClicks(child<QLineEdit>(dialog.get(), "historyUrl"), QStringLiteral("sqlite:///nonexistent/dir/x.sqlite"));
    checkAndWait(dialog.get());
    auto *result = child<QLabel>(dialog.get(), "historyCheck");
    QVERIFY(result->isVisible());
    QVERIFY2(result->text().contains(QLatin1String("/nonexistent/dir/x.sqlite")), qPrintable(result->text()));
    QVERIFY(!result->property("ok").toBool());

    // A password in the URL never shows in the message.
    type(child<QLineEdit>(dialog.get(), "historyUrl"), QStringLiteral("postgresql://tribune:Hunter-22@127.0.0.1:1/history"));
    checkAndWait(dialog.get());
    QVERIFY(result->isVisible());
    QVERIFY(!result->property("ok").toBool());
    QVERIFY2(!result->text().contains(QLatin1String("Hunter-22")), qPrintable(result->text()));

    type(child<QLineEdit>(dialog.get(), "historyUrl"), QStringLiteral("none"));
    checkAndWait(dialog.get());
    QVERIFY(result->isVisible());
    QVERIFY2(result->text().contains(QLatin1String("No history")), qPrintable(result->text()));
}

void TestPreferencesDialog::okReturnsTheEditedPreferences()
{
    const QString good = QStringLiteral("sqlite://") + m_data.filePath(QStringLiteral("ok.sqlite"));
    bool refused = false;
    bool accepted = false;
    const std::optional<ConsolePreferences> chosen = askAndDo(ConsolePreferences(), [&](PreferencesDialog *dialog) {
        // A history that cannot be opened: OK checks it as Check does, and the dialog stays.
        QTest::keyClicks(child<QLineEdit>(dialog, "historyUrl"), QStringLiteral(" sqlite:///nonexistent/dir/x.sqlite "));
        click(dialog, "ok");
        auto *result = child<QLabel>(dialog, "historyCheck");
        refused = QTest::qWaitFor([&] { return child<QPushButton>(dialog, "checkHistory")->isEnabled() && result->isVisible()
                                                   && !result->property("ok").toBool(); }, 10000)
                  && dialog->isVisible() && result->text().contains(QLatin1String("/nonexistent/dir/x.sqlite"));
        type(child<QLineEdit>(dialog, "historyUrl"), QLatin1Char(' ') + good + QLatin1Char(' '));
        auto *notify = child<QCheckBox>(dialog, "notifyFailures");
        QTest::mouseClick(notify, Qt::LeftButton, {}, QPoint(notify->height() / 2, notify->height() / 2));
        auto *window = child<QComboBox>(dialog, "chartWindow");
        QTest::keyClick(window, Qt::Key_Down);
        QTest::keyClick(window, Qt::Key_Down);
        click(dialog, "ok");
        accepted = QTest::qWaitFor([dialog] { return !dialog->isVisible(); }, 10000); // once the check answers
    });
    QVERIFY(refused);
    QVERIFY(accepted);
    QVERIFY(chosen);
    QCOMPARE(chosen->historyUrl, good);
    QVERIFY(!chosen->notifyFailures);
    QCOMPARE(chosen->chartWindowSeconds, 600);

    // Return in the field means OK.
    const std::optional<ConsolePreferences> unchanged = askAndDo(teamPreferences(), [](PreferencesDialog *dialog) {
        QTest::keyClick(child<QLineEdit>(dialog, "historyUrl"), Qt::Key_Return);
    });
    QVERIFY(unchanged);
    QVERIFY(*unchanged == teamPreferences());
}

void TestPreferencesDialog::passwordsAreMasked()
{
    // A saved URL's password shows in a masked field, never in the URL field.
    ConsolePreferences given = teamPreferences();
    given.historyUrl = QStringLiteral("mysql://ops:s3cret%40x@db.example:3306/history");
    const std::unique_ptr<PreferencesDialog> dialog = openDialog(given);
    auto *history = child<QLineEdit>(dialog.get(), "historyUrl");
    auto *password = child<QLineEdit>(dialog.get(), "historyUrlPassword");
    QVERIFY2(!history->text().contains(QLatin1String("s3cret")), qPrintable(history->text()));
    QCOMPARE(history->text(), QStringLiteral("mysql://ops@db.example:3306/history"));
    QCOMPARE(password->echoMode(), QLineEdit::Password);
    QCOMPARE(password->text(), QStringLiteral("s3cret@x"));
    QCOMPARE(dialog->preferences().historyUrl, given.historyUrl);

    // One typed or pasted into the URL moves to the masked field once the URL field is left.
    history->setFocus();
    history->selectAll();
    QTest::keyClicks(history, QStringLiteral("postgresql://tribune:hunter2@db:5432/h"));
    QCOMPARE(dialog->preferences().historyUrl, QStringLiteral("postgresql://tribune:hunter2@db:5432/h"));
    password->setFocus();
    QTRY_COMPARE(history->text(), QStringLiteral("postgresql://tribune@db:5432/h"));
    QCOMPARE(password->text(), QStringLiteral("hunter2"));
    QCOMPARE(dialog->preferences().historyUrl, QStringLiteral("postgresql://tribune:hunter2@db:5432/h"));
}

void TestPreferencesDialog::cancelChangesNothing()
{
    QVERIFY(teamPreferences().save());
    const auto edit = [](PreferencesDialog *dialog) {
        type(child<QLineEdit>(dialog, "historyUrl"), QStringLiteral("none"));
        QTest::keyClick(child<QComboBox>(dialog, "chartWindow"), Qt::Key_End);
    };
    QVERIFY(!askAndDo(teamPreferences(), [&edit](PreferencesDialog *dialog) {
        edit(dialog);
        click(dialog, "cancel");
    }));
    QVERIFY(!askAndDo(teamPreferences(), [&edit](PreferencesDialog *dialog) {
        edit(dialog);
        QTest::keyClick(dialog, Qt::Key_Escape);
    }));
    QVERIFY(ConsolePreferences::load() == teamPreferences()); // the dialog saves nothing
    QVERIFY(ConsolePreferences().save());
}

void TestPreferencesDialog::mainWindowAsksForPreferences()
{
    ClusterWorkspace workspace;
    MainWindow window(&workspace);
    auto *action = window.findChild<QAction *>(QStringLiteral("preferencesAction"));
    QVERIFY(action);
    QCOMPARE(action->shortcut(), QKeySequence(QKeySequence::Preferences));
    QSignalSpy asked(&window, &MainWindow::preferencesRequested);
    action->trigger();
    QCOMPARE(asked.size(), 1);

    QVERIFY(window.notifyFailures());
    window.setNotifyFailures(false);
    QVERIFY(!window.notifyFailures());
}

void TestPreferencesDialog::screenshot()
{
    // Pictures of the dialog, as it opens and after a good and a failed check, in the build folder.
    const QString dir = QStringLiteral(TRIBUNE_SCREENSHOT_DIR);
    const std::unique_ptr<PreferencesDialog> dialog = openDialog(teamPreferences());
    QVERIFY(dialog->grab().save(dir + QLatin1String("/preferencesdialog-open.png")));
    auto *history = child<QLineEdit>(dialog.get(), "historyUrl");
    type(history, QStringLiteral("sqlite://") + m_data.filePath(QStringLiteral("team.sqlite")));
    checkAndWait(dialog.get());
    QVERIFY(dialog->grab().save(dir + QLatin1String("/preferencesdialog.png")));

    type(history, QStringLiteral("sqlite:///srv/tribune/missing/history.sqlite"));
    checkAndWait(dialog.get());
    QVERIFY(dialog->grab().save(dir + QLatin1String("/preferencesdialog-error.png")));
    // The dialog made room for the wrapped message and the note below it.
    for (const char *name : {"historyCheck", "historyNote"}) {
        const QLabel *label = child<QLabel>(dialog.get(), name);
        QTRY_VERIFY2(label->height() >= label->heightForWidth(label->width()), name);
    }
}

QTEST_MAIN(TestPreferencesDialog)
#include "tst_preferencesdialog.moc"
