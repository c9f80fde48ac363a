#include "addnodewizard.h"

#include "addnodepages.h"
#include "datasourcespanel.h"

#include "cluster/finding.h"
#include "config/configerror.h"
#include "config/datasourcesxml.h"
#include "planner/addnodeflow.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

namespace Tribune {

using Planner::AddNodeFlow;
using Planner::JoinWatcher;

namespace {

using AddNodePages::explanation;

// 1. What: the template, the new node's name and its sub-domain; for a sub-domain the load
// balancer does not serve yet, the host names it will serve it under.
class WhatStep final : public QWizardPage
{
public:
    WhatStep(AddNodeFlow *flow, const QString &templateNode)
        : m_flow(flow)
        , m_like(new QComboBox(this))
        , m_subDomain(new QLineEdit(this))
        , m_hosts(new QLineEdit(this))
        , m_newSubDomain(explanation(QString(), this))
    {
        setTitle(AddNodeWizard::tr("A new node like an existing one"));
        setSubTitle(AddNodeWizard::tr("Its files are the template's, with ports, hosts and its own local registry "
                                      "worked out for the new server."));
        m_like->addItems(flow->templates());
        m_like->setCurrentText(templateNode);
        auto *name = new QLineEdit(this);
        name->setPlaceholderText(AddNodeWizard::tr("default: the template's name and a number"));
        m_subDomain->setObjectName(QStringLiteral("subDomain"));
        m_hosts->setObjectName(QStringLiteral("subDomainHosts"));
        m_hosts->setPlaceholderText(AddNodeWizard::tr("e.g. batch.esb.wso2.com"));
        m_newSubDomain->setObjectName(QStringLiteral("newSubDomain"));
        connect(m_like, &QComboBox::currentTextChanged, this, &WhatStep::update);
        connect(m_subDomain, &QLineEdit::textChanged, this, &WhatStep::update);
        connect(m_hosts, &QLineEdit::textChanged, this, &QWizardPage::completeChanged);
        auto *form = new QFormLayout(this);
        form->addRow(AddNodeWizard::tr("&Like:"), m_like);
        form->addRow(AddNodeWizard::tr("Nam&e:"), name);
        form->addRow(AddNodeWizard::tr("&Sub-domain:"), m_subDomain);
        form->addRow(AddNodeWizard::tr("Served &as:"), m_hosts);
        form->addRow(QString(), m_newSubDomain);
        registerField(QStringLiteral("like"), m_like, "currentText");
        registerField(QStringLiteral("name"), name);
        registerField(QStringLiteral("subDomain"), m_subDomain);
        registerField(QStringLiteral("subDomainHosts"), m_hosts);
        update();
    }
    bool isComplete() const override
    {
        if (m_requireNew && (m_subDomain->text().trimmed().isEmpty() || !isNewSubDomain()))
            return false;
        return !isNewSubDomain() || !m_hosts->text().trimmed().isEmpty();
    }
    // Opened as New Sub-domain…: a sub-domain the load balancer does not serve is required.
    void requireNewSubDomain()
    {
        m_requireNew = true;
        setTitle(AddNodeWizard::tr("A new sub-domain, and its first node"));
        m_subDomain->setPlaceholderText(AddNodeWizard::tr("a sub-domain the load balancer does not serve yet, e.g. batch"));
        m_subDomain->setFocus();
        emit completeChanged();
    }

private:
    bool isNewSubDomain() const
    {
        return !m_flow->servesSubDomain(m_like->currentText(), m_subDomain->text().trimmed());
    }
    void update()
    {
        if (!m_requireNew)
            m_subDomain->setPlaceholderText(AddNodeWizard::tr("default: %1").arg(m_flow->subDomainOf(m_like->currentText())));
        const bool isNew = isNewSubDomain();
        m_hosts->setEnabled(isNew);
        m_newSubDomain->setText(isNew ? AddNodeWizard::tr("A new sub-domain: the load balancer will serve it under these "
                                                          "host names, with the node as its first member.")
                                      : QString());
        emit completeChanged();
    }

