#pragma once

#include "live/connectionprofiles.h"

#include <optional>

class QWidget;

namespace Tribune {

// Asks where the cluster is: a saved profile, or the well-known members, the load balancer's
// admin socket, the key file, role, TLS authority and history. Returns the choice, or nothing
// when the user cancels. Opens no connection itself.
std::optional<ConnectionProfile> askForConnection(QWidget *parent, const QList<ConnectionProfile> &saved);

} // namespace Tribune
