#pragma once

// A new worker planned like an existing one, provisioned on a bare agent and applied with
// tribunectl while requests flow through HAProxy: what the integration test asserts and the
// benchmark times.
#include "lbcluster.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace LbTest {

struct Provisioned
{
    QString error;        // why it could not be tried; empty when it was
    int exitCode = -1;    // tribunectl node apply's
    QByteArray output;    // its output: the steps with their times
    QStringList served;   // the member each request through HAProxy reached, in order
    QString memberId;     // the new member
    QString home;         // its CARBON_HOME
    int offset = -1;
    std::unique_ptr<QProcess> agent;

    // The time node apply printed for a step ("first request served through HAProxy"), or -1.
    int stepMs(const QString &step) const
    {
        const QRegularExpression line(QStringLiteral("^\\s*(\\d+) ms  ") + QRegularExpression::escape(step),
                                      QRegularExpression::MultilineOption);
        const QRegularExpressionMatch match = line.match(QString::fromUtf8(output));
        return match.hasMatch() ? match.captured(1).toInt() : -1;
    }
};

// Plans `name` like `like` on `host` (through the live cluster seeded at `seed`), starts a bare
// agent for it, and applies the plan with --wait-request.
inline Provisioned provisionLike(const LbCluster &lb, const QString &seed, const QString &like, const QString &name,
                                 const QString &host)
{
    Provisioned result;
    const QStringList seedArguments{QStringLiteral("--seed"), lb.cluster.memberId(seed), QStringLiteral("--key-file"),
                                    lb.cluster.keyFile()};
    const QString planDir = lb.cluster.root() + QLatin1String("/plan-") + name;
    const quint16 memberPort = freePort();
    const Run planned = tribunectl(QStringList{QStringLiteral("node"), QStringLiteral("plan")} + seedArguments
                                   + QStringList{QStringLiteral("--like"), like, QStringLiteral("--host"), host,
                                                 QStringLiteral("--name"), name, QStringLiteral("--set"),
                                                 QStringLiteral("axis2.xml:localMemberPort=%1").arg(memberPort),
                                                 QStringLiteral("--out"), planDir});
    if (planned.exitCode != 0) {
        result.error = QString::fromUtf8(planned.out + planned.err);
        return result;
    }
    QFile planFile(planDir + QLatin1String("/plan.json"));
    const QJsonObject plan = planFile.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(planFile.readAll()).object()
                                                                : QJsonObject();
    result.offset = plan.value(QLatin1String("offset")).toInt(-1);
    const QString busy = busyPorts({{host, quint16(9763 + result.offset)}});
    if (result.offset < 0 || !busy.isEmpty()) {
        result.error = QStringLiteral("the new node's HTTP port is in use: ") + busy;
        return result;
    }
    result.memberId = host + QLatin1Char(':') + QString::number(memberPort);
    result.home = lb.cluster.root() + QLatin1Char('/') + name;
    const quint16 provisionPort = freePort();
    result.agent.reset(startAgentProcess({QStringLiteral("--provision"), QStringLiteral("--carbon-home"), result.home,
                                          QStringLiteral("--key-file"), lb.cluster.keyFile(), QStringLiteral("--listen"),
                                          host + QLatin1Char(':') + QString::number(provisionPort),
                                          QStringLiteral("--serve-http")}));
    if (!result.agent) {
        result.error = QStringLiteral("the bare agent did not start");
        return result;
    }
    QProcess apply;
    apply.start(QStringLiteral(TRIBUNECTL_PATH),
                QStringList{QStringLiteral("node"), QStringLiteral("apply")} + seedArguments
                    + QStringList{QStringLiteral("--plan"), planDir, QStringLiteral("--to"),
                                  host + QLatin1Char(':') + QString::number(provisionPort), QStringLiteral("--lb-socket"),
                                  lb.socket(), QStringLiteral("--wait-request"), QStringLiteral("--timeout"),
                                  QStringLiteral("20")});
    // Requests through HAProxy all along, so that the first one the new node serves is seen.
    QElapsedTimer waited;
    waited.start();
    while (apply.state() != QProcess::NotRunning && waited.elapsed() < 30000) {
        result.served.append(memberOf(lb.httpPort, QStringLiteral("worker.esb.wso2.com"), QStringLiteral("/services/echo")));
        apply.waitForFinished(20);
    }
    apply.waitForFinished(5000);
    result.exitCode = apply.exitStatus() == QProcess::NormalExit ? apply.exitCode() : -1;
    result.output = apply.readAllStandardOutput() + apply.readAllStandardError();
    return result;
}

} // namespace LbTest
