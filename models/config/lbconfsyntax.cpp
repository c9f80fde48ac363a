#include "lbconfsyntax.h"

#include "configerror.h"
#include "i18n/trcontexts.h"

#include <QCoreApplication>

#include <algorithm>
#include <array>
#include <vector>

namespace Tribune::Config {

namespace LbSyntax {


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
                        ConfigText::tr("group_mgt_port '%1' is not a port "
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
                    ConfigText::tr("the setting '%1' is not ended by ';'; add ';' after its value")
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
                    return fail(error, source, pos, ConfigText::tr("unexpected ';' with no setting before it; remove it"));
                LbConfNode node = makeNode(source, words, LbConfNode::Kind::Statement);
                node.range.end = pos + 1;
                open.back().children.append(std::move(node));
            } else if (c == u'{') {
                if (words.isEmpty())
                    return fail(error, source, pos, ConfigText::tr("a block needs a name before '{'; write it as 'name { ... }'"));
                if (words.size() > 1)
                    return missingSemicolon(words.at(words.size() - 2).end);
                if (open.size() > maxDepth)
                    return fail(error, source, pos, ConfigText::tr("blocks are nested more than %1 deep; close the blocks left open").arg(maxDepth));
                LbConfNode node = makeNode(source, words, LbConfNode::Kind::Block);
                node.bodyRange.begin = pos + 1;
                open.push_back(std::move(node));
            } else { // '}'
                if (!words.isEmpty())
                    return missingSemicolon(words.last().end);
                if (open.size() == 1)
                    return fail(error, source, pos, ConfigText::tr("unexpected '}' with no block open; remove it or add the missing 'name {'"));
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
                    ConfigText::tr("the block '%1' opened here is never "
                                   "closed: the '#' comment on line %2 runs to the end of that "
                                   "line and hides its '}'; put the comment on its own line")
                        .arg(open.back().name, QString::number(source.lineAt(braceInComment))));
    if (open.size() > 1)
        return fail(error, source, open.back().nameRange.begin,
                    ConfigText::tr("the block '%1' opened here is never closed; add '}' at its end")
                        .arg(open.back().name));
    root = std::move(open.front());
    return validate(source, root, error);
}



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
            GroupRef ref{{service->name, domain->name, {}, {}, {}, {}, {}, sub ? sub->line : domain->line}, domain, sub};
            const LbConfNode *subDomain = find(u"sub_domain");
            ref.group.subDomain = sub ? sub->name : subDomain ? subDomain->value : QString();
            if (const LbConfNode *hosts = find(u"hosts")) {
                ref.group.hosts = hosts->values();
                if (const LbConfNode *own = service->statement(u"hosts"); own && own != hosts)
                    ref.group.serviceHosts = own->values();
            }
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
    return subDomain.isEmpty() ? ConfigText::tr("(default)") : subDomain;
}

// The group's entry in refs; with a file name, reports a missing group in *error.
const GroupRef *findGroup(const QList<GroupRef> &refs, const QString &service, const QString &domain,
                          const QString &subDomain, const QString *file, ConfigError *error)
{
    for (const GroupRef &ref : refs) {
        if (ref.group.service == service && ref.group.domain == domain && ref.group.subDomain == subDomain)
            return &ref;
    }
    if (file)
        fail(error, *file, 0,
             ConfigText::tr("service '%1' has no domain '%2' with sub-domain "
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
                (isName ? ConfigText::tr("'%1' is not a valid name; use one "
                                         "word without spaces, commas, ';', '{', '}' or '#'")
                        : ConfigText::tr("the value '%1' contains a line break, "
                                         "';', '{', '}' or '#', which would change the file's "
                                         "structure; remove them"))
                    .arg(value));
}

} // namespace LbSyntax

using namespace LbSyntax;

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
        *error = ConfigText::tr("tenant_range '%1' is not valid; use '*' for "
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

} // namespace Tribune::Config
