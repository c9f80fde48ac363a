#pragma once

#include <QCoreApplication>
#include <QString>

class QLineEdit;
class QWidget;

namespace Tribune {

// A database URL field whose password is never shown: the password goes to a masked field beside
// it, where it is typed or pasted with the URL alike, and the two make one URL again.
class UrlPasswordField
{
    Q_DECLARE_TR_FUNCTIONS(Tribune::UrlPasswordField)

public:
    // The masked field for urlField's password (object name: urlField's + "Password"). A
    // password typed into the URL moves there once the URL field is left.
    static QLineEdit *attach(QLineEdit *urlField, QWidget *parent);
    // Fills both from one URL.
    static void setUrl(QLineEdit *urlField, QLineEdit *passwordField, const QString &url);
    // The one URL both fields make.
    static QString url(const QLineEdit *urlField, const QLineEdit *passwordField);
};

} // namespace Tribune
