#pragma once

#include <QDialog>

class QTableWidget;
class QTreeWidget;

namespace Tribune {

class DiffView;
namespace Snapshot {
struct Comparison;
}

// Two snapshots side by side (or a snapshot and the running cluster): members added, gone or
// changed; each domain's traffic; each node's files as diffs (passwords redacted); findings new
// and resolved.
class SnapshotCompareDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SnapshotCompareDialog)

public:
    explicit SnapshotCompareDialog(const Snapshot::Comparison &comparison, QWidget *parent = nullptr);
    ~SnapshotCompareDialog() override;
    // Opens a dialog on the comparison over parent, or says why there is none; the dialog, if any.
    static SnapshotCompareDialog *showComparison(const Snapshot::Comparison &comparison, QWidget *parent);

    QTreeWidget *memberChanges() const { return m_members; }
    QTableWidget *traffic() const { return m_traffic; }
    DiffView *files() const { return m_files; }
    QTreeWidget *findings() const { return m_findings; }

private:
    QTreeWidget *m_members;
    QTableWidget *m_traffic;
    DiffView *m_files;
    QTreeWidget *m_findings;
};

} // namespace Tribune
