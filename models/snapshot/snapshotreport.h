#pragma once

#include "snapshot.h"

#include <QStringList>

namespace Tribune::Snapshot {

// A snapshot as CSV files in a folder, for spreadsheets and scripts: members.csv (one row per
// member: id, node, domain, sub-domain, state, incarnation, HAProxy state, weight, check, CPU,
// RSS, probe round trip), events.csv (time, kind, member, domain, sub-domain, reason) and
// samples.csv (time, member, request rate, sessions, bytes in and out per second, 5xx rate,
// response time). RFC 4180 quoting, UTF-8, times in UTC ISO 8601. Each file appears whole or not
// at all; *written lists the files written.
bool writeCsvReport(const Snapshot &snapshot, const QString &folder, QStringList *written, QString *error);

// One CSV field, quoted when it needs to be (RFC 4180).
QString csvField(const QString &value);

} // namespace Tribune::Snapshot
