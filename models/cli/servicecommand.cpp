#include "servicecommand.h"

#include "commandline.h"

#include "i18n/trcontexts.h"
#include "protocol/keyring.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QSaveFile>
#include <QTextStream>

#include <algorithm>

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>

namespace Tribune::Cli {

namespace {

const char UnitTemplate[] = "tribune-agent@%1.service";

QString userName(uid_t uid)
{
    const passwd *entry = ::getpwuid(uid);
    return entry ? QString::fromLocal8Bit(entry->pw_name) : QString::number(uid);
}

QString groupName(gid_t gid)
{
    const group *entry = ::getgrgid(gid);
    return entry ? QString::fromLocal8Bit(entry->gr_name) : QString::number(gid);
}

// One word of the drop-in's command line, as systemd reads it back: quoted (spaces), with its
// backslashes and quotes escaped, and '%' (a specifier) and '$' (a variable) doubled.
QString quoted(const QString &word)
{
    QString escaped = word;
    escaped.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
        .replace(QLatin1Char('"'), QLatin1String("\\\""))
        .replace(QLatin1Char('%'), QLatin1String("%%"))
        .replace(QLatin1Char('$'), QLatin1String("$$"));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

// A line break would end the directive it stands in and start another.
bool hasControlCharacters(const QString &text)
{
    return std::any_of(text.cbegin(), text.cend(), [](QChar c) { return c.category() == QChar::Other_Control; });
}

struct DropIn
{
    QString carbonHome; // as the node sees it
    QString keyFile;
    QString user;
    QString group;
    bool loadBalancer = false;
};

QString dropInText(const DropIn &dropIn)
{
    QStringList command{QStringLiteral("/usr/bin/tribune-agent"), QStringLiteral("--carbon-home"),
                        quoted(dropIn.carbonHome), QStringLiteral("--key-file"), quoted(dropIn.keyFile)};
    if (dropIn.loadBalancer)
        command << QStringLiteral("--role lb --runtime-dir /run/tribune-lb");
    QString text = QStringLiteral("# Written by tribunectl service install for %1.\n"
                                  "[Service]\n"
                                  "User=%2\n"
                                  "Group=%3\n"
                                  "ExecStart=\n"
                                  "ExecStart=%4\n")
                       .arg(dropIn.carbonHome, dropIn.user, dropIn.group, command.join(QLatin1Char(' ')));
    if (dropIn.loadBalancer) {
        // HAProxy binds 80 and 443 as the node's user, and outlives a restart of its agent.
        text += QStringLiteral("AmbientCapabilities=CAP_NET_BIND_SERVICE\n"
                               "CapabilityBoundingSet=CAP_NET_BIND_SERVICE\n"
                               "KillMode=process\n"
                               "RuntimeDirectory=tribune-lb\n"
                               "RuntimeDirectoryPreserve=yes\n");
    }
    return text;
}

} // namespace

QString systemdEscapePath(const QString &path)
{
    QString trimmed = QDir::cleanPath(path);
    while (trimmed.startsWith(QLatin1Char('/')))
        trimmed.remove(0, 1);
    if (trimmed.isEmpty())
        return QStringLiteral("-");
    QString escaped;
    const QByteArray bytes = trimmed.toUtf8();
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const char c = bytes.at(i);
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':'
            || c == '_' || (c == '.' && i > 0);
        if (c == '/')
            escaped += QLatin1Char('-');
        else if (plain)
            escaped += QLatin1Char(c);
        else
            escaped += QStringLiteral("\\x%1").arg(uint(uchar(c)), 2, 16, QLatin1Char('0'));
    }
    return escaped;
}

int runService(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(CliText::tr(
        "install: writes the drop-in that runs a node's agent under systemd, as tribune-agent@INSTANCE.service, "
        "as the user that owns CARBON_HOME."));
    parser.addPositionalArgument(QStringLiteral("action"), CliText::tr("install"));
    parser.addPositionalArgument(QStringLiteral("CARBON_HOME"), CliText::tr("The node's folder."));
    const QCommandLineOption keyFile(QStringLiteral("key-file"), CliText::tr("The cluster key file the agent reads (default: /etc/tribune/cluster.keys)."),
                                     QStringLiteral("FILE"), QStringLiteral("/etc/tribune/cluster.keys"));
    const QCommandLineOption loadBalancer(QStringLiteral("lb"), CliText::tr("The node is the load balancer: the agent drives HAProxy, which may bind ports 80 and 443 and outlives a restart of the agent."));
    const QCommandLineOption root(QStringLiteral("root"), CliText::tr("Write into the system installed under DIR, not /."),
                                  QStringLiteral("DIR"), QStringLiteral("/"));
    parser.addOptions({keyFile, loadBalancer, root});
    int exitCode = Ok;
    if (!parseCommandLine(parser, QStringLiteral("service"), arguments, out, err, &exitCode))
        return exitCode;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2 || positional.first() != u"install") {
        err << CliText::tr("tribunectl service: usage: tribunectl service install CARBON_HOME [--key-file FILE] [--lb] [--root DIR]") << Qt::endl;
        return Usage;
    }
    const QString rootDir = QDir::cleanPath(parser.value(root));
    // Where a path of the node's system lies here.
    const auto inRoot = [&rootDir](const QString &path) { return QDir::cleanPath(rootDir + QLatin1Char('/') + path); };
    if (!QDir::isAbsolutePath(positional.at(1))) {
        err << CliText::tr("tribunectl service: %1 is not an absolute path; the unit names the node's folder as the system sees it.").arg(positional.at(1)) << Qt::endl;
        return Usage;
    }
    const QString keyFilePath = parser.value(keyFile);
    if (!QDir::isAbsolutePath(keyFilePath)) {
        err << CliText::tr("tribunectl service: %1 is not an absolute path; the agent starts in /, so give the key file's full path.").arg(keyFilePath) << Qt::endl;
        return Usage;
    }
    if (hasControlCharacters(positional.at(1)) || hasControlCharacters(keyFilePath)) {
        err << CliText::tr("tribunectl service: a path with a line break or another control character cannot stand in a unit file; rename the folder.") << Qt::endl;
        return Usage;
    }
    const QString carbonHome = QDir::cleanPath(positional.at(1));
    const QString onDisk = inRoot(carbonHome);
    struct stat facts = {};
    if (::stat(QFile::encodeName(onDisk).constData(), &facts) != 0 || !S_ISDIR(facts.st_mode)) {
        err << CliText::tr("tribunectl service: %1 is not a folder; give the node's CARBON_HOME.").arg(onDisk) << Qt::endl;
        return Failed;
    }
    if (!QFileInfo(onDisk + QStringLiteral("/repository/conf")).isDir()) {
        err << CliText::tr("tribunectl service: %1 has no repository/conf; give the node's CARBON_HOME.").arg(onDisk) << Qt::endl;
        return Failed;
    }
    if (facts.st_uid == 0) {
        err << CliText::tr("tribunectl service: %1 belongs to root; the agent runs as the node's own user. "
                           "Give the node's folder to that user (chown -R USER: %1) and try again.").arg(onDisk) << Qt::endl;
        return Failed;
    }
    const DropIn dropIn{carbonHome, keyFilePath, userName(facts.st_uid), groupName(facts.st_gid),
                        parser.isSet(loadBalancer)};
    // The agent reads the key file as the node's user, and refuses one others could read.
    const QString keyOnDisk = inRoot(keyFilePath);
    struct stat keyFacts = {};
    const bool keyExists = ::stat(QFile::encodeName(keyOnDisk).constData(), &keyFacts) == 0;
    if (keyExists && (keyFacts.st_uid != facts.st_uid || !Protocol::KeyRing::isPrivate(QFileInfo(keyOnDisk).permissions()))) {
        err << CliText::tr("tribunectl service: the agent runs as %1 and reads %2 only if %1 owns it and nobody else may read it. "
                           "Run: chown %1: %2 && chmod 600 %2")
                   .arg(dropIn.user, keyOnDisk) << Qt::endl;
        return Failed;
    }
    const QString unit = QString::fromLatin1(UnitTemplate).arg(systemdEscapePath(carbonHome));
    const QString folder = inRoot(QStringLiteral("/etc/systemd/system/") + unit + QStringLiteral(".d"));
    if (!QDir().mkpath(folder)) {
        err << CliText::tr("tribunectl service: cannot create %1; run as root.").arg(folder) << Qt::endl;
        return Failed;
    }
    QSaveFile file(folder + QStringLiteral("/node.conf"));
    if (!file.open(QIODevice::WriteOnly) || file.write(dropInText(dropIn).toUtf8()) < 0 || !file.commit()) {
        err << CliText::tr("tribunectl service: cannot write %1: %2").arg(file.fileName(), file.errorString()) << Qt::endl;
        return Failed;
    }
    out << CliText::tr("Wrote %1: the agent of %2 runs as %3.").arg(file.fileName(), carbonHome, dropIn.user) << Qt::endl;
    if (!keyExists)
        out << CliText::tr("The key file %1 does not exist yet: copy the cluster's key file there, readable by %2 only.")
                   .arg(dropIn.keyFile, dropIn.user) << Qt::endl;
    out << CliText::tr("Start it with: systemctl daemon-reload && systemctl enable --now '%1'").arg(unit) << Qt::endl;
    return Ok;
}

} // namespace Tribune::Cli
