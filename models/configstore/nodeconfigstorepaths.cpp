// Which relative paths NodeConfigStore accepts, and where in repository/conf they lead.
#include "nodeconfigstore.h"

#include "durablefile.h"
#include "i18n/trcontexts.h"

#include <QCoreApplication>
#include <QFileInfo>

#include <algorithm>

namespace Tribune {

using DurableFile::Kind;

namespace {

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

} // namespace

bool NodeConfigStore::isAcceptablePath(const QString &path, QString *error)
{
    QString reason;
    if (path.isEmpty())
        reason = ConfigStoreText::tr("the name is empty");
    else if (path.startsWith(QLatin1Char('/')))
        reason = ConfigStoreText::tr("it is an absolute path");
    else if (path.contains(QLatin1Char('\\')))
        reason = ConfigStoreText::tr("it contains a backslash");
    else if (std::any_of(path.cbegin(), path.cend(), [](QChar c) { return c.unicode() < 0x20 || c.unicode() == 0x7f; }))
        reason = ConfigStoreText::tr("it contains a control character");
    for (const QString &part : path.split(QLatin1Char('/'))) {
        if (!reason.isEmpty())
            break;
        if (part.isEmpty())
            reason = ConfigStoreText::tr("it has an empty part (\"//\" or a "
                                         "trailing \"/\")");
        else if (part == QLatin1String(".") || part == QLatin1String(".."))
            reason = ConfigStoreText::tr("it contains \".\" or \"..\"");
    }
    if (reason.isEmpty())
        return true;
    return fail(error, ConfigStoreText::tr("\"%1\" is not a file of repository/conf: %2. Name files by "
                                           "their path relative to repository/conf with '/' between "
                                           "folders, such as axis2/axis2.xml.")
                           .arg(path, reason));
}

std::optional<NodeConfigStore::Target> NodeConfigStore::resolve(const QString &relativePath, QString *error) const
{
    if (!isAcceptablePath(relativePath, error))
        return std::nullopt;
    const auto inside = [this](const QString &canonical) {
        return canonical.startsWith(m_canonicalConf + QLatin1Char('/'));
    };
    const auto escapes = [&](const QString &link, const QString &canonical) -> bool {
        return fail(error, ConfigStoreText::tr("%1: %2 is a symbolic link to %3, which is not inside %4; "
                                               "the agent only changes files inside repository/conf. "
                                               "Replace the link with the file itself.")
                               .arg(relativePath, link,
                                    canonical.isEmpty() ? ConfigStoreText::tr("nothing that exists")
                                                        : canonical,
                                    m_canonicalConf));
    };
    const QStringList parts = relativePath.split(QLatin1Char('/'));
    QString current = m_canonicalConf;
    bool missing = false;
    for (qsizetype i = 0; i < parts.size() - 1; ++i) {
        const QString next = current + QLatin1Char('/') + parts.at(i);
        if (missing) {
            current = next;
            continue;
        }
        const Kind kind = DurableFile::kindOf(next, error);
        if (kind == Kind::Missing) {
            missing = true;
        } else if (kind == Kind::SymLink) {
            const QString canonical = QFileInfo(next).canonicalFilePath();
            if (!inside(canonical) || !QFileInfo(canonical).isDir()) {
                escapes(next, canonical);
                return std::nullopt;
            }
            current = canonical;
            continue;
        } else if (kind != Kind::Folder) {
            if (kind != Kind::Unreadable)
                fail(error, ConfigStoreText::tr("%1: %2 is not a folder, so the file cannot be placed "
                                                "there; choose another path or remove %2")
                                .arg(relativePath, next));
            return std::nullopt;
        }
        current = next;
    }
    const QString target = current + QLatin1Char('/') + parts.constLast();
    if (missing)
        return Target{target, false};
    switch (DurableFile::kindOf(target, error)) {
    case Kind::Missing: return Target{target, false};
    case Kind::RegularFile: return Target{target, true};
    case Kind::SymLink: {
        const QString canonical = QFileInfo(target).canonicalFilePath();
        if (!inside(canonical) || DurableFile::kindOf(canonical) != Kind::RegularFile) {
            escapes(target, canonical);
            return std::nullopt;
        }
        return Target{canonical, true};
    }
    case Kind::Unreadable: return std::nullopt;
    case Kind::Folder:
    case Kind::Other: break;
    }
    fail(error, ConfigStoreText::tr("%1: %2 is not a regular file (it is a folder or a special file); the "
                                    "agent only reads and writes regular files. Remove it or choose "
                                    "another path.")
                    .arg(relativePath, target));
    return std::nullopt;
}

} // namespace Tribune
