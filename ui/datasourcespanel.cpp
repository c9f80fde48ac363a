#include "datasourcespanel.h"

#include "planner/datasourcechecker.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Tribune {

using Planner::DatasourceCheck;

namespace {

enum Column { NameColumn, UrlColumn, UserColumn, StatusColumn };

// A word or two for the list; the whole message is the row's tooltip and shows below it.
QString shortStatus(DatasourceCheck::Status status)
{
    switch (status) {
    case DatasourceCheck::Status::Ready: return DatasourcesPanel::tr("Ready");
    case DatasourceCheck::Status::NoTables: return DatasourcesPanel::tr("No tables");
    case DatasourceCheck::Status::NoDatabase: return DatasourcesPanel::tr("No database");
    case DatasourceCheck::Status::NoPrivileges: return DatasourcesPanel::tr("Not granted");
    case DatasourceCheck::Status::AccessDenied: return DatasourcesPanel::tr("Wrong user or password");
    case DatasourceCheck::Status::Unreachable: return DatasourcesPanel::tr("Unreachable");
    case DatasourceCheck::Status::NotMySql: return DatasourcesPanel::tr("Not checked");
    case DatasourceCheck::Status::Failed: return DatasourcesPanel::tr("Failed");
    }
    return {};
}

const Config::Datasource *named(const QList<Config::Datasource> &datasources, const QString &name)
{
    for (const Config::Datasource &datasource : datasources)
        if (datasource.name == name)
            return &datasource;
    return nullptr;
}

} // namespace

DatasourcesPanel::DatasourcesPanel(QWidget *parent)
    : QWidget(parent)
    , m_checker(new Planner::DatasourceChecker(this))
    , m_list(new QTreeWidget(this))
    , m_url(new QLineEdit(this))
    , m_user(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_test(new QPushButton(tr("&Test Connections"), this))
    , m_cancel(new QPushButton(tr("Cancel Test"), this))
    , m_create(new QPushButton(tr("C&reate Database…"), this))
    , m_busy(new QProgressBar(this))
    , m_status(new QLabel(this))
{
    m_list->setObjectName(QStringLiteral("datasourceList"));
    m_list->setHeaderLabels({tr("Datasource"), tr("URL"), tr("User"), tr("Status")});
    m_list->setRootIsDecorated(false);
    m_list->setWordWrap(true);
    m_list->header()->setSectionResizeMode(NameColumn, QHeaderView::ResizeToContents);
    m_list->header()->setSectionResizeMode(UrlColumn, QHeaderView::Stretch);
    m_list->header()->setSectionResizeMode(UserColumn, QHeaderView::ResizeToContents);
    m_list->header()->setSectionResizeMode(StatusColumn, QHeaderView::ResizeToContents);
    m_list->header()->setStretchLastSection(false);
    m_url->setObjectName(QStringLiteral("datasourceUrl"));
    m_user->setObjectName(QStringLiteral("datasourceUser"));
    m_password->setObjectName(QStringLiteral("datasourcePassword"));
    m_password->setEchoMode(QLineEdit::Password);
    m_test->setObjectName(QStringLiteral("testDatasources"));
    m_create->setObjectName(QStringLiteral("createDatabase"));
    m_create->setToolTip(tr("Create the selected datasource's database and grant its user, with a database "
                            "administrator's credentials that are not kept"));
    m_cancel->setVisible(false);
    for (QPushButton *button : {m_test, m_cancel, m_create})
        button->setAutoDefault(false); // Enter stays the wizard's Next
    m_busy->setRange(0, 0);
    m_busy->setVisible(false);
    m_busy->setMaximumWidth(120);
    m_status->setObjectName(QStringLiteral("datasourceStatus"));
    m_status->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(tr("&URL:"), m_url);
    form->addRow(tr("U&ser:"), m_user);
    form->addRow(tr("Pass&word:"), m_password);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_test);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_busy);
    buttons->addStretch(1);
    buttons->addWidget(m_create);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_list, 1);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(m_status);

    connect(m_list, &QTreeWidget::currentItemChanged, this, &DatasourcesPanel::showSelected);
    connect(m_url, &QLineEdit::textEdited, this, [this](const QString &text) { storeField(QStringLiteral("url"), text); });
    connect(m_user, &QLineEdit::textEdited, this, [this](const QString &text) { storeField(QStringLiteral("username"), text); });
    connect(m_password, &QLineEdit::textEdited, this,
            [this](const QString &text) { storeField(QStringLiteral("password"), text); });
    connect(m_test, &QPushButton::clicked, this, &DatasourcesPanel::testConnections);
    connect(m_cancel, &QPushButton::clicked, this, &DatasourcesPanel::cancelCheck);
    connect(m_create, &QPushButton::clicked, this, &DatasourcesPanel::askToCreateDatabase);
    connect(m_checker, &Planner::DatasourceChecker::checked, this, &DatasourcesPanel::showChecks);
    connect(m_checker, &Planner::DatasourceChecker::created, this, [this](bool ok, const QString &message) {
        m_status->setText(ok ? message : tr("Cannot create the database: %1").arg(message));
    });
    connect(m_checker, &Planner::DatasourceChecker::busyChanged, this, [this](bool busy) {
        // The answer is about the values asked with: they stay as they are until it comes.
        for (QWidget *field : {static_cast<QWidget *>(m_url), static_cast<QWidget *>(m_user),
                               static_cast<QWidget *>(m_password), static_cast<QWidget *>(m_list)})
            field->setEnabled(!busy);
        m_busy->setVisible(busy);
        m_cancel->setVisible(busy);
        m_test->setEnabled(!busy);
        m_create->setEnabled(!busy && m_missingDatabases.contains(selectedRow()));
    });
    m_create->setEnabled(false);
}

