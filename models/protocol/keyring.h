#pragma once

#include <QByteArray>
#include <QFileDevice>
#include <QMap>
#include <QString>

#include <optional>

namespace Tribune::Protocol {

// What a connection may do once it has proved its key.
enum class Role { Member, Console, Viewer };

QString roleName(Role role); // "member", "console", "viewer"
std::optional<Role> roleFromName(QStringView name);

// The cluster's keys, one per role, from a file only its owner can read (mode 0600):
//   member = <base64>
//   console = <base64>
//   viewer = <base64>
// An agent holds all three; a console holds the console or the viewer key.
class KeyRing
{
public:
    static constexpr int KeyBytes = 32;

    // Refuses a file others may read (isPrivate).
    static std::optional<KeyRing> load(const QString &path, QString *error);
    // A key file only its owner may read or write, as load() wants it: a key others can read is
    // no secret.
    static bool isPrivate(QFileDevice::Permissions permissions);
    // Fresh random keys for every role.
    static KeyRing generate();
    // Writes the file with mode 0600, all or nothing.
    bool save(const QString &path, QString *error) const;

    bool has(Role role) const { return m_keys.contains(role); }
    QByteArray key(Role role) const { return m_keys.value(role); }
    void setKey(Role role, const QByteArray &key) { m_keys.insert(role, key); }
    void remove(Role role) { m_keys.remove(role); }
    // The role a client uses by default: console over viewer over member.
    std::optional<Role> strongestClientRole() const;

private:
    QMap<Role, QByteArray> m_keys;
};

// Compares proofs in a time independent of where they differ.
bool equalConstantTime(const QByteArray &a, const QByteArray &b);

} // namespace Tribune::Protocol
