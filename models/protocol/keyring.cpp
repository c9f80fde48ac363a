#include "keyring.h"
#include "i18n/trcontexts.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileDevice>
#include <QRandomGenerator>
#include <QSaveFile>

namespace Tribune::Protocol {

namespace {

constexpr Role AllRoles[] = {Role::Member, Role::Console, Role::Viewer};

} // namespace

QString roleName(Role role)
{
    switch (role) {
    case Role::Member: return QStringLiteral("member");
    case Role::Console: return QStringLiteral("console");
    case Role::Viewer: return QStringLiteral("viewer");
    }
    return {};
}

std::optional<Role> roleFromName(QStringView name)
{
    for (const Role role : AllRoles) {
        if (roleName(role) == name)
            return role;
    }
    return std::nullopt;
}

std::optional<KeyRing> KeyRing::load(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = KeyRingText::tr("Cannot read the key file %1 (%2): check the path, and that you may read the file.")
                     .arg(path, file.errorString());
        return std::nullopt;
    }
    // Refused as ssh does.
    if (!isPrivate(file.permissions())) {
        *error = KeyRingText::tr("The key file %1 can be read by other users, so its keys are no secret: run \"chmod 600 %1\" "
                                 "and try again.")
                     .arg(path);
        return std::nullopt;
    }
    KeyRing ring;
    int lineNumber = 0;
    while (!file.atEnd()) {
        ++lineNumber;
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        const qsizetype equals = line.indexOf(u'=');
        const std::optional<Role> role = equals > 0 ? roleFromName(line.left(equals).trimmed()) : std::nullopt;
        const QByteArray key = QByteArray::fromBase64(line.mid(equals + 1).trimmed().toLatin1());
        if (!role || key.size() < 16) {
            *error = KeyRingText::tr("%1:%2: expected \"member|console|viewer = <base64 key of at least 16 bytes>\"")
                         .arg(path)
                         .arg(lineNumber);
            return std::nullopt;
        }
        ring.m_keys.insert(*role, key);
    }
    if (ring.m_keys.isEmpty()) {
        *error = KeyRingText::tr("%1: the key file holds no key").arg(path);
        return std::nullopt;
    }
    return ring;
}

bool KeyRing::isPrivate(QFileDevice::Permissions permissions)
{
    const QFileDevice::Permissions loose = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup
        | QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;
    return !(permissions & loose);
}

KeyRing KeyRing::generate()
{
    KeyRing ring;
    for (const Role role : AllRoles) {
        QByteArray key(KeyBytes, Qt::Uninitialized);
        QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(key.data()), KeyBytes / 4);
        ring.m_keys.insert(role, key);
    }
    return ring;
}

bool KeyRing::save(const QString &path, QString *error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = KeyRingText::tr("%1: cannot write the key file: %2").arg(path, file.errorString());
        return false;
    }
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QByteArray text("# Tribune cluster keys: keep this file secret (mode 0600)\n");
    for (auto it = m_keys.cbegin(); it != m_keys.cend(); ++it)
        text += roleName(it.key()).toLatin1() + " = " + it.value().toBase64() + '\n';
    if (file.write(text) != text.size() || !file.commit()) {
        *error = KeyRingText::tr("%1: cannot write the key file: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

std::optional<Role> KeyRing::strongestClientRole() const
{
    for (const Role role : {Role::Console, Role::Viewer, Role::Member}) {
        if (has(role))
            return role;
    }
    return std::nullopt;
}

bool equalConstantTime(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

} // namespace Tribune::Protocol
