#include "loadbalancerconf.h"

#include "configerror.h"

#include <QCoreApplication>
#include <QFile>
#include <QSaveFile>

#include <algorithm>
#include <array>
#include <vector>

namespace Tribune::Config {

namespace {

// Deeper nesting is never meaningful here; the limit keeps recursion over the tree bounded.
constexpr int maxDepth = 64;

bool isSpaceOrTab(QChar c) { return c == u' ' || c == u'\t'; }
bool isBlank(QChar c) { return isSpaceOrTab(c) || c == u'\r' || c == u'\n' || c == u'\f' || c == u'\v'; }
bool isDelimiter(QChar c) { return isBlank(c) || c == u';' || c == u'{' || c == u'}' || c == u'#'; }

bool fail(ConfigError *error, const SourceText &source, qsizetype offset, const QString &message)
{
    if (error)
        *error = {source.fileName(), source.lineAt(offset), source.columnAt(offset), message};
    return false;
}

bool fail(ConfigError *error, const QString &file, int line, const QString &message)
{
    if (error)
        *error = {file, line, 0, message};
    return false;
}

QString textOf(const QString &text, TextRange range) { return text.mid(range.begin, range.length()); }

// Offset of the end of the line holding pos (before its "\r\n" or "\n").
qsizetype endOfLine(const QString &text, qsizetype pos)
{
    const qsizetype newline = text.indexOf(u'\n', pos);
    if (newline < 0)
        return text.size();
    return newline > pos && text.at(newline - 1) == u'\r' ? newline - 1 : newline;
}

// endOfLine(pos) when only spaces or a comment follow pos on its line, else -1.
qsizetype endOfLineIfBlank(const QString &text, qsizetype pos)
{
    while (pos < text.size() && isSpaceOrTab(text.at(pos)))
        ++pos;
    if (pos == text.size() || text.at(pos) == u'\r' || text.at(pos) == u'\n' || text.at(pos) == u'#')
        return endOfLine(text, pos);
    return -1;
}

LbConfNode makeNode(const SourceText &source, const QList<TextRange> &words, LbConfNode::Kind kind)
{
    LbConfNode node;
    node.kind = kind;
    node.nameRange = words.first();
    node.name = textOf(source.text(), node.nameRange);
    node.line = source.lineAt(node.nameRange.begin);
    node.range.begin = node.nameRange.begin;
    node.valueRange = {node.nameRange.end, node.nameRange.end};
    QStringList values;
    for (qsizetype i = 1; i < words.size(); ++i)
        values << textOf(source.text(), words.at(i));
    if (!values.isEmpty())
        node.valueRange = {words.at(1).begin, words.last().end};
    node.value = values.join(u' ');
    return node;
}

// Checks the values the typed view relies on, so that groups() never meets a bad one.
bool validate(const SourceText &source, const LbConfNode &block, ConfigError *error)
{
    for (const LbConfNode &node : block.children) {
        QString why;
        if (node.isBlock() && !validate(source, node, error))
            return false;
        if (node.isBlock())
            continue;
        if (node.name == QLatin1String("tenant_range") && !TenantRange::parse(node.value, &why))
            return fail(error, source, node.valueRange.begin, why);
        const int port = node.value.toInt();
        if (node.name == QLatin1String("group_mgt_port") && (port < 1 || port > 65535))
            return fail(error, source, node.valueRange.begin,
                        QCoreApplication::translate("Tribune::Config", "group_mgt_port '%1' is not a port "
                                                    "number; use a whole number from 1 to 65535")
                            .arg(node.value));
    }
    return true;
}

// Builds the tree with an explicit stack of open blocks; the depth limit bounds later recursion.
bool parseTree(const SourceText &source, LbConfNode &root, ConfigError *error)
{
    const QString &src = source.text();
    const qsizetype size = src.size();
    std::vector<LbConfNode> open(1);
    open.front().kind = LbConfNode::Kind::Block;
    open.front().line = 1;
    open.front().range = open.front().bodyRange = {0, size};
    QList<TextRange> words; // the statement being read: its name, then its values
    qsizetype braceInComment = -1;
    const auto missingSemicolon = [&](qsizetype at) {
        return fail(error, source, at,
                    QCoreApplication::translate("Tribune::Config",
                                                "the setting '%1' is not ended by ';'; add ';' after its value")
                        .arg(textOf(src, words.first())));
    };
    for (qsizetype pos = 0; pos < size;) {
        const QChar c = src.at(pos);
        if (isBlank(c)) {
            ++pos;
        } else if (c == u'#') {
            const qsizetype end = endOfLine(src, pos);
            if (QStringView(src).sliced(pos, end - pos).contains(u'}'))
                braceInComment = pos; // "x; # note } }" flattened onto one line
            pos = end;
        } else if (!isDelimiter(c)) {
            const qsizetype begin = pos;
            while (pos < size && !isDelimiter(src.at(pos)))
                ++pos;
            words.append({begin, pos});
        } else {
            if (c == u';') {
                if (words.isEmpty())
                    return fail(error, source, pos, QCoreApplication::translate("Tribune::Config",
                                "unexpected ';' with no setting before it; remove it"));
                LbConfNode node = makeNode(source, words, LbConfNode::Kind::Statement);
                node.range.end = pos + 1;
                open.back().children.append(std::move(node));
            } else if (c == u'{') {
                if (words.isEmpty())
                    return fail(error, source, pos, QCoreApplication::translate("Tribune::Config",
                                "a block needs a name before '{'; write it as 'name { ... }'"));
                if (words.size() > 1)
                    return missingSemicolon(words.at(words.size() - 2).end);
                if (open.size() > maxDepth)
                    return fail(error, source, pos, QCoreApplication::translate("Tribune::Config",
                                "blocks are nested more than %1 deep; close the blocks left open").arg(maxDepth));
                LbConfNode node = makeNode(source, words, LbConfNode::Kind::Block);
                node.bodyRange.begin = pos + 1;
                open.push_back(std::move(node));
            } else { // '}'
                if (!words.isEmpty())
                    return missingSemicolon(words.last().end);
                if (open.size() == 1)
                    return fail(error, source, pos, QCoreApplication::translate("Tribune::Config",
                                "unexpected '}' with no block open; remove it or add the missing 'name {'"));
                LbConfNode node = std::move(open.back());
                open.pop_back();
                node.bodyRange.end = pos;
                node.range.end = pos + 1;
                open.back().children.append(std::move(node));
            }
            words.clear();
            ++pos;
        }
    }
    if (!words.isEmpty())
        return missingSemicolon(words.last().end);
    if (open.size() > 1 && braceInComment > open.back().nameRange.begin)
        return fail(error, source, open.back().nameRange.begin,
                    QCoreApplication::translate("Tribune::Config", "the block '%1' opened here is never "
                                                "closed: the '#' comment on line %2 runs to the end of that "
                                                "line and hides its '}'; put the comment on its own line")
                        .arg(open.back().name, QString::number(source.lineAt(braceInComment))));
    if (open.size() > 1)
        return fail(error, source, open.back().nameRange.begin,
                    QCoreApplication::translate("Tribune::Config",
                                                "the block '%1' opened here is never closed; add '}' at its end")
                        .arg(open.back().name));
    root = std::move(open.front());
    return validate(source, root, error);
}

// A served group and the nodes that define it.
struct GroupRef
{
    LbSubDomainGroup group;
    const LbConfNode *domain = nullptr;
    const LbConfNode *sub = nullptr; // the nested sub-domain block (nested dialect only)
};

using NodePair = std::pair<const LbConfNode *, const LbConfNode *>;
using ServiceRef = NodePair; // a service block and the "defaults" block beside it

QList<ServiceRef> serviceNodes(const LbConfNode &root)
{
    QList<ServiceRef> result;
    for (const LbConfNode &services : root.children) {
        if (!services.isBlock() || services.name != QLatin1String("services"))
            continue;
        for (const LbConfNode &service : services.children) {
            if (service.isBlock() && service.name != QLatin1String("defaults"))
                result.append(ServiceRef(&service, services.block(u"defaults")));
        }
    }
    return result;
}

QList<GroupRef> collectGroups(const LbConfNode &root)
{
    QList<GroupRef> refs;
    for (const auto &[service, defaults] : serviceNodes(root)) {
        QList<NodePair> pairs; // (domain block, sub-domain block or null)
        for (const LbConfNode &domains : service->children) {
            for (const LbConfNode &domain : domains.children) {
                if (!domains.isBlock() || domains.name != QLatin1String("domains") || !domain.isBlock())
                    continue;
                const qsizetype before = pairs.size();
                for (const LbConfNode &sub : domain.children) {
                    if (sub.isBlock()) // nested dialect: an inner block is a sub-domain
                        pairs.append(NodePair(&domain, &sub));
                }
                if (pairs.size() == before)
                    pairs.append(NodePair(&domain, nullptr));
            }
        }
        for (const auto &[domain, sub] : std::as_const(pairs)) {
            // Values are inherited: sub-domain block, domain, service, then "defaults".
            const std::array<const LbConfNode *, 4> chain{sub, domain, service, defaults};
            const auto find = [&chain](QStringView key) {
                for (const LbConfNode *node : chain) {
                    if (const LbConfNode *found = node ? node->statement(key) : nullptr)
                        return found;
                }
                return static_cast<const LbConfNode *>(nullptr);
            };
            GroupRef ref{{service->name, domain->name, {}, {}, {}, {}, sub ? sub->line : domain->line}, domain, sub};
            const LbConfNode *subDomain = find(u"sub_domain");
            ref.group.subDomain = sub ? sub->name : subDomain ? subDomain->value : QString();
            if (const LbConfNode *hosts = find(u"hosts"))
                ref.group.hosts = hosts->values();
            if (const LbConfNode *range = find(u"tenant_range"))
                ref.group.tenantRange = TenantRange::parse(range->value, nullptr).value_or(TenantRange());
            if (const LbConfNode *port = find(u"group_mgt_port"))
                ref.group.groupMgtPort = port->value.toInt();
            refs.append(ref);
        }
    }
    return refs;
}

QString subDomainLabel(const QString &subDomain)
{
    return subDomain.isEmpty() ? QCoreApplication::translate("Tribune::Config", "(default)") : subDomain;
}

// The group's entry in refs; with a file name, reports a missing group in *error.
const GroupRef *findGroup(const QList<GroupRef> &refs, const QString &service, const QString &domain,
                          const QString &subDomain, const QString *file = nullptr, ConfigError *error = nullptr)
{
    for (const GroupRef &ref : refs) {
        if (ref.group.service == service && ref.group.domain == domain && ref.group.subDomain == subDomain)
            return &ref;
    }
    if (file)
        fail(error, *file, 0,
             QCoreApplication::translate("Tribune::Config", "service '%1' has no domain '%2' with sub-domain "
                                         "'%3'; check the names against the file")
                 .arg(service, domain, subDomainLabel(subDomain)));
    return nullptr;
}

// Names and values must not bring in characters that would change the file's structure.
bool checkText(const QString &value, bool isName, const QString &file, ConfigError *error)
{
    const QLatin1String forbidden = isName ? QLatin1String(" \t\r\n\f\v;{}#,") : QLatin1String("\r\n;{}#");
    bool ok = !(isName && value.isEmpty());
    for (const QChar c : value)
        ok = ok && !forbidden.contains(c);
    if (ok)
        return true;
    return fail(error, file, 0,
                (isName ? QCoreApplication::translate("Tribune::Config", "'%1' is not a valid name; use one "
                                                      "word without spaces, commas, ';', '{', '}' or '#'")
                        : QCoreApplication::translate("Tribune::Config", "the value '%1' contains a line break, "
                                                      "';', '{', '}' or '#', which would change the file's "
                                                      "structure; remove them"))
                    .arg(value));
}

} // namespace

bool TenantRange::contains(int tenantId) const { return all || (tenantId >= first && tenantId <= last); }

bool TenantRange::overlaps(const TenantRange &other) const
{
    return all || other.all || (first <= other.last && other.first <= last);
}

QString TenantRange::toString() const
{
    if (all)
        return QStringLiteral("*");
    return first == last ? QString::number(first) : QString::number(first) + u'-' + QString::number(last);
}

std::optional<TenantRange> TenantRange::parse(QStringView text, QString *error)
{
    const QStringView trimmed = text.trimmed();
    if (trimmed == u"*")
        return TenantRange();
    const auto number = [](QStringView digits, int *out) {
        digits = digits.trimmed();
        bool ok = !digits.isEmpty();
        for (const QChar c : digits)
            ok = ok && c >= u'0' && c <= u'9'; // no sign, no other digit scripts
        if (ok)
            *out = digits.toInt(&ok);
        return ok;
    };
    TenantRange range{false, 0, 0};
    const qsizetype dash = trimmed.indexOf(u'-');
    const bool ok = dash < 0 ? number(trimmed, &range.first) && number(trimmed, &range.last)
                             : number(trimmed.left(dash), &range.first) && number(trimmed.mid(dash + 1), &range.last);
    if (ok && range.first <= range.last)
        return range;
    if (error)
        *error = QCoreApplication::translate("Tribune::Config", "tenant_range '%1' is not valid; use '*' for "
                                             "all tenants, a tenant id such as 7, or a range such as 10-20 "
                                             "whose first id is not above its last")
                     .arg(text);
    return std::nullopt;
}

const LbConfNode *LbConfNode::child(QStringView childName, Kind childKind) const
{
    const auto found = std::find_if(children.cbegin(), children.cend(), [&](const LbConfNode &node) {
        return node.kind == childKind && QStringView(node.name) == childName;
    });
    return found == children.cend() ? nullptr : &*found;
}

QStringList LbConfNode::values() const
{
    return QString(value).replace(u',', u' ').split(u' ', Qt::SkipEmptyParts);
}

std::optional<LoadBalancerConf> LoadBalancerConf::load(const QString &path, ConfigError *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        fail(error, path, 0,
             QCoreApplication::translate("Tribune::Config",
                                         "cannot read %1: %2; check that the file exists and that you may read it")
                 .arg(path, file.errorString()));
        return std::nullopt;
    }
    std::optional<SourceText> source = SourceText::decode(file.readAll(), QStringConverter::Utf8, path, error);
    if (!source)
        return std::nullopt;
    return fromSource(std::move(*source), error);
}