    AddNodeFlow *m_flow;
    QComboBox *m_like;
    QLineEdit *m_subDomain;
    QLineEdit *m_hosts;
    QLabel *m_newSubDomain;
    bool m_requireNew = false;
};

// 2. Where: the server, and the bare agent waiting there for the node's files.
class WhereStep final : public QWizardPage
{
public:
    WhereStep(AddNodeFlow *flow, const QString &keyFile)
    {
        setTitle(AddNodeWizard::tr("Where it runs"));
        setSubTitle(AddNodeWizard::tr("The new node's server, and the agent started there with no configuration yet."));
        auto *host = new QLineEdit(this);
        host->setPlaceholderText(AddNodeWizard::tr("an address, or a name the cluster's hosts resolve"));
        auto *onServer = explanation(QString(), this);
        auto *agent = new QLineEdit(this);
        agent->setPlaceholderText(AddNodeWizard::tr("HOST:PORT where the bare agent listens; none: export the plan"));
        auto *command = new QLineEdit(this);
        command->setReadOnly(true); // selectable, to copy
        command->setObjectName(QStringLiteral("provisionCommand"));
        const auto update = [this, flow, host, agent, command, onServer, keyFile] {
            const QStringList nodes = flow->nodesOnServer(host->text().trimmed());
            onServer->setText(host->text().trimmed().isEmpty() ? QString()
                              : nodes.isEmpty() ? AddNodeWizard::tr("No node of the cluster runs there yet.")
                                                : AddNodeWizard::tr("Already there:\n%1").arg(nodes.join(u'\n')));
            command->setText(AddNodeFlow::provisionCommand(field(QStringLiteral("name")).toString(), agent->text().trimmed(),
                                                           keyFile));
            command->setCursorPosition(0); // the command's start is what is read first
        };
        connect(host, &QLineEdit::textChanged, this, update);
        connect(agent, &QLineEdit::textChanged, this, update);
        m_update = update;
        auto *form = new QFormLayout(this);
        form->addRow(AddNodeWizard::tr("&Host:"), host);
        form->addRow(QString(), onServer);
        form->addRow(AddNodeWizard::tr("&Agent:"), agent);
        form->addRow(AddNodeWizard::tr("On the server, run:"), command);
        form->addRow(QString(), explanation(AddNodeWizard::tr("Copy the cluster's key file there first, readable by its "
                                                              "owner only (chmod 600); the key itself is never shown."),
                                            this));
        registerField(QStringLiteral("host*"), host);
        registerField(QStringLiteral("agent"), agent); // none: the plan is exported instead
    }
    void initializePage() override { m_update(); }

private:
    std::function<void()> m_update;
};

// 3. Settings: what was allocated on that server, which the administrator may change.
class SettingsStep final : public QWizardPage
{
public:
    explicit SettingsStep(AddNodeFlow *flow)
        : m_flow(flow)
        , m_offset(new QSpinBox(this))
        , m_memberPort(new QSpinBox(this))
        , m_summary(explanation(QString(), this))
        , m_offsetProblem(explanation(QString(), this))
        , m_memberPortProblem(explanation(QString(), this))
        , m_recheck(new QTimer(this))
    {
        setTitle(AddNodeWizard::tr("Settings"));
        setSubTitle(AddNodeWizard::tr("Free on that server when planned; change them if you must."));
        m_offset->setRange(0, 999);
        m_memberPort->setRange(1, 65535);
        m_offset->setMaximumWidth(m_offset->fontMetrics().horizontalAdvance(QStringLiteral("0000000000")));
        m_memberPort->setMaximumWidth(m_offset->maximumWidth());
        for (QLabel *problem : {m_offsetProblem, m_memberPortProblem}) {
            QPalette palette = problem->palette();
            palette.setColor(QPalette::WindowText, QColor(0xb0, 0x20, 0x20));
            problem->setPalette(palette);
        }
        m_offsetProblem->setObjectName(QStringLiteral("offsetProblem"));
        m_offsetProblem->hide();
        m_memberPortProblem->hide();
        m_memberPortProblem->setObjectName(QStringLiteral("memberPortProblem"));
        auto *form = new QFormLayout(this);
        form->addRow(AddNodeWizard::tr("Port &offset:"), m_offset);
        form->addRow(QString(), m_offsetProblem);
        form->addRow(AddNodeWizard::tr("&Membership port:"), m_memberPort);
        form->addRow(QString(), m_memberPortProblem);
        // Host names and the well-known members, as planned; bold where they differ from the template's.
        const QList<std::pair<QString, QString>> texts = {
            {QStringLiteral("localMemberHost"), AddNodeWizard::tr("Membership &host:")},
            {QStringLiteral("wka"), AddNodeWizard::tr("&Well-known members:")},
            {QStringLiteral("HostName"), AddNodeWizard::tr("Hos&tName:")},
            {QStringLiteral("MgtHostName"), AddNodeWizard::tr("M&gtHostName:")}};
        for (const auto &[key, label] : texts) {
            TextSetting setting{key, new QLabel(label, this), new QLineEdit(this), {}, {}};
            setting.label->setBuddy(setting.edit);
            setting.edit->setObjectName(QLatin1String("setting:") + key);
            connect(setting.edit, &QLineEdit::textEdited, m_recheck, qOverload<>(&QTimer::start));
            connect(setting.edit, &QLineEdit::textChanged, this, [this] { markTemplateDifferences(); });
            form->addRow(setting.label, setting.edit);
            m_texts.append(setting);
        }
        form->addRow(QString(), m_summary);
        registerField(QStringLiteral("offset"), m_offset);
        registerField(QStringLiteral("memberPort"), m_memberPort);
        // A value that collides is marked where it is typed, with the reason.
        m_recheck->setSingleShot(true);
        m_recheck->setInterval(200);
        connect(m_recheck, &QTimer::timeout, this, &SettingsStep::markProblems);
        connect(m_offset, &QSpinBox::valueChanged, m_recheck, qOverload<>(&QTimer::start));
        connect(m_offset, &QSpinBox::valueChanged, this, [this] { markTemplateDifferences(); });
        connect(m_memberPort, &QSpinBox::valueChanged, this, [this] { markTemplateDifferences(); });
        connect(m_memberPort, &QSpinBox::valueChanged, m_recheck, qOverload<>(&QTimer::start));
    }
    void initializePage() override
    {
        QString error;
        const std::optional<Planner::AddNodePlan> planned = m_flow->plan(request({}), subDomainHosts(), &error);
        const Planner::NodePlan *plan = planned ? &planned->node : nullptr;
        m_planned = plan != nullptr;
        if (!plan) {
            m_summary->setText(AddNodeWizard::tr("Cannot plan the node: %1").arg(error));
            emit completeChanged();
            return;
        }
        m_offset->setValue(plan->offset);
        m_memberPort->setValue(plan->memberPort);
        m_summary->setText(plan->localRegistryDatabase.isEmpty()
                               ? AddNodeWizard::tr("Server %1; sub-domain %2.").arg(plan->server, plan->subDomain)
                               : AddNodeWizard::tr("Server %1; sub-domain %2; its local registry gets the database %3.")
                                     .arg(plan->server, plan->subDomain, plan->localRegistryDatabase));
        m_plannedOffset = plan->offset;
        m_plannedPort = plan->memberPort;
        const QMap<QString, Planner::NodeSetting> plannedSettings = AddNodeFlow::settingsOf(*plan);
        const QMap<QString, Planner::NodeSetting> templateSettings = m_flow->settingsOf(plan->templateNode);
        m_templateOffset = templateSettings.value(QStringLiteral("Offset")).value;
        m_templatePort = templateSettings.value(QStringLiteral("localMemberPort")).value;
        for (TextSetting &setting : m_texts) {
            setting.planned = plannedSettings.value(setting.key).value;
            setting.templateValue = templateSettings.value(setting.key).value;
            setting.edit->setText(setting.planned);
        }
        markTemplateDifferences();
        emit completeChanged();
    }
    void markTemplateDifferences()
    {
        const auto mark = [](QWidget *field, bool differs, const QString &templateValue) {
            auto *form = static_cast<QFormLayout *>(field->parentWidget()->layout());
            if (QWidget *label = form->labelForField(field)) {
                QFont font = label->font();
                font.setBold(differs);
                label->setFont(font);
            }
            field->setToolTip(differs ? AddNodeWizard::tr("The template has: %1")
                                            .arg(templateValue.isEmpty() ? AddNodeWizard::tr("(nothing)") : templateValue)
                                      : AddNodeWizard::tr("As the template has it"));
        };
        mark(m_offset, QString::number(m_offset->value()) != m_templateOffset, m_templateOffset);
        mark(m_memberPort, QString::number(m_memberPort->value()) != m_templatePort, m_templatePort);
        for (const TextSetting &setting : std::as_const(m_texts))
            mark(setting.edit, setting.edit->text().trimmed() != setting.templateValue, setting.templateValue);
    }
    bool isComplete() const override { return m_planned; }

