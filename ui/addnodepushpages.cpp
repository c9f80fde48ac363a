// The Add Node wizard's last pages: the review (the commit page) and the push with the join.
#include "addnodepages.h"
#include "addnodewizard.h"

#include "diffview.h"
#include "severitydecoration.h"

#include "cluster/finding.h"
#include "planner/addnodeflow.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace Tribune {

using Planner::AddNodeFlow;
using Planner::JoinWatcher;
using AddNodePages::explanation;

namespace {

// 5. Review, the commit page: every file's diff and what the whole cluster would say.
class ReviewStep final : public QWizardPage
{
public:
    ReviewStep(AddNodeFlow *flow, AddNodePages::PlanNow planNow, std::optional<Planner::PreparedPlan> *prepared)
        : m_flow(flow)
        , m_planNow(std::move(planNow))
        , m_prepared(prepared)
        , m_verdict(explanation(QString(), this))
        , m_findings(new QTreeWidget(this))
        , m_diff(new DiffView(this))
    {
        setTitle(AddNodeWizard::tr("Review"));
        setSubTitle(AddNodeWizard::tr("What the node's files will be, and what the whole cluster would say with it. "
                                      "Nothing is written before Push."));
        setCommitPage(true);
        setButtonText(QWizard::CommitButton, AddNodeWizard::tr("&Push"));
        m_verdict->setObjectName(QStringLiteral("reviewVerdict"));
        m_findings->setHeaderLabels({AddNodeWizard::tr("Severity"), AddNodeWizard::tr("Node"), AddNodeWizard::tr("Finding")});
        m_findings->setRootIsDecorated(false);
        m_findings->header()->setStretchLastSection(true);
        m_findings->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
        m_findings->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
        m_diff->unifiedView()->setObjectName(QStringLiteral("reviewDiff"));
        m_export = new QPushButton(AddNodeWizard::tr("&Export…"), this);
        m_export->setAutoDefault(false); // Enter stays the wizard's Next/Push
        m_export->setToolTip(AddNodeWizard::tr("Write the node's files and plan.json as one archive, for a server "
                                               "reached by other means"));
        connect(m_export, &QPushButton::clicked, this, &ReviewStep::askWhereToExport);
        auto *top = new QHBoxLayout;
        top->addWidget(m_verdict, 1);
        top->addWidget(m_export);
        auto *layout = new QVBoxLayout(this);
        layout->addLayout(top);
        layout->addWidget(m_findings, 1);
        layout->addWidget(m_diff, 3);
    }
    void initializePage() override
    {
        m_prepared->reset();
        QString error;
        m_plan = m_planNow(&error);
        const QString agent = field(QStringLiteral("agent")).toString().trimmed();
        if (m_plan && !agent.isEmpty())
            *m_prepared = m_flow->prepare(*m_plan, agent, &error);
        QList<DiffView::File> files;
        using NodeFile = std::pair<QString, Planner::PlannedFile>;
        for (const NodeFile &changed : m_plan ? m_plan->files() : QList<NodeFile>()) {
            // A new node's files against its template's, as NodePlan::diff() shows them.
            const Planner::PlannedFile &file = changed.second;
            const bool fromTemplate = file.before.isEmpty() && !file.templateBytes.isEmpty();
            const QString was = fromTemplate ? m_plan->node.templateNode : changed.first;
            files.append({changed.first + QLatin1String(": ") + file.path, fromTemplate ? file.templateBytes : file.before,
                          file.after, QStringLiteral("a/%1/%2").arg(was, file.path),
                          QStringLiteral("b/%1/%2").arg(changed.first, file.path)});
        }
        m_diff->setFiles(files);
        m_export->setEnabled(m_plan.has_value());
        showFindings(m_findings, *m_prepared ? (*m_prepared)->brought : m_plan ? m_plan->newFindings() : QList<Finding>());
        if (m_plan && agent.isEmpty()) {
            m_verdict->setText(AddNodeWizard::tr("No bare agent was given: Export the plan for its server (tribunectl "
                                                 "node apply --plan takes it there), or go back and give the agent's "
                                                 "HOST:PORT to push."));
        } else if (!*m_prepared) {
            m_verdict->setText(AddNodeWizard::tr("Cannot push: %1").arg(error));
        } else {
            const int errors = countOf((*m_prepared)->brought, Severity::Error);
            m_verdict->setText(errors > 0 ? AddNodeWizard::tr("Push is disabled: the node would bring %n error(s) to "
                                                              "the cluster. Go back and change what they name.",
                                                              nullptr, errors)
                                          : (*m_prepared)->brought.isEmpty()
                                          ? AddNodeWizard::tr("The cluster stays clean with the node in it.")
                                          : AddNodeWizard::tr("No error; read the warnings before you push."));
        }
        emit completeChanged();
    }
    bool isComplete() const override { return m_prepared->has_value() && !(*m_prepared)->blocked(); }

