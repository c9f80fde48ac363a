#pragma once

#include <QWidget>

#include "config/datasourcesxml.h"
#include "planner/typededit.h"

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTreeWidget;

namespace Tribune::Planner {
class DatasourceChecker;
struct DatasourceCheck;
}

namespace Tribune {

// A node's datasources: each one's URL, user and password, editable (what differs from the
// node's own values shows in bold and becomes a typed edit), and tested against its database
// server in the background: reachable, credentials accepted, database there, registry tables.
// A missing database can be created, with administrator credentials asked for that moment only.
class DatasourcesPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DatasourcesPanel)

public:
    explicit DatasourcesPanel(QWidget *parent = nullptr);
    ~DatasourcesPanel() override;

    // The node's datasources as its files have them; edits made before that are kept where the
    // datasource still exists.
    void setDatasources(const QList<Config::Datasource> &datasources);
    // What was changed, as master-datasources.xml typed edits.
    QList<Planner::TypedEdit> edits() const;
    bool isChecking() const;
    // Says why the datasources shown are not (all) the node's.
    void setProblem(const QString &problem);

public slots:
    void testConnections();
    void cancelCheck();

signals:
    void edited();

private:
    void showSelected();
    void storeField(const QString &key, const QString &value);
    void showChecks(const QList<Planner::DatasourceCheck> &checks);
    void askToCreateDatabase();
    void refreshRow(int row);
    int selectedRow() const;

    Planner::DatasourceChecker *m_checker;
    QList<Config::Datasource> m_original;
    QList<Config::Datasource> m_values;
    QTreeWidget *m_list;
    QLineEdit *m_url;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QPushButton *m_test;
    QPushButton *m_cancel;
    QPushButton *m_create;
    QProgressBar *m_busy;
    QLabel *m_status;
    QString m_summary; // of the last check
    QList<int> m_missingDatabases; // rows the last check found without their database
};

} // namespace Tribune
