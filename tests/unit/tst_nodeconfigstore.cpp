// The node agent's configuration store: reads, validated all-or-nothing pushes, backups, the audit
// log and rollbacks, on temporary copies of the sample cluster's nodes.
#include "configstore/nodeconfigstore.h"

#include "../common/testsupport.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Tribune;
using TestSupport::readAll;

Q_DECLARE_METATYPE(Tribune::NodeConfigStore::Step)

namespace {

const QString Carbon = QStringLiteral("carbon.xml");
const QString Registry = QStringLiteral("registry.xml");

QString sha256(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

// Every file and folder of a node outside the store's own .tribune folder, with the files' bytes.
QMap<QString, QByteArray> snapshot(const QString &home)
{
    QMap<QString, QByteArray> entries;
    QDirIterator it(home, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString relative = QDir(home).relativeFilePath(path);
        if (!relative.startsWith(QLatin1String(".tribune")) && !relative.contains(QLatin1String("/.tribune")))
            entries.insert(relative, it.fileInfo().isFile() ? readAll(path) : QByteArray("<folder>"));
    }
    return entries;
}

// The paths whose content differs between two snapshots, for a readable failure.
QStringList differingPaths(const QMap<QString, QByteArray> &before, const QMap<QString, QByteArray> &after)
{
    QStringList paths;
    for (auto it = before.cbegin(); it != before.cend(); ++it) {
        if (!after.contains(it.key()))
            paths.append(it.key() + QLatin1String(" (gone)"));
        else if (after.value(it.key()) != it.value())
            paths.append(it.key());
    }
    for (auto it = after.cbegin(); it != after.cend(); ++it) {
        if (!before.contains(it.key()))
            paths.append(it.key() + QLatin1String(" (new)"));
    }
    return paths;
}

QList<QJsonObject> auditLines(const NodeConfigStore &store)
{
    QList<QJsonObject> lines;
    for (const QByteArray &line : readAll(store.auditLogPath()).split('\n')) {
        if (!line.isEmpty())
            lines.append(QJsonDocument::fromJson(line).object());
    }
    return lines;
}

QByteArray replaced(QByteArray bytes, const QByteArray &from, const QByteArray &to)
{
    const qsizetype at = bytes.indexOf(from);
    return at < 0 ? QByteArray() : bytes.replace(at, from.size(), to);
}

} // namespace

class TestNodeConfigStore : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void readReturnsTheNodesFiles();
    void pushWritesOnlyTheChangedFile();
    void malformedXmlChangesNothing();
    void validationErrorChangesNothing();
    void unsafePathsAreRefused_data();
    void unsafePathsAreRefused();
    void symbolicLinks();
    void newFileInNewFolderAndBack();
    void pushRemovesAFileAndRollbackBringsItBack();
    void rollbackRestoresBytesAndCanBeUndone();
    void damagedBackupIsRefused();
    void keepsTheLastTwentyBackups();
    void failedWriteLeavesEverythingAsBefore_data();
    void failedWriteLeavesEverythingAsBefore();
    void targetThatIsAFolderIsRefused();
    void crashBetweenRenamesIsCompletedAtStart_data();
    void crashBetweenRenamesIsCompletedAtStart();
    void crashBeforeTheJournalLeavesTheOldSet_data();
    void crashBeforeTheJournalLeavesTheOldSet();

private:
    QString conf() const { return m_home + QLatin1String("/repository/conf/"); }
    QByteArray offsetCarbon(int offset) const
    {
        return replaced(readAll(conf() + Carbon), "<Offset>0</Offset>",
                        "<Offset>" + QByteArray::number(offset) + "</Offset>");
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_home; // a copy of esb-worker1
};

void TestNodeConfigStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_home = m_dir->filePath(QStringLiteral("esb-worker1"));
    QVERIFY(TestSupport::copyTree(TestSupport::sampleCluster() + QLatin1String("/esb-worker1"), m_home));
}