DatasourcesPanel::~DatasourcesPanel() = default;

void DatasourcesPanel::setDatasources(const QList<Config::Datasource> &datasources)
{
    const QList<Planner::TypedEdit> kept = edits();
    const QString selected = selectedRow() >= 0 ? m_values.at(selectedRow()).name : QString();
    m_original = datasources;
    m_values = datasources;
    for (const Planner::TypedEdit &edit : kept) {
        const qsizetype dot = edit.key.indexOf(u'.');
        for (Config::Datasource &datasource : m_values) {
            if (datasource.name != edit.key.mid(dot + 1))
                continue;
            const QStringView key = QStringView(edit.key).left(dot);
            (key == u"url" ? datasource.url : key == u"username" ? datasource.username : datasource.password) = edit.value;
        }
    }
    m_missingDatabases.clear();
    m_summary.clear();
    m_list->clear();
    for (const Config::Datasource &datasource : std::as_const(m_values))
        new QTreeWidgetItem(m_list, {datasource.name});
    for (int row = 0; row < m_values.size(); ++row) {
        refreshRow(row);
        if (m_values.at(row).name == selected || (selected.isEmpty() && row == 0))
            m_list->setCurrentItem(m_list->topLevelItem(row));
    }
    m_status->setText(m_values.isEmpty() ? tr("The node has no datasources.")
                                         : tr("Test the connections before you push: the node needs its databases at start."));
}

QList<Planner::TypedEdit> DatasourcesPanel::edits() const
{
    QList<Planner::TypedEdit> edits;
    for (const Config::Datasource &value : m_values) {
        const Config::Datasource *original = named(m_original, value.name);
        if (!original)
            continue;
        const auto add = [&](const QString &key, const QString &was, const QString &is) {
            if (was != is)
                edits.append({NodeConfig::File::Datasources, key + u'.' + value.name, is});
        };
        add(QStringLiteral("url"), original->url, value.url);
        add(QStringLiteral("username"), original->username, value.username);
        add(QStringLiteral("password"), original->password, value.password);
    }
    return edits;
}

void DatasourcesPanel::setProblem(const QString &problem)
{
    m_status->setText(problem);
}

bool DatasourcesPanel::isChecking() const
{
    return m_checker->isBusy();
}

void DatasourcesPanel::testConnections()
{
    if (m_values.isEmpty() || !m_checker->check(m_values))
        return;
    m_status->setText(tr("Connecting to the database servers…"));
}

void DatasourcesPanel::cancelCheck()
{
    m_checker->cancel();
    m_status->setText(tr("Test cancelled."));
}

int DatasourcesPanel::selectedRow() const
{
    return m_list->currentItem() ? m_list->indexOfTopLevelItem(m_list->currentItem()) : -1;
}

void DatasourcesPanel::showSelected()
{
    const int row = selectedRow();
    const bool any = row >= 0;
    for (QLineEdit *field : {m_url, m_user, m_password})
        field->setEnabled(any);
    m_url->setText(any ? m_values.at(row).url : QString());
    m_user->setText(any ? m_values.at(row).username : QString());
    m_password->setText(any ? m_values.at(row).password : QString());
    m_create->setEnabled(any && !m_checker->isBusy() && m_missingDatabases.contains(row));
    const QString checked = any ? m_list->topLevelItem(row)->toolTip(StatusColumn) : QString();
    if (!checked.isEmpty())
        m_status->setText(m_summary.isEmpty() ? checked
                                              : tr("%1 %2: %3").arg(m_summary, m_values.at(row).name, checked));
}

