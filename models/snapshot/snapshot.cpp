#include "snapshot.h"

#include "concurrency/background.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryFile>
#include <QUuid>
#include <QVariant>

#include <QtEndian>

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace Tribune::Snapshot {

namespace {

struct SnapshotText
{
    Q_DECLARE_TR_FUNCTIONS(Tribune::Snapshot)
};

constexpr char Kind[] = "tribune-snapshot";

const QStringList &schema()
{
    static const QStringList statements = {
        QStringLiteral("CREATE TABLE snapshot_meta (meta_key TEXT PRIMARY KEY, meta_value TEXT NOT NULL)"),
        QStringLiteral("CREATE TABLE snapshot_agents (member_id TEXT PRIMARY KEY, version TEXT NOT NULL)"),
        QStringLiteral("CREATE TABLE snapshot_members (member_id TEXT PRIMARY KEY, node TEXT, member_domain TEXT, "
                       "sub_domain TEXT, state TEXT, incarnation INTEGER, balancer_state TEXT, weight INTEGER, "
                       "check_status TEXT, cpu_percent REAL, rss_bytes INTEGER, heartbeat_rtt_ms REAL, info_json TEXT)"),
        QStringLiteral("CREATE TABLE snapshot_haproxy (command TEXT PRIMARY KEY, output BLOB NOT NULL)"),
        QStringLiteral("CREATE TABLE snapshot_files (node TEXT NOT NULL, path TEXT NOT NULL, content BLOB NOT NULL, "
                       "PRIMARY KEY (node, path))"),
        QStringLiteral("CREATE TABLE snapshot_findings (severity TEXT, rule TEXT, node TEXT, file TEXT, line INTEGER, "
                       "message TEXT, fix TEXT)"),
        QStringLiteral("CREATE TABLE snapshot_samples (member_id TEXT PRIMARY KEY, sample_count INTEGER NOT NULL, "
                       "data BLOB NOT NULL)"),
    };
    return statements;
}

// A connection of its own to one SQLite file, removed when it goes out of scope.
class Connection
{
public:
    Connection(const QString &path, bool readOnly)
        : m_name(QStringLiteral("tribune-snapshot-") + QUuid::createUuid().toString(QUuid::WithoutBraces))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        if (readOnly)
            db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        m_open = db.open();
        m_error = db.lastError().text();
    }
    ~Connection()
    {
        QSqlDatabase::database(m_name, false).close();
        QSqlDatabase::removeDatabase(m_name);
    }
    Q_DISABLE_COPY_MOVE(Connection)

    bool isOpen() const { return m_open; }
    const QString &error() const { return m_error; }
    QSqlDatabase database() const { return QSqlDatabase::database(m_name, false); }

private:
    QString m_name;
    bool m_open = false;
    QString m_error;
};

bool exec(QSqlQuery &query, const QString &what, QString *error)
{
    if (query.exec())
        return true;
    *error = SnapshotText::tr("%1: %2").arg(what, query.lastError().text());
    return false;
}

// Inserts rows into table, each a value per column in the table's order.
bool insertAll(QSqlQuery &query, const QString &table, const QList<QVariantList> &rows, QString *error)
{
    if (rows.isEmpty())
        return true;
    const QStringList marks(rows.first().size(), QStringLiteral("?"));
    query.prepare(QStringLiteral("INSERT INTO %1 VALUES (%2)").arg(table, marks.join(QLatin1String(", "))));
    for (const QVariantList &row : rows) {
        for (const QVariant &value : row)
            query.addBindValue(value);
        if (!exec(query, table, error))
            return false;
    }
    return true;
}

constexpr int SampleRecordBytes = PackedSampleBytes;

void appendFloat(char *&out, double value)
{
    const float narrowed = float(value);
    quint32 bits = 0;
    std::memcpy(&bits, &narrowed, sizeof bits);
    qToLittleEndian(bits, out);
    out += 4;
}

QByteArray packSamples(const QList<const MetricSample *> &samples)
{
    QByteArray data(samples.size() * SampleRecordBytes, Qt::Uninitialized);
    char *out = data.data();
    for (const MetricSample *sample : samples) {
        qToLittleEndian<qint64>(sample->time.toMSecsSinceEpoch(), out);
        out += 8;
        for (const double value : {sample->requestRate, sample->sessions, sample->bytesInRate, sample->bytesOutRate,
                                   sample->errors5xxRate, sample->responseTimeMs})
            appendFloat(out, value);
    }
    return data;
}

bool writeTables(const Snapshot &snapshot, const QSqlDatabase &db, QString *error)
{
    QSqlQuery query(db);
    for (const QString &statement : schema()) {
        if (!query.exec(statement)) {
            *error = query.lastError().text();
            return false;
        }
    }
    const QMap<QString, QString> meta = {
        {QStringLiteral("kind"), QString::fromLatin1(Kind)},
        {QStringLiteral("format_version"), QString::number(Snapshot::FormatVersion)},
        {QStringLiteral("taken_at"), snapshot.takenAt.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("cluster"), snapshot.cluster},
        {QStringLiteral("taken_by"), snapshot.takenBy},
        {QStringLiteral("console_version"), snapshot.consoleVersion},
        {QStringLiteral("secrets_included"), snapshot.secretsIncluded ? QStringLiteral("1") : QStringLiteral("0")},
        {QStringLiteral("window_from"), snapshot.windowFrom.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("events_from"), snapshot.eventsFrom.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("missing"),
         QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(snapshot.missing)).toJson(QJsonDocument::Compact))},
    };
    // Each table's rows, a value per column in the table's order.
    QMap<QString, QList<QVariantList>> tables;
    for (auto it = meta.cbegin(); it != meta.cend(); ++it)
        tables[QStringLiteral("snapshot_meta")].append({it.key(), it.value().isNull() ? QStringLiteral("") : it.value()});
    for (auto it = snapshot.agentVersions.cbegin(); it != snapshot.agentVersions.cend(); ++it)
        tables[QStringLiteral("snapshot_agents")].append({it.key(), it.value()});
    for (const Member &member : snapshot.members)
        tables[QStringLiteral("snapshot_members")].append(
            {member.id, member.node, member.domain, member.subDomain, member.state, member.incarnation,
             member.balancerState, member.weight, member.checkStatus, member.cpuPercent, member.rssBytes,
             member.heartbeatRttMs,
             QString::fromUtf8(QJsonDocument(member.info).toJson(QJsonDocument::Compact))});
    for (auto it = snapshot.haproxy.cbegin(); it != snapshot.haproxy.cend(); ++it)
        tables[QStringLiteral("snapshot_haproxy")].append({it.key(), it.value()});
    for (auto node = snapshot.files.cbegin(); node != snapshot.files.cend(); ++node) {
        for (auto file = node.value().cbegin(); file != node.value().cend(); ++file)
            tables[QStringLiteral("snapshot_files")].append({node.key(), file.key(), file.value()});
    }
    QMap<QString, QList<const MetricSample *>> samplesOf;
    for (const MetricSample &sample : snapshot.samples)
        samplesOf[sample.memberId].append(&sample);
    for (auto it = samplesOf.begin(); it != samplesOf.end(); ++it) {
        std::stable_sort(it->begin(), it->end(), [](const MetricSample *a, const MetricSample *b) { return a->time < b->time; });
        tables[QStringLiteral("snapshot_samples")].append({it.key(), it->size(), packSamples(*it)});
    }
    for (auto it = snapshot.packedSamples.cbegin(); it != snapshot.packedSamples.cend(); ++it) {
        if (!samplesOf.contains(it.key()))
            tables[QStringLiteral("snapshot_samples")].append({it.key(), it->size() / SampleRecordBytes, it.value()});
    }
    for (const Finding &finding : snapshot.findings)
        tables[QStringLiteral("snapshot_findings")].append({severityName(finding.severity), finding.rule, finding.node,
                                                            finding.file, finding.line, finding.message, finding.fix});
    for (auto it = tables.cbegin(); it != tables.cend(); ++it) {
        if (!insertAll(query, it.key(), it.value(), error))
            return false;
    }
    return true;
}

