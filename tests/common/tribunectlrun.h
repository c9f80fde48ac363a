#pragma once

// Runs the built tribunectl the way a script does, for the command-line tests.

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace TestSupport {

struct TribunectlRun
{
    int exitCode = -1; // -1 when it crashed or did not finish in time
    QByteArray outBytes;
    QByteArray errBytes;
    QString out;
    QString err;
};

// workingDirectory: where it runs (relative paths in arguments are relative to it); empty: here.
inline TribunectlRun tribunectl(const QStringList &arguments, int timeoutMs = 30000, const QString &workingDirectory = {})
{
    QProcess process;
    if (!workingDirectory.isEmpty())
        process.setWorkingDirectory(workingDirectory);
    process.start(QStringLiteral(TRIBUNECTL_PATH), arguments);
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
    }
    TribunectlRun run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.outBytes = process.readAllStandardOutput();
    run.errBytes = process.readAllStandardError();
    run.out = QString::fromUtf8(run.outBytes);
    run.err = QString::fromUtf8(run.errBytes);
    return run;
}

} // namespace TestSupport
