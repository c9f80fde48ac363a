#pragma once

// The syntax layer of loadbalancer.conf, shared by the reader and the editor: the tree of
// statements and blocks with their text ranges, and the served groups found in it.

#include "loadbalancerconf.h"

#include <QList>
#include <QString>

#include <utility>

namespace Tribune::Config {

struct ConfigError;

namespace LbSyntax {

// Deeper nesting is never meaningful here; the limit keeps recursion over the tree bounded.
constexpr int maxDepth = 64;

// A served group and the nodes that define it.
struct GroupRef
{
    LbSubDomainGroup group;
    const LbConfNode *domain = nullptr;
    const LbConfNode *sub = nullptr; // the nested sub-domain block (nested dialect only)
};

using NodePair = std::pair<const LbConfNode *, const LbConfNode *>;
using ServiceRef = NodePair; // a service block and the "defaults" block beside it

bool isSpaceOrTab(QChar c);
bool isBlank(QChar c);
bool isDelimiter(QChar c);
bool fail(ConfigError *error, const SourceText &source, qsizetype offset, const QString &message);
bool fail(ConfigError *error, const QString &file, int line, const QString &message);
QString textOf(const QString &text, TextRange range);
qsizetype endOfLine(const QString &text, qsizetype pos);
qsizetype endOfLineIfBlank(const QString &text, qsizetype pos);
LbConfNode makeNode(const SourceText &source, const QList<TextRange> &words, LbConfNode::Kind kind);
bool validate(const SourceText &source, const LbConfNode &block, ConfigError *error);
bool parseTree(const SourceText &source, LbConfNode &root, ConfigError *error);
QList<ServiceRef> serviceNodes(const LbConfNode &root);
QList<GroupRef> collectGroups(const LbConfNode &root);
QString subDomainLabel(const QString &subDomain);
const GroupRef *findGroup(const QList<GroupRef> &refs, const QString &service, const QString &domain,
                          const QString &subDomain, const QString *file = nullptr, ConfigError *error = nullptr);
bool checkText(const QString &value, bool isName, const QString &file, ConfigError *error);

} // namespace LbSyntax
} // namespace Tribune::Config
