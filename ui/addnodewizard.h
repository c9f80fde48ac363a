#pragma once

#include <QWizard>

#include <memory>
#include <optional>

namespace Tribune::Planner {
class AddNodeFlow;
struct PreparedPlan;
}

namespace Tribune {

// Adds a node to the running cluster like an existing one: what (the template, the new node's
// name and sub-domain), where (its server and the bare agent waiting there, with the command that
// starts it, or none: the plan is exported for later), its settings (the allocated port offset and membership port, editable), its
// datasources (tested against their database servers, a missing database created), the review
// (every file's diff and the whole cluster's findings; Push stays disabled while the plan brings
// an error), then the push and the join, step by step with their times. Cancel before Push
// writes nothing anywhere. Everything it does goes through the flow (models/).
class AddNodeWizard final : public QWizard
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AddNodeWizard)

public:
    enum PageId { WhatPage, WherePage, SettingsPage, DatabasePage, ReviewPage, WatchPage };

    // keyFile: the cluster key file's path, named in the command for the new server.
    AddNodeWizard(Planner::AddNodeFlow *flow, const QString &templateNode, const QString &keyFile,
                  QWidget *parent = nullptr);
    ~AddNodeWizard() override;

    // Opened as New Sub-domain…: a sub-domain the load balancer does not serve yet is required.
    void focusNewSubDomain();

public slots:
    void reject() override;

public:

    // The review page's Export: the plan as it stands, to a folder or a .tar.gz.
    bool exportPlan(const QString &path, QString *error) const;

private:
    // The plan the review page checked and the push page applies.
    std::unique_ptr<std::optional<Planner::PreparedPlan>> m_prepared;
};

} // namespace Tribune
