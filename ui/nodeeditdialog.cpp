#include "nodeeditdialog.h"

#include "diffview.h"
#include "severitydecoration.h"
#include "xmlhighlighter.h"

#include "cluster/clusterworkspace.h"
#include "cluster/finding.h"
#include "cluster/nodefacts.h"
#include "planner/nodeeditflow.h"
#include "planner/nodesettings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTextBlock>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Tribune {

using Planner::NodeSetting;

struct NodeEditDialog::Editor
{
    NodeSetting setting;
    QLineEdit *text = nullptr;  // Text, Number, Secret
    QCheckBox *flag = nullptr;  // Flag
    QLabel *label = nullptr;

    QString value() const
    {
        return flag ? (flag->isChecked() ? QStringLiteral("true") : QStringLiteral("false")) : text->text().trimmed();
    }
    bool changed() const { return value() != setting.value; }
};

namespace {

QList<DiffView::File> diffFiles(const QString &node, const QList<Planner::PlannedFile> &files)
{
    QList<DiffView::File> list;
    for (const Planner::PlannedFile &file : files)
        list.append({node + QLatin1String(": ") + file.path, file.before, file.after,
                     QStringLiteral("a/%1/%2").arg(node, file.path), QStringLiteral("b/%1/%2").arg(node, file.path)});
    return list;
}

QTreeWidget *listWidget(const QStringList &headers, QWidget *parent)
{
    auto *list = new QTreeWidget(parent);
    list->setHeaderLabels(headers);
    list->setRootIsDecorated(false);
    list->header()->setStretchLastSection(true);
    for (int column = 0; column + 1 < headers.size(); ++column)
        list->header()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    return list;
}

} // namespace