    // The request the pages describe, with the administrator's changes as typed edits.
    Planner::NewNodeRequest request(QList<Planner::TypedEdit> edits) const
    {
        return {field(QStringLiteral("like")).toString(), field(QStringLiteral("host")).toString().trimmed(),
                field(QStringLiteral("name")).toString().trimmed(), field(QStringLiteral("subDomain")).toString().trimmed(),
                std::move(edits)};
    }
    QString subDomainHosts() const { return field(QStringLiteral("subDomainHosts")).toString().trimmed(); }
    void markProblems()
    {
        QString error;
        const std::optional<Planner::AddNodePlan> plan = m_flow->plan(request(changes()), subDomainHosts(), &error);
        QStringList offset;
        QStringList memberPort;
        if (!plan)
            memberPort.append(AddNodeWizard::tr("Cannot plan the node with these values: %1").arg(error));
        for (const Finding &finding : plan ? plan->newFindings() : QList<Finding>()) {
            if (finding.severity != Severity::Error || finding.node != plan->node.node)
                continue;
            if (finding.file.endsWith(NodeConfig::relativePath(NodeConfig::File::Axis2)))
                memberPort.append(finding.message);
            else
                offset.append(finding.message); // ports follow the offset, whichever file names them
        }
        m_offsetProblem->setText(offset.join(u'\n'));
        m_memberPortProblem->setText(memberPort.join(u'\n'));
        m_offsetProblem->setVisible(!offset.isEmpty());
        m_memberPortProblem->setVisible(!memberPort.isEmpty());
    }
    QList<Planner::TypedEdit> changes() const
    {
        QList<Planner::TypedEdit> edits;
        if (m_offset->value() != m_plannedOffset)
            edits.append({NodeConfig::File::Carbon, QStringLiteral("Offset"), QString::number(m_offset->value())});
        if (m_memberPort->value() != m_plannedPort)
            edits.append({NodeConfig::File::Axis2, QStringLiteral("localMemberPort"), QString::number(m_memberPort->value())});
        for (const TextSetting &setting : m_texts) {
            const QString value = setting.edit->text().trimmed();
            if (value != setting.planned)
                edits.append({setting.key == u"HostName" || setting.key == u"MgtHostName" ? NodeConfig::File::Carbon
                                                                                          : NodeConfig::File::Axis2,
                              setting.key, value});
        }
        return edits;
    }

private:
    AddNodeFlow *m_flow;
    QSpinBox *m_offset;
    QSpinBox *m_memberPort;
    QLabel *m_summary;
    QLabel *m_offsetProblem;
    QLabel *m_memberPortProblem;
    QTimer *m_recheck;
    struct TextSetting
    {
        QString key; // a typed edit's key of axis2.xml or carbon.xml
        QLabel *label;
        QLineEdit *edit;
        QString planned;
        QString templateValue;
    };
    QList<TextSetting> m_texts;
    QString m_templateOffset;
    QString m_templatePort;
    bool m_planned = false;
    int m_plannedOffset = 0;
    int m_plannedPort = 0;
};

// 4. Database: the datasources the node will use, tested against their servers.
class DatabaseStep final : public QWizardPage
{
public:
    DatabaseStep(AddNodeFlow *flow, const SettingsStep *settings)
        : m_flow(flow)
        , m_settings(settings)
        , m_panel(new DatasourcesPanel(this))
    {
        setTitle(AddNodeWizard::tr("Database"));
        setSubTitle(AddNodeWizard::tr("The shared registry and user store, and the node's local registry: test that "
                                      "each database is there and takes the node's credentials."));
        auto *layout = new QVBoxLayout(this);
        layout->addWidget(m_panel);
    }
    void initializePage() override
    {
        QString error;
        const std::optional<Planner::AddNodePlan> plan =
            m_flow->plan(m_settings->request(m_settings->changes()), m_settings->subDomainHosts(), &error);
        QList<Config::Datasource> datasources;
        const QString path = NodeConfig::relativePath(NodeConfig::File::Datasources);
        for (const Planner::PlannedFile &file : plan ? plan->node.files : QList<Planner::PlannedFile>()) {
            Config::ConfigError parseError;
            if (file.path != path)
                continue;
            if (const std::optional<Config::DatasourcesXml> parsed = Config::DatasourcesXml::parse(file.after, path, &parseError))
                datasources = parsed->datasources();
            else
                error = parseError.toString();
        }
        m_panel->setDatasources(datasources);
        if (!error.isEmpty())
            m_panel->setProblem(AddNodeWizard::tr("Cannot read the node's datasources: %1").arg(error));
    }
    void cleanupPage() override { m_panel->cancelCheck(); }
    bool validatePage() override
    {
        m_panel->cancelCheck(); // a check under way says nothing about the review's plan
        return true;
    }
    QList<Planner::TypedEdit> changes() const { return m_panel->edits(); }

private:
    AddNodeFlow *m_flow;
    const SettingsStep *m_settings;
    DatasourcesPanel *m_panel;
};

} // namespace

AddNodeWizard::AddNodeWizard(Planner::AddNodeFlow *flow, const QString &templateNode, const QString &keyFile, QWidget *parent)
    : QWizard(parent)
    , m_prepared(std::make_unique<std::optional<Planner::PreparedPlan>>())
{
    setWindowTitle(tr("Add a Node"));
    setObjectName(QStringLiteral("addNodeWizard"));
    auto *settings = new SettingsStep(flow);
    auto *database = new DatabaseStep(flow, settings);
    setPage(WhatPage, new WhatStep(flow, templateNode));
    setPage(WherePage, new WhereStep(flow, keyFile));
    setPage(SettingsPage, settings);
    setPage(DatabasePage, database);
    // The plan as the pages before the review describe it.
    const AddNodePages::PlanNow planNow = [flow, settings, database](QString *error) {
        return flow->plan(settings->request(settings->changes() + database->changes()), settings->subDomainHosts(), error);
    };
    setPage(ReviewPage, AddNodePages::reviewPage(flow, planNow, m_prepared.get()));
    setPage(WatchPage, AddNodePages::watchPage(flow, m_prepared.get()));
    resize(820, 620);
}

void AddNodeWizard::focusNewSubDomain()
{
    setWindowTitle(tr("New Sub-domain"));
    static_cast<WhatStep *>(page(WhatPage))->requireNewSubDomain();
}

void AddNodeWizard::reject()
{
    // Cancel while the push runs would stop the plan half way, with nobody told what landed.
    if (currentId() == WatchPage && !currentPage()->isComplete())
        return;
    QWizard::reject();
}

AddNodeWizard::~AddNodeWizard() = default;

bool AddNodeWizard::exportPlan(const QString &path, QString *error) const
{
    return AddNodePages::exportPlan(page(ReviewPage), path, error);
}

} // namespace Tribune