void TestNodeConfigStore::readReturnsTheNodesFiles()
{
    QString error;
    const std::optional<ConfigFileSet> files = NodeConfigStore(m_home).read(&error);
    QVERIFY2(files, qPrintable(error));
    const QStringList expected = {QStringLiteral("axis2/axis2.xml"), Carbon,
                                  QStringLiteral("datasources/master-datasources.xml"), Registry,
                                  QStringLiteral("tomcat/catalina-server.xml"), QStringLiteral("user-mgt.xml")};
    QCOMPARE(files->files.keys(), expected);
    for (const QString &relative : expected)
        QCOMPARE(files->files.value(relative), readAll(conf() + relative));

    // The conf folder itself works too, and the load balancer has its loadbalancer.conf.
    QVERIFY(TestSupport::copyTree(TestSupport::sampleCluster() + QLatin1String("/lb"), m_dir->filePath(QStringLiteral("lb"))));
    const std::optional<ConfigFileSet> lb =
        NodeConfigStore(m_dir->filePath(QStringLiteral("lb/repository/conf"))).read(&error);
    QVERIFY2(lb, qPrintable(error));
    QCOMPARE(lb->files.keys(), (QStringList{QStringLiteral("axis2/axis2.xml"), Carbon, QStringLiteral("loadbalancer.conf")}));

    QVERIFY(!NodeConfigStore(m_dir->path()).read(&error));
    QVERIFY2(error.contains(m_dir->path()) && error.contains(QLatin1String("CARBON_HOME")), qPrintable(error));
}

void TestNodeConfigStore::pushWritesOnlyTheChangedFile()
{
    NodeConfigStore store(m_home);
    const QMap<QString, QByteArray> before = snapshot(m_home);
    const QByteArray oldCarbon = readAll(conf() + Carbon);
    const QByteArray newCarbon = offsetCarbon(5);
    QVERIFY(!newCarbon.isEmpty());

    QString error;
    int backup = -1;
    // registry.xml comes unchanged, so only carbon.xml is written and backed up.
    QVERIFY2(store.push({{{Carbon, newCarbon}, {Registry, readAll(conf() + Registry)}}}, QStringLiteral("alice"),
                        &error, &backup),
             qPrintable(error));
    QCOMPARE(backup, 1);
    QMap<QString, QByteArray> expected = before;
    expected.insert(QStringLiteral("repository/conf/carbon.xml"), newCarbon);
    QCOMPARE(snapshot(m_home), expected); // no temporary files, nothing else touched

    QCOMPARE(readAll(store.backupFolder(1) + QLatin1String("/carbon.xml")), oldCarbon);
    QVERIFY(!QFileInfo::exists(store.backupFolder(1) + QLatin1String("/registry.xml")));
    const QJsonObject manifest = QJsonDocument::fromJson(readAll(store.backupFolder(1) + QLatin1String("/manifest.json"))).object();
    QCOMPARE(manifest.value(QLatin1String("number")).toInt(), 1);
    QCOMPARE(manifest.value(QLatin1String("actor")).toString(), QStringLiteral("alice"));
    QCOMPARE(manifest.value(QLatin1String("reason")).toString(), QStringLiteral("push"));
    QCOMPARE(manifest.value(QLatin1String("sha256")).toObject().value(Carbon).toString(), sha256(oldCarbon));
    QVERIFY(manifest.value(QLatin1String("time")).toString().endsWith(QLatin1Char('Z')));

    const QList<ConfigBackup> backups = store.backups();
    QCOMPARE(backups.size(), 1);
    QCOMPARE(backups.first().number, 1);
    QCOMPARE(backups.first().actor, QStringLiteral("alice"));
    QCOMPARE(backups.first().reason, QStringLiteral("push"));
    QCOMPARE(backups.first().files, QStringList{Carbon});
    QVERIFY(qAbs(backups.first().time.secsTo(QDateTime::currentDateTimeUtc())) < 60);

    const QList<QJsonObject> audit = auditLines(store);
    QCOMPARE(audit.size(), 1);
    QCOMPARE(audit.first().value(QLatin1String("actor")).toString(), QStringLiteral("alice"));
    QCOMPARE(audit.first().value(QLatin1String("action")).toString(), QStringLiteral("push"));
    QCOMPARE(audit.first().value(QLatin1String("backup")).toInt(), 1);
    const QJsonArray files = audit.first().value(QLatin1String("files")).toArray();
    QCOMPARE(files.size(), 1);
    QCOMPARE(files.first().toObject().value(QLatin1String("path")).toString(), Carbon);
    QCOMPARE(files.first().toObject().value(QLatin1String("before")).toString(), sha256(oldCarbon));
    QCOMPARE(files.first().toObject().value(QLatin1String("after")).toString(), sha256(newCarbon));

    // Pushing what is already there changes nothing and keeps no backup.
    QVERIFY2(store.push({{{Carbon, newCarbon}}}, QStringLiteral("alice"), &error, &backup), qPrintable(error));
    QCOMPARE(backup, 0);
    QCOMPARE(store.backups().size(), 1);
    QCOMPARE(auditLines(store).size(), 1);

    // Somebody must answer for a change.
    QVERIFY(!store.push({{{Carbon, offsetCarbon(6)}}}, QString(), &error));
    QVERIFY2(error.contains(QLatin1String("actor")), qPrintable(error));
}