std::optional<Severity> severityNamed(const QString &name)
{
    for (const Severity severity : {Severity::Error, Severity::Warning, Severity::Info}) {
        if (severityName(severity) == name)
            return severity;
    }
    return std::nullopt;
}

} // namespace

QList<MetricSample> Snapshot::allSamples() const
{
    QList<MetricSample> all = samples;
    all.reserve(sampleCount());
    for (auto it = packedSamples.cbegin(); it != packedSamples.cend(); ++it) {
        forEachPackedSample(it.value(), [&](qint64 timeMs, const SampleValues &values) {
            all.append({QDateTime::fromMSecsSinceEpoch(timeMs, Qt::UTC), it.key(), values[0], values[1], values[2], values[3],
                        values[4], values[5]});
        });
    }
    return all;
}

qsizetype Snapshot::sampleCount() const
{
    qsizetype count = samples.size();
    for (const QByteArray &data : packedSamples)
        count += data.size() / SampleRecordBytes;
    return count;
}

Member memberOf(const Protocol::MemberInfo &info, Protocol::MemberState state)
{
    Member member;
    member.id = info.id;
    member.node = info.name;
    member.domain = info.domain;
    member.subDomain = info.subDomain;
    member.state = Protocol::stateName(state);
    member.incarnation = info.incarnation;
    member.info = info.toJson();
    return member;
}

