#include "urlpasswordfield.h"

#include "textfit.h"

#include "live/urlpassword.h"

#include <QLineEdit>

#include <algorithm>

namespace Tribune {

QLineEdit *UrlPasswordField::attach(QLineEdit *urlField, QWidget *parent)
{
    auto *password = new QLineEdit(parent);
    password->setObjectName(urlField->objectName() + QLatin1String("Password"));
    password->setEchoMode(QLineEdit::Password);
    password->setPlaceholderText(tr("password"));
    password->setToolTip(tr("The database password, kept out of the URL shown and of the settings file."));
    fitToPlaceholder(password);
    password->setMaximumWidth(std::max(160, password->minimumWidth()));
    QObject::connect(urlField, &QLineEdit::editingFinished, password, [urlField, password] {
        const UrlPassword parts = UrlPassword::split(urlField->text());
        if (parts.password.isEmpty())
            return;
        urlField->setText(parts.url);
        password->setText(parts.password);
    });
    return password;
}

void UrlPasswordField::setUrl(QLineEdit *urlField, QLineEdit *passwordField, const QString &url)
{
    const UrlPassword parts = UrlPassword::split(url);
    urlField->setText(parts.url);
    passwordField->setText(parts.password);
}

QString UrlPasswordField::url(const QLineEdit *urlField, const QLineEdit *passwordField)
{
    // A password still typed into the URL (the field not left yet) counts as well.
    const UrlPassword typed = UrlPassword::split(urlField->text().trimmed());
    return UrlPassword::join(typed.url, typed.password.isEmpty() ? passwordField->text() : typed.password);
}

} // namespace Tribune
