#pragma once

#include <QString>

namespace Tribune::Config {

// Where and why a configuration file could not be read or changed.
struct ConfigError
{
    QString file;
    int line = 0;   // 1-based; 0 when the problem is not tied to a line
    int column = 0; // 1-based; 0 when unknown
    QString message;

    // "file:line:column: message", the form editors and compilers use.
    QString toString() const;
};

} // namespace Tribune::Config
