#pragma once

#include <QJsonObject>

#include "finding.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace Tribune {

namespace Config {
struct ConfigError;
}

// Findings as people read them: "file:line: error: message" and an indented fix, then a summary.
QString findingsAsText(const QList<Finding> &findings, int nodeCount);
// Findings as one JSON document, for scripts: {"nodes": N, "errors": N, ..., "findings": [...]}.
// One finding as the JSON documents have it (validate --json, snapshot show --json).
QJsonObject findingAsJson(const Finding &finding);
QByteArray findingsAsJson(const QList<Finding> &findings, int nodeCount);
// Problems that made input unusable, in the same two forms.
QString inputErrorsAsText(const QList<Config::ConfigError> &errors);
QByteArray inputErrorsAsJson(const QList<Config::ConfigError> &errors);

} // namespace Tribune