void TestNodeConfigStore::malformedXmlChangesNothing()
{
    NodeConfigStore store(m_home);
    const QMap<QString, QByteArray> before = snapshot(m_home);
    const QByteArray broken = replaced(readAll(conf() + Carbon), "<Offset>0</Offset>", "<Offset>0</Ofset>");
    QString error;
    QVERIFY(!store.push({{{Carbon, broken}, {Registry, readAll(conf() + Registry) + "<!-- -->\n"}}},
                        QStringLiteral("alice"), &error));
    QVERIFY2(error.contains(QLatin1String("carbon.xml:81:")), qPrintable(error));
    QVERIFY2(!error.contains(QDir::tempPath()), qPrintable(error)); // names the file, not its temporary copy
    QCOMPARE(snapshot(m_home), before);
    QVERIFY(store.backups().isEmpty());
    QVERIFY(auditLines(store).isEmpty());
}

void TestNodeConfigStore::validationErrorChangesNothing()
{
    NodeConfigStore store(m_home);
    const QMap<QString, QByteArray> before = snapshot(m_home);
    const QByteArray writable = replaced(readAll(conf() + Registry), "<readOnly>true</readOnly>", "<readOnly>false</readOnly>");
    QVERIFY(!writable.isEmpty());
    QString error;
    QVERIFY(!store.push({{{Registry, writable}}}, QStringLiteral("alice"), &error));
    QVERIFY2(error.contains(QLatin1String("registry.xml:46:")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("worker-registry-writable")), qPrintable(error));
    QCOMPARE(snapshot(m_home), before);
    QVERIFY(store.backups().isEmpty());
    QVERIFY(auditLines(store).isEmpty());
}

void TestNodeConfigStore::unsafePathsAreRefused_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("parent") << QStringLiteral("../x");
    QTest::newRow("absolute") << QStringLiteral("/etc/passwd");
    QTest::newRow("backslash") << QStringLiteral("a\\b");
    QTest::newRow("empty") << QString();
    QTest::newRow("parent inside") << QStringLiteral("axis2/../../x");
    QTest::newRow("dot") << QStringLiteral("./carbon.xml");
    QTest::newRow("empty part") << QStringLiteral("axis2//axis2.xml");
    QTest::newRow("trailing slash") << QStringLiteral("tomcat/");
    QTest::newRow("newline") << QStringLiteral("a\nb");
}

void TestNodeConfigStore::unsafePathsAreRefused()
{
    QFETCH(QString, path);
    NodeConfigStore store(m_home);
    const QMap<QString, QByteArray> before = snapshot(m_home);
    const QMap<QString, QByteArray> outside = snapshot(m_dir->path());
    QString error;
    QVERIFY(!store.push({{{Carbon, offsetCarbon(5)}, {path, QByteArray("x")}}}, QStringLiteral("alice"), &error));
    QVERIFY2(error.contains(QLatin1String("relative to repository/conf")), qPrintable(error));
    QCOMPARE(snapshot(m_home), before);
    QCOMPARE(snapshot(m_dir->path()), outside);
    QVERIFY(!NodeConfigStore::isAcceptablePath(path, nullptr));
}

