#pragma once

#include "hostmodel.h"

#include <QObject>
#include <QSet>

class QTimer;

namespace Tribune {

// Asks the system resolver for a set of names at once, without blocking the thread it lives on,
// and answers with a HostModel when every name has answered or the time is up. Names still
// unanswered then resolve nowhere, which the validator reports.
class HostResolver final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HostResolver)

public:
    static constexpr int DefaultTimeoutMs = 2000;
    static constexpr int MaxNames = 4096;

    explicit HostResolver(QObject *parent = nullptr);
    ~HostResolver() override;

    // Starts the lookups; a second call while one runs cancels the first.
    void resolve(const QStringList &names, int timeoutMs = DefaultTimeoutMs);
    void cancel();
    bool isRunning() const;

signals:
    void finished(const Tribune::HostModel &hosts);

private:
    void answered(int lookupId, const QString &name, const QString &address);
    void finish();

    QHash<int, QString> m_pending; // lookup id -> name
    QHash<QString, QString> m_addresses;
    QTimer *m_deadline = nullptr;
};

} // namespace Tribune