void DatasourcesPanel::storeField(const QString &key, const QString &value)
{
    const int row = selectedRow();
    if (row < 0)
        return;
    Config::Datasource &datasource = m_values[row];
    (key == u"url" ? datasource.url : key == u"username" ? datasource.username : datasource.password) = value;
    // What the last check said is about the values before.
    m_list->topLevelItem(row)->setText(StatusColumn, QString());
    m_list->topLevelItem(row)->setToolTip(StatusColumn, QString());
    m_list->topLevelItem(row)->setIcon(StatusColumn, QIcon());
    m_missingDatabases.removeAll(row);
    refreshRow(row);
    emit edited();
}

void DatasourcesPanel::refreshRow(int row)
{
    QTreeWidgetItem *item = m_list->topLevelItem(row);
    const Config::Datasource &value = m_values.at(row);
    const Config::Datasource *original = named(m_original, value.name);
    item->setText(UrlColumn, value.url);
    item->setText(UserColumn, value.username);
    const auto mark = [item](int column, bool changed, const QString &was) {
        QFont font = item->font(column);
        font.setBold(changed);
        item->setFont(column, font);
        item->setToolTip(column, changed ? tr("Changed; the node's own value is %1").arg(was) : QString());
    };
    mark(UrlColumn, original && original->url != value.url, original ? original->url : QString());
    mark(UserColumn, original && original->username != value.username, original ? original->username : QString());
    QFont font = item->font(NameColumn);
    font.setBold(original && original->password != value.password);
    item->setFont(NameColumn, font);
}

void DatasourcesPanel::showChecks(const QList<DatasourceCheck> &checks)
{
    m_missingDatabases.clear();
    int ready = 0;
    for (const DatasourceCheck &check : checks) {
        for (int row = 0; row < m_values.size(); ++row) {
            if (m_values.at(row).name != check.datasource)
                continue;
            QTreeWidgetItem *item = m_list->topLevelItem(row);
            item->setText(StatusColumn, shortStatus(check.status));
            item->setToolTip(StatusColumn, check.message);
            const QStyle::StandardPixmap icon = check.ok() ? QStyle::SP_DialogApplyButton
                                                : check.status == DatasourceCheck::Status::NotMySql
                                                ? QStyle::SP_MessageBoxInformation
                                                : QStyle::SP_MessageBoxWarning;
            item->setIcon(StatusColumn, style()->standardIcon(icon));
            if (check.status == DatasourceCheck::Status::NoDatabase || check.status == DatasourceCheck::Status::NoPrivileges)
                m_missingDatabases.append(row);
        }
        ready += check.ok() ? 1 : 0;
    }
    m_summary = ready == checks.size() ? tr("Every datasource is ready.")
                                       : tr("%1 of %n datasource(s) ready.", nullptr, int(checks.size())).arg(ready);
    showSelected();
}

void DatasourcesPanel::askToCreateDatabase()
{
    const int row = selectedRow();
    if (row < 0)
        return;
    const Config::Datasource datasource = m_values.at(row);
    auto *dialog = new QDialog(this);
    dialog->setObjectName(QStringLiteral("adminCredentials"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Create the Database"));
    auto *user = new QLineEdit(QStringLiteral("root"), dialog);
    user->setObjectName(QStringLiteral("adminUser"));
    auto *password = new QLineEdit(dialog);
    password->setObjectName(QStringLiteral("adminPassword"));
    password->setEchoMode(QLineEdit::Password);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("C&reate"));
    auto *text = new QLabel(tr("A database administrator's account creates the database of %1 and grants %2 every "
                               "privilege on it. These credentials are used once and not kept.")
                                .arg(datasource.name, datasource.username),
                            dialog);
    text->setWordWrap(true);
    auto *form = new QFormLayout(dialog);
    form->addRow(text);
    form->addRow(tr("Administrator:"), user);
    form->addRow(tr("Password:"), password);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    connect(dialog, &QDialog::accepted, this, [this, datasource, user, password] {
        if (m_checker->createDatabase(datasource, user->text(), password->text()))
            m_status->setText(tr("Creating the database of %1…").arg(datasource.name));
    });
    password->setFocus();
    dialog->open();
}

} // namespace Tribune
