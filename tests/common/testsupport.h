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

} // namespace TestSupport