std::optional<LoadBalancerConf> LoadBalancerConf::parse(const QString &text, const QString &fileName,
                                                        ConfigError *error)
{
    return fromSource(SourceText::fromString(text, fileName), error);
}

std::optional<LoadBalancerConf> LoadBalancerConf::fromSource(SourceText source, ConfigError *error)
{
    LoadBalancerConf conf;
    conf.m_source = std::move(source);
    if (!parseTree(conf.m_source, conf.m_root, error))
        return std::nullopt;
    return conf;
}

bool LoadBalancerConf::save(const QString &path, ConfigError *error) const
{
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly)) {
        file.write(toBytes());
        if (file.commit())
            return true;
    }
    return fail(error, path, 0,
                QCoreApplication::translate("Tribune::Config", "cannot write %1: %2; check that the folder "
                                            "exists and that you may write to it")
                    .arg(path, file.errorString()));
}

QList<LbSubDomainGroup> LoadBalancerConf::groups() const
{
    QList<LbSubDomainGroup> result;
    for (const GroupRef &ref : collectGroups(m_root))
        result.append(ref.group);
    return result;
}

QStringList LoadBalancerConf::services() const
{
    QStringList names;
    for (const ServiceRef &service : serviceNodes(m_root)) {
        if (!names.contains(service.first->name))
            names.append(service.first->name);
    }
    return names;
}

