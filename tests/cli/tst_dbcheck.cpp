// tribunectl db check against a real MariaDB that the test starts on 127.0.0.1: a ready database,
// a missing one, a refused password and a database without tables, then --create.
#include "../common/mariadbserver.h"
#include "../common/testsupport.h"

#include "config/configerror.h"
#include "config/datasourcesxml.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QTemporaryDir>
#include <QTest>

using namespace Tribune;
using TestSupport::MariaDbServer;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run tribunectl(const QStringList &arguments, const QByteArray &input = {})
{
    QProcess process;
    process.start(QStringLiteral(TRIBUNECTL_PATH), arguments);
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(60000))
        process.kill();
    process.waitForFinished();
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1, process.readAllStandardOutput(),
            process.readAllStandardError()};
}

QMap<QString, QString> statuses(const QByteArray &json)
{
    QMap<QString, QString> result;
    for (const QJsonValue &entry : QJsonDocument::fromJson(json).object().value(QLatin1String("datasources")).toArray())
        result.insert(entry.toObject().value(QLatin1String("datasource")).toString(),
                      entry.toObject().value(QLatin1String("status")).toString());
    return result;
}

} // namespace

class TestDbCheck final : public QObject
{
    Q_OBJECT

private slots:
    void checksAndCreates();
};

void TestDbCheck::checksAndCreates()
{
    QVERIFY2(QSqlDatabase::isDriverAvailable(QStringLiteral("QMYSQL")),
             qPrintable(QLatin1String("QMYSQL is not installed. Run: ") + TestSupport::MariaDbInstallLine));
    MariaDbServer server;
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    QVERIFY2(server.sql(QStringLiteral("CREATE USER 'regadmin'@'%' IDENTIFIED BY 'regpw';"
                                       "CREATE USER 'dba'@'%' IDENTIFIED BY 'dbapw';"
                                       "GRANT ALL PRIVILEGES ON *.* TO 'dba'@'%' WITH GRANT OPTION;"
                                       "CREATE DATABASE REGISTRY_DB; CREATE TABLE REGISTRY_DB.REG_RESOURCE (id INT);"
                                       "CREATE DATABASE EMPTY_DB;"
                                       "GRANT ALL PRIVILEGES ON REGISTRY_DB.* TO 'regadmin'@'%';"
                                       "GRANT ALL PRIVILEGES ON EMPTY_DB.* TO 'regadmin'@'%';"),
                        &error),
             qPrintable(error));

    // A node whose datasources reach each case.
    QTemporaryDir dir;
    const QString home = dir.filePath(QStringLiteral("esb-worker1"));
    QVERIFY(TestSupport::copyTree(TestSupport::sampleCluster() + QLatin1String("/esb-worker1"), home));
    const QString path = home + QLatin1String("/repository/conf/datasources/master-datasources.xml");
    Config::ConfigError configError;
    std::optional<Config::DatasourcesXml> file = Config::DatasourcesXml::load(path, &configError);
    QVERIFY(file);
    const QString base = QStringLiteral("jdbc:mysql://127.0.0.1:%1/").arg(server.port());
    const auto point = [&](const QString &name, const QString &database, const QString &password) {
        return file->setValue(name, QStringLiteral("url"), base + database + QLatin1String("?autoReconnect=true"), &configError)
            && file->setValue(name, QStringLiteral("username"), QStringLiteral("regadmin"), &configError)
            && file->setValue(name, QStringLiteral("password"), password, &configError);
    };
    QVERIFY2(point(QStringLiteral("REGISTRY_DB"), QStringLiteral("REGISTRY_DB"), QStringLiteral("regpw"))
                 && point(QStringLiteral("WSO2_CARBON_DB"), QStringLiteral("REGISTRY_LOCAL9"), QStringLiteral("regpw"))
                 && point(QStringLiteral("WSO2_USER_DB"), QStringLiteral("EMPTY_DB"), QStringLiteral("regpw")),
             qPrintable(configError.toString()));
    Config::Datasource wrong;
    wrong.name = QStringLiteral("WRONG_PASSWORD_DB");
    wrong.jndiName = QStringLiteral("jdbc/Wrong");
    wrong.url = base + QLatin1String("REGISTRY_DB");
    wrong.username = QStringLiteral("regadmin");
    wrong.password = QStringLiteral("guessed");
    QVERIFY(file->addDatasource(wrong, &configError) && file->save(path, &configError));

    const QStringList check{QStringLiteral("db"), QStringLiteral("check"), QStringLiteral("--node-dir"), home,
                            QStringLiteral("--json")};
    Run run = tribunectl(check);
    QCOMPARE(run.exitCode, 1);
    QMap<QString, QString> status = statuses(run.out);
    QCOMPARE(status.value(QStringLiteral("REGISTRY_DB")), QStringLiteral("ready"));
    QCOMPARE(status.value(QStringLiteral("WSO2_CARBON_DB")), QStringLiteral("no-privileges"));
    QCOMPARE(status.value(QStringLiteral("WSO2_USER_DB")), QStringLiteral("no-tables"));
    QCOMPARE(status.value(QStringLiteral("WRONG_PASSWORD_DB")), QStringLiteral("access-denied"));
    QVERIFY2(run.out.contains("database REGISTRY_LOCAL9 on 127.0.0.1:") && run.out.contains("as regadmin"), run.out.constData());

    // The administrator creates the missing database and grants its user; the refused password
    // stays refused (granting would reset it).
    run = tribunectl(QStringList{QStringLiteral("db"), QStringLiteral("check"), QStringLiteral("--node-dir"), home,
                                 QStringLiteral("--create"), QStringLiteral("--admin-user"), QStringLiteral("dba")},
                     "dbapw\n");
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.out.contains("created database REGISTRY_LOCAL9 and granted regadmin"), run.out.constData());
    status = statuses(tribunectl(check).out);
    QCOMPARE(status.value(QStringLiteral("WSO2_CARBON_DB")), QStringLiteral("no-tables"));
    QCOMPARE(status.value(QStringLiteral("WRONG_PASSWORD_DB")), QStringLiteral("access-denied"));

    // A wrong administrator password is said, and nothing is created.
    file = Config::DatasourcesXml::load(path, &configError);
    QVERIFY(file && point(QStringLiteral("WSO2_CARBON_DB"), QStringLiteral("REGISTRY_LOCAL8"), QStringLiteral("regpw"))
            && file->save(path, &configError));
    run = tribunectl(QStringList{QStringLiteral("db"), QStringLiteral("check"), QStringLiteral("--node-dir"), home,
                                 QStringLiteral("--create"), QStringLiteral("--admin-user"), QStringLiteral("dba")},
                     "nope\n");
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(" as dba: ") && !run.out.contains("created database"), run.err.constData());
    QCOMPARE(statuses(tribunectl(check).out).value(QStringLiteral("WSO2_CARBON_DB")), QStringLiteral("no-privileges"));
}

QTEST_GUILESS_MAIN(TestDbCheck)
#include "tst_dbcheck.moc"
