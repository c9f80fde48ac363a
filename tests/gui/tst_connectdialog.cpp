// The Connect dialog driven through its widgets, offscreen: a filled connection comes back as a
// profile, a saved profile fills the fields, every check blocks Connect with its message, a saved
// profile names the key file but never holds the key, Cancel returns nothing. Settings go to a
// temporary folder, never to the user's.
#include "connectdialog.h"

#include "live/connectionprofiles.h"
#include "protocol/keyring.h"

#include "../common/testsupport.h"
#include "../common/dialogdriver.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>

using namespace Tribune;
using namespace TestSupport;

namespace {

QLineEdit *edit(const QWidget *dialog, const char *name)
{
    return child<QLineEdit>(dialog, name);
}

// Runs the dialog, doing what `user` does once it is up.
std::optional<ConnectionProfile> askAndDo(const QList<ConnectionProfile> &saved, const std::function<void(ConnectDialog *)> &user)
{
    return answerModal<ConnectDialog, ConnectionProfile>([&] { return askForConnection(nullptr, saved); }, user);
}

} // namespace

class TestConnectDialog : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void returnsTheFilledConnection();
    void namesAConnectionAfterItsFirstMember();
    void fillsFieldsFromASavedProfile();
    void checksBlockConnect_data();
    void checksBlockConnect();
    void acceptsTheLoadBalancerAlone();
    void savedProfileHoldsNoKey();
    void cancelReturnsNothing();
    void forgetRemovesASavedProfile();
    void historyPlaceholderNamesTheDefault();
    void screenshot();

private:
    // A fresh dialog, shown, with the key file filled in; seeds as given.
    std::unique_ptr<ConnectDialog> openDialog(const QList<ConnectionProfile> &saved = {});

    QTemporaryDir m_home;
    QTemporaryDir m_keys;
    QString m_keyFile;
};

void TestConnectDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_home.isValid() && m_keys.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_home.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_home.path());
    QVERIFY(QSettings().fileName().startsWith(m_home.path()));
    m_keyFile = m_keys.filePath(QStringLiteral("cluster.keys"));
    QString error;
    QVERIFY2(Protocol::KeyRing::generate().save(m_keyFile, &error), qPrintable(error));
}

void TestConnectDialog::init()
{
    QSettings().remove(QStringLiteral("connections"));
}

std::unique_ptr<ConnectDialog> TestConnectDialog::openDialog(const QList<ConnectionProfile> &saved)
{
    auto dialog = std::make_unique<ConnectDialog>(saved);
    dialog->show();
    if (!QTest::qWaitForWindowExposed(dialog.get()))
        qWarning("the dialog was not shown");
    return dialog;
}

void TestConnectDialog::returnsTheFilledConnection()
{
    const std::optional<ConnectionProfile> chosen = askAndDo({}, [this](ConnectDialog *dialog) {
        QTest::keyClicks(edit(dialog, "name"), QStringLiteral("Staging"));
        QTest::keyClicks(edit(dialog, "seeds"), QStringLiteral("10.0.0.1:4000, 10.0.0.2:4001  10.0.0.3:4002"));
        QTest::keyClicks(edit(dialog, "loadBalancerSocket"), QStringLiteral("/run/haproxy/admin.sock"));
        QTest::keyClicks(edit(dialog, "keyFile"), m_keyFile);
        auto *role = child<QComboBox>(dialog, "role");
        QTest::keyClick(role, Qt::Key_Down);
        QTest::keyClick(role, Qt::Key_Down);
        QTest::keyClicks(edit(dialog, "history"), QStringLiteral("none"));
        click(dialog, "connect");
    });
    QVERIFY(chosen);
    QCOMPARE(chosen->name, QStringLiteral("Staging"));
    QCOMPARE(chosen->seeds,
             (QStringList{QStringLiteral("10.0.0.1:4000"), QStringLiteral("10.0.0.2:4001"), QStringLiteral("10.0.0.3:4002")}));
    QCOMPARE(chosen->loadBalancerSocket, QStringLiteral("/run/haproxy/admin.sock"));
    QCOMPARE(chosen->keyFile, m_keyFile);
    QCOMPARE(chosen->role, QStringLiteral("viewer"));
    QVERIFY(chosen->tlsCaFile.isEmpty());
    QCOMPARE(chosen->historyUrl, QStringLiteral("none"));
}

void TestConnectDialog::namesAConnectionAfterItsFirstMember()
{
    const std::unique_ptr<ConnectDialog> dialog = openDialog();
    QTest::keyClicks(edit(dialog.get(), "seeds"), QStringLiteral(" node-1:4000,node-2:4000 "));
    QTest::keyClicks(edit(dialog.get(), "keyFile"), m_keyFile);
    QTest::keyClick(edit(dialog.get(), "keyFile"), Qt::Key_Return); // Return means Connect
    QCOMPARE(dialog->result(), int(QDialog::Accepted));
    QCOMPARE(dialog->profile().name, QStringLiteral("node-1:4000"));
    QVERIFY(dialog->profile().role.isEmpty()); // the strongest key in the file
}

