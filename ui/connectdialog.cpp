#include "connectdialog.h"

#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace Tribune {

namespace {

QWidget *withBrowse(QLineEdit *edit, QWidget *parent)
{
    auto *row = new QWidget(parent);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    auto *browse = new QPushButton(QDialog::tr("Browse…"), row);
    layout->addWidget(browse);
    QObject::connect(browse, &QPushButton::clicked, edit, [edit] {
        const QString file = QFileDialog::getOpenFileName(edit, QDialog::tr("Choose a File"), edit->text());
        if (!file.isEmpty())
            edit->setText(file);
    });
    return row;
}

} // namespace

std::optional<ConnectionProfile> askForConnection(QWidget *parent, const QList<ConnectionProfile> &saved)
{
    QDialog dialog(parent);
    dialog.setWindowTitle(QDialog::tr("Connect to a Cluster"));
    auto *profiles = new QComboBox(&dialog);
    profiles->addItem(QDialog::tr("New connection"));
    for (const ConnectionProfile &profile : saved)
        profiles->addItem(profile.name);
    auto *name = new QLineEdit(&dialog);
    auto *seeds = new QLineEdit(&dialog);
    seeds->setPlaceholderText(QStringLiteral("127.0.0.1:4000, 127.0.0.1:4001"));
    auto *socket = new QLineEdit(&dialog);
    socket->setPlaceholderText(QDialog::tr("/path/to/admin.sock or 127.0.0.1:9999 (optional)"));
    auto *keyFile = new QLineEdit(&dialog);
    auto *role = new QComboBox(&dialog);
    role->addItem(QDialog::tr("Strongest key in the file"), QString());
    role->addItem(QDialog::tr("Console (may change members)"), QStringLiteral("console"));
    role->addItem(QDialog::tr("Viewer (read-only)"), QStringLiteral("viewer"));
    auto *ca = new QLineEdit(&dialog);
    ca->setPlaceholderText(QDialog::tr("only for TLS"));
    auto *history = new QLineEdit(&dialog);
    history->setPlaceholderText(QDialog::tr("default: SQLite in the data folder; or mysql://user:password@host:port/db"));

    const auto show = [&](int index) {
        const ConnectionProfile profile = index > 0 ? saved.at(index - 1) : ConnectionProfile{};
        name->setText(profile.name);
        seeds->setText(profile.seeds.join(QLatin1String(", ")));
        socket->setText(profile.loadBalancerSocket);
        keyFile->setText(profile.keyFile);
        role->setCurrentIndex(std::max(0, role->findData(profile.role)));
        ca->setText(profile.tlsCaFile);
        history->setText(profile.historyUrl);
    };
    QObject::connect(profiles, &QComboBox::currentIndexChanged, &dialog, show);
    if (!saved.isEmpty())
        profiles->setCurrentIndex(1);

    auto *form = new QFormLayout;
    form->addRow(QDialog::tr("Profile:"), profiles);
    form->addRow(QDialog::tr("Name:"), name);
    form->addRow(QDialog::tr("Well-known members:"), seeds);
    form->addRow(QDialog::tr("Load balancer admin socket:"), socket);
    form->addRow(QDialog::tr("Cluster key file:"), withBrowse(keyFile, &dialog));
    form->addRow(QDialog::tr("Role:"), role);
    form->addRow(QDialog::tr("TLS certificate authority:"), withBrowse(ca, &dialog));
    form->addRow(QDialog::tr("History:"), history);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    buttons->button(QDialogButtonBox::Ok)->setText(QDialog::tr("Connect"));
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    const auto validate = [&] {
        buttons->button(QDialogButtonBox::Ok)->setEnabled(!seeds->text().trimmed().isEmpty() && !keyFile->text().trimmed().isEmpty());
    };
    QObject::connect(seeds, &QLineEdit::textChanged, &dialog, validate);
    QObject::connect(keyFile, &QLineEdit::textChanged, &dialog, validate);
    validate();
    auto *layout = new QVBoxLayout(&dialog);
    layout->addLayout(form);
    layout->addWidget(buttons);
    dialog.resize(560, dialog.sizeHint().height());
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;

    ConnectionProfile chosen;
    chosen.seeds = seeds->text().split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts);
    chosen.name = name->text().trimmed().isEmpty() ? chosen.seeds.value(0) : name->text().trimmed();
    chosen.loadBalancerSocket = socket->text().trimmed();
    chosen.keyFile = keyFile->text().trimmed();
    chosen.role = role->currentData().toString();
    chosen.tlsCaFile = ca->text().trimmed();
    chosen.historyUrl = history->text().trimmed();
    return chosen;
}

} // namespace Tribune