bool LoadBalancerConf::setDomainValue(const QString &service, const QString &domain, const QString &subDomain,
                                      const QString &key, const QString &value, ConfigError *error)
{
    if (!checkText(key, true, m_source.fileName(), error))
        return false;
    const QList<GroupRef> refs = collectGroups(m_root);
    const GroupRef *ref = findGroup(refs, service, domain, subDomain, &m_source.fileName(), error);
    if (!ref)
        return false;
    const LbConfNode *target = ref->domain->statement(key);
    const LbConfNode *block = ref->domain;
    if (ref->sub) {
        if (key == QLatin1String("sub_domain"))
            return fail(error, m_source.fileName(), ref->sub->line,
                        QCoreApplication::translate("Tribune::Config", "the sub-domain '%1' is the name of a "
                                                    "nested block; rename that block instead")
                            .arg(subDomain));
        // Only domain-wide keys may be set in the domain block, where the sibling sub-domains share them.
        const bool domainWide = key == QLatin1String("tenant_range") || key == QLatin1String("group_mgt_port");
        const LbConfNode *own = ref->sub->statement(key);
        if (own || !domainWide) {
            target = own;
            block = ref->sub;
        }
    }
    return target ? setValue(*target, value, error) : addStatement(*block, key, value, error);
}

bool LoadBalancerConf::addDomain(const QString &service, const LbSubDomainGroup &group, ConfigError *error)
{
    const QString file = m_source.fileName();
    const QList<ServiceRef> services = serviceNodes(m_root);
    const auto serviceRef = std::find_if(services.cbegin(), services.cend(),
                                         [&](const ServiceRef &ref) { return ref.first->name == service; });
    if (serviceRef == services.cend())
        return fail(error, file, 0,
                    QCoreApplication::translate("Tribune::Config", "there is no service '%1' in the file; add "
                                                "the service first or check its name")
                        .arg(service));
    bool ok = checkText(group.domain, true, file, error)
              && (group.subDomain.isEmpty() || checkText(group.subDomain, true, file, error));
    for (const QString &host : group.hosts)
        ok = ok && checkText(host, true, file, error);
    if (!ok)
        return false;
    if (findGroup(collectGroups(m_root), service, group.domain, group.subDomain))
        return fail(error, file, 0,
                    QCoreApplication::translate("Tribune::Config", "service '%1' already serves domain '%2' "
                                                "with sub-domain '%3'; edit that domain instead")
                        .arg(service, group.domain, subDomainLabel(group.subDomain)));

    const QString unit = indentUnit();
    QStringList lines{group.domain + QLatin1String(" {")};
    if (!group.hosts.isEmpty())
        lines << unit + QLatin1String("hosts ") + group.hosts.join(QLatin1String(", ")) + u';';
    if (!group.subDomain.isEmpty())
        lines << unit + QLatin1String("sub_domain ") + group.subDomain + u';';
    lines << unit + QLatin1String("tenant_range ") + group.tenantRange.toString() + u';';
    if (group.groupMgtPort)
        lines << unit + QLatin1String("group_mgt_port ") + QString::number(*group.groupMgtPort) + u';';
    lines << QStringLiteral("}");
    const LbConfNode *domains = serviceRef->first->block(u"domains");
    if (!domains) {
        for (QString &line : lines)
            line.prepend(unit);
        lines.prepend(QStringLiteral("domains {"));
        lines.append(QStringLiteral("}"));
    }

    const SourceText oldSource = m_source;
    const LbConfNode oldRoot = m_root;
    if (!insertIntoBlock(domains ? *domains : *serviceRef->first, lines, error))
        return false;
    if (findGroup(collectGroups(m_root), service, group.domain, group.subDomain))
        return true;
    m_source = oldSource; // the new block inherited its service's sub_domain: undo
    m_root = oldRoot;
    return fail(error, file, 0,
                QCoreApplication::translate("Tribune::Config", "service '%1' sets a sub_domain for all its "
                                            "domains, so '%2' cannot have the default sub-domain; give it one")
                    .arg(service, group.domain));
}