void TestConnectDialog::fillsFieldsFromASavedProfile()
{
    ConnectionProfile east;
    east.name = QStringLiteral("east");
    east.seeds = {QStringLiteral("10.1.0.1:4000"), QStringLiteral("10.1.0.2:4000")};
    east.keyFile = m_keyFile;
    ConnectionProfile west;
    west.name = QStringLiteral("west");
    west.seeds = {QStringLiteral("10.2.0.1:4000")};
    west.loadBalancerSocket = QStringLiteral("10.2.0.9:9999");
    west.keyFile = m_keyFile;
    west.role = QStringLiteral("console");
    west.tlsCaFile = m_keyFile; // any existing file will do
    west.historyUrl = QStringLiteral("sqlite:///var/lib/tribune/west.sqlite");

    const std::unique_ptr<ConnectDialog> dialog = openDialog({east, west});
    auto *profiles = child<QComboBox>(dialog.get(), "profiles");
    QCOMPARE(profiles->count(), 3);
    // The most recent profile is offered first.
    QCOMPARE(profiles->currentText(), QStringLiteral("east"));
    QCOMPARE(edit(dialog.get(), "seeds")->text(), QStringLiteral("10.1.0.1:4000, 10.1.0.2:4000"));

    QTest::keyClick(profiles, Qt::Key_Down);
    QCOMPARE(profiles->currentText(), QStringLiteral("west"));
    QCOMPARE(edit(dialog.get(), "name")->text(), QStringLiteral("west"));
    QCOMPARE(edit(dialog.get(), "seeds")->text(), QStringLiteral("10.2.0.1:4000"));
    QCOMPARE(edit(dialog.get(), "loadBalancerSocket")->text(), QStringLiteral("10.2.0.9:9999"));
    QCOMPARE(edit(dialog.get(), "keyFile")->text(), m_keyFile);
    QCOMPARE(child<QComboBox>(dialog.get(), "role")->currentData().toString(), QStringLiteral("console"));
    QCOMPARE(edit(dialog.get(), "tlsCaFile")->text(), m_keyFile);
    QCOMPARE(edit(dialog.get(), "history")->text(), west.historyUrl);
    QVERIFY(dialog->profile() == west);

    // "New connection" empties the fields again.
    QTest::keyClick(profiles, Qt::Key_Home);
    QCOMPARE(profiles->currentIndex(), 0);
    for (const char *name : {"name", "seeds", "loadBalancerSocket", "keyFile", "tlsCaFile", "history"})
        QVERIFY2(edit(dialog.get(), name)->text().isEmpty(), name);
    QCOMPARE(child<QComboBox>(dialog.get(), "role")->currentIndex(), 0);
}

void TestConnectDialog::checksBlockConnect_data()
{
    QTest::addColumn<QString>("seeds");
    QTest::addColumn<QString>("socket");
    QTest::addColumn<QString>("keyFile"); // "good", or the name of what to make instead
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("field"); // the field that gets the focus

    const QString good = QStringLiteral("good");
    QTest::newRow("no member, no socket") << QString() << QString() << good << QStringLiteral("Enter a well-known member")
                                          << QStringLiteral("seeds");
    QTest::newRow("socket only, missing key file") << QString() << QStringLiteral("/run/haproxy/admin.sock")
                                                   << QStringLiteral("missing") << QStringLiteral("does not exist")
                                                   << QStringLiteral("keyFile");
    QTest::newRow("no port") << QStringLiteral("10.0.0.1") << QString() << good
                             << QStringLiteral("has no port: write it as HOST:PORT, e.g. 10.0.0.1:4000") << QStringLiteral("seeds");
    QTest::newRow("port out of range") << QStringLiteral("10.0.0.1:4000, 10.0.0.2:65536") << QString() << good
                                       << QStringLiteral("\"10.0.0.2:65536\" is out of range: use a port from 1 to 65535")
                                       << QStringLiteral("seeds");
    QTest::newRow("bad socket") << QStringLiteral("10.0.0.1:4000") << QStringLiteral("lb:port") << good
                                << QStringLiteral("neither a socket path nor HOST:PORT") << QStringLiteral("loadBalancerSocket");
    QTest::newRow("no key file") << QStringLiteral("10.0.0.1:4000") << QString() << QStringLiteral("empty")
                                 << QStringLiteral("Choose the cluster key file") << QStringLiteral("keyFile");
    QTest::newRow("missing key file") << QStringLiteral("10.0.0.1:4000") << QString() << QStringLiteral("missing")
                                      << QStringLiteral("does not exist") << QStringLiteral("keyFile");
    QTest::newRow("key file readable by others") << QStringLiteral("10.0.0.1:4000") << QString() << QStringLiteral("loose")
                                                 << QStringLiteral("can be read by other users") << QStringLiteral("keyFile");
}

