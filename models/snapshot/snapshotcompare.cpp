#include "snapshotcompare.h"

#include "concurrency/background.h"

#include <QFileInfo>

namespace Tribune::Snapshot {

void compareWithFile(const Snapshot &own, const QString &ownName, const QString &path, QObject *receiver,
                     std::function<void(const Comparison &)> done)
{
    runInBackground<Comparison>(
        receiver,
        [own, ownName, path] {
            Comparison comparison;
            std::optional<Snapshot> other = readSnapshot(path, &comparison.error);
            if (!other)
                return comparison;
            const QString otherName = QFileInfo(path).fileName();
            const bool ownFirst = own.takenAt <= other->takenAt;
            comparison.earlier = ownFirst ? own : *other;
            comparison.later = ownFirst ? *other : own;
            comparison.earlierName = ownFirst ? ownName : otherName;
            comparison.laterName = ownFirst ? otherName : ownName;
            comparison.diff = diffSnapshots(comparison.earlier, comparison.later);
            return comparison;
        },
        std::move(done));
}

} // namespace Tribune::Snapshot
