#pragma once

#include <QStringList>

class QTextStream;

namespace Tribune::Cli {

// tribunectl db check --node-dir DIR | --seed S --key-file K --node NODE [--create --admin-user
// USER]: checks every MySQL/MariaDB datasource of a node's master-datasources.xml (its folder's,
// or the running node's); with --create, creates the missing databases
// and grants their users, with the administrator's password read from standard input. Exit 0
// when every database is ready, 1 when one is not, 2 on bad input. Arguments start after "db".
int runDb(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace Tribune::Cli
