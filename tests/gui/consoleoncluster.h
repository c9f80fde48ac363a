#pragma once

// Sample nodes running on loopback (a load balancer named "lb" with its agent running HAProxy,
// the others with their HTTP ports served), and a console connected to them showing the live
// tree: what the GUI tests of the wizards and dialogs drive.

#include "addnodewizard.h"
#include "liveview.h"
#include "mainwindow.h"

#include "../integration/agentcluster.h"
#include "../integration/httpprobe.h"

#include "cluster/clusterworkspace.h"
#include "live/liveclustermodel.h"
#include "live/livesession.h"

#include <QAction>
#include <QTcpServer>
#include <QTest>

#include <memory>

inline quint16 freePort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

class ConsoleOnCluster
{
public:
    explicit ConsoleOnCluster(const QStringList &nodes)
        : cluster(nodes)
        , m_nodes(nodes)
    {
    }

    // serveHttp: the members answer on their sample HTTP ports (9763 + offset).
    bool start(QString *error, bool serveHttp = true)
    {
        using namespace Tribune;
        if (!cluster.prepare(error))
            return false;
        runtime = cluster.root() + QLatin1String("/haproxy");
        lbHttpPort = freePort();
        for (const QString &node : std::as_const(m_nodes)) {
            const QStringList arguments = node == u"lb"
                ? QStringList{QStringLiteral("--role"), QStringLiteral("lb"), QStringLiteral("--bind"),
                              QStringLiteral("127.0.0.1"), QStringLiteral("--http-port"), QString::number(lbHttpPort),
                              QStringLiteral("--https-port"), QString::number(freePort()), QStringLiteral("--runtime-dir"),
                              runtime}
                : serveHttp ? QStringList{QStringLiteral("--serve-http")} : QStringList();
            if (!cluster.start(node, arguments)) {
                *error = QStringLiteral("the agent of %1 did not start").arg(node);
                return false;
            }
        }
        ConnectionSettings settings;
        settings.seeds = {cluster.memberId(m_nodes.first())};
        settings.keys = cluster.keys();
        settings.keyFile = cluster.keyFile();
        if (m_nodes.contains(QStringLiteral("lb")))
            settings.loadBalancerSocket = runtime + QLatin1String("/admin.sock");
        settings.keepHistory = !historyUrl.isEmpty();
        settings.historyUrl = historyUrl;
        session = std::make_unique<LiveSession>(settings, QStringLiteral("test cluster"));
        window = std::make_unique<MainWindow>(&workspace, session.get(), MemberActions::of(session.get()));
        window->resize(1280, 800);
        window->show();
        session->start();
        const QString last = cluster.memberId(m_nodes.last());
        if (!QTest::qWaitFor([&] { return session->model()->indexOfMember(last).isValid(); }, 10000)) {
            *error = QStringLiteral("the console does not show %1").arg(m_nodes.last());
            return false;
        }
        return true;
    }

    // Cluster › Add a Node…: the running cluster's files are read, then the wizard opens.
    Tribune::AddNodeWizard *openWizard()
    {
        auto *addNode = window->findChild<QAction *>(QStringLiteral("addNodeAction"));
        if (!addNode || !addNode->isEnabled())
            return nullptr;
        addNode->trigger();
        Tribune::AddNodeWizard *wizard = nullptr;
        return QTest::qWaitFor([&] { return (wizard = window->findChild<Tribune::AddNodeWizard *>()) && wizard->isVisible(); },
                               10000)
            ? wizard
            : nullptr;
    }

    // Whether HAProxy sends a request for host to member within a few tries (it balances in turn).
    bool servedBy(const QString &member, const QString &host, int tries = 8) const
    {
        for (int i = 0; i < tries; ++i) {
            const std::optional<HttpResponse> response = httpGet(lbHttpPort, host, QStringLiteral("/services/echo"));
            if (response && response->status == 200 && response->memberId() == member)
                return true;
        }
        return false;
    }

    AgentCluster cluster;
    QString historyUrl;     // set before start() for a console that keeps history there
    QString runtime;        // the load balancer's HAProxy folder
    quint16 lbHttpPort = 0; // where HAProxy takes HTTP
    Tribune::ClusterWorkspace workspace;
    std::unique_ptr<Tribune::LiveSession> session;
    std::unique_ptr<Tribune::MainWindow> window;

private:
    QStringList m_nodes;
};