NodeEditDialog::NodeEditDialog(Planner::NodeEditFlow *flow, const QString &node, QWidget *parent)
    : QDialog(parent)
    , m_flow(flow)
    , m_node(node)
    , m_planTimer(new QTimer(this))
    , m_summary(new QLabel(this))
    , m_alsoNodes(new QListWidget(this))
    , m_tabs(new QTabWidget(this))
    , m_formLayout(nullptr)
    , m_rawFile(new QComboBox(this))
    , m_rawEditor(new QPlainTextEdit(this))
    , m_verdict(new QLabel(this))
    , m_findings(listWidget({tr("Severity"), tr("Node"), tr("Finding")}, this))
    , m_diff(new DiffView(this))
    , m_backups(listWidget({tr("Backup"), tr("When"), tr("Who"), tr("What"), tr("Files")}, this))
    , m_backupDiff(new DiffView(this))
    , m_rollBack(new QPushButton(tr("&Roll Back to This Backup"), this))
    , m_status(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_push(new QPushButton(tr("&Push"), this))
{
    setObjectName(QStringLiteral("nodeEditDialog"));
    setWindowTitle(tr("Configure %1").arg(node));
    m_planTimer->setSingleShot(true);
    m_planTimer->setInterval(150);
    connect(m_planTimer, &QTimer::timeout, this, &NodeEditDialog::plan);

    // Settings: the form, and the nodes that get the same change.
    auto *form = new QWidget;
    m_formLayout = new QVBoxLayout(form);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setWidget(form);
    m_formScroll = scroll;
    m_alsoNodes->setObjectName(QStringLiteral("alsoNodes"));
    m_alsoNodes->setMaximumHeight(m_alsoNodes->fontMetrics().height() * 5);
    auto *settingsPage = new QWidget(this);
    auto *settingsLayout = new QVBoxLayout(settingsPage);
    settingsLayout->addWidget(scroll, 1);
    auto *alsoLabel = new QLabel(tr("Make the form's changes on these nodes of the sub-domain &too:"), this);
    alsoLabel->setBuddy(m_alsoNodes);
    settingsLayout->addWidget(alsoLabel);
    settingsLayout->addWidget(m_alsoNodes);
    connect(m_alsoNodes, &QListWidget::itemChanged, this, &NodeEditDialog::schedulePlan);

    // Files: everything else, as text.
    m_rawFile->setObjectName(QStringLiteral("rawFile"));
    m_rawEditor->setObjectName(QStringLiteral("rawEditor"));
    m_rawEditor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_rawEditor->setLineWrapMode(QPlainTextEdit::NoWrap);
    new XmlHighlighter(m_rawEditor->document());
    auto *filesPage = new QWidget(this);
    auto *filesLayout = new QVBoxLayout(filesPage);
    auto *fileRow = new QFormLayout;
    fileRow->addRow(tr("&File:"), m_rawFile);
    filesLayout->addLayout(fileRow);
    filesLayout->addWidget(m_rawEditor, 1);
    auto *rawNote = new QLabel(tr("What you write here is this node's file; the form's changes apply on top of it."), this);
    rawNote->setWordWrap(true);
    filesLayout->addWidget(rawNote);
    connect(m_rawFile, &QComboBox::currentIndexChanged, this, &NodeEditDialog::showFile);
    connect(m_rawEditor, &QPlainTextEdit::textChanged, this, [this] {
        keepRawText();
        schedulePlan();
    });

    // Changes: the diff and the cluster's findings with it.
    m_verdict->setObjectName(QStringLiteral("editVerdict"));
    m_verdict->setWordWrap(true);
    m_diff->setObjectName(QStringLiteral("editChanges"));
    m_diff->unifiedView()->setObjectName(QStringLiteral("editDiff"));
    auto *changesPage = new QWidget(this);
    auto *changesLayout = new QVBoxLayout(changesPage);
    changesLayout->addWidget(m_verdict);
    auto *changesSplit = new QSplitter(Qt::Vertical, this);
    changesSplit->addWidget(m_findings);
    changesSplit->addWidget(m_diff);
    changesSplit->setStretchFactor(1, 3);
    changesLayout->addWidget(changesSplit, 1);

    // Backups: who changed what when, and rolling back.
    m_backups->setObjectName(QStringLiteral("backupList"));
    m_rollBack->setObjectName(QStringLiteral("rollBack"));
    m_rollBack->setEnabled(false);
    m_backupDiff->unifiedView()->setObjectName(QStringLiteral("backupDiff"));
    auto *backupsPage = new QWidget(this);
    auto *backupsLayout = new QVBoxLayout(backupsPage);
    auto *backupsSplit = new QSplitter(Qt::Vertical, this);
    backupsSplit->addWidget(m_backups);
    backupsSplit->addWidget(m_backupDiff);
    backupsLayout->addWidget(backupsSplit, 1);
    auto *rollBackRow = new QHBoxLayout;
    rollBackRow->addWidget(new QLabel(tr("A rollback is itself kept as a backup, so it can be undone."), this), 1);
    rollBackRow->addWidget(m_rollBack);
    backupsLayout->addLayout(rollBackRow);
    connect(m_backups, &QTreeWidget::currentItemChanged, this, &NodeEditDialog::showBackupDiff);
    connect(m_rollBack, &QPushButton::clicked, this, &NodeEditDialog::rollBack);

    m_tabs->setObjectName(QStringLiteral("editTabs"));
    m_tabs->addTab(settingsPage, tr("&Settings"));
    m_tabs->addTab(filesPage, tr("F&iles"));
    m_tabs->addTab(changesPage, tr("&Changes"));
    m_tabs->addTab(backupsPage, tr("&Backups"));

    m_status->setObjectName(QStringLiteral("editStatus"));
    m_status->setWordWrap(true);
    m_progress->setRange(0, 0);
    m_progress->setMaximumWidth(120);
    m_progress->hide();
    m_push->setObjectName(QStringLiteral("pushEdit"));
    m_push->setEnabled(false);
    // Enter in a field never pushes or rolls back: those are clicked (or Alt+P, Alt+R).
    m_push->setAutoDefault(false);
    m_rollBack->setAutoDefault(false);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_push, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_push, &QPushButton::clicked, this, &NodeEditDialog::push);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_status, 1);
    bottom->addWidget(m_progress);
    bottom->addWidget(buttons);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_tabs, 1);
    layout->addLayout(bottom);

    connect(flow->applier(), &Planner::PlanApplier::pushed, this, [this](const QString &pushedNode, const QString &endpoint, bool ok,
                                                              const QString &message) {
        m_status->setText(ok ? tr("%1 (%2): %3").arg(pushedNode, endpoint, message)
                             : tr("%1 (%2) did not take the files: %3").arg(pushedNode, endpoint, message));
    });
    connect(flow->applier(), &Planner::PlanApplier::finished, this, &NodeEditDialog::onFinished);
    connect(flow, &Planner::NodeEditFlow::backupsReceived, this,
            [this](const QString &backupsOf, const QList<Protocol::BackupInfo> &backups) {
        if (backupsOf != m_node)
            return;
        m_backups->clear();
        for (const Protocol::BackupInfo &backup : backups) {
            auto *item = new QTreeWidgetItem(m_backups, {QString::number(backup.number),
                                                         QLocale().toString(backup.time.toLocalTime(), QLocale::ShortFormat),
                                                         backup.actor, backup.reason, backup.files.join(QLatin1String(", "))});
            item->setData(0, Qt::UserRole, backup.number);
        }
        if (m_backups->topLevelItemCount() > 0) {
            m_backups->setCurrentItem(m_backups->topLevelItem(0));
        } else {
            m_backupDiff->clear();
            auto *none = new QTreeWidgetItem(m_backups, {QString(), QString(), QString(),
                                                         tr("No backups yet: the node's files were never changed "
                                                            "through an agent.")});
            none->setFlags(Qt::NoItemFlags);
        }
    });
    connect(flow, &Planner::NodeEditFlow::backupReceived, this,
            [this](const QString &backupOf, int number, const QMap<QString, QByteArray> &files, const QStringList &absent) {
        const QTreeWidgetItem *current = m_backups->currentItem();
        if (backupOf != m_node || !current || current->data(0, Qt::UserRole).toInt() != number)
            return;
        const QList<Planner::PlannedFile> changes = m_flow->rollbackChanges(m_node, files, absent);
        m_backupDiff->setFiles(diffFiles(m_node, changes));
        m_rollBack->setEnabled(!m_busy && !changes.isEmpty());
        m_rollBack->setText(changes.isEmpty() ? tr("The Node Has These Files") : tr("&Roll Back to Backup %1").arg(number));
    });
    connect(flow, &Planner::NodeEditFlow::rolledBack, this, [this](const QString &rolledNode, bool ok, const QString &message) {
        if (rolledNode != m_node)
            return;
        m_awaitingReload = ok;
        m_result = ok ? message : QString();
        setBusy(ok, ok ? tr("%1. Reading the running cluster's files again…").arg(message)
                       : tr("Cannot roll back: %1").arg(message));
    });
    // Reading the backups failed: said, without touching a push or rollback under way.
    connect(flow, &Planner::NodeEditFlow::requestFailed, this, [this](const QString &, const QString &message) {
        if (!m_busy)
            m_status->setText(message);
    });
    connect(flow->workspace(), &ClusterWorkspace::reloaded, this, &NodeEditDialog::onWorkspaceReloaded);
    connect(flow->workspace(), &ClusterWorkspace::loadFailed, this, [this](const QList<Config::ConfigError> &errors) {
        if (std::exchange(m_awaitingReload, false))
            setBusy(false, tr("%1 — but the files read back from the cluster do not parse: %2")
                               .arg(m_result, errors.value(0).toString()));
    });
    connect(flow->workspace(), &ClusterWorkspace::liveFetchFinished, this, [this](bool ok, const QStringList &problems) {
        if (!ok && m_awaitingReload) {
            m_awaitingReload = false;
            setBusy(false, tr("The change landed, but the running cluster's files could not be read again: %1")
                               .arg(problems.join(QLatin1String("; "))));
        }
    });

    buildForm();
    resize(900, 680);
}

