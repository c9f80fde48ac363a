#pragma once

#include <QString>

// The clusters of the vendor's two clustering guides, built from the upstream files in
// tests/data/upstream by applying each guide's edits with Tribune's own lossless editors, so
// that the tests validate what an administrator following the guide would really have.
namespace Tribune::Guides {

enum class Stage {
    AsWritten, // every edit as the guide writes it, mistakes included
    Escaped,   // as written, but with the XML the guide pastes made well-formed (its bare '&')
    Corrected, // with every mistake the validator reports corrected
};

// The ESB clustering guide 4.1.0: the load balancer, an ESB manager and three workers on two
// servers (192.0.2.206 and 192.0.2.132 stand for the guide's xxx.xxx.xxx.206 and .132), with the
// hosts and servers files the guide has administrators write. Escaped is AsWritten: this guide
// pastes no bare '&'.
bool buildEsbCluster(const QString &folder, Stage stage, QString *error);

// "Clustering Governance Registry with WSO2 ELB": the load balancer and three governance
// registry nodes on one server, with the guide's hosts line.
bool buildGovernanceCluster(const QString &folder, Stage stage, QString *error);

// Server addresses of the ESB cluster, for tests that move it.
inline const char *const EsbServerA = "192.0.2.206"; // load balancer, manager, worker 2
inline const char *const EsbServerB = "192.0.2.132"; // workers 1 and 3

} // namespace Tribune::Guides
