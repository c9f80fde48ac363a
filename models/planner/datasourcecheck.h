#pragma once

#include "config/datasourcesxml.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace Tribune::Planner {

// What a node's datasource finds on its database server, as the guides' first steps need it:
// the server reachable, the credentials accepted, the database there, the registry (REG_*) and
// user store (UM_*) tables created by dbscripts/mysql.sql.
struct DatasourceCheck
{
    enum class Status { Ready, NoTables, NoDatabase, NoPrivileges, AccessDenied, Unreachable, NotMySql, Failed };

    QString datasource; // its name in master-datasources.xml
    QString host;
    int port = 0;
    QString database;
    QString user;
    Status status = Status::Failed;
    bool registryTables = false;  // REG_RESOURCE is there
    bool userStoreTables = false; // UM_USER is there
    QString message; // for people: what failed, where, and what to do

    bool ok() const { return status == Status::Ready; }
};

QString statusName(DatasourceCheck::Status status); // "ready", "no-tables", ... (stable, for JSON)

// Checks every MySQL/MariaDB datasource with Qt's QMYSQL driver; other kinds are NotMySql.
// Blocking, up to timeoutSeconds per server: run it off the GUI thread.
QList<DatasourceCheck> checkDatasources(const QList<Config::Datasource> &datasources, int timeoutSeconds = 5);

// Creates the datasource's database if it is missing and grants its user every privilege on it,
// with administrator credentials given for this moment only. Blocking, like checkDatasources().
bool createDatabase(const Config::Datasource &datasource, const QString &adminUser, const QString &adminPassword,
                    QString *error, int timeoutSeconds = 5);

} // namespace Tribune::Planner
