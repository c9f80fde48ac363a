#include "connectdialog.h"

#include "textfit.h"

#include "urlpasswordfield.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QUrl>
#include <QStyle>
#include <QVBoxLayout>

namespace Tribune {

namespace {

QWidget *withBrowse(QLineEdit *edit, const QString &buttonText, const QString &title, QWidget *parent)
{
    auto *row = new QWidget(parent);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    row->setFocusProxy(edit); // the row label's shortcut goes to the field
    auto *browse = new QPushButton(buttonText, row);
    browse->setObjectName(edit->objectName() + QLatin1String("Browse"));
    browse->setAutoDefault(false); // Return in a field means Connect, not Browse
    layout->addWidget(browse);
    QObject::connect(browse, &QPushButton::clicked, edit, [edit, title] {
        const QString file = QFileDialog::getOpenFileName(edit, title, edit->text());
        if (!file.isEmpty())
            edit->setText(file);
    });
    return row;
}

QLineEdit *lineEdit(const QString &objectName, const QString &placeholder, QWidget *parent)
{
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(objectName);
    edit->setPlaceholderText(placeholder);
    fitToPlaceholder(edit);
    return edit;
}

} // namespace

ConnectDialog::ConnectDialog(const QList<ConnectionProfile> &saved, const QString &defaultHistoryUrl, QWidget *parent)
    : QDialog(parent)
    , m_saved(saved)
    , m_profiles(new QComboBox(this))
    , m_forget(new QPushButton(tr("&Forget"), this))
    , m_name(lineEdit(QStringLiteral("name"), tr("default: the first well-known member"), this))
    , m_seeds(lineEdit(QStringLiteral("seeds"), QStringLiteral("127.0.0.1:4000, 127.0.0.1:4001"), this))
    , m_socket(lineEdit(QStringLiteral("loadBalancerSocket"), tr("/path/to/admin.sock or 127.0.0.1:9999 (optional)"), this))
    , m_keyFile(lineEdit(QStringLiteral("keyFile"), tr("mode 0600, as the agents have it"), this))
    , m_role(new QComboBox(this))
    , m_ca(lineEdit(QStringLiteral("tlsCaFile"), tr("only for TLS"), this))
    , m_history(lineEdit(QStringLiteral("history"),
                         defaultHistoryUrl.isEmpty()
                             ? tr("default: SQLite in the data folder")
                             : tr("default: %1").arg(QUrl(defaultHistoryUrl).toDisplayString(QUrl::RemovePassword)),
                         this))
    , m_problemBox(new QWidget(this))
    , m_problems(new QLabel(m_problemBox))
{
    setWindowTitle(tr("Connect to a Cluster"));
    m_profiles->setObjectName(QStringLiteral("profiles"));
    m_profiles->addItem(tr("New connection"));
    for (const ConnectionProfile &profile : saved)
        m_profiles->addItem(profile.name);
    m_history->setToolTip(tr("Where to keep history: empty for a SQLite file in the data folder, "
                             "sqlite:///path/history.sqlite, mysql://user:password@host:port/database, "
                             "postgresql://user:password@host:port/database for a history the team shares, "
                             "or none to keep no history."));
    m_role->setObjectName(QStringLiteral("role"));
    m_role->addItem(tr("Strongest key in the file"), QString());
    m_role->addItem(tr("Console (may change members)"), QStringLiteral("console"));
    m_role->addItem(tr("Viewer (read-only)"), QStringLiteral("viewer"));

    auto *form = new QFormLayout;
    // A saved profile that is no longer wanted goes with its own button, next to the list.
    auto *profileRow = new QWidget(this);
    auto *profileLayout = new QHBoxLayout(profileRow);
    profileLayout->setContentsMargins(0, 0, 0, 0);
    profileLayout->addWidget(m_profiles, 1);
    m_forget->setObjectName(QStringLiteral("forget"));
    m_forget->setToolTip(tr("Remove this saved connection from the list. Its key file stays where it is."));
    profileLayout->addWidget(m_forget);
    connect(m_forget, &QPushButton::clicked, this, &ConnectDialog::forgetProfile);
    form->addRow(tr("&Profile:"), profileRow);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Well-known members:"), m_seeds);
    form->addRow(tr("Load balancer admin &socket:"), m_socket);
    form->addRow(tr("Cluster &key file:"), withBrowse(m_keyFile, tr("Browse…"), tr("Choose the Cluster Key File"), this));
    form->addRow(tr("&Role:"), m_role);
    form->addRow(tr("&TLS certificate authority:"),
                 withBrowse(m_ca, tr("Browse…"), tr("Choose the Certificate Authority"), this));
    // The history's password goes to a masked field beside the URL.
    m_historyPassword = UrlPasswordField::attach(m_history, this);
    auto *historyRow = new QWidget(this);
    auto *historyLayout = new QHBoxLayout(historyRow);
    historyLayout->setContentsMargins(0, 0, 0, 0);
    historyLayout->addWidget(m_history, 1);
    historyLayout->addWidget(m_historyPassword);
    historyRow->setFocusProxy(m_history);
    form->addRow(tr("&History:"), historyRow);

    // Problems show between the fields and the buttons, in the place the eye goes on Connect.
    m_problemBox->setObjectName(QStringLiteral("problemBox"));
    auto *problemLayout = new QHBoxLayout(m_problemBox);
    problemLayout->setContentsMargins(0, 0, 0, 0);
    auto *icon = new QLabel(m_problemBox);
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning, nullptr, this).pixmap(iconSize, iconSize));
    icon->setAlignment(Qt::AlignTop);
    problemLayout->addWidget(icon);
    m_problems->setObjectName(QStringLiteral("problems"));
    m_problems->setWordWrap(true);
    m_problems->setTextFormat(Qt::PlainText);
    m_problems->setTextInteractionFlags(Qt::TextSelectableByMouse); // a chmod command to copy
    problemLayout->addWidget(m_problems, 1);
    m_problemBox->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    QPushButton *connectButton = buttons->button(QDialogButtonBox::Ok);
    connectButton->setText(tr("Connect"));
    connectButton->setObjectName(QStringLiteral("connect"));
    buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancel"));
    connect(buttons, &QDialogButtonBox::accepted, this, &ConnectDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ConnectDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problemBox);
    layout->addStretch();
    layout->addWidget(buttons);

    connect(m_profiles, &QComboBox::currentIndexChanged, this, &ConnectDialog::showProfile);
    const auto recheck = [this] {
        if (m_checking)
            showProblems();
    };
    for (QLineEdit *edit : {m_seeds, m_socket, m_keyFile, m_ca})
        connect(edit, &QLineEdit::textChanged, this, recheck);
    connect(m_role, &QComboBox::currentIndexChanged, this, recheck);

    if (!saved.isEmpty())
        m_profiles->setCurrentIndex(1);
    m_forget->setEnabled(m_profiles->currentIndex() > 0);
    resize(640, sizeHint().height());
}

