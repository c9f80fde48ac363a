#include "loadbalancerconf.h"

#include "lbconfsyntax.h"

#include "configerror.h"
#include "i18n/trcontexts.h"

#include <QCoreApplication>
#include <QFile>
#include <QSaveFile>

#include <algorithm>
#include <array>
#include <vector>

namespace Tribune::Config {

using namespace LbSyntax;

std::optional<LoadBalancerConf> LoadBalancerConf::load(const QString &path, ConfigError *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        fail(error, path, 0,
             ConfigText::tr("cannot read %1: %2; check that the file exists and that you may read it")
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
                ConfigText::tr("cannot write %1: %2; check that the folder "
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
                        ConfigText::tr("the sub-domain '%1' is the name of a "
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
                    ConfigText::tr("there is no service '%1' in the file; add "
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
                    ConfigText::tr("service '%1' already serves domain '%2' "
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
                ConfigText::tr("service '%1' sets a sub_domain for all its "
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
                    ConfigText::tr("'%1' is a block, not a setting with a "
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
                    ConfigText::tr("'%1' is a setting, not a block; add to "
                                   "the block that holds it")
                        .arg(block.name));
    const QString trimmed = value.trimmed();
    return insertIntoBlock(block, {name + (trimmed.isEmpty() ? QString() : u' ' + trimmed) + u';'}, error);
}

bool LoadBalancerConf::addBlock(const LbConfNode &parent, const QString &name, const QStringList &bodyLines,
                                ConfigError *error)
{
    if (!checkNode(parent, error) || !checkText(name, true, m_source.fileName(), error))
        return false;
    const QString unit = indentUnit();
    QStringList lines{name + QLatin1String(" {")};
    for (const QString &line : bodyLines)
        lines.append(unit + line);
    lines.append(QStringLiteral("}"));
    return insertIntoBlock(parent, lines, error);
}

bool LoadBalancerConf::remove(const LbConfNode &node, ConfigError *error)
{
    if (!checkNode(node, error))
        return false;
    if (&node == &m_root)
        return fail(error, m_source.fileName(), 0,
                    ConfigText::tr("the whole file cannot be removed; remove its blocks instead"));
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
                ConfigText::tr("the setting to edit is no longer part of the "
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