void TestNodeConfigStore::symbolicLinks()
{
    NodeConfigStore store(m_home);
    const QString elsewhere = m_dir->filePath(QStringLiteral("elsewhere"));
    QVERIFY(QDir().mkpath(elsewhere));
    QVERIFY(QFile::link(elsewhere, conf() + QLatin1String("outside")));
    QVERIFY(QFile::link(m_dir->filePath(QStringLiteral("elsewhere/secret.txt")), conf() + QLatin1String("secret.txt")));
    QVERIFY(QFile::link(conf() + Carbon, conf() + QLatin1String("alias.xml")));
    const QMap<QString, QByteArray> before = snapshot(m_dir->path());

    QString error;
    for (const QString &path : {QStringLiteral("outside/evil.xml"), QStringLiteral("secret.txt")}) {
        QVERIFY(!store.push({{{path, QByteArray("x")}}}, QStringLiteral("alice"), &error));
        QVERIFY2(error.contains(QLatin1String("symbolic link")) && error.contains(path), qPrintable(error));
    }
    // A link inside conf leads to its file, which is validated as that file...
    const QByteArray broken = replaced(readAll(conf() + Carbon), "</Offset>", "</Ofset>");
    QVERIFY(!store.push({{{QStringLiteral("alias.xml"), broken}}}, QStringLiteral("alice"), &error));
    QVERIFY2(error.contains(QLatin1String("carbon.xml:81:")), qPrintable(error));
    // ...and cannot be changed under two names at once.
    QVERIFY(!store.push({{{QStringLiteral("alias.xml"), offsetCarbon(5)}, {Carbon, offsetCarbon(6)}}},
                        QStringLiteral("alice"), &error));
    QVERIFY2(error.contains(QLatin1String("same file")), qPrintable(error));
    QCOMPARE(snapshot(m_dir->path()), before);

    // A valid change through the link replaces the file and keeps the link.
    QVERIFY2(store.push({{{QStringLiteral("alias.xml"), offsetCarbon(5)}}}, QStringLiteral("alice"), &error),
             qPrintable(error));
    QVERIFY(QFileInfo(conf() + QLatin1String("alias.xml")).isSymLink());
    QVERIFY(readAll(conf() + Carbon).contains("<Offset>5</Offset>"));
}

void TestNodeConfigStore::newFileInNewFolderAndBack()
{
    NodeConfigStore store(m_home);
    const QMap<QString, QByteArray> before = snapshot(m_home);
    const QString path = QStringLiteral("security/extra/notes.txt");
    QString error;
    int backup = 0;
    QVERIFY2(store.push({{{path, QByteArray("hello\n")}}}, QStringLiteral("bob"), &error, &backup), qPrintable(error));
    QCOMPARE(readAll(conf() + path), QByteArray("hello\n"));
    const QJsonObject manifest = QJsonDocument::fromJson(readAll(store.backupFolder(backup) + QLatin1String("/manifest.json"))).object();
    QVERIFY(manifest.value(QLatin1String("sha256")).toObject().value(path).isNull());
    QVERIFY(auditLines(store).first().value(QLatin1String("files")).toArray().first().toObject().value(QLatin1String("before")).isNull());
    const std::optional<ConfigFileSet> saved = store.backupContents(backup, &error);
    QVERIFY2(saved, qPrintable(error));
    QCOMPARE(saved->removed, QStringList{path}); // the node did not have it

    // Rolling back to a backup that recorded the file as absent removes it again.
    QVERIFY2(store.rollback(backup, QStringLiteral("bob"), &error), qPrintable(error));
    QVERIFY(!QFileInfo::exists(conf() + path));
    QMap<QString, QByteArray> expected = before;
    expected.insert(QStringLiteral("repository/conf/security"), "<folder>");
    expected.insert(QStringLiteral("repository/conf/security/extra"), "<folder>");
    QCOMPARE(snapshot(m_home), expected);
}