void TestConnectDialog::checksBlockConnect()
{
    QFETCH(QString, seeds);
    QFETCH(QString, socket);
    QFETCH(QString, keyFile);
    QFETCH(QString, message);
    QFETCH(QString, field);

    QTemporaryDir dir;
    QString keyPath = m_keyFile;
    if (keyFile == u"empty") {
        keyPath.clear();
    } else if (keyFile == u"missing") {
        keyPath = dir.filePath(QStringLiteral("nowhere.keys"));
    } else if (keyFile == u"loose") {
        keyPath = dir.filePath(QStringLiteral("loose.keys"));
        QVERIFY(QFile::copy(m_keyFile, keyPath));
        QVERIFY(QFile::setPermissions(keyPath, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup
                                                   | QFileDevice::ReadOther));
    }

    const std::unique_ptr<ConnectDialog> dialog = openDialog();
    auto *problems = child<QLabel>(dialog.get(), "problems");
    QVERIFY(!problems->isVisible());
    QTest::keyClicks(edit(dialog.get(), "seeds"), seeds);
    QTest::keyClicks(edit(dialog.get(), "loadBalancerSocket"), socket);
    QTest::keyClicks(edit(dialog.get(), "keyFile"), keyPath);
    click(dialog.get(), "connect");

    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->result(), int(QDialog::Rejected));
    QVERIFY(problems->isVisible());
    QVERIFY2(problems->text().contains(message), qPrintable(problems->text()));
    QCOMPARE(problems->text().count(u'\n'), 0); // this one problem only
    QCOMPARE(dialog->focusWidget()->objectName(), field);

    // The message follows the edits: once the fields are right it goes, and Connect goes through.
    type(edit(dialog.get(), "seeds"), QStringLiteral("10.0.0.1:4000"));
    type(edit(dialog.get(), "loadBalancerSocket"), QString());
    type(edit(dialog.get(), "keyFile"), m_keyFile);
    QVERIFY(!problems->isVisible());
    click(dialog.get(), "connect");
    QCOMPARE(dialog->result(), int(QDialog::Accepted));
    QVERIFY(!dialog->isVisible());
}

void TestConnectDialog::acceptsTheLoadBalancerAlone()
{
    const std::optional<ConnectionProfile> chosen = askAndDo({}, [](ConnectDialog *dialog) {
        QTest::keyClicks(edit(dialog, "loadBalancerSocket"), QStringLiteral("/run/haproxy/admin.sock"));
        click(dialog, "connect");
    });
    QVERIFY(chosen);
    QVERIFY(chosen->seeds.isEmpty());
    QVERIFY(chosen->keyFile.isEmpty());
    QCOMPARE(chosen->loadBalancerSocket, QStringLiteral("/run/haproxy/admin.sock"));
    QCOMPARE(chosen->nameOrFirstSeed(), QStringLiteral("/run/haproxy/admin.sock"));
}

void TestConnectDialog::savedProfileHoldsNoKey()
{
    const std::optional<ConnectionProfile> chosen = askAndDo({}, [this](ConnectDialog *dialog) {
        QTest::keyClicks(edit(dialog, "name"), QStringLiteral("prod"));
        QTest::keyClicks(edit(dialog, "seeds"), QStringLiteral("10.0.0.1:4000"));
        QTest::keyClicks(edit(dialog, "keyFile"), m_keyFile);
        click(dialog, "connect");
    });
    QVERIFY(chosen);
    // As the console does once it has connected.
    ConnectionProfiles::remember(*chosen);

    QSettings settings;
    settings.sync();
    const QByteArray text = TestSupport::readAll(settings.fileName());
    QVERIFY(text.contains(m_keyFile.toUtf8()));
    QString error;
    const std::optional<Protocol::KeyRing> keys = Protocol::KeyRing::load(m_keyFile, &error);
    QVERIFY2(keys, qPrintable(error));
    for (const Protocol::Role role : {Protocol::Role::Member, Protocol::Role::Console, Protocol::Role::Viewer}) {
        const QByteArray key = keys->key(role);
        QVERIFY(!text.contains(key.toBase64()));
        QVERIFY(!text.contains(key.toHex()));
        QVERIFY(!text.contains(key));
    }

    // The saved profile is offered the next time, filled in.
    const QList<ConnectionProfile> saved = ConnectionProfiles::load();
    QCOMPARE(saved.size(), 1);
    const std::unique_ptr<ConnectDialog> dialog = openDialog(saved);
    QCOMPARE(child<QComboBox>(dialog.get(), "profiles")->currentText(), QStringLiteral("prod"));
    QVERIFY(dialog->profile() == *chosen);
}

