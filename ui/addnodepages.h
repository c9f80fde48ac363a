#pragma once

// The pages of the Add Node wizard that come after the settings: built here, in their own file,
// and handed the plan as the pages before them describe it.

#include <QString>

#include <functional>
#include <optional>

class QLabel;
class QWidget;
class QWizardPage;

namespace Tribune::Planner {
class AddNodeFlow;
struct AddNodePlan;
struct PreparedPlan;
}

namespace Tribune::AddNodePages {

// The plan with every change the earlier pages hold; nothing, with *error, when it cannot be made.
using PlanNow = std::function<std::optional<Planner::AddNodePlan>(QString *error)>;

// The review, the commit page: every file's diff and the whole cluster's findings; prepared gets
// the plan checked against the running cluster, which the watch page applies.
QWizardPage *reviewPage(Planner::AddNodeFlow *flow, PlanNow planNow, std::optional<Planner::PreparedPlan> *prepared);
QWizardPage *watchPage(Planner::AddNodeFlow *flow, const std::optional<Planner::PreparedPlan> *prepared);
// The review page's Export, for tests and scripts.
bool exportPlan(const QWizardPage *review, const QString &path, QString *error);

// A word-wrapped label for a page's explanations.
QLabel *explanation(const QString &text, QWidget *parent);

} // namespace Tribune::AddNodePages
