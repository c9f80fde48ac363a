#include "nodedetailspanel.h"

#include "cluster/clusterworkspace.h"
#include "cluster/nodedescription.h"

#include <QTextBrowser>
#include <QVBoxLayout>

namespace Tribune {

NodeDetailsPanel::NodeDetailsPanel(const ClusterWorkspace *workspace, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_view(new QTextBrowser(this))
{
    m_view->setFrameShape(QFrame::NoFrame);
    m_view->setOpenLinks(false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    showSummary(tr("No cluster open"), 0, 0, 0);
}

QString NodeDetailsPanel::plainText() const
{
    return m_view->toPlainText();
}

void NodeDetailsPanel::render(const QString &title, const QString &subtitle, const QList<DescriptionRow> &rows,
                              const QString &findingsHtml)
{
    // Findings first: they are what the user came to the node for.
    QString html = QStringLiteral("<h2>%1</h2><p>%2</p>").arg(title.toHtmlEscaped(), subtitle.toHtmlEscaped())
        + findingsHtml;
    if (!rows.isEmpty()) {
        html += QLatin1String("<table cellspacing='0' cellpadding='3'>");
        for (const DescriptionRow &row : rows)
            html += QStringLiteral("<tr><td align='right' valign='top' style='color:palette(mid)'><b>%1</b></td>"
                                   "<td valign='top'>%2</td></tr>")
                        .arg(row.label.toHtmlEscaped(), row.value.toHtmlEscaped());
        html += QLatin1String("</table>");
    }
    m_view->setHtml(html);
}

void NodeDetailsPanel::showNode(const QString &nodeName)
{
    for (const NodeFacts &facts : m_workspace->facts()) {
        if (facts.node->name() != nodeName)
            continue;
        const QList<Finding> findings = m_workspace->findingsFor(nodeName);
        QString findingsHtml;
        if (!findings.isEmpty()) {
            for (const Finding &finding : findings) {
                const QString colour = finding.severity == Severity::Error ? QStringLiteral("#c0392b")
                                                                          : QStringLiteral("#b9770e");
                findingsHtml += QStringLiteral("<p><b style='color:%1'>%2</b> %3<br/><i>%4</i> %5</p>")
                                    .arg(colour, severityLabel(finding.severity).toHtmlEscaped(),
                                         finding.message.toHtmlEscaped(), tr("Fix:").toHtmlEscaped(),
                                         finding.fix.toHtmlEscaped());
            }
        }
        render(nodeName,
               findings.isEmpty() ? tr("No problems found in this node's files.")
                                  : errorsAndWarnings(countOf(findings, Severity::Error),
                                                      countOf(findings, Severity::Warning)),
               describeNode(facts), findingsHtml);
        return;
    }
    showSummary(nodeName, 0, 0, 0);
}

void NodeDetailsPanel::showSummary(const QString &title, int nodes, int errors, int warnings)
{
    render(title, nodes ? tr("%1 nodes — %2").arg(nodes).arg(errorsAndWarnings(errors, warnings)) : QString(), {},
           QString());
}

} // namespace Tribune
