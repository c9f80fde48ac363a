#pragma once

// Helpers shared by the test suites: temporary copies of the sample cluster and the upstream files.

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QString>

namespace TestSupport {

inline QString sampleCluster()
{
    return QStringLiteral(TRIBUNE_SAMPLE_CLUSTER);
}

inline QString testData(const QString &relative)
{
    return QStringLiteral(TRIBUNE_TEST_DATA "/") + relative;
}

// Copies a folder tree byte for byte; returns false on the first failure.
inline bool copyTree(const QString &from, const QString &to)
{
    QDirIterator it(from, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString source = it.next();
        const QString target = to + QLatin1Char('/') + QDir(from).relativeFilePath(source);
        if (!QDir().mkpath(QFileInfo(target).path()) || !QFile::copy(source, target))
            return false;
    }
    return true;
}

inline QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Replaces the first occurrence of from in a file with to. Returns false if from is not there or
// the file cannot be written, so a test notices a fixture that changed under it.
inline bool replaceInFile(const QString &path, const QByteArray &from, const QByteArray &to)
{
    QByteArray bytes = readAll(path);
    const qsizetype at = bytes.indexOf(from);
    if (at < 0)
        return false;
    bytes.replace(at, from.size(), to);
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

} // namespace TestSupport
