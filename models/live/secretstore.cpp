#include "secretstore.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTimer>
#include <QUrl>

#include <qt6keychain/keychain.h>

namespace Tribune {

namespace {

const QString Service = QStringLiteral("Tribune");
constexpr int KeychainTimeoutMs = 5000;

QString tr(const char *text)
{
    return QCoreApplication::translate("Tribune::SecretStore", text);
}

// Tests never touch the user's real keychain: in Qt's test mode secrets go to the file, which
// test mode moves to a folder of its own.
bool keychainWanted()
{
    return !QStandardPaths::isTestModeEnabled();
}

struct KeychainAnswer
{
    QKeychain::Error error = QKeychain::OtherError;
    QString errorText;
    QString text; // what a read found
};

// Runs a keychain job to its end (a D-Bus call on Linux; quick, but asynchronous in QtKeychain).
// The job deletes itself when it finishes, also after a timeout here: it may still be waiting
// on the keychain then, and must outlive this call.
KeychainAnswer runJob(QKeychain::Job *job)
{
    KeychainAnswer answer;
    answer.errorText = QCoreApplication::translate("Tribune::SecretStore", "the keychain did not answer within %1 s")
                           .arg(KeychainTimeoutMs / 1000);
    job->setAutoDelete(true);
    QEventLoop loop;
    bool finished = false;
    QObject::connect(job, &QKeychain::Job::finished, &loop, [&](QKeychain::Job *done) {
        finished = true;
        answer.error = done->error();
        answer.errorText = done->errorString();
        if (auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(done))
            answer.text = read->textData();
        loop.quit();
    });
    QTimer::singleShot(KeychainTimeoutMs, &loop, &QEventLoop::quit);
    job->start();
    if (!finished)
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    return answer;
}

// The keychain can be used, as opposed to: there is none here (no Secret Service, no KWallet).
bool keychainMissing(QKeychain::Error error)
{
    return error == QKeychain::NoBackendAvailable || error == QKeychain::NotImplemented || error == QKeychain::OtherError;
}

QString secretsFilePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + QLatin1String("/secrets.json");
}

QJsonObject readSecretsFile()
{
    QFile file(secretsFilePath());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

// Written whole and owner-only before it takes the old file's place, so no other user ever
// reads it and a crash never leaves half of it.
bool writeSecretsFile(const QJsonObject &secrets, QString *error)
{
    const QString path = secretsFilePath();
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        *error = tr("cannot create the folder of %1").arg(path);
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)
        || file.write(QJsonDocument(secrets).toJson()) < 0 || !file.commit()) {
        *error = tr("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

bool writeToFile(const QString &key, const QString &secret, QString *error)
{
    QJsonObject secrets = readSecretsFile();
    if (secret.isNull())
        secrets.remove(key);
    else
        secrets.insert(key, secret);
    return writeSecretsFile(secrets, error);
}

} // namespace

QString SecretStore::whereKept()
{
    // Asked once: a desktop's keychain does not come and go while the console runs, and a
    // keychain that does not answer costs seconds each time.
    static const bool keychainAnswers = [] {
        if (!keychainWanted())
            return false;
        auto *probe = new QKeychain::ReadPasswordJob(Service);
        probe->setKey(QStringLiteral("probe"));
        return !keychainMissing(runJob(probe).error);
    }();
    return keychainAnswers ? tr("the platform keychain") : tr("%1 (readable by you only)").arg(secretsFilePath());
}

bool SecretStore::write(const QString &key, const QString &secret, QString *error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    if (keychainWanted()) {
        auto *job = new QKeychain::WritePasswordJob(Service);
        job->setKey(key);
        job->setTextData(secret);
        const KeychainAnswer answer = runJob(job);
        if (answer.error == QKeychain::NoError) {
            writeToFile(key, QString(), &ignored); // an older copy in the file goes
            return true;
        }
        if (!keychainMissing(answer.error)) {
            *error = tr("the keychain refused to keep the password: %1").arg(answer.errorText);
            return false;
        }
    }
    return writeToFile(key, secret, error);
}

QString SecretStore::read(const QString &key, QString *error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    error->clear();
    if (keychainWanted()) {
        auto *job = new QKeychain::ReadPasswordJob(Service);
        job->setKey(key);
        const KeychainAnswer answer = runJob(job);
        if (answer.error == QKeychain::NoError)
            return answer.text;
        if (answer.error != QKeychain::EntryNotFound && !keychainMissing(answer.error)) {
            *error = tr("the keychain did not give the password: %1").arg(answer.errorText);
            return {};
        }
    }
    return readSecretsFile().value(key).toString();
}

void SecretStore::remove(const QString &key)
{
    if (keychainWanted()) {
        auto *job = new QKeychain::DeletePasswordJob(Service);
        job->setKey(key);
        runJob(job);
    }
    if (readSecretsFile().contains(key)) {
        QString ignored;
        writeToFile(key, QString(), &ignored);
    }
}

QString SecretStore::stashUrlPassword(const QString &key, const QString &url, QString *error)
{
    QUrl parsed(url, QUrl::StrictMode);
    if (!parsed.isValid() || parsed.password().isEmpty()) {
        remove(key);
        return url;
    }
    const QString password = parsed.password(QUrl::FullyDecoded);
    parsed.setPassword(QString());
    write(key, password, error);
    return parsed.toString();
}

QString SecretStore::restoreUrlPassword(const QString &key, const QString &url)
{
    QUrl parsed(url, QUrl::StrictMode);
    if (!parsed.isValid() || parsed.userName().isEmpty())
        return url;
    const QString password = read(key);
    if (password.isEmpty())
        return url;
    parsed.setPassword(password, QUrl::DecodedMode);
    return parsed.toString();
}

} // namespace Tribune
