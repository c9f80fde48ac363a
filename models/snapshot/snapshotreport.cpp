#include "snapshotreport.h"

#include <QCoreApplication>
#include <QDir>
#include <QSaveFile>

namespace Tribune::Snapshot {

namespace {

struct ReportText
{
    Q_DECLARE_TR_FUNCTIONS(Tribune::Snapshot::Report)
};

QString timeText(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

// Seven significant digits: samples are kept as float32, whose further digits are noise.
QString number(double value)
{
    return QString::number(value, 'g', 7);
}

// Rows are built and written one at a time, so that a large window costs no second copy in memory.
class CsvFile
{
public:
    CsvFile(const QString &path, const QStringList &header)
        : m_file(path)
    {
        if (m_file.open(QIODevice::WriteOnly))
            row(header);
    }

    void row(const QStringList &fields)
    {
        QStringList quoted;
        quoted.reserve(fields.size());
        for (const QString &field : fields)
            quoted.append(csvField(field));
        m_file.write((quoted.join(u',') + QLatin1String("\r\n")).toUtf8());
    }

    bool commit(QString *error)
    {
        if (m_file.commit())
            return true;
        *error = ReportText::tr("%1: cannot write: %2").arg(m_file.fileName(), m_file.errorString());
        return false;
    }

private:
    QSaveFile m_file;
};

} // namespace

QString csvField(const QString &value)
{
    if (!value.contains(u',') && !value.contains(u'"') && !value.contains(u'\n') && !value.contains(u'\r'))
        return value;
    QString quoted = value;
    quoted.replace(QStringLiteral("\""), QStringLiteral("\"\""));
    return u'"' + quoted + u'"';
}

bool writeCsvReport(const Snapshot &snapshot, const QString &folder, QStringList *written, QString *error)
{
    if (!QDir().mkpath(folder)) {
        *error = ReportText::tr("%1: cannot create the folder").arg(folder);
        return false;
    }
    const QDir dir(folder);
    {
        CsvFile members(dir.filePath(QStringLiteral("members.csv")),
                        {QStringLiteral("id"), QStringLiteral("node"), QStringLiteral("domain"), QStringLiteral("sub_domain"),
                         QStringLiteral("state"), QStringLiteral("incarnation"), QStringLiteral("balancer_state"),
                         QStringLiteral("weight"), QStringLiteral("check_status"), QStringLiteral("cpu_percent"),
                         QStringLiteral("rss_bytes"), QStringLiteral("heartbeat_rtt_ms")});
        for (const Member &member : snapshot.members)
            members.row({member.id, member.node, member.domain, member.subDomain, member.state,
                         QString::number(member.incarnation), member.balancerState, QString::number(member.weight),
                         member.checkStatus, number(member.cpuPercent), QString::number(member.rssBytes),
                         number(member.heartbeatRttMs)});
        if (!members.commit(error))
            return false;
        written->append(dir.filePath(QStringLiteral("members.csv")));
    }
    {
        CsvFile events(dir.filePath(QStringLiteral("events.csv")),
                       {QStringLiteral("time"), QStringLiteral("kind"), QStringLiteral("member"), QStringLiteral("domain"),
                        QStringLiteral("sub_domain"), QStringLiteral("reason")});
        for (const HistoryEvent &event : snapshot.events)
            events.row({timeText(event.time), event.kind, event.memberId, event.domain, event.subDomain, event.reason});
        if (!events.commit(error))
            return false;
        written->append(dir.filePath(QStringLiteral("events.csv")));
    }
    {
        CsvFile samples(dir.filePath(QStringLiteral("samples.csv")),
                        {QStringLiteral("time"), QStringLiteral("member"), QStringLiteral("request_rate"),
                         QStringLiteral("sessions"), QStringLiteral("bytes_in_rate"), QStringLiteral("bytes_out_rate"),
                         QStringLiteral("errors_5xx_rate"), QStringLiteral("response_time_ms")});
        const QList<MetricSample> all = snapshot.allSamples();
        for (const MetricSample &sample : all)
            samples.row({timeText(sample.time), sample.memberId, number(sample.requestRate), number(sample.sessions),
                          number(sample.bytesInRate), number(sample.bytesOutRate), number(sample.errors5xxRate),
                          number(sample.responseTimeMs)});
        if (!samples.commit(error))
            return false;
        written->append(dir.filePath(QStringLiteral("samples.csv")));
    }
    return true;
}

} // namespace Tribune::Snapshot
