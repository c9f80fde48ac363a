#include "trafficcommand.h"

#include "commandline.h"
#include "i18n/trcontexts.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QMap>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QTextStream>
#include <QTimer>
#include <QUrl>

#include <csignal>

namespace Tribune::Cli {

namespace {

} // namespace

int runTraffic(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(CliText::tr("Sends a steady stream of requests through the load balancer."));
    const QCommandLineOption target(QStringLiteral("target"), CliText::tr("The load balancer's HTTP listener."), QStringLiteral("HOST:PORT"));
    const QCommandLineOption host(QStringLiteral("host"), CliText::tr("A Host header to send (repeatable)."), QStringLiteral("NAME"));
    const QCommandLineOption rate(QStringLiteral("rate"), CliText::tr("Requests per second per host (default 3)."), QStringLiteral("N"), QStringLiteral("3"));
    const QCommandLineOption tenant(QStringLiteral("tenant"), CliText::tr("A tenant domain to use for some requests (repeatable)."),
                                    QStringLiteral("DOMAIN"));
    const QCommandLineOption duration(QStringLiteral("duration"), CliText::tr("Stop after S seconds (default: until interrupted)."),
                                      QStringLiteral("S"));
    parser.addOptions({target, host, rate, tenant, duration});
    int exitCode = 0;
    if (!parseCommandLine(parser, QStringLiteral("traffic"), arguments, out, err, &exitCode))
        return exitCode;
    const QStringList hosts = parser.values(host);
    const QUrl base(QStringLiteral("http://%1").arg(parser.value(target)));
    bool rateOk = false;
    const double perHost = parser.value(rate).toDouble(&rateOk);
    if (!parser.isSet(target) || !base.isValid() || base.port() <= 0 || hosts.isEmpty() || !rateOk || perHost <= 0
        || perHost > 1000) {
        err << CliText::tr("traffic: give --target HOST:PORT, at least one --host, and a --rate between 0 and 1000") << Qt::endl;
        return 2;
    }
    const QStringList tenants = parser.values(tenant);

    QNetworkAccessManager network;
    QMap<int, int> statuses; // status -> count; 0 for network errors
    int inFlight = 0;
    qint64 sent = 0;
    const auto summary = [&] {
        QStringList parts;
        for (auto it = statuses.cbegin(); it != statuses.cend(); ++it)
            parts.append(it.key() ? QStringLiteral("%1×%2").arg(it.value()).arg(it.key()) : CliText::tr("%1 failed").arg(it.value()));
        out << CliText::tr("traffic: %1 requests sent (%2)").arg(sent).arg(parts.join(QLatin1String(", "))) << Qt::endl;
    };
    QTimer tick;
    tick.setInterval(std::max(1, int(1000.0 / (perHost * hosts.size()))));
    int next = 0;
    QObject::connect(&tick, &QTimer::timeout, &network, [&] {
        if (inFlight > 200)
            return; // the load balancer is slower than the rate: do not pile up requests
        const QString hostName = hosts.at(next++ % hosts.size());
        QString path = QStringLiteral("/services/echo");
        if (!tenants.isEmpty() && QRandomGenerator::global()->bounded(3) == 0)
            path = QStringLiteral("/t/%1/services/echo").arg(tenants.at(QRandomGenerator::global()->bounded(int(tenants.size()))));
        QUrl url = base;
        url.setPath(path);
        QNetworkRequest request(url);
        request.setRawHeader("Host", hostName.toUtf8());
        request.setRawHeader("User-Agent", "tribunectl-traffic");
        QNetworkReply *reply = network.get(request);
        ++inFlight;
        ++sent;
        QObject::connect(reply, &QNetworkReply::finished, reply, [&, reply] {
            --inFlight;
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            ++statuses[status];
            reply->deleteLater();
        });
    });
    QTimer report;
    QObject::connect(&report, &QTimer::timeout, &network, summary);
    report.start(10000);
    if (parser.isSet(duration))
        QTimer::singleShot(int(parser.value(duration).toDouble() * 1000), &network, [] { QCoreApplication::exit(0); });
    std::signal(SIGINT, [](int) { QCoreApplication::exit(0); });
    std::signal(SIGTERM, [](int) { QCoreApplication::exit(0); });
    tick.start();
    const int code = QCoreApplication::exec();
    summary();
    return code;
}

} // namespace Tribune::Cli
