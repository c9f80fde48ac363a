#include "hostmodel.h"

#include "config/configerror.h"

#include <QCoreApplication>
#include <QFile>
#include <QHostAddress>
#include <QRegularExpression>

namespace Tribune {

using Config::ConfigError;

namespace {

// The translation context of the host model's messages, as lupdate sees it.
struct HostFiles
{
    Q_DECLARE_TR_FUNCTIONS(Tribune::HostModel)
};


// An address written the one way it compares: IPv6 compressed, "::1" as 127.0.0.1 (loopback is
// "this server" in either family).
QString canonicalAddress(const QString &text)
{
    const QHostAddress address(text.trimmed());
    if (address.isNull())
        return {};
    if (address == QHostAddress(QHostAddress::LocalHostIPv6))
        return QStringLiteral("127.0.0.1");
    return address.toString();
}

bool isValidName(QStringView name)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$"));
    return name.size() <= HostModel::MaxNameLength && pattern.match(name.toString()).hasMatch();
}

// Reads a whole small file, refusing one past the limit before reading it.
std::optional<QByteArray> readSmallFile(const QString &path, ConfigError *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = {path, 0, 0, HostFiles::tr("cannot read the file: %1").arg(file.errorString())};
        return std::nullopt;
    }
    if (file.size() > HostModel::MaxFileBytes) {
        *error = {path, 0, 0, HostFiles::tr("the file is %1 bytes, more than the %2 a hosts or servers file may have")
                                  .arg(file.size())
                                  .arg(HostModel::MaxFileBytes)};
        return std::nullopt;
    }
    return file.readAll();
}

// One line without its comment, split into words, each with its 1-based column.
struct Word
{
    QString text;
    int column = 0;
};

QList<Word> wordsOf(QStringView line)
{
    QList<Word> words;
    qsizetype i = 0;
    while (i < line.size()) {
        if (line[i] == u'#')
            break;
        if (line[i].isSpace()) {
            ++i;
            continue;
        }
        const qsizetype start = i;
        while (i < line.size() && !line[i].isSpace() && line[i] != u'#')
            ++i;
        words.append({line.mid(start, i - start).toString(), int(start + 1)});
    }
    return words;
}

// Calls onLine(lineNumber, words) for every line with words; stops at the first false.
template<typename OnLine>
bool forEachLine(const QByteArray &bytes, OnLine onLine)
{
    const QString text = QString::fromUtf8(bytes);
    int lineNumber = 0;
    for (QStringView line : QStringTokenizer(text, u'\n')) {
        ++lineNumber;
        const QList<Word> words = wordsOf(line);
        if (!words.isEmpty() && !onLine(lineNumber, words))
            return false;
    }
    return true;
}

} // namespace

bool HostModel::isAddress(const QString &name)
{
    return !QHostAddress(name.trimmed()).isNull();
}

bool HostModel::isLoopback(const QString &address)
{
    const QHostAddress parsed(address.trimmed());
    return !parsed.isNull() && parsed.isLoopback();
}

std::optional<HostModel> HostModel::loadHostsFile(const QString &path, ConfigError *error)
{
    const std::optional<QByteArray> bytes = readSmallFile(path, error);
    return bytes ? parseHostsFile(*bytes, path, error) : std::nullopt;
}

std::optional<HostModel> HostModel::parseHostsFile(const QByteArray &bytes, const QString &fileName,
                                                   ConfigError *error)
{
    if (bytes.size() > MaxFileBytes) {
        *error = {fileName, 0, 0, HostFiles::tr("the file is larger than %1 bytes").arg(MaxFileBytes)};
        return std::nullopt;
    }
    HostModel model;
    model.m_source = Source::HostsFile;
    model.m_hostsFile = fileName;
    const bool ok = forEachLine(bytes, [&](int line, const QList<Word> &words) {
        const QString address = canonicalAddress(words.first().text);
        if (address.isEmpty()) {
            *error = {fileName, line, words.first().column,
                      HostFiles::tr("\"%1\" is not an IPv4 or IPv6 address; a hosts line is ADDRESS NAME...")
                          .arg(words.first().text)};
            return false;
        }
        if (words.size() < 2) {
            *error = {fileName, line, words.first().column + int(words.first().text.size()),
                      HostFiles::tr("the address %1 names no host; write the names after it").arg(words.first().text)};
            return false;
        }
        if (words.size() - 1 > MaxNamesPerLine) {
            *error = {fileName, line, words.at(MaxNamesPerLine + 1).column,
                      HostFiles::tr("more than %1 names on one line").arg(MaxNamesPerLine)};
            return false;
        }
        for (qsizetype i = 1; i < words.size(); ++i) {
            if (!isValidName(words.at(i).text)) {
                *error = {fileName, line, words.at(i).column,
                          HostFiles::tr("\"%1\" is not a host name (letters, digits, '-', '_' and '.', at most %2 "
                             "characters)")
                              .arg(words.at(i).text)
                              .arg(MaxNameLength)};
                return false;
            }
            // As in /etc/hosts, the first line naming a host wins.
            const QString name = words.at(i).text.toLower();
            if (!model.m_names.contains(name))
                model.m_names.insert(name, {address, line});
        }
        return true;
    });
    if (!ok)
        return std::nullopt;
    return model;
}

