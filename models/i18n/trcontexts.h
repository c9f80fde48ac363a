#pragma once

#include <QCoreApplication>

// The translation contexts of code that is not a QObject. Call them as ConfigText::tr("…"): the
// context the program asks for at run time is then the one lupdate extracts, by construction.
namespace Tribune {

struct AgentText { Q_DECLARE_TR_FUNCTIONS(Tribune::Agent) };
struct CliText { Q_DECLARE_TR_FUNCTIONS(Tribune::Cli) };
struct ClusterConfigText { Q_DECLARE_TR_FUNCTIONS(Tribune::ClusterConfig) };
struct ConfigText { Q_DECLARE_TR_FUNCTIONS(Tribune::Config) };
struct ConfigStoreText { Q_DECLARE_TR_FUNCTIONS(Tribune::NodeConfigStore) };
struct HAProxyText { Q_DECLARE_TR_FUNCTIONS(Tribune::HAProxy) };
struct HistoryText { Q_DECLARE_TR_FUNCTIONS(Tribune::HistoryStore) };
struct KeyRingText { Q_DECLARE_TR_FUNCTIONS(Tribune::KeyRing) };
struct MemberText { Q_DECLARE_TR_FUNCTIONS(Tribune::Member) };
struct MetricText { Q_DECLARE_TR_FUNCTIONS(Tribune::MetricSeries) };
struct NodeDescriptionText { Q_DECLARE_TR_FUNCTIONS(Tribune::NodeDescription) };
struct ReportText { Q_DECLARE_TR_FUNCTIONS(Tribune::Report) };
struct SecretStoreText { Q_DECLARE_TR_FUNCTIONS(Tribune::SecretStore) };
struct ValidatorText { Q_DECLARE_TR_FUNCTIONS(Tribune::Validator) };

} // namespace Tribune