void TestNodeConfigStore::pushRemovesAFileAndRollbackBringsItBack()
{
    NodeConfigStore store(m_home);
    const QString notes = QStringLiteral("tribune/notes.txt");
    QString error;
    int backup = 0;
    QVERIFY2(store.push({{{notes, QByteArray("worker of the batch sub-domain\n")}}}, QStringLiteral("bob"), &error), qPrintable(error));
    // A removal the node cannot do without is refused like any invalid push: the registry is
    // what it shares with the cluster.
    QVERIFY(!store.push(ConfigFileSet({}, {Registry}), QStringLiteral("bob"), &error));
    QVERIFY2(error.contains(QLatin1String("missing-mount")), qPrintable(error));
    QVERIFY(QFileInfo::exists(conf() + Registry));

    QVERIFY2(store.push(ConfigFileSet({}, {notes}), QStringLiteral("bob"), &error, &backup), qPrintable(error));
    QVERIFY(backup > 0);
    QVERIFY(!QFileInfo::exists(conf() + notes));
    QCOMPARE(readAll(store.backupFolder(backup) + QLatin1Char('/') + notes), QByteArray("worker of the batch sub-domain\n"));
    QVERIFY(auditLines(store).last().value(QLatin1String("files")).toArray().first().toObject().value(QLatin1String("after")).isNull());
    // Removing what is not there changes nothing; writing and removing one file is refused.
    QVERIFY2(store.push(ConfigFileSet({}, {notes}), QStringLiteral("bob"), &error, &backup), qPrintable(error));
    QCOMPARE(backup, 0);
    QVERIFY(!store.push(ConfigFileSet({{Carbon, offsetCarbon(3)}}, {Carbon}), QStringLiteral("bob"), &error));
    QVERIFY2(error.contains(Carbon), qPrintable(error));

    // The removal is undone like any change.
    QVERIFY2(store.rollback(2, QStringLiteral("bob"), &error), qPrintable(error));
    QCOMPARE(readAll(conf() + notes), QByteArray("worker of the batch sub-domain\n"));
}

void TestNodeConfigStore::rollbackRestoresBytesAndCanBeUndone()
{
    NodeConfigStore store(m_home);
    const QMap<QString, QByteArray> original = snapshot(m_home);
    const QByteArray registry = readAll(conf() + Registry) + "<!-- tuned -->\n";
    QString error;
    QVERIFY2(store.push({{{Carbon, offsetCarbon(5)}}}, QStringLiteral("alice"), &error), qPrintable(error));
    QVERIFY2(store.push({{{Carbon, replaced(readAll(conf() + Carbon), "<Offset>5</Offset>", "<Offset>7</Offset>")}, {Registry, registry}}},
                        QStringLiteral("alice"), &error),
             qPrintable(error));
    const QMap<QString, QByteArray> pushed = snapshot(m_home);

    // What a rollback would put back can be read first, byte for byte.
    const std::optional<ConfigFileSet> saved = store.backupContents(1, &error);
    QVERIFY2(saved, qPrintable(error));
    QCOMPARE(saved->files.keys(), QStringList{Carbon});
    QCOMPARE(saved->files.value(Carbon), original.value(QStringLiteral("repository/conf/carbon.xml")));
    QVERIFY(saved->removed.isEmpty());
    QVERIFY(!store.backupContents(99, &error));
    QVERIFY2(error.contains(QLatin1String("backup 99")), qPrintable(error));

    int backup = 0;
    QVERIFY2(store.rollback(1, QStringLiteral("carol"), &error, &backup), qPrintable(error));
    QCOMPARE(backup, 3);
    // Backup 1 held carbon.xml only, so registry.xml keeps the second push's version.
    QMap<QString, QByteArray> expected = original;
    expected.insert(QStringLiteral("repository/conf/registry.xml"), registry);
    QCOMPARE(snapshot(m_home), expected);

    const ConfigBackup latest = store.backups().first();
    QCOMPARE(latest.number, 3);
    QCOMPARE(latest.reason, QStringLiteral("rollback to 1"));
    QCOMPARE(latest.actor, QStringLiteral("carol"));
    QCOMPARE(latest.files, QStringList{Carbon});
    QCOMPARE(readAll(store.backupFolder(3) + QLatin1String("/carbon.xml")), pushed.value(QStringLiteral("repository/conf/carbon.xml")));
    const QJsonObject audit = auditLines(store).constLast();
    QCOMPARE(audit.value(QLatin1String("action")).toString(), QStringLiteral("rollback"));
    QCOMPARE(audit.value(QLatin1String("backup")).toInt(), 3);

    // Undoing the rollback brings back what it replaced.
    QVERIFY2(store.rollback(3, QStringLiteral("carol"), &error, &backup), qPrintable(error));
    QCOMPARE(backup, 4);
    QCOMPARE(snapshot(m_home), pushed);
    QCOMPARE(auditLines(store).size(), 4);

    QVERIFY(!store.rollback(99, QStringLiteral("carol"), &error));
    QVERIFY2(error.contains(QLatin1String("backup 99")), qPrintable(error));
}

