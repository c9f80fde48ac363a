#pragma once

#include <QByteArray>

#include <utility>

namespace Tribune::Config {

// What redaction wrote in place of each secret, and of a secret that a change changes.
inline constexpr char RedactedValue[] = "[redacted]";
inline constexpr char ChangedValue[] = "[redacted: changed]";

// Replaces the secrets of a node's configuration file with RedactedValue, and nothing else: the
// text of elements named *Password or *Pass (datasource, user store, admin, keystore, truststore
// and key passwords, SVN passwords), of elements whose name attribute ends in password
// (<Property name="ConnectionPassword">, <parameter name="mail.smtp.password">), and of
// attributes named *Password or *Pass (catalina's keystorePass). Every other byte stays as it
// was, so lines and their numbers still match the node's file. count gets how many values were
// replaced. Text that is not UTF-8 is treated as Latin-1 byte for byte.
QByteArray redactSecrets(const QByteArray &file, int *count = nullptr);

// Two versions of a file redacted for a diff that people read: in the after version, a secret
// whose value differs from the one at the same place before reads ChangedValue, so the diff
// shows that a password changed, never what it is.
std::pair<QByteArray, QByteArray> redactChange(const QByteArray &before, const QByteArray &after);

} // namespace Tribune::Config