HostModel HostModel::fromResolver(const QHash<QString, QString> &addresses)
{
    HostModel model;
    model.m_source = Source::Resolver;
    for (auto it = addresses.cbegin(); it != addresses.cend(); ++it) {
        const QString address = canonicalAddress(it.value());
        if (!address.isEmpty())
            model.m_names.insert(it.key().trimmed().toLower(), {address, 0});
    }
    return model;
}

QString HostModel::serverOf(const QString &name) const
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return {};
    if (const QString address = canonicalAddress(trimmed); !address.isEmpty())
        return address;
    const QString lower = trimmed.toLower();
    if (const auto it = m_names.constFind(lower); it != m_names.cend())
        return it->address;
    if (lower == u"localhost" || lower == u"localhost.localdomain")
        return QStringLiteral("127.0.0.1");
    return m_source == Source::Literal ? lower : QString();
}

int HostModel::lineOf(const QString &name) const
{
    return m_names.value(name.trimmed().toLower()).line;
}

std::optional<ServersFile> ServersFile::load(const QString &path, ConfigError *error)
{
    const std::optional<QByteArray> bytes = readSmallFile(path, error);
    return bytes ? parse(*bytes, path, error) : std::nullopt;
}

std::optional<ServersFile> ServersFile::parse(const QByteArray &bytes, const QString &fileName, ConfigError *error)
{
    if (bytes.size() > HostModel::MaxFileBytes) {
        *error = {fileName, 0, 0, HostFiles::tr("the file is larger than %1 bytes").arg(HostModel::MaxFileBytes)};
        return std::nullopt;
    }
    ServersFile servers;
    servers.m_path = fileName;
    QHash<QString, int> seen; // folder -> line
    const bool ok = forEachLine(bytes, [&](int line, const QList<Word> &words) {
        const Word &server = words.first();
        if (!HostModel::isAddress(server.text) && !isValidName(server.text)) {
            *error = {fileName, line, server.column,
                      HostFiles::tr("\"%1\" is neither an address nor a host name; a servers line is ADDRESS FOLDER...")
                          .arg(server.text)};
            return false;
        }
        if (words.size() < 2) {
            *error = {fileName, line, server.column,
                      HostFiles::tr("server %1 names no node folder; write the folders on it after the address")
                          .arg(server.text)};
            return false;
        }
        if (words.size() - 1 > HostModel::MaxNamesPerLine) {
            *error = {fileName, line, words.at(HostModel::MaxNamesPerLine + 1).column,
                      HostFiles::tr("more than %1 folders on one line").arg(HostModel::MaxNamesPerLine)};
            return false;
        }
        for (qsizetype i = 1; i < words.size(); ++i) {
            const QString folder = words.at(i).text;
            if (folder.contains(u'/') || folder == u"." || folder == u"..") {
                *error = {fileName, line, words.at(i).column,
                          HostFiles::tr("\"%1\" is not a folder name: name the node's folder in the cluster folder, "
                                        "without a path")
                              .arg(folder)};
                return false;
            }
            if (const int earlier = seen.value(folder)) {
                *error = {fileName, line, words.at(i).column,
                          HostFiles::tr("folder %1 is already placed on line %2; a node is on one server").arg(folder).arg(earlier)};
                return false;
            }
            seen.insert(folder, line);
            servers.m_folders.append({folder, ServerPlacement{server.text, line}});
        }
        return true;
    });
    if (!ok)
        return std::nullopt;
    return servers;
}

const ServerPlacement *ServersFile::placementOf(const QString &folderName) const
{
    for (const auto &[folder, placement] : m_folders) {
        if (folder == folderName)
            return &placement;
    }
    return nullptr;
}

} // namespace Tribune
