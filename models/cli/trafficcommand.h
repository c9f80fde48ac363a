#pragma once

#include <QStringList>

class QTextStream;

namespace Tribune::Cli {

// tribunectl traffic --target HOST:PORT --host NAME... [--rate N] [--tenant DOMAIN...]
// [--duration S]: a gentle, steady stream of requests through the load balancer, for demos
// and tests; prints a summary every ten seconds and at the end.
int runTraffic(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace Tribune::Cli
