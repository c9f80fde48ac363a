#include "urlpassword.h"

#include <QUrl>

namespace Tribune {

UrlPassword UrlPassword::split(const QString &url)
{
    QUrl parsed(url.trimmed(), QUrl::StrictMode);
    if (!parsed.isValid() || parsed.password().isEmpty())
        return {url, QString()};
    const QString password = parsed.password(QUrl::FullyDecoded);
    parsed.setPassword(QString());
    return {parsed.toString(), password};
}

QString UrlPassword::join(const QString &url, const QString &password)
{
    QUrl parsed(url.trimmed(), QUrl::StrictMode);
    if (password.isEmpty() || !parsed.isValid() || parsed.userName().isEmpty())
        return url;
    parsed.setPassword(password, QUrl::DecodedMode);
    return parsed.toString();
}

} // namespace Tribune
