#include "durablefile.h"
#include "i18n/trcontexts.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace Tribune::DurableFile {

namespace {

QString systemError(int code)
{
    return QString::fromLocal8Bit(std::strerror(code));
}

void setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
}

// Closes a descriptor on every path out of a function.
class Descriptor
{
public:
    explicit Descriptor(int fd) : m_fd(fd) {}
    ~Descriptor()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Descriptor(const Descriptor &) = delete;
    Descriptor &operator=(const Descriptor &) = delete;
    int get() const { return m_fd; }
    int release() { return std::exchange(m_fd, -1); }

private:
    int m_fd;
};

bool writeAll(int fd, const QByteArray &bytes)
{
    const char *data = bytes.constData();
    qsizetype left = bytes.size();
    while (left > 0) {
        const ssize_t written = ::write(fd, data, size_t(left));
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            return false;
        data += written;
        left -= written;
    }
    return true;
}

} // namespace

Kind kindOf(const QString &path, QString *error)
{
    struct stat status {};
    if (::lstat(QFile::encodeName(path).constData(), &status) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return Kind::Missing;
        setError(error, ConfigStoreText::tr("cannot inspect %1: %2")
                            .arg(path, systemError(errno)));
        return Kind::Unreadable;
    }
    if (S_ISLNK(status.st_mode))
        return Kind::SymLink;
    if (S_ISREG(status.st_mode))
        return Kind::RegularFile;
    if (S_ISDIR(status.st_mode))
        return Kind::Folder;
    return Kind::Other;
}

Ownership ownershipOf(const QString &path)
{
    struct stat status {};
    if (::stat(QFile::encodeName(path).constData(), &status) != 0 || !S_ISREG(status.st_mode))
        return {};
    return {true, mode_t(status.st_mode & 07777), status.st_uid, status.st_gid};
}

QString temporaryPathFor(const QString &target)
{
    const QFileInfo info(target);
    const QString suffix = QString::number(QRandomGenerator::global()->generate64(), 36);
    return info.path() + QLatin1String("/.") + info.fileName() + QLatin1String(".tribune-") + suffix;
}

bool writeNewFile(const QString &path, const QByteArray &bytes, const Ownership &ownership, QString *error)
{
    const QByteArray name = QFile::encodeName(path);
    const mode_t mode = ownership.known ? ownership.mode : mode_t(0644);
    Descriptor fd(::open(name.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
    if (fd.get() < 0) {
        setError(error, ConfigStoreText::tr("cannot create %1: %2")
                            .arg(path, systemError(errno)));
        return false;
    }
    // format is a QT_TRANSLATE_NOOP text with %1 for the path and %2 for the system's reason.
    const auto fail = [&](const char *format) -> bool {
        const int code = errno;
        ::close(fd.release());
        ::unlink(name.constData());
        setError(error, ConfigStoreText::tr(format).arg(path, systemError(code)));
        return false;
    };
    if (ownership.known) {
        // Keep the owner of the file this one replaces; only root may give files away, and an
        // agent running as the node's user already owns them, so EPERM is not an error.
        if (::fchown(fd.get(), ownership.uid, ownership.gid) != 0 && errno != EPERM)
            return fail(QT_TRANSLATE_NOOP("Tribune::NodeConfigStore", "cannot set the owner of %1: %2"));
        if (::fchmod(fd.get(), ownership.mode) != 0)
            return fail(QT_TRANSLATE_NOOP("Tribune::NodeConfigStore", "cannot set the permissions of %1: %2"));
    }
    if (!writeAll(fd.get(), bytes))
        return fail(QT_TRANSLATE_NOOP("Tribune::NodeConfigStore", "cannot write %1: %2"));
    if (::fsync(fd.get()) != 0)
        return fail(QT_TRANSLATE_NOOP("Tribune::NodeConfigStore", "cannot flush %1 to disk: %2"));
    if (::close(fd.release()) != 0) {
        const int code = errno;
        ::unlink(name.constData());
        setError(error, ConfigStoreText::tr("cannot close %1: %2")
                            .arg(path, systemError(code)));
        return false;
    }
    return true;
}

bool readFile(const QString &path, QByteArray *bytes, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        setError(error, ConfigStoreText::tr("cannot read %1: %2")
                            .arg(path, file.errorString()));
        return false;
    }
    *bytes = file.readAll();
    if (file.error() != QFileDevice::NoError) {
        setError(error, ConfigStoreText::tr("cannot read %1: %2")
                            .arg(path, file.errorString()));
        return false;
    }
    return true;
}

bool syncFolder(const QString &folder, QString *error)
{
    Descriptor fd(::open(QFile::encodeName(folder).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0 || ::fsync(fd.get()) != 0) {
        setError(error, ConfigStoreText::tr("cannot flush folder %1 to disk: %2")
                            .arg(folder, systemError(errno)));
        return false;
    }
    return true;
}

bool replace(const QString &from, const QString &to, QString *error)
{
    if (::rename(QFile::encodeName(from).constData(), QFile::encodeName(to).constData()) != 0) {
        setError(error, ConfigStoreText::tr("cannot rename %1 to %2: %3")
                            .arg(from, to, systemError(errno)));
        return false;
    }
    return true;
}

bool remove(const QString &path, QString *error)
{
    if (::unlink(QFile::encodeName(path).constData()) != 0 && errno != ENOENT) {
        setError(error, ConfigStoreText::tr("cannot remove %1: %2")
                            .arg(path, systemError(errno)));
        return false;
    }
    return true;
}

bool makeFolders(const QString &path, mode_t mode, QStringList *created, QString *error)
{
    const Kind kind = kindOf(path, error);
    if (kind == Kind::Folder)
        return true;
    if (kind == Kind::SymLink && QFileInfo(path).isDir())
        return true;
    if (kind != Kind::Missing) {
        if (kind != Kind::Unreadable)
            setError(error, ConfigStoreText::tr("%1 exists but is not a folder")
                                .arg(path));
        return false;
    }
    const QString parent = QFileInfo(path).path();
    if (parent != path && !makeFolders(parent, mode, created, error))
        return false;
    if (::mkdir(QFile::encodeName(path).constData(), mode) != 0 && errno != EEXIST) {
        setError(error, ConfigStoreText::tr("cannot create folder %1: %2")
                            .arg(path, systemError(errno)));
        return false;
    }
    if (created)
        created->append(path);
    return syncFolder(parent, error);
}

bool appendLine(const QString &path, const QByteArray &line, mode_t mode, QString *error)
{
    Descriptor fd(::open(QFile::encodeName(path).constData(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode));
    if (fd.get() < 0 || !writeAll(fd.get(), line + '\n') || ::fsync(fd.get()) != 0) {
        setError(error, ConfigStoreText::tr("cannot append to %1: %2")
                            .arg(path, systemError(errno)));
        return false;
    }
    return true;
}

bool canAppend(const QString &path, mode_t mode, QString *error)
{
    Descriptor fd(::open(QFile::encodeName(path).constData(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode));
    if (fd.get() < 0) {
        setError(error, ConfigStoreText::tr("cannot open %1 for appending: %2")
                            .arg(path, systemError(errno)));
        return false;
    }
    return true;
}

QString sha256(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

} // namespace Tribune::DurableFile
