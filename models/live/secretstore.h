#pragma once

#include <QString>

namespace Tribune {

// Passwords the console remembers (a shared history database's), kept out of the settings file:
// in the platform keychain where one answers (QtKeychain: the Secret Service, KWallet), else in an
// owner-only file beside the settings, as the cluster's key file is kept.
class SecretStore
{
public:
    // Where secrets go, in words for the user: "the platform keychain" or the file's path.
    static QString whereKept();

    static bool write(const QString &key, const QString &secret, QString *error = nullptr);
    // The secret, or an empty string when there is none (or it cannot be read: *error says why).
    static QString read(const QString &key, QString *error = nullptr);
    static void remove(const QString &key);

    // For URLs such as mysql://user:password@host/db: moves the password into the store under key
    // and returns the URL without it, fit for the settings file. A URL without a password removes
    // what key held. On failure returns the URL without its password all the same (the password
    // is never written to settings) and sets *error.
    static QString stashUrlPassword(const QString &key, const QString &url, QString *error = nullptr);
    // The URL with the password kept under key put back (unchanged when there is none).
    static QString restoreUrlPassword(const QString &key, const QString &url);
};

} // namespace Tribune
