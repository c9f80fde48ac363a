#pragma once

#include <QStringList>

class QTextStream;

namespace Tribune::Cli {

// Exit codes of tribunectl render-haproxy.
enum RenderHaproxyExit { Rendered = 0, Refused = 1, UnusableRenderInput = 2 };

// tribunectl render-haproxy loadbalancer.conf [-o haproxy.cfg] [options]: arguments start after
// "render-haproxy". Writes the HAProxy configuration (stdout without -o) and its hosts map.
int runRenderHaproxy(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace Tribune::Cli