void TestNodeConfigStore::damagedBackupIsRefused()
{
    NodeConfigStore store(m_home);
    QString error;
    QVERIFY2(store.push({{{Carbon, offsetCarbon(5)}}}, QStringLiteral("alice"), &error), qPrintable(error));
    QVERIFY(TestSupport::replaceInFile(store.backupFolder(1) + QLatin1String("/carbon.xml"), "<Offset>0", "<Offset>9"));
    const QMap<QString, QByteArray> before = snapshot(m_home);
    QVERIFY(!store.rollback(1, QStringLiteral("alice"), &error));
    QVERIFY2(error.contains(QLatin1String("sha256")) && error.contains(Carbon), qPrintable(error));
    QCOMPARE(snapshot(m_home), before);
    QVERIFY(!store.backupContents(1, &error));
    QVERIFY2(error.contains(QLatin1String("sha256")), qPrintable(error));
    QCOMPARE(store.backups().size(), 1);
}

void TestNodeConfigStore::keepsTheLastTwentyBackups()
{
    NodeConfigStore store(m_home);
    QString error;
    for (int i = 1; i <= 25; ++i) {
        const QByteArray carbon = replaced(TestSupport::readAll(TestSupport::sampleCluster() + QLatin1String("/esb-worker1/repository/conf/carbon.xml")),
                                           "<Offset>0</Offset>", "<Offset>" + QByteArray::number(i) + "</Offset>");
        int backup = 0;
        QVERIFY2(store.push({{{Carbon, carbon}}}, QStringLiteral("alice"), &error, &backup), qPrintable(error));
        QCOMPARE(backup, i);
    }
    const QList<ConfigBackup> backups = store.backups();
    QCOMPARE(backups.size(), NodeConfigStore::KeptBackups);
    QCOMPARE(backups.first().number, 25);
    QCOMPARE(backups.last().number, 6);
    QVERIFY(!QFileInfo::exists(store.backupFolder(5)));
    QVERIFY(QFileInfo::exists(store.backupFolder(6)));
    QCOMPARE(auditLines(store).size(), 25);
}

void TestNodeConfigStore::failedWriteLeavesEverythingAsBefore_data()
{
    QTest::addColumn<NodeConfigStore::Step>("step");
    QTest::addColumn<QString>("failing");
    QTest::newRow("temporary of the second file") << NodeConfigStore::Step::WriteTemporary << Registry;
    QTest::newRow("backup of the second file") << NodeConfigStore::Step::WriteBackup << Registry;
    QTest::newRow("rename of the second file") << NodeConfigStore::Step::Replace << Registry;
    QTest::newRow("rename of the last, new file") << NodeConfigStore::Step::Replace << QStringLiteral("security/new.txt");
}