bool LoadBalancerConf::removeDomain(const QString &service, const QString &domain, const QString &subDomain,
                                    ConfigError *error)
{
    const QList<GroupRef> refs = collectGroups(m_root);
    const GroupRef *ref = findGroup(refs, service, domain, subDomain, &m_source.fileName(), error);
    if (!ref)
        return false;
    const auto blocks = std::count_if(ref->domain->children.cbegin(), ref->domain->children.cend(),
                                      [](const LbConfNode &child) { return child.isBlock(); });
    return remove(ref->sub && blocks > 1 ? *ref->sub : *ref->domain, error);
}

bool LoadBalancerConf::setValue(const LbConfNode &statement, const QString &value, ConfigError *error)
{
    if (!checkNode(statement, error) || !checkText(value, false, m_source.fileName(), error))
        return false;
    if (statement.isBlock())
        return fail(error, m_source, statement.nameRange.begin,
                    QCoreApplication::translate("Tribune::Config", "'%1' is a block, not a setting with a "
                                                "value; edit the settings inside it")
                        .arg(statement.name));
    const QString trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return splice({statement.nameRange.end, statement.valueRange.end}, QString(), error);
    return splice(statement.valueRange, statement.valueRange.isEmpty() ? u' ' + trimmed : trimmed, error);
}

