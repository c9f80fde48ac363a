#pragma once

#include <QByteArray>

namespace Tribune::Snapshot {

// What redaction wrote in place of each secret.
inline constexpr char RedactedValue[] = "[redacted]";

// Replaces the secrets of a node's configuration file with RedactedValue, and nothing else: the
// text of elements named *Password or *Pass (datasource, user store, admin, keystore, truststore
// and key passwords, SVN passwords), of elements whose name attribute ends in password
// (<Property name="ConnectionPassword">, <parameter name="mail.smtp.password">), and of
// attributes named *Password or *Pass (catalina's keystorePass). Every other byte stays as it
// was, so lines and their numbers still match the node's file. count gets how many values were
// replaced. Text that is not UTF-8 is treated as Latin-1 byte for byte.
QByteArray redactSecrets(const QByteArray &file, int *count = nullptr);

} // namespace Tribune::Snapshot