void TestNodeConfigStore::failedWriteLeavesEverythingAsBefore()
{
    QFETCH(NodeConfigStore::Step, step);
    QFETCH(QString, failing);
    NodeConfigStore store(m_home);
    QString error;
    QVERIFY2(store.push({{{Carbon, offsetCarbon(3)}}}, QStringLiteral("alice"), &error), qPrintable(error));
    const QMap<QString, QByteArray> before = snapshot(m_home);

    // Files go in path order: carbon.xml is replaced before registry.xml and security/new.txt fail.
    store.setFailureHook([&](NodeConfigStore::Step at, const QString &path) { return at == step && path == failing; });
    const ConfigFileSet changes{{{Carbon, readAll(conf() + Carbon) + "<!-- a -->\n"},
                                 {Registry, readAll(conf() + Registry) + "<!-- b -->\n"},
                                 {QStringLiteral("security/new.txt"), QByteArray("new\n")}}};
    QVERIFY(!store.push(changes, QStringLiteral("alice"), &error));
    QVERIFY2(error.contains(failing) && error.contains(QLatin1String("nothing was changed"), Qt::CaseInsensitive), qPrintable(error));
    QCOMPARE(snapshot(m_home), before);
    QCOMPARE(store.backups().size(), 1);
    QCOMPARE(QDir(store.backupFolder(1) + QLatin1String("/..")).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
             QStringList{QStringLiteral("1")});
    QCOMPARE(auditLines(store).size(), 1);

    store.setFailureHook({});
    QVERIFY2(store.push(changes, QStringLiteral("alice"), &error), qPrintable(error));
    QCOMPARE(store.backups().first().number, 2);
}