bool writeSnapshot(const Snapshot &snapshot, const QString &path, QString *error, const std::function<bool()> &cancelled)
{
    const QFileInfo target(path);
    // Beside the final name, so that the rename stays on one file system.
    QTemporaryFile partial(target.absolutePath() + QLatin1Char('/') + target.fileName() + QLatin1String(".partial-XXXXXX"));
    if (!partial.open()) {
        *error = SnapshotText::tr("%1: cannot write beside it: %2").arg(path, partial.errorString());
        return false;
    }
    partial.close();
    const QString temporary = partial.fileName();
    const auto fail = [&](const QString &why) {
        *error = SnapshotText::tr("%1: %2; nothing was written").arg(path, why);
        return false;
    };
    {
        QString reason;
        std::optional<HistoryStore> history = HistoryStore::open(QLatin1String("sqlite://") + temporary, &reason);
        if (!history)
            return fail(reason);
        if (!history->addEvents(snapshot.events))
            return fail(history->lastError());
    }
    {
        const Connection connection(temporary, false);
        if (!connection.isOpen())
            return fail(connection.error());
        QSqlDatabase db = connection.database();
        if (!db.transaction())
            return fail(db.lastError().text());
        QString reason;
        if (!writeTables(snapshot, db, &reason)) {
            db.rollback();
            return fail(reason);
        }
        if (!db.commit())
            return fail(db.lastError().text());
    }
    if (cancelled && cancelled())
        return fail(SnapshotText::tr("cancelled"));
    // rename(2) replaces an older file of that name in one step.
    if (std::rename(QFile::encodeName(temporary).constData(), QFile::encodeName(target.absoluteFilePath()).constData()) != 0)
        return fail(SnapshotText::tr("cannot rename %1 into place: %2").arg(temporary, QString::fromLocal8Bit(std::strerror(errno))));
    partial.setAutoRemove(false);
    return true;
}

void writeSnapshotInBackground(const Snapshot &snapshot, const QString &path, std::shared_ptr<std::atomic<bool>> cancelled,
                               QObject *receiver, std::function<void(bool ok, const QString &error)> done)
{
    using Written = std::pair<bool, QString>;
    runInBackground<Written>(
        receiver,
        [snapshot, path, cancelled] {
            QString error;
            const bool ok = writeSnapshot(snapshot, path, &error, [cancelled] { return cancelled && cancelled->load(); });
            return Written{ok, error};
        },
        [done = std::move(done)](const Written &written) { done(written.first, written.second); });
}

