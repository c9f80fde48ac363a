// The backups NodeConfigStore keeps: where they live, their numbers and their manifests.
#include "configcommit.h"

#include "durablefile.h"
#include "i18n/trcontexts.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace Tribune::ConfigStoreDetail {

namespace {

bool isNumber(const QString &name)
{
    return !name.isEmpty() && std::all_of(name.cbegin(), name.cend(), [](QChar c) { return c.isDigit(); });
}

} // namespace

QString backupsFolder(const QString &stateFolder)
{
    return stateFolder + QLatin1String("/backups");
}

QString auditLogPath(const QString &stateFolder)
{
    return stateFolder + QLatin1String("/audit.log");
}

QList<int> backupNumbers(const QString &stateFolder)
{
    QList<int> numbers;
    const QStringList names = QDir(backupsFolder(stateFolder)).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &name : names) {
        bool ok = false;
        const int number = name.toInt(&ok);
        if (isNumber(name) && ok && number > 0)
            numbers.append(number);
    }
    std::sort(numbers.begin(), numbers.end(), std::greater<>());
    return numbers;
}

QList<ConfigBackup> listBackups(const QString &stateFolder)
{
    QList<ConfigBackup> backups;
    for (const int number : backupNumbers(stateFolder)) {
        QMap<QString, QString> hashes;
        if (auto backup = readManifest(backupsFolder(stateFolder) + QLatin1Char('/') + QString::number(number),
                                       &hashes, nullptr))
            backups.append(*backup);
    }
    return backups;
}

std::optional<ConfigBackup> readManifest(const QString &backupFolder, QMap<QString, QString> *hashes, QString *error)
{
    const QString path = backupFolder + QLatin1Char('/') + ManifestName;
    QByteArray bytes;
    QString reason;
    if (!DurableFile::readFile(path, &bytes, &reason)) {
        if (error)
            *error = reason;
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonObject manifest = QJsonDocument::fromJson(bytes, &parseError).object();
    ConfigBackup backup;
    backup.number = manifest.value(QLatin1String("number")).toInt();
    backup.time = QDateTime::fromString(manifest.value(QLatin1String("time")).toString(), Qt::ISODateWithMs);
    backup.actor = manifest.value(QLatin1String("actor")).toString();
    backup.reason = manifest.value(QLatin1String("reason")).toString();
    const QJsonObject sums = manifest.value(QLatin1String("sha256")).toObject();
    const QJsonArray files = manifest.value(QLatin1String("files")).toArray();
    bool complete = parseError.error == QJsonParseError::NoError && backup.number > 0 && backup.time.isValid();
    for (const QJsonValue &file : files) {
        const QString relative = file.toString();
        const QJsonValue sum = sums.value(relative);
        complete = complete && !relative.isEmpty() && (sum.isNull() || sum.isString());
        backup.files.append(relative);
        hashes->insert(relative, sum.toString());
    }
    if (!complete || QFileInfo(backupFolder).fileName() != QString::number(backup.number)) {
        if (error)
            *error = ConfigStoreText::tr("%1 is damaged or incomplete; the backup cannot be used")
                         .arg(path);
        return std::nullopt;
    }
    backup.files.sort();
    return backup;
}

} // namespace Tribune::ConfigStoreDetail