ConnectDialog::~ConnectDialog() = default;

void ConnectDialog::forgetProfile()
{
    const int index = m_profiles->currentIndex();
    if (index <= 0)
        return;
    ConnectionProfiles::forget(m_saved.takeAt(index - 1).name);
    m_profiles->removeItem(index); // shows the next profile, or a new connection
}

void ConnectDialog::showProfile(int index)
{
    m_forget->setEnabled(index > 0);
    const ConnectionProfile profile = index > 0 ? m_saved.value(index - 1) : ConnectionProfile{};
    m_name->setText(profile.name);
    m_seeds->setText(profile.seeds.join(QLatin1String(", ")));
    m_socket->setText(profile.loadBalancerSocket);
    m_keyFile->setText(profile.keyFile);
    m_role->setCurrentIndex(std::max(0, m_role->findData(profile.role)));
    m_ca->setText(profile.tlsCaFile);
    UrlPasswordField::setUrl(m_history, m_historyPassword, profile.historyUrl);
}

ConnectionProfile ConnectDialog::profile() const
{
    ConnectionProfile chosen;
    chosen.seeds = ConnectionProfile::splitSeeds(m_seeds->text());
    chosen.name = m_name->text();
    chosen.name = chosen.nameOrFirstSeed();
    chosen.loadBalancerSocket = m_socket->text().trimmed();
    chosen.keyFile = m_keyFile->text().trimmed();
    chosen.role = m_role->currentData().toString();
    chosen.tlsCaFile = m_ca->text().trimmed();
    chosen.historyUrl = UrlPasswordField::url(m_history, m_historyPassword).trimmed();
    return chosen;
}

QWidget *ConnectDialog::fieldOf(ConnectionProblem::Field field) const
{
    switch (field) {
    case ConnectionProblem::Field::Seeds:
        return m_seeds;
    case ConnectionProblem::Field::LoadBalancerSocket:
        return m_socket;
    case ConnectionProblem::Field::KeyFile:
        return m_keyFile;
    case ConnectionProblem::Field::Role:
        return m_role;
    case ConnectionProblem::Field::TlsCaFile:
        return m_ca;
    }
    return m_seeds;
}

QList<ConnectionProblem> ConnectDialog::showProblems()
{
    const QList<ConnectionProblem> problems = ConnectionProfiles::check(profile());
    QStringList messages;
    for (const ConnectionProblem &problem : problems) {
        if (problems.size() > 1)
            messages.append(QString(u"• " + problem.message)); // wrapped lines would run together otherwise
        else
            messages.append(problem.message);
    }
    m_problems->setText(messages.join(u'\n'));
    m_problemBox->setVisible(!problems.isEmpty());
    return problems;
}

void ConnectDialog::accept()
{
    const QList<ConnectionProblem> problems = showProblems();
    if (problems.isEmpty()) {
        QDialog::accept();
        return;
    }
    // The dialog stays open, the cursor in the first field to fix, the messages following edits.
    m_checking = true;
    fieldOf(problems.constFirst().field)->setFocus(Qt::OtherFocusReason);
}

std::optional<ConnectionProfile> askForConnection(QWidget *parent, const QList<ConnectionProfile> &saved,
                                                  const QString &defaultHistoryUrl)
{
    ConnectDialog dialog(saved, defaultHistoryUrl, parent);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.profile();
}

} // namespace Tribune