void TestConnectDialog::cancelReturnsNothing()
{
    ConnectionProfile saved;
    saved.name = QStringLiteral("east");
    saved.seeds = {QStringLiteral("10.1.0.1:4000")};
    saved.keyFile = m_keyFile;
    QVERIFY(!askAndDo({saved}, [](ConnectDialog *dialog) { click(dialog, "cancel"); }));
    // Even with fields that would not pass, and with Escape.
    QVERIFY(!askAndDo({}, [](ConnectDialog *dialog) {
        QTest::keyClicks(edit(dialog, "seeds"), QStringLiteral("nonsense"));
        QTest::keyClick(dialog, Qt::Key_Escape);
    }));
    QVERIFY(ConnectionProfiles::load().isEmpty()); // cancelling saves nothing
}

void TestConnectDialog::forgetRemovesASavedProfile()
{
    ConnectionProfile first;
    first.name = QStringLiteral("Staging");
    first.seeds = {QStringLiteral("10.0.1.1:4000")};
    first.keyFile = m_keyFile;
    ConnectionProfile second = first;
    second.name = QStringLiteral("Production");
    second.seeds = {QStringLiteral("10.0.0.1:4000")};
    ConnectionProfiles::remember(first);
    ConnectionProfiles::remember(second); // most recent first: Production, Staging
    const QList<ConnectionProfile> saved = ConnectionProfiles::load();
    QCOMPARE(saved.size(), 2);

    const std::unique_ptr<ConnectDialog> dialog = openDialog(saved);
    auto *profiles = child<QComboBox>(dialog.get(), "profiles");
    auto *forget = child<QPushButton>(dialog.get(), "forget");
    QCOMPARE(profiles->currentText(), QStringLiteral("Production"));
    QVERIFY(forget->isEnabled());
    click(dialog.get(), "forget");
    // Gone from the list and from the settings; the next one shows.
    QCOMPARE(profiles->count(), 2); // New connection, Staging
    QCOMPARE(profiles->currentText(), QStringLiteral("Staging"));
    QCOMPARE(edit(dialog.get(), "seeds")->text(), QStringLiteral("10.0.1.1:4000"));
    QCOMPARE(ConnectionProfiles::load().size(), 1);
    QCOMPARE(ConnectionProfiles::load().constFirst().name, QStringLiteral("Staging"));
    click(dialog.get(), "forget");
    QCOMPARE(profiles->currentIndex(), 0);
    QVERIFY(edit(dialog.get(), "seeds")->text().isEmpty());
    QVERIFY(!forget->isEnabled()); // nothing saved to forget in a new connection
    QVERIFY(ConnectionProfiles::load().isEmpty());
}

// The History field says which history an empty field means: the preferences' (never with its
// password), else the SQLite file.
void TestConnectDialog::historyPlaceholderNamesTheDefault()
{
    ConnectDialog plain({});
    QCOMPARE(edit(&plain, "history")->placeholderText(), QStringLiteral("default: SQLite in the data folder"));
    ConnectDialog shared({}, QStringLiteral("postgresql://tribune:s3cret@db.example:5432/history"));
    const QString placeholder = edit(&shared, "history")->placeholderText();
    QVERIFY2(placeholder.contains(QLatin1String("postgresql://tribune@db.example:5432/history")), qPrintable(placeholder));
    QVERIFY(!placeholder.contains(QLatin1String("s3cret")));
}

void TestConnectDialog::screenshot()
{
    // Pictures of the dialog, filled and refusing, in the build folder.
    const QString dir = QStringLiteral(TRIBUNE_SCREENSHOT_DIR);
    ConnectionProfile saved;
    saved.name = QStringLiteral("Production");
    saved.seeds = {QStringLiteral("10.0.0.1:4000"), QStringLiteral("10.0.0.2:4000")};
    saved.loadBalancerSocket = QStringLiteral("/run/haproxy/admin.sock");
    saved.keyFile = m_keyFile;
    const std::unique_ptr<ConnectDialog> dialog = openDialog({saved});
    QVERIFY(dialog->grab().save(dir + QLatin1String("/connectdialog.png")));

    QTest::keyClick(child<QComboBox>(dialog.get(), "profiles"), Qt::Key_Home);
    QTest::keyClicks(edit(dialog.get(), "seeds"), QStringLiteral("10.0.0.1, 10.0.0.2:70000"));
    QTest::keyClicks(edit(dialog.get(), "keyFile"), QStringLiteral("/etc/tribune/cluster.keys"));
    click(dialog.get(), "connect");
    QVERIFY(dialog->isVisible());
    QVERIFY(dialog->grab().save(dir + QLatin1String("/connectdialog-problems.png")));
}

QTEST_MAIN(TestConnectDialog)
#include "tst_connectdialog.moc"
