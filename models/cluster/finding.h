#pragma once

#include <QList>
#include <QString>

namespace Tribune {

enum class Severity { Error, Warning, Info };

// One thing the validator found: what is wrong, where, and how to fix it.
struct Finding
{
    Severity severity = Severity::Error;
    QString rule;    // stable identifier, e.g. "member-port-collision"
    QString node;    // the node's folder name; empty for the load balancer's files alone
    QString file;    // path of the file to change
    int line = 0;    // 1-based; 0 when no single line is to blame
    QString message;
    QString fix;
    int column = 0; // 1-based; 0 when unknown (a file that could not be read says where it broke)
};

QString severityName(Severity severity); // "error", "warning", "info" (stable, for JSON)
QString severityLabel(Severity severity); // translated, for people
int countOf(const QList<Finding> &findings, Severity severity);
// "1 error, 2 warnings", with singular and plural forms in the source language.
QString errorsAndWarnings(int errors, int warnings);
// The same, leaving out a count of zero: "1 error", "2 warnings", "" for none.
QString compactErrorsAndWarnings(int errors, int warnings);

} // namespace Tribune