namespace {

// The process dying at a step: nothing after it runs, no clean-up, no restore.
struct SimulatedCrash
{
};

QStringList leftovers(const QString &home)
{
    QStringList found;
    QDirIterator files(home, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (files.hasNext()) {
        const QString path = files.next();
        if (path.contains(QLatin1String(".tribune-")) || path.contains(QLatin1String("/.partial-")))
            found.append(path);
    }
    return found;
}

} // namespace

void TestNodeConfigStore::crashBetweenRenamesIsCompletedAtStart_data()
{
    QTest::addColumn<NodeConfigStore::Step>("step");
    QTest::addColumn<QString>("at");
    // Files go in path order: carbon.xml, registry.xml, security/new.txt.
    QTest::newRow("before the first rename") << NodeConfigStore::Step::Replace << Carbon;
    QTest::newRow("after the first rename") << NodeConfigStore::Step::Replace << Registry;
    QTest::newRow("after the second rename") << NodeConfigStore::Step::Replace << QStringLiteral("security/new.txt");
    QTest::newRow("after every rename, before the audit") << NodeConfigStore::Step::Audit << QString();
}

void TestNodeConfigStore::crashBetweenRenamesIsCompletedAtStart()
{
    QFETCH(NodeConfigStore::Step, step);
    QFETCH(QString, at);
    NodeConfigStore store(m_home);
    QString error;
    QVERIFY2(store.push({{{Carbon, offsetCarbon(3)}}}, QStringLiteral("alice"), &error), qPrintable(error));
    const ConfigFileSet changes{{{Carbon, readAll(conf() + Carbon) + "<!-- a -->\n"},
                                 {Registry, readAll(conf() + Registry) + "<!-- b -->\n"},
                                 {QStringLiteral("security/new.txt"), QByteArray("new\n")}}};
    store.setFailureHook([&](NodeConfigStore::Step reached, const QString &path) -> bool {
        if (reached == step && path == at)
            throw SimulatedCrash{};
        return false;
    });
    bool crashed = false;
    try {
        store.push(changes, QStringLiteral("bob"), &error);
    } catch (const SimulatedCrash &) {
        crashed = true;
    }
    QVERIFY(crashed);
    QVERIFY(QFileInfo::exists(store.stateFolder() + QLatin1String("/journal.json")));

    // The agent starts again: the change is whole, audited, and nothing is left lying about.
    NodeConfigStore restarted(m_home);
    const QString said = restarted.recover(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(said.contains(QLatin1String("completed the change of backup 2")), qPrintable(said));
    for (auto it = changes.files.cbegin(); it != changes.files.cend(); ++it)
        QCOMPARE(readAll(conf() + it.key()), it.value());
    QVERIFY(!QFileInfo::exists(store.stateFolder() + QLatin1String("/journal.json")));
    QCOMPARE(leftovers(m_home), QStringList());
    const QList<QJsonObject> audit = auditLines(restarted);
    QCOMPARE(audit.size(), 2);
    QVERIFY2(audit.last().value(QLatin1String("reason")).toString().contains(QLatin1String("completed at start after an interruption")),
             qPrintable(audit.last().value(QLatin1String("reason")).toString()));
    QCOMPARE(audit.last().value(QLatin1String("actor")).toString(), QStringLiteral("bob"));
    QCOMPARE(audit.last().value(QLatin1String("files")).toArray().size(), 3);
    // And once done, a start has nothing more to do.
    QVERIFY(restarted.recover(&error).isEmpty());
    QCOMPARE(restarted.backups().size(), 2);
}

// The fault injector's other half: a stop at every file operation before the journal (each
// temporary, each backup copy) leaves every file as it was, no audit line for the change, and
// nothing lying about once the agent has started again.
void TestNodeConfigStore::crashBeforeTheJournalLeavesTheOldSet_data()
{
    QTest::addColumn<NodeConfigStore::Step>("step");
    QTest::addColumn<QString>("at");
    for (const QString &file : {Carbon, Registry, QStringLiteral("security/new.txt")})
        QTest::addRow("writing the temporary of %s", qPrintable(file)) << NodeConfigStore::Step::WriteTemporary << file;
    // security/new.txt is new: it has nothing to back up.
    for (const QString &file : {Carbon, Registry})
        QTest::addRow("backing up %s", qPrintable(file)) << NodeConfigStore::Step::WriteBackup << file;
}

void TestNodeConfigStore::crashBeforeTheJournalLeavesTheOldSet()
{
    QFETCH(NodeConfigStore::Step, step);
    QFETCH(QString, at);
    NodeConfigStore store(m_home);
    QString error;
    QVERIFY2(store.push({{{Carbon, offsetCarbon(3)}}}, QStringLiteral("alice"), &error), qPrintable(error));
    const QMap<QString, QByteArray> before = snapshot(m_home);
    const ConfigFileSet changes{{{Carbon, readAll(conf() + Carbon) + "<!-- a -->\n"},
                                 {Registry, readAll(conf() + Registry) + "<!-- b -->\n"},
                                 {QStringLiteral("security/new.txt"), QByteArray("new\n")}}};
    bool reached = false;
    store.setFailureHook([&](NodeConfigStore::Step current, const QString &path) -> bool {
        if (current == step && path == at) {
            reached = true;
            throw SimulatedCrash{};
        }
        return false;
    });
    try {
        store.push(changes, QStringLiteral("bob"), &error);
    } catch (const SimulatedCrash &) {
    }
    QVERIFY(reached);
    QVERIFY(!QFileInfo::exists(store.stateFolder() + QLatin1String("/journal.json")));

    NodeConfigStore restarted(m_home);
    restarted.recover(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(leftovers(m_home), QStringList());
    const QStringList changed = differingPaths(before, snapshot(m_home));
    QVERIFY2(changed.isEmpty(), qPrintable(changed.join(QLatin1String(", "))));
    QCOMPARE(auditLines(restarted).size(), 1);
    QCOMPARE(restarted.backups().size(), 1);
}

void TestNodeConfigStore::targetThatIsAFolderIsRefused()
{
    NodeConfigStore store(m_home);
    QVERIFY(QDir().mkpath(conf() + QLatin1String("security/policy.xml")));
    const QMap<QString, QByteArray> before = snapshot(m_home);
    QString error;
    QVERIFY(!store.push({{{Carbon, offsetCarbon(5)}, {QStringLiteral("security/policy.xml"), QByteArray("x")}}},
                        QStringLiteral("alice"), &error));
    QVERIFY2(error.contains(QLatin1String("not a regular file")), qPrintable(error));
    // A file where a folder should be cannot hold files either.
    QVERIFY(!store.push({{{QStringLiteral("carbon.xml/x"), QByteArray("x")}}}, QStringLiteral("alice"), &error));
    QVERIFY2(error.contains(QLatin1String("not a folder")), qPrintable(error));
    QCOMPARE(snapshot(m_home), before);
    QVERIFY(store.backups().isEmpty());
}

QTEST_GUILESS_MAIN(TestNodeConfigStore)
#include "tst_nodeconfigstore.moc"
