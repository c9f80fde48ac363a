#pragma once

#include "live/connectionprofiles.h"

#include <QDialog>

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace Tribune {

// Asks where the cluster is: a saved profile, or the well-known members, the load balancer's
// admin socket, the key file, role, TLS authority and history. Connect checks the fields first
// and, while something is wrong, says what in the dialog instead of closing it. Opens no
// connection itself.
class ConnectDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectDialog)

public:
    // defaultHistoryUrl: the history a connection keeps when it names none (the preferences'),
    // shown as the History field's placeholder; empty for the SQLite file in the data folder.
    explicit ConnectDialog(const QList<ConnectionProfile> &saved, const QString &defaultHistoryUrl = {},
                           QWidget *parent = nullptr);
    ~ConnectDialog() override;

    // What the fields say; an empty name becomes the first well-known member.
    ConnectionProfile profile() const;

    void accept() override;

private:
    void showProfile(int index);
    void forgetProfile();
    // Shows what is wrong with the fields, and returns it.
    QList<ConnectionProblem> showProblems();
    QWidget *fieldOf(ConnectionProblem::Field field) const;

    QList<ConnectionProfile> m_saved;
    QComboBox *m_profiles;
    QPushButton *m_forget;
    QLineEdit *m_name;
    QLineEdit *m_seeds;
    QLineEdit *m_socket;
    QLineEdit *m_keyFile;
    QComboBox *m_role;
    QLineEdit *m_ca;
    QLineEdit *m_history;
    QLineEdit *m_historyPassword = nullptr;
    QWidget *m_problemBox;
    QLabel *m_problems;
    bool m_checking = false; // after a refused Connect, the problems follow every edit
};

// Shows a ConnectDialog; the choice, or nothing when the user cancels.
std::optional<ConnectionProfile> askForConnection(QWidget *parent, const QList<ConnectionProfile> &saved,
                                                  const QString &defaultHistoryUrl = {});

} // namespace Tribune