std::optional<Snapshot> readSnapshot(const QString &path, QString *error, const ReadLimits &limits)
{
    const auto fail = [&](const QString &why) -> std::optional<Snapshot> {
        *error = SnapshotText::tr("%1: %2").arg(path, why);
        return std::nullopt;
    };
    const QFileInfo info(path);
    if (!info.isFile())
        return fail(SnapshotText::tr("no such file"));
    if (info.size() > limits.maxFileBytes)
        return fail(SnapshotText::tr("%1 bytes, more than the %2 a snapshot may have").arg(info.size()).arg(limits.maxFileBytes));
    Snapshot snapshot;
    int version = 0;
    {
        const Connection connection(path, true);
        if (!connection.isOpen())
            return fail(connection.error());
        QSqlQuery query(connection.database());
        QMap<QString, QString> meta;
        if (!query.exec(QStringLiteral("SELECT meta_key, meta_value FROM snapshot_meta")))
            return fail(SnapshotText::tr("not a Tribune snapshot (%1)").arg(query.lastError().text()));
        while (query.next())
            meta.insert(query.value(0).toString(), query.value(1).toString());
        if (meta.value(QStringLiteral("kind")) != QLatin1String(Kind))
            return fail(SnapshotText::tr("not a Tribune snapshot"));
        version = meta.value(QStringLiteral("format_version")).toInt();
        if (version < 1 || version > Snapshot::FormatVersion)
            return fail(SnapshotText::tr("format %1, which this Tribune (format %2) cannot read; open it with a newer one")
                            .arg(version)
                            .arg(Snapshot::FormatVersion));
        snapshot.takenAt = QDateTime::fromString(meta.value(QStringLiteral("taken_at")), Qt::ISODateWithMs);
        snapshot.cluster = meta.value(QStringLiteral("cluster"));
        snapshot.takenBy = meta.value(QStringLiteral("taken_by"));
        snapshot.consoleVersion = meta.value(QStringLiteral("console_version"));
        snapshot.secretsIncluded = meta.value(QStringLiteral("secrets_included")) == u"1";
        snapshot.windowFrom = QDateTime::fromString(meta.value(QStringLiteral("window_from")), Qt::ISODateWithMs);
        snapshot.eventsFrom = QDateTime::fromString(meta.value(QStringLiteral("events_from")), Qt::ISODateWithMs);
        for (const QJsonValue &line : QJsonDocument::fromJson(meta.value(QStringLiteral("missing")).toUtf8()).array())
            snapshot.missing.append(line.toString());

        if (!query.exec(QStringLiteral("SELECT COUNT(*) FROM snapshot_members")) || !query.next())
            return fail(query.lastError().text());
        if (query.value(0).toLongLong() > limits.maxMembers)
            return fail(SnapshotText::tr("%1 members, more than the %2 a snapshot may have")
                            .arg(query.value(0).toLongLong())
                            .arg(limits.maxMembers));
        query.exec(QStringLiteral("SELECT member_id, version FROM snapshot_agents"));
        while (query.next())
            snapshot.agentVersions.insert(query.value(0).toString(), query.value(1).toString());
        if (!query.exec(QStringLiteral("SELECT * FROM snapshot_members ORDER BY member_domain, sub_domain, node, member_id")))
            return fail(query.lastError().text());
        while (query.next()) {
            Member member;
            member.id = query.value(0).toString();
            member.node = query.value(1).toString();
            member.domain = query.value(2).toString();
            member.subDomain = query.value(3).toString();
            member.state = query.value(4).toString();
            member.incarnation = query.value(5).toLongLong();
            member.balancerState = query.value(6).toString();
            member.weight = query.value(7).toInt();
            member.checkStatus = query.value(8).toString();
            member.cpuPercent = query.value(9).toDouble();
            member.rssBytes = query.value(10).toLongLong();
            member.heartbeatRttMs = query.value(11).toDouble();
            member.info = QJsonDocument::fromJson(query.value(12).toString().toUtf8()).object();
            snapshot.members.append(member);
        }
        query.exec(QStringLiteral("SELECT command, output FROM snapshot_haproxy"));
        while (query.next())
            snapshot.haproxy.insert(query.value(0).toString(), query.value(1).toByteArray());
        query.exec(QStringLiteral("SELECT node, path, content FROM snapshot_files"));
        while (query.next())
            snapshot.files[query.value(0).toString()].insert(query.value(1).toString(), query.value(2).toByteArray());
        query.exec(QStringLiteral("SELECT severity, rule, node, file, line, message, fix FROM snapshot_findings"));
        while (query.next()) {
            Finding finding;
            finding.severity = severityNamed(query.value(0).toString()).value_or(Severity::Info);
            finding.rule = query.value(1).toString();
            finding.node = query.value(2).toString();
            finding.file = query.value(3).toString();
            finding.line = query.value(4).toInt();
            finding.message = query.value(5).toString();
            finding.fix = query.value(6).toString();
            snapshot.findings.append(finding);
        }
    }
    // The events and samples are a history's, read by the history's own code.
    QString reason;
    const std::optional<HistoryStore> history = HistoryStore::open(QLatin1String("sqlite://") + info.absoluteFilePath(), &reason);
    if (!history)
        return fail(reason);
    const std::optional<HistorySummary> summary = history->summary();
    if (!summary)
        return fail(history->lastError());
    if (summary->events + summary->secondSamples + summary->minuteSamples > limits.maxRows)
        return fail(SnapshotText::tr("%1 events and samples, more than the %2 a snapshot may have")
                        .arg(summary->events + summary->secondSamples + summary->minuteSamples)
                        .arg(limits.maxRows));
    snapshot.events = history->events({}, {}, {}, 0);
    if (version == 1) {
        QStringList ids;
        for (const Member &member : std::as_const(snapshot.members))
            ids.append(member.id);
        const QHash<QString, QList<MetricSample>> samples = history->samplesOfEach(ids, {}, {});
        for (const QString &id : std::as_const(ids))
            snapshot.samples += samples.value(id);
        return snapshot;
    }
    const Connection connection(info.absoluteFilePath(), true);
    QSqlQuery query(connection.database());
    if (!query.exec(QStringLiteral("SELECT SUM(sample_count) FROM snapshot_samples")) || !query.next())
        return fail(query.lastError().text());
    const qint64 sampleCount = query.value(0).toLongLong();
    if (summary->events + sampleCount > limits.maxRows)
        return fail(SnapshotText::tr("%1 events and samples, more than the %2 a snapshot may have")
                        .arg(summary->events + sampleCount)
                        .arg(limits.maxRows));
    if (!query.exec(QStringLiteral("SELECT member_id, sample_count, data FROM snapshot_samples ORDER BY member_id")))
        return fail(query.lastError().text());
    qint64 total = summary->events;
    while (query.next()) {
        const QString memberId = query.value(0).toString();
        const qint64 count = query.value(1).toLongLong();
        const QByteArray data = query.value(2).toByteArray();
        // The count is the file's word: checked against the bytes there and the limit before use.
        if (count < 0 || count > limits.maxRows || data.size() != count * SampleRecordBytes)
            return fail(SnapshotText::tr("the samples of %1 are damaged (%2 bytes for %3 samples)")
                            .arg(memberId)
                            .arg(data.size())
                            .arg(count));
        total += count;
        if (total > limits.maxRows)
            return fail(SnapshotText::tr("%1 events and samples, more than the %2 a snapshot may have")
                            .arg(total)
                            .arg(limits.maxRows));
        snapshot.packedSamples.insert(memberId, data);
    }
    return snapshot;
}

} // namespace Tribune::Snapshot
