#pragma once

#include <QString>

namespace Tribune {

// A database URL's password apart from the rest (mysql://user:password@host/db): the settings
// file and the fields people read hold the URL without it; the keychain and masked fields hold it.
struct UrlPassword
{
    QString url;      // the URL without its password; unchanged when it had none or is no URL
    QString password; // empty when there is none

    static UrlPassword split(const QString &url);
    // The URL with this password (a URL with no user name, or no password given, is unchanged).
    static QString join(const QString &url, const QString &password);
};

} // namespace Tribune
