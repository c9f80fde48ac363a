#include "secretstore.h"

#include "urlpassword.h"
#include "i18n/trcontexts.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>
#include <QThread>
#include <QTimer>
#include <QUrl>

#include <qt6keychain/keychain.h>

#include <chrono>
#include <functional>
#include <future>
#include <memory>

namespace Tribune {

namespace {

const QString Service = QStringLiteral("Tribune");
constexpr int KeychainTimeoutMs = 5000;

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

// Runs a keychain job (a D-Bus call on Linux; quick, but asynchronous in QtKeychain) on a thread
// of its own, whose event loop serves the job; the caller waits for the answer, at most
// KeychainTimeoutMs, without running an event loop of its own (a nested loop would deliver the
// caller's other events, timers and sockets, in the middle of whatever asked for the secret).
// makeJob runs on that thread, so that the job belongs to it.
KeychainAnswer runJob(std::function<QKeychain::Job *()> makeJob)
{
    auto answered = std::make_shared<std::promise<KeychainAnswer>>();
    std::future<KeychainAnswer> answer = answered->get_future();
    QThread *thread = QThread::create([makeJob = std::move(makeJob), answered] {
        KeychainAnswer result;
        result.errorText = SecretStoreText::tr("the keychain did not answer within %1 s").arg(KeychainTimeoutMs / 1000);
        QEventLoop loop; // this thread's only loop
        std::unique_ptr<QKeychain::Job> job(makeJob());
        job->setAutoDelete(false);
        QObject::connect(job.get(), &QKeychain::Job::finished, &loop, [&](QKeychain::Job *done) {
            result.error = done->error();
            result.errorText = done->errorString();
            if (auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(done))
                result.text = read->textData();
            loop.quit();
        });
        QTimer::singleShot(KeychainTimeoutMs, &loop, &QEventLoop::quit);
        job->start();
        loop.exec();
        answered->set_value(result);
    });
    QObject::connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
    if (answer.wait_for(std::chrono::milliseconds(KeychainTimeoutMs + 1000)) != std::future_status::ready) {
        KeychainAnswer late;
        late.errorText = SecretStoreText::tr("the keychain did not answer within %1 s").arg(KeychainTimeoutMs / 1000);
        return late;
    }
    return answer.get();
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
        *error = SecretStoreText::tr("cannot create the folder of %1").arg(path);
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)
        || file.write(QJsonDocument(secrets).toJson()) < 0 || !file.commit()) {
        *error = SecretStoreText::tr("cannot write %1: %2").arg(path, file.errorString());
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
        return !keychainMissing(runJob([] {
                                     auto *probe = new QKeychain::ReadPasswordJob(Service);
                                     probe->setKey(QStringLiteral("probe"));
                                     return probe;
                                 }).error);
    }();
    return keychainAnswers ? SecretStoreText::tr("the platform keychain") : SecretStoreText::tr("%1 (readable by you only)").arg(secretsFilePath());
}

bool SecretStore::write(const QString &key, const QString &secret, QString *error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    if (keychainWanted()) {
        const KeychainAnswer answer = runJob([key, secret] {
            auto *job = new QKeychain::WritePasswordJob(Service);
            job->setKey(key);
            job->setTextData(secret);
            return job;
        });
        if (answer.error == QKeychain::NoError) {
            writeToFile(key, QString(), &ignored); // an older copy in the file goes
            return true;
        }
        if (!keychainMissing(answer.error)) {
            *error = SecretStoreText::tr("the keychain refused to keep the password: %1").arg(answer.errorText);
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
        const KeychainAnswer answer = runJob([key] {
            auto *job = new QKeychain::ReadPasswordJob(Service);
            job->setKey(key);
            return job;
        });
        if (answer.error == QKeychain::NoError)
            return answer.text;
        if (answer.error != QKeychain::EntryNotFound && !keychainMissing(answer.error)) {
            *error = SecretStoreText::tr("the keychain did not give the password: %1").arg(answer.errorText);
            return {};
        }
    }
    return readSecretsFile().value(key).toString();
}

void SecretStore::remove(const QString &key)
{
    if (keychainWanted()) {
        runJob([key] {
            auto *job = new QKeychain::DeletePasswordJob(Service);
            job->setKey(key);
            return job;
        });
    }
    if (readSecretsFile().contains(key)) {
        QString ignored;
        writeToFile(key, QString(), &ignored);
    }
}

QString SecretStore::stashUrlPassword(const QString &key, const QString &url, QString *error)
{
    const UrlPassword parts = UrlPassword::split(url);
    if (parts.password.isEmpty()) {
        remove(key);
        return url;
    }
    write(key, parts.password, error);
    return parts.url;
}

QString SecretStore::restoreUrlPassword(const QString &key, const QString &url)
{
    if (UrlPassword::join(url, QStringLiteral("x")) == url)
        return url; // no user name: nothing to put a password on
    return UrlPassword::join(url, read(key));
}

} // namespace Tribune