NodeEditDialog::~NodeEditDialog() = default;

void NodeEditDialog::buildForm()
{
    // The node as the workspace has it now; the form, the raw view and the plan start from it.
    const ClusterWorkspace *workspace = m_flow->workspace();
    const NodeConfig *config = nullptr;
    for (const NodeFacts &facts : workspace->facts()) {
        if (facts.node->name() != m_node)
            continue;
        config = facts.node;
        m_summary->setText(tr("<b>%1</b> — member %2 · %3 / %4 · server %5")
                               .arg(m_node.toHtmlEscaped(), workspace->liveMembers().value(m_node, tr("not live")),
                                    facts.domain.toHtmlEscaped(),
                                    facts.subDomain.isEmpty() ? tr("(default)") : facts.subDomain.toHtmlEscaped(),
                                    facts.serverLabel().toHtmlEscaped()));
    }
    while (QLayoutItem *item = m_formLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_editors.clear();
    if (!config) {
        m_summary->setText(tr("The running cluster no longer has %1.").arg(m_node));
        m_push->setEnabled(false);
        return;
    }
    QMap<QString, QFormLayout *> groups;
    QStringList order;
    for (const NodeSetting &setting : Planner::nodeSettings(*config)) {
        QFormLayout *group = groups.value(setting.group);
        if (!group) {
            auto *box = new QGroupBox(setting.group);
            group = new QFormLayout(box);
            groups.insert(setting.group, group);
            m_formLayout->addWidget(box);
        }
        Editor editor;
        editor.setting = setting;
        QWidget *field = nullptr;
        if (setting.kind == NodeSetting::Kind::Flag) {
            editor.flag = new QCheckBox;
            editor.flag->setChecked(setting.value == u"true");
            connect(editor.flag, &QCheckBox::toggled, this, &NodeEditDialog::schedulePlan);
            field = editor.flag;
        } else {
            editor.text = new QLineEdit(setting.value);
            if (setting.kind == NodeSetting::Kind::Secret)
                editor.text->setEchoMode(QLineEdit::PasswordEchoOnEdit);
            connect(editor.text, &QLineEdit::textEdited, this, &NodeEditDialog::schedulePlan);
            field = editor.text;
        }
        field->setObjectName(QLatin1String("setting:") + setting.key);
        field->setToolTip(tr("%1, line %2 (%3)").arg(NodeConfig::relativePath(setting.file)).arg(setting.line).arg(setting.key));
        editor.label = new QLabel(setting.label + u':');
        editor.label->setBuddy(field);
        group->addRow(editor.label, field);
        m_editors.push_back(editor);
    }
    m_formLayout->addStretch(1);
    // Down the form, group after group, as it reads.
    QWidget *previous = nullptr;
    for (const Editor &editor : m_editors) {
        QWidget *field = editor.flag ? static_cast<QWidget *>(editor.flag) : editor.text;
        if (previous)
            QWidget::setTabOrder(previous, field);
        previous = field;
    }

    // The same sub-domain's other nodes, unchecked.
    const QSignalBlocker blocker(m_alsoNodes);
    QStringList checked;
    for (int row = 0; row < m_alsoNodes->count(); ++row) {
        if (m_alsoNodes->item(row)->checkState() == Qt::Checked)
            checked.append(m_alsoNodes->item(row)->text());
    }
    m_alsoNodes->clear();
    for (const QString &other : m_flow->nodesLike(m_node)) {
        auto *item = new QListWidgetItem(other, m_alsoNodes);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(checked.contains(other) ? Qt::Checked : Qt::Unchecked);
    }
    m_alsoNodes->setEnabled(m_alsoNodes->count() > 0);

    // The raw view, from the node's files.
    m_raw.clear();
    const QString shown = m_rawFile->currentText();
    {
        const QSignalBlocker fileBlocker(m_rawFile);
        m_rawFile->clear();
        m_rawFile->addItems(m_flow->filesOf(m_node).keys());
        m_rawFile->setCurrentIndex(std::max(0, m_rawFile->findText(shown)));
    }
    showFile(m_rawFile->currentIndex());
    plan();
    if (m_flow->isLive(m_node))
        m_flow->requestBackups(m_node);
    else
        m_status->setText(tr("%1 is not a member of the running cluster: its files can be read and changes planned, "
                             "not pushed. Connect, then Cluster › Check the Running Cluster's Files.")
                              .arg(m_node));
}

void NodeEditDialog::showFileAt(const QString &path, int line)
{
    const int index = m_rawFile->findText(path);
    if (index < 0)
        return;
    m_tabs->setCurrentIndex(FilesTab);
    m_rawFile->setCurrentIndex(index);
    QTextCursor cursor(m_rawEditor->document()->findBlockByLineNumber(std::max(0, line - 1)));
    cursor.select(QTextCursor::LineUnderCursor);
    m_rawEditor->setTextCursor(cursor);
    m_rawEditor->centerCursor();
    m_rawEditor->setFocus();
}

bool NodeEditDialog::focusSettingAt(const QString &path, int line)
{
    for (const Editor &editor : m_editors) {
        if (editor.setting.line != line || NodeConfig::relativePath(editor.setting.file) != path)
            continue;
        QWidget *field = editor.flag ? static_cast<QWidget *>(editor.flag) : editor.text;
        m_tabs->setCurrentIndex(SettingsTab);
        m_formScroll->ensureWidgetVisible(field);
        field->setFocus();
        if (editor.text)
            editor.text->selectAll();
        return true;
    }
    return false;
}

void NodeEditDialog::showFile(int index)
{
    const QString path = m_rawFile->itemText(index);
    const QSignalBlocker blocker(m_rawEditor);
    m_rawEditor->setPlainText(QString::fromUtf8(m_raw.value(path, m_flow->filesOf(m_node).value(path))));
}

void NodeEditDialog::keepRawText()
{
    const QString path = m_rawFile->currentText();
    const QByteArray original = m_flow->filesOf(m_node).value(path);
    QByteArray text = m_rawEditor->toPlainText().toUtf8();
    // The editor shows lines; the file keeps the line ends it has.
    if (original.contains("\r\n"))
        text.replace('\n', "\r\n");
    if (text == original)
        m_raw.remove(path);
    else
        m_raw.insert(path, text);
}

void NodeEditDialog::schedulePlan()
{
    m_planTimer->start();
}

void NodeEditDialog::plan()
{
    Planner::NodeEditRequest request;
    request.nodes.append(m_node);
    for (int row = 0; row < m_alsoNodes->count(); ++row) {
        if (m_alsoNodes->item(row)->checkState() == Qt::Checked)
            request.nodes.append(m_alsoNodes->item(row)->text());
    }
    if (!m_raw.isEmpty())
        request.rawFiles.insert(m_node, m_raw);
    for (const Editor &editor : m_editors) {
        QFont font = editor.label->font();
        font.setBold(editor.changed());
        editor.label->setFont(font);
        if (editor.changed())
            request.edits.append(editor.setting.edit(editor.value()));
    }
    QString error;
    std::optional<Planner::NodeEdit> edit = m_flow->plan(request, &error);
    QList<DiffView::File> files;
    if (edit) {
        for (auto it = edit->files.cbegin(); it != edit->files.cend(); ++it)
            files += diffFiles(it.key(), it.value());
    }
    showFindings(m_findings, edit ? edit->prepared.brought : QList<Finding>());
    m_diff->setFiles(files);
    const int errors = edit ? countOf(edit->prepared.brought, Severity::Error) : 0;
    QString verdict = !edit              ? tr("Cannot push: %1").arg(error)
                      : edit->isEmpty()  ? tr("Nothing changed yet.")
                      : errors > 0       ? tr("Push is disabled: the change would bring %n error(s) to the cluster.",
                                              nullptr, errors)
                      : edit->prepared.brought.isEmpty() ? tr("The cluster stays clean with this change.")
                                                         : tr("No error; read the warnings before you push.");
    if (edit && !edit->isEmpty() && !edit->notPushable.isEmpty())
        verdict = tr("%1 It cannot be pushed: %2.").arg(verdict, edit->notPushable);
    m_verdict->setText(verdict);
    m_edit = edit ? std::make_unique<Planner::NodeEdit>(std::move(*edit)) : nullptr;
    m_push->setEnabled(canPush());
    m_push->setToolTip(m_push->isEnabled() ? QString() : m_verdict->text());
    const int changed = m_edit ? int(m_edit->files.size()) : 0;
    m_tabs->setTabText(ChangesTab, changed > 0 ? tr("&Changes (%1)").arg(changed) : tr("&Changes"));
}

void NodeEditDialog::setBusy(bool busy, const QString &status)
{
    m_busy = busy;
    m_progress->setVisible(busy);
    m_status->setText(status);
    m_push->setEnabled(canPush());
    m_rollBack->setEnabled(!busy && m_backups->currentItem());
}

bool NodeEditDialog::canPush() const
{
    return !m_busy && m_edit && !m_edit->isEmpty() && !m_edit->blocked() && m_edit->notPushable.isEmpty();
}

void NodeEditDialog::push()
{
    if (!canPush())
        return;
    m_awaitingReload = true; // set first: a failure may be told at once
    m_result.clear();
    setBusy(true, tr("Pushing…"));
    if (!m_flow->apply(*m_edit)) {
        m_awaitingReload = false;
        setBusy(false, tr("A push is still under way; wait for it to finish."));
    }
}

void NodeEditDialog::reject()
{
    // Closing now would stop a plan half way, with nobody told what landed.
    if (m_busy) {
        m_status->setText(tr("Wait: a push or rollback is under way; the dialog closes once it has ended."));
        return;
    }
    if (m_edit && !m_edit->isEmpty()
        && QMessageBox::question(this, tr("Discard the Changes?"),
                                 tr("The changes to %1 have not been pushed. Close and discard them?").arg(m_node),
                                 QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel)
            != QMessageBox::Discard)
        return;
    QDialog::reject();
}

void NodeEditDialog::onFinished(bool ok, const QString &message)
{
    if (!m_busy)
        return;
    if (ok) {
        m_result = message;
        setBusy(true, tr("%1. Reading the running cluster's files again…").arg(message));
        return;
    }
    // What was pushed before the failure is on those nodes now; their backups take it back.
    m_result = tr("Failed: %1. The Backups tab rolls a node back.").arg(message);
    setBusy(true, m_result);
    m_tabs->setCurrentIndex(BackupsTab);
}

void NodeEditDialog::onWorkspaceReloaded()
{
    // Only a change of ours starts the form again from the node's files; another reload (a name
    // lookup answering, another console's push) keeps what is being typed and plans it anew.
    if (!std::exchange(m_awaitingReload, false)) {
        plan();
        return;
    }
    buildForm();
    setBusy(false, tr("%1 — the form shows the node's files now.").arg(m_result));
}

void NodeEditDialog::showBackupDiff()
{
    m_backupDiff->clear();
    m_rollBack->setEnabled(false);
    if (const QTreeWidgetItem *item = m_backups->currentItem())
        m_flow->requestBackup(m_node, item->data(0, Qt::UserRole).toInt());
}

void NodeEditDialog::rollBack()
{
    const QTreeWidgetItem *item = m_backups->currentItem();
    if (!item || m_busy)
        return;
    const int number = item->data(0, Qt::UserRole).toInt();
    if (!m_flow->isLive(m_node)) {
        m_status->setText(tr("%1 is not a member of the running cluster; it cannot be rolled back from here.").arg(m_node));
        return;
    }
    // Asked first, without a nested event loop: it rewrites a running node's files.
    auto *confirm = new QMessageBox(QMessageBox::Question, tr("Roll Back %1?").arg(m_node),
                                    tr("Put back the files backup %1 saved on %2, as the diff below the list shows? "
                                       "What they replace is kept as a new backup.")
                                        .arg(number)
                                        .arg(m_node),
                                    QMessageBox::Yes | QMessageBox::Cancel, this);
    confirm->setObjectName(QStringLiteral("confirmRollback"));
    confirm->setDefaultButton(QMessageBox::Cancel);
    confirm->setAttribute(Qt::WA_DeleteOnClose);
    connect(confirm, &QMessageBox::finished, this, [this, number](int answer) {
        if (answer != QMessageBox::Yes || m_busy)
            return;
        setBusy(true, tr("Rolling %1 back to backup %2…").arg(m_node).arg(number));
        m_flow->rollback(m_node, number);
    });
    confirm->open();
}

} // namespace Tribune