bool LoadBalancerConf::addStatement(const LbConfNode &block, const QString &name, const QString &value,
                                    ConfigError *error)
{
    if (!checkNode(block, error) || !checkText(name, true, m_source.fileName(), error)
        || !checkText(value, false, m_source.fileName(), error))
        return false;
    if (!block.isBlock())
        return fail(error, m_source, block.nameRange.begin,
                    QCoreApplication::translate("Tribune::Config", "'%1' is a setting, not a block; add to "
                                                "the block that holds it")
                        .arg(block.name));
    const QString trimmed = value.trimmed();
    return insertIntoBlock(block, {name + (trimmed.isEmpty() ? QString() : u' ' + trimmed) + u';'}, error);
}

bool LoadBalancerConf::remove(const LbConfNode &node, ConfigError *error)
{
    if (!checkNode(node, error))
        return false;
    if (&node == &m_root)
        return fail(error, m_source.fileName(), 0,
                    QCoreApplication::translate("Tribune::Config",
                                                "the whole file cannot be removed; remove its blocks instead"));
    const QString &src = m_source.text();
    qsizetype begin = node.range.begin;
    qsizetype end = node.range.end;
    const qsizetype lineBegin = m_source.lineStart(begin);
    while (begin > lineBegin && isSpaceOrTab(src.at(begin - 1)))
        --begin;
    const qsizetype eol = endOfLineIfBlank(src, end);
    if (begin == lineBegin && eol >= 0) { // alone on its lines: remove them, trailing comment too
        end = eol < src.size() ? src.indexOf(u'\n', eol) + 1 : eol;
    } else if (begin == lineBegin) { // something follows: keep the indentation for it
        begin = node.range.begin;
        while (end < src.size() && isSpaceOrTab(src.at(end)))
            ++end;
    }
    return splice({begin, end}, QString(), error);
}

