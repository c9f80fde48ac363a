// The console in German, French and Japanese, offscreen: every text the windows and the models
// behind them ask for at run time is in the catalogue (a context the code uses but lupdate does
// not extract would fail here), no label or button is cut short, and a picture of the main window
// in each language for the documentation.
#include "connectdialog.h"
#include "mainwindow.h"
#include "preferencesdialog.h"
#include "textfit.h"

#include "cluster/clusterworkspace.h"
#include "live/consolepreferences.h"

#include "../common/testsupport.h"

#include <QAbstractButton>
#include <QApplication>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLineEdit>
#include <QLabel>
#include <QLibraryInfo>
#include <QSet>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

#include <memory>

using namespace Tribune;

namespace {

// A catalogue that remembers what the program asked of it and it could not answer.
class RecordingTranslator final : public QTranslator
{
public:
    QString translate(const char *context, const char *sourceText, const char *disambiguation, int n) const override
    {
        const QString found = QTranslator::translate(context, sourceText, disambiguation, n);
        const QLatin1String name(context ? context : "");
        const bool ours = name.startsWith(QLatin1String("Tribune")) || name.startsWith(QLatin1String("tribune"));
        if (found.isEmpty() && ours && sourceText && *sourceText)
            m_missing.insert(name + QLatin1String(" | ") + QString::fromUtf8(sourceText));
        if (ours && sourceText && *sourceText)
            ++m_asked;
        return found;
    }
    QStringList missing() const { return {m_missing.cbegin(), m_missing.cend()}; }
    int asked() const { return m_asked; }

private:
    mutable QSet<QString> m_missing;
    mutable int m_asked = 0;
};

// The labels and buttons shown narrower than their text needs.
QStringList cutShort(const QWidget *window)
{
    QStringList cut;
    for (const QWidget *widget : window->findChildren<QWidget *>()) {
        if (!widget->isVisible() || widget->width() <= 0)
            continue;
        const auto *label = qobject_cast<const QLabel *>(widget);
        const auto *button = qobject_cast<const QAbstractButton *>(widget);
        if (label && !label->wordWrap() && !label->text().isEmpty() && label->pixmap().isNull()
            && label->minimumSizeHint().width() > label->width() + 1)
            cut << label->text();
        else if (button && !button->text().isEmpty() && button->minimumSizeHint().width() > button->width() + 1)
            cut << button->text();
        else if (const auto *field = qobject_cast<const QLineEdit *>(widget);
                 field && field->text().isEmpty() && !field->placeholderText().isEmpty()
                 && field->width() < field->fontMetrics().horizontalAdvance(field->placeholderText()) + 12)
            cut << field->placeholderText();
        else if (const auto *header = qobject_cast<const QHeaderView *>(widget); header && header->model()) {
            for (int column = 0; column < header->count(); ++column) {
                const bool last = column == header->logicalIndex(header->count() - 1);
                if (!header->isSectionHidden(column) && !(last && header->stretchLastSection())
                    && header->sectionSize(column) > 0 && header->sectionSize(column) < headerTextWidth(header, column) - 4)
                    cut << header->model()->headerData(column, header->orientation()).toString();
            }
        }
    }
    return cut;
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void everyTextShownIsTranslated_data();
    void everyTextShownIsTranslated();

private:
    QTemporaryDir m_dir;
};

void TestTranslations::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
    QVERIFY(TestSupport::copyTree(TestSupport::sampleCluster(), m_dir.path() + QLatin1String("/sample-cluster")));
    // A finding to show, so that the validator's text is asked for too.
    QVERIFY(TestSupport::replaceInFile(m_dir.path() + QLatin1String("/sample-cluster/esb-worker2/repository/conf/carbon.xml"),
                                       "<Offset>2</Offset>", "<Offset>1</Offset>"));
}

void TestTranslations::everyTextShownIsTranslated_data()
{
    QTest::addColumn<QString>("language");
    QTest::newRow("de") << QStringLiteral("de");
    QTest::newRow("fr") << QStringLiteral("fr");
    QTest::newRow("ja") << QStringLiteral("ja");
}

void TestTranslations::everyTextShownIsTranslated()
{
    QFETCH(QString, language);
    RecordingTranslator catalogue;
    QVERIFY2(catalogue.load(QStringLiteral(TRIBUNE_QM_DIR "/tribune_") + language + QStringLiteral(".qm")),
             "the compiled catalogue is missing: build the release_translations target");
    QVERIFY(QCoreApplication::installTranslator(&catalogue));
    // Qt's own buttons and dialogs, as the console loads them (qt6-translations-l10n).
    QTranslator qtCatalogue;
    if (qtCatalogue.load(QLocale(language), QStringLiteral("qtbase"), QStringLiteral("_"),
                         QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(&qtCatalogue);
    const QLocale previous;
    QLocale::setDefault(ConsolePreferences::uiLocale(language));
    QStringList cut;
    {
        ClusterWorkspace workspace;
        MainWindow window(&workspace);
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(workspace.open({m_dir.path() + QLatin1String("/sample-cluster")}));
        QVERIFY(window.selectNode(QStringLiteral("esb-worker2")));
        QTest::qWait(100);
        if (language == u"ja") {
            // Japanese needs a CJK font; without one every character is a box.
            QVERIFY2(QFontDatabase::families(QFontDatabase::Japanese).size() > 0,
                     "no Japanese font: install fonts-ipafont-gothic or fonts-noto-cjk");
        }
        const QString shot = QStringLiteral(TRIBUNE_SCREENSHOT_DIR "/tribune-main-") + language + QStringLiteral(".png");
        QVERIFY(window.grab().save(shot));
        qInfo("screenshot: %s", qPrintable(shot));
        cut << cutShort(&window);
        for (auto *tabs : window.findChildren<QTabWidget *>()) {
            for (int i = 0; i < tabs->count(); ++i) {
                tabs->setCurrentIndex(i);
                QTest::qWait(20);
                cut << cutShort(&window);
            }
        }

        PreferencesDialog preferences(ConsolePreferences{});
        preferences.show();
        QVERIFY(QTest::qWaitForWindowExposed(&preferences));
        cut << cutShort(&preferences);
        QVERIFY(preferences.grab().save(QStringLiteral(TRIBUNE_SCREENSHOT_DIR "/tribune-preferences-") + language
                                        + QStringLiteral(".png")));

        ConnectDialog connect({});
        connect.show();
        QVERIFY(QTest::qWaitForWindowExposed(&connect));
        cut << cutShort(&connect);
        QVERIFY(connect.grab().save(QStringLiteral(TRIBUNE_SCREENSHOT_DIR "/tribune-connect-") + language
                                    + QStringLiteral(".png")));
    }
    QCoreApplication::removeTranslator(&catalogue);
    QCoreApplication::removeTranslator(&qtCatalogue);
    QLocale::setDefault(previous);
    QVERIFY2(catalogue.asked() > 100, "the windows asked for almost no text: is the catalogue installed?");
    QVERIFY2(catalogue.missing().isEmpty(), qPrintable(catalogue.missing().join(QLatin1Char('\n'))));
    cut.removeDuplicates();
    QVERIFY2(cut.isEmpty(), qPrintable(QStringLiteral("cut short: ") + cut.join(QLatin1String(" / "))));
}

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
