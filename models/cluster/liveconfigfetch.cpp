#include "liveconfigfetch.h"

#include "nodeconfig.h"
#include "protocol/messages.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QSaveFile>

namespace Tribune {

using Protocol::AgentClient;
using Protocol::MemberInfo;

namespace {

struct FetchText
{
    Q_DECLARE_TR_FUNCTIONS(Tribune::LiveConfigFetch)
};

} // namespace

bool LiveConfigFetch::isSafeRelativePath(const QString &path)
{
    if (path.isEmpty() || path.size() > 1024 || path.startsWith(u'/') || path.contains(u'\\'))
        return false;
    for (const QString &part : path.split(u'/')) {
        if (part.isEmpty() || part == u"." || part == u"..")
            return false;
        for (const QChar c : part) {
            if (c.unicode() < 0x20)
                return false;
        }
    }
    return true;
}

LiveConfigFetch::LiveConfigFetch(Settings settings, QString folder, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_folder(std::move(folder))
{
}

LiveConfigFetch::~LiveConfigFetch() = default;

void LiveConfigFetch::start()
{
    m_seed = new AgentClient(m_settings.seed, m_settings.keys, m_settings.role, m_settings.tls, this);
    connect(m_seed, &AgentClient::refused, this, [this](const QString &reason) {
        m_problems.append(FetchText::tr("%1: refused: %2").arg(m_settings.seed.toString(), reason));
        finish(false);
    });
    connect(m_seed, &AgentClient::disconnected, this, [this](const QString &reason) {
        if (m_waiting == 0 && m_folders.isEmpty()) {
            m_problems.append(FetchText::tr("%1: %2").arg(m_settings.seed.toString(), reason));
            finish(false);
        }
    });
    connect(m_seed, &AgentClient::connected, this, [this] {
        m_seed->request(Protocol::newMessage(Protocol::Message::Members), [this](const QJsonObject &reply) {
            if (Protocol::messageOf(reply) != Protocol::Message::Snapshot) {
                m_problems.append(FetchText::tr("%1: %2").arg(m_settings.seed.toString(),
                                                              reply.value(QLatin1String("message")).toString()));
                finish(false);
                return;
            }
            QList<MemberInfo> members;
            for (const QJsonValue &entry : reply.value(QLatin1String("members")).toArray()) {
                const QJsonObject item = entry.toObject();
                const std::optional<MemberInfo> info = MemberInfo::fromJson(item.value(QLatin1String("member")).toObject());
                const QString state = item.value(QLatin1String("state")).toString();
                if (!info)
                    continue;
                if (!isSafeRelativePath(info->id) || info->id.contains(u'/')) {
                    m_problems.append(FetchText::tr("a member calls itself \"%1\", which cannot name a folder; not read")
                                          .arg(info->id.left(80)));
                    continue;
                }
                if (state == u"failed" || state == u"left") {
                    m_problems.append(FetchText::tr("%1: not read, the member is %2").arg(info->id, state));
                    continue;
                }
                members.append(*info);
            }
            if (members.size() > MaxMembers) {
                m_problems.append(FetchText::tr("the view holds %1 members, more than the %2 read at once")
                                      .arg(members.size())
                                      .arg(MaxMembers));
                finish(false);
                return;
            }
            // Each member's folder is its node's name where that tells it apart, else its id.
            QHash<QString, int> nameCount;
            for (const MemberInfo &member : std::as_const(members))
                ++nameCount[member.name];
            for (const MemberInfo &member : std::as_const(members)) {
                const bool usable = !member.name.isEmpty() && nameCount.value(member.name) == 1
                    && isSafeRelativePath(member.name) && !member.name.contains(u'/');
                m_folderNames.insert(member.id, usable ? member.name : member.id);
            }
            m_waiting = int(members.size());
            if (members.isEmpty())
                finish(true);
            for (const MemberInfo &member : std::as_const(members))
                fetchFrom(member);
        });
    });
    m_seed->open();
}

void LiveConfigFetch::fetchFrom(const MemberInfo &member)
{
    auto *client = new AgentClient({member.host, quint16(member.port)}, m_settings.keys, m_settings.role,
                                   m_settings.tls, this);
    auto done = std::make_shared<bool>(false);
    const auto fail = [this, member, done](const QString &reason) {
        if (*done)
            return;
        *done = true;
        m_problems.append(FetchText::tr("%1: not read: %2").arg(member.id, reason));
        memberDone();
    };
    connect(client, &AgentClient::refused, this, fail);
    connect(client, &AgentClient::disconnected, this, fail);
    connect(client, &AgentClient::connected, this, [this, client, member, done, fail] {
        client->request(Protocol::newMessage(Protocol::Message::ConfigGet), [this, member, done, fail](const QJsonObject &reply) {
            if (Protocol::messageOf(reply) != Protocol::Message::Config) {
                fail(reply.value(QLatin1String("message")).toString());
                return;
            }
            if (*done)
                return;
            *done = true;
            store(member, reply);
            memberDone();
        });
    });
    client->open();
}

void LiveConfigFetch::store(const MemberInfo &member, const QJsonObject &reply)
{
    const QString folderName = m_folderNames.value(member.id, member.id);
    const QString conf = QDir(m_folder).filePath(folderName + QLatin1String("/repository/conf"));
    const QJsonObject files = reply.value(QLatin1String("files")).toObject();
    for (auto it = files.constBegin(); it != files.constEnd(); ++it) {
        if (!isSafeRelativePath(it.key())) {
            m_problems.append(FetchText::tr("%1: refused file name \"%2\"").arg(member.id, it.key().left(80)));
            continue;
        }
        const QByteArray bytes = QByteArray::fromBase64(it.value().toString().toLatin1());
        m_bytes += bytes.size();
        if (m_bytes > MaxTotalBytes) {
            m_problems.append(FetchText::tr("%1: more than %2 bytes of files in all; the rest is not read")
                                  .arg(member.id)
                                  .arg(MaxTotalBytes));
            return;
        }
        const QString path = conf + QLatin1Char('/') + it.key();
        QDir().mkpath(QFileInfo(path).path());
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
            m_problems.append(FetchText::tr("%1: cannot write: %2").arg(path, file.errorString()));
            return;
        }
    }
    m_folders.insert(member.id, QDir(m_folder).filePath(folderName));
    m_servers.insert(folderName, member.host);
}

void LiveConfigFetch::memberDone()
{
    if (--m_waiting == 0)
        finish(true);
}

void LiveConfigFetch::finish(bool ok)
{
    if (m_finished)
        return;
    m_finished = true;
    // Where each member is, as it announces itself: the servers file the validator reads.
    QMap<QString, QStringList> byServer;
    for (auto it = m_servers.cbegin(); it != m_servers.cend(); ++it) // folder -> announced host
        byServer[it.value()].append(it.key());
    QByteArray servers;
    for (auto it = byServer.cbegin(); it != byServer.cend(); ++it)
        servers += (it.key() + QLatin1Char(' ') + it.value().join(u' ') + QLatin1Char('\n')).toUtf8();
    QSaveFile file(QDir(m_folder).filePath(QStringLiteral("servers")));
    if (!servers.isEmpty() && (!file.open(QIODevice::WriteOnly) || file.write(servers) != servers.size() || !file.commit()))
        m_problems.append(FetchText::tr("%1: cannot write: %2").arg(file.fileName(), file.errorString()));
    emit finished(ok && !m_folders.isEmpty(), m_problems);
}

} // namespace Tribune