bool LoadBalancerConf::splice(TextRange range, const QString &replacement, ConfigError *error)
{
    SourceText edited = m_source;
    edited.replace(range, replacement);
    LbConfNode root;
    if (!parseTree(edited, root, error))
        return false;
    m_source = std::move(edited);
    m_root = std::move(root);
    return true;
}

// Inserts lines (relative indentation applied) after the block's last child, or into the empty
// block: on their own lines when the block spans lines, else joined into one line.
bool LoadBalancerConf::insertIntoBlock(const LbConfNode &block, const QStringList &lines, ConfigError *error)
{
    const QString &src = m_source.text();
    const QString newline = m_source.newline();
    const auto onOwnLines = [&](const QString &indent) {
        QString result;
        for (const QString &line : lines)
            result += newline + indent + line;
        return result;
    };
    QStringList words;
    for (const QString &line : lines)
        words << line.trimmed();
    const QString oneLine = words.join(u' ');
    const bool isRoot = &block == &m_root;
    const int openLine = isRoot ? 0 : m_source.lineAt(block.bodyRange.begin - 1);

    if (!block.children.isEmpty()) {
        const LbConfNode &last = block.children.constLast();
        const qsizetype eol = endOfLineIfBlank(src, last.range.end);
        if (m_source.lineAt(last.range.begin) != openLine && eol >= 0)
            return splice({eol, eol}, onOwnLines(m_source.indentationAt(last.range.begin)), error);
        return splice({last.range.end, last.range.end}, u' ' + oneLine, error);
    }
    if (isRoot) {
        const QString added = onOwnLines(QString());
        const bool atLineStart = src.isEmpty() || src.endsWith(u'\n');
        return splice({src.size(), src.size()}, atLineStart ? added.mid(newline.size()) + newline : added, error);
    }
    if (m_source.lineAt(block.bodyRange.end) == openLine)
        return splice(block.bodyRange, u' ' + oneLine + u' ', error);
    const qsizetype eol = endOfLine(src, block.bodyRange.begin);
    return splice({eol, eol}, onOwnLines(m_source.indentationAt(block.range.begin) + indentUnit()), error);
}

// Refuses nodes that are not part of the current tree (e.g. taken before the last edit).
bool LoadBalancerConf::checkNode(const LbConfNode &node, ConfigError *error) const
{
    std::vector<const LbConfNode *> pending{&m_root};
    while (!pending.empty()) {
        const LbConfNode *current = pending.back();
        pending.pop_back();
        if (current == &node)
            return true;
        for (const LbConfNode &child : current->children)
            pending.push_back(&child);
    }
    return fail(error, m_source.fileName(), 0,
                QCoreApplication::translate("Tribune::Config", "the setting to edit is no longer part of the "
                                            "file; look it up again after each edit"));
}

// The file's indentation step: what a block's first child adds to the block's own indentation.
QString LoadBalancerConf::indentUnit() const
{
    std::vector<const LbConfNode *> pending{&m_root};
    while (!pending.empty()) {
        const LbConfNode *block = pending.back();
        pending.pop_back();
        const QString outer = m_source.indentationAt(block->range.begin);
        for (const LbConfNode &child : block->children) {
            const QString inner = m_source.indentationAt(child.range.begin);
            const bool startsLine = m_source.lineStart(child.range.begin) + inner.size() == child.range.begin;
            if (block != &m_root && startsLine && inner.size() > outer.size() && inner.startsWith(outer))
                return inner.mid(outer.size());
            if (child.isBlock())
                pending.push_back(&child);
        }
    }
    return QStringLiteral("    ");
}

} // namespace Tribune::Config