    bool exportPlan(const QString &path, QString *error) const
    {
        if (!m_plan) {
            *error = AddNodeWizard::tr("there is no plan to export");
            return false;
        }
        return m_flow->exportPlan(*m_plan, path, error);
    }

private:
    void askWhereToExport()
    {
        const QString path = QFileDialog::getSaveFileName(this, AddNodeWizard::tr("Export the Plan"),
                                                          m_plan->node.node + QLatin1String(".tar.gz"),
                                                          AddNodeWizard::tr("Plan archive (*.tar.gz)"));
        if (path.isEmpty())
            return;
        QString error;
        if (exportPlan(path, &error))
            m_verdict->setText(AddNodeWizard::tr("Exported to %1. On the node's server: tribunectl node apply --plan %1 "
                                                 "--to HOST:PORT of its bare agent.")
                                   .arg(path));
        else
            QMessageBox::warning(this, AddNodeWizard::tr("Cannot Export the Plan"), error);
    }

    AddNodeFlow *m_flow;
    AddNodePages::PlanNow m_planNow;
    std::optional<Planner::AddNodePlan> m_plan;
    QPushButton *m_export = nullptr;
    std::optional<Planner::PreparedPlan> *m_prepared;
    QLabel *m_verdict;
    QTreeWidget *m_findings;
    DiffView *m_diff;
};

// 6. Push and watch: each step of the join as it happens, with its time since the push; after a
// failure, the nodes the push changed before it can be taken back.
class WatchStep final : public QWizardPage
{
public:
    WatchStep(AddNodeFlow *flow, const std::optional<Planner::PreparedPlan> *prepared)
        : m_flow(flow)
        , m_prepared(prepared)
        , m_steps(new QTreeWidget(this))
        , m_status(explanation(QString(), this))
        , m_rollBack(new QPushButton(this))
    {
        setTitle(AddNodeWizard::tr("Push and join"));
        setSubTitle(AddNodeWizard::tr("Each node's files, then each step of the new node's join, with its time since "
                                      "the push."));
        m_steps->setHeaderLabels({AddNodeWizard::tr("Time"), AddNodeWizard::tr("Step"), AddNodeWizard::tr("Detail")});
        m_steps->setRootIsDecorated(false);
        m_steps->setObjectName(QStringLiteral("joinSteps"));
        m_steps->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
        m_steps->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
        m_status->setObjectName(QStringLiteral("joinStatus"));
        m_rollBack->setObjectName(QStringLiteral("rollBackPlan"));
        m_rollBack->setAutoDefault(false);
        m_rollBack->hide();
        auto *bottom = new QHBoxLayout;
        bottom->addWidget(m_status, 1);
        bottom->addWidget(m_rollBack);
        auto *layout = new QVBoxLayout(this);
        layout->addWidget(m_steps, 1);
        layout->addLayout(bottom);
        connect(flow->applier(), &Planner::PlanApplier::stepReached, this, [this](JoinWatcher::Step step, qint64 ms, const QString &detail) {
            new QTreeWidgetItem(m_steps, {AddNodeWizard::tr("%1 ms").arg(ms), JoinWatcher::stepName(step), detail});
        });
        connect(flow->applier(), &Planner::PlanApplier::pushed, this, [this](const QString &node, const QString &endpoint, bool ok,
                                                         const QString &message) {
            if (ok && isNewNode(node)) {
                m_newNodeHasFiles = true;
                return; // "files written" says it, with its time
            }
            new QTreeWidgetItem(m_steps, {QString(), ok ? AddNodeWizard::tr("pushed") : AddNodeWizard::tr("not pushed"),
                                          AddNodeWizard::tr("%1 (%2): %3").arg(node, endpoint, message)});
        });
        connect(flow->applier(), &Planner::PlanApplier::finished, this, [this](bool ok, const QString &message) {
            m_done = true;
            m_status->setText(ok ? message : failureText(message));
            const QStringList candidates = m_flow->applier()->rollbackCandidates();
            m_rollBack->setVisible(!ok && !candidates.isEmpty());
            m_rollBack->setText(AddNodeWizard::tr("&Roll Back %1").arg(candidates.join(QLatin1String(", "))));
            emit completeChanged();
        });
        connect(flow->applier(), &Planner::PlanApplier::rolledBack, this, [this](const QString &, bool ok, const QString &message) {
            new QTreeWidgetItem(m_steps, {QString(), ok ? AddNodeWizard::tr("rolled back") : AddNodeWizard::tr("not rolled back"),
                                          message});
        });
        connect(flow->applier(), &Planner::PlanApplier::rollbackFinished, this, [this](bool ok) {
            m_rollBack->setVisible(!ok);
            m_rollBack->setEnabled(true);
            m_status->setText(ok ? AddNodeWizard::tr("Rolled back: the nodes the push changed have their files from "
                                                     "before it.")
                                 : AddNodeWizard::tr("Not every node could be rolled back; the list says which and why. "
                                                     "Try again, or use the node's Configure… › Backups."));
            m_done = true;
            emit completeChanged();
        });
        connect(m_rollBack, &QPushButton::clicked, this, [this] {
            m_rollBack->setEnabled(false);
            m_done = false;
            m_status->setText(AddNodeWizard::tr("Rolling back…"));
            emit completeChanged();
            m_flow->applier()->rollBack();
        });
    }
    void initializePage() override
    {
        m_status->setText(AddNodeWizard::tr("Pushing…"));
        m_flow->apply(**m_prepared);
    }
    bool isComplete() const override { return m_done; }

private:
    const Planner::Delivery *newNode() const
    {
        const QList<Planner::Delivery> &deliveries = (*m_prepared)->deliveries;
        const auto fresh = std::find_if(deliveries.cbegin(), deliveries.cend(),
                                        [](const Planner::Delivery &delivery) { return delivery.isNew; });
        return fresh == deliveries.cend() ? nullptr : &*fresh;
    }
    bool isNewNode(const QString &node) const { return newNode() && newNode()->node == node; }
    QString failureText(const QString &message) const
    {
        QString text = AddNodeWizard::tr("Failed: %1").arg(message);
        if (m_newNodeHasFiles)
            text += u'\n' + AddNodeWizard::tr("%1 keeps the files it took: stop its agent on %2, or push it corrected "
                                               "files with Configure….")
                                 .arg(newNode()->node, newNode()->target.host);
        return text;
    }

    AddNodeFlow *m_flow;
    const std::optional<Planner::PreparedPlan> *m_prepared;
    QTreeWidget *m_steps;
    QLabel *m_status;
    QPushButton *m_rollBack;
    bool m_done = false;
    bool m_newNodeHasFiles = false;
};

} // namespace

namespace AddNodePages {

QLabel *explanation(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    return label;
}

QWizardPage *reviewPage(Planner::AddNodeFlow *flow, PlanNow planNow, std::optional<Planner::PreparedPlan> *prepared)
{
    return new ReviewStep(flow, std::move(planNow), prepared);
}

QWizardPage *watchPage(Planner::AddNodeFlow *flow, const std::optional<Planner::PreparedPlan> *prepared)
{
    return new WatchStep(flow, prepared);
}

bool exportPlan(const QWizardPage *review, const QString &path, QString *error)
{
    return static_cast<const ReviewStep *>(review)->exportPlan(path, error);
}

} // namespace AddNodePages

} // namespace Tribune
