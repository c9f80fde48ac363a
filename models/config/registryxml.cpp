#include "registryxml.h"

namespace Tribune::Config {

namespace {

bool isTrue(const QString &text)
{
    return text.compare(u"true", Qt::CaseInsensitive) == 0;
}

template<typename T, typename Key>
const T *findBy(const QList<T> &list, Key T::*key, QStringView value)
{
    for (const T &item : list) {
        if (item.*key == value)
            return &item;
    }
    return nullptr;
}

} // namespace

const RegistryDbConfig *RegistrySettings::dbConfig(QStringView name) const
{
    return findBy(dbConfigs, &RegistryDbConfig::name, name);
}

const RegistryRemoteInstance *RegistrySettings::remoteInstance(QStringView id) const
{
    return findBy(remoteInstances, &RegistryRemoteInstance::id, id);
}

const RegistryMount *RegistrySettings::mount(QStringView path) const
{
    return findBy(mounts, &RegistryMount::path, path);
}

std::optional<RegistryXml> RegistryXml::load(const QString &path, ConfigError *error)
{
    return wrap<RegistryXml>(loadWithRoot(path, u"wso2registry", error));
}

std::optional<RegistryXml> RegistryXml::parse(const QByteArray &bytes, const QString &fileName, ConfigError *error)
{
    return wrap<RegistryXml>(parseWithRoot(bytes, fileName, u"wso2registry", error));
}

RegistrySettings RegistryXml::settings() const
{
    const XmlDocument &doc = m_document;
    const XmlDocument::Element root = doc.root();
    RegistrySettings settings;
    const XmlDocument::Element current = doc.firstChild(root, u"currentDBConfig");
    settings.currentDbConfig = doc.text(current);
    settings.currentDbConfigLine = doc.line(current);
    for (const XmlDocument::Element config : doc.children(root, u"dbConfig"))
        settings.dbConfigs.append({doc.attribute(config, u"name"), doc.childText(config, u"dataSource"), doc.line(config)});
    for (const XmlDocument::Element instance : doc.children(root, u"remoteInstance")) {
        RegistryRemoteInstance remote;
        remote.url = doc.attribute(instance, u"url");
        remote.id = doc.childText(instance, u"id");
        remote.dbConfig = doc.childText(instance, u"dbConfig");
        remote.readOnly = isTrue(doc.childText(instance, u"readOnly"));
        remote.enableCache = isTrue(doc.childText(instance, u"enableCache"));
        remote.registryRoot = doc.childText(instance, u"registryRoot");
        remote.cacheId = doc.childText(instance, u"cacheId");
        remote.line = doc.line(instance);
        remote.readOnlyLine = doc.line(doc.firstChild(instance, u"readOnly"));
        remote.cacheIdLine = doc.line(doc.firstChild(instance, u"cacheId"));
        settings.remoteInstances.append(remote);
    }
    for (const XmlDocument::Element mount : doc.children(root, u"mount"))
        settings.mounts.append({doc.attribute(mount, u"path"), isTrue(doc.attribute(mount, u"overwrite")),
                                doc.childText(mount, u"instanceId"), doc.childText(mount, u"targetPath"),
                                doc.line(mount)});
    return settings;
}

bool RegistryXml::setRemoteInstanceValue(const QString &id, const QString &key, const QString &value,
                                         ConfigError *error)
{
    for (const XmlDocument::Element instance : m_document.children(m_document.root(), u"remoteInstance")) {
        if (m_document.childText(instance, u"id") != id)
            continue;
        const XmlDocument::Element child = m_document.firstChild(instance, key);
        if (child != XmlDocument::NoElement)
            return m_document.setText(child, value, error);
        return m_document.appendChild(instance, QLatin1Char('<') + key + QLatin1Char('>') + m_document.escaped(value)
                                                    + QLatin1String("</") + key + QLatin1Char('>'),
                                      error)
            != XmlDocument::NoElement;
    }
    return notFound(QStringLiteral("<remoteInstance> with id \"%1\"").arg(id), error);
}

bool RegistryXml::setDbConfigDataSource(const QString &name, const QString &dataSource, ConfigError *error)
{
    const XmlDocument::Element config = m_document.childWithAttribute(m_document.root(), u"dbConfig", u"name", name);
    if (config == XmlDocument::NoElement)
        return notFound(QStringLiteral("<dbConfig name=\"%1\">").arg(name), error);
    const XmlDocument::Element source = m_document.firstChild(config, u"dataSource");
    if (source == XmlDocument::NoElement)
        return notFound(QStringLiteral("<dataSource> of <dbConfig name=\"%1\">").arg(name), error);
    return m_document.setText(source, dataSource, error);
}

bool RegistryXml::setMountTarget(const QString &path, const QString &instanceId, const QString &targetPath,
                                 ConfigError *error)
{
    const XmlDocument::Element mount = m_document.childWithAttribute(m_document.root(), u"mount", u"path", path);
    if (mount == XmlDocument::NoElement)
        return notFound(QStringLiteral("<mount path=\"%1\">").arg(path), error);
    const XmlDocument::Element instance = m_document.firstChild(mount, u"instanceId");
    if (instance == XmlDocument::NoElement || !m_document.setText(instance, instanceId, error))
        return instance == XmlDocument::NoElement ? notFound(QStringLiteral("<instanceId>"), error) : false;
    const XmlDocument::Element target =
        m_document.firstChild(m_document.childWithAttribute(m_document.root(), u"mount", u"path", path), u"targetPath");
    if (target == XmlDocument::NoElement)
        return notFound(QStringLiteral("<targetPath>"), error);
    return m_document.setText(target, targetPath, error);
}

bool RegistryXml::addMount(const RegistryMount &mount, ConfigError *error)
{
    const QString fragment = QLatin1String("<mount path=\"") + m_document.escaped(mount.path)
        + QLatin1String("\" overwrite=\"") + (mount.overwrite ? QLatin1String("true") : QLatin1String("false"))
        + QLatin1String("\">\n    <instanceId>") + m_document.escaped(mount.instanceId)
        + QLatin1String("</instanceId>\n    <targetPath>") + m_document.escaped(mount.targetPath)
        + QLatin1String("</targetPath>\n</mount>");
    const QList<XmlDocument::Element> mounts = m_document.children(m_document.root(), u"mount");
    const XmlDocument::Element added = mounts.isEmpty() ? m_document.appendChild(m_document.root(), fragment, error)
                                                        : m_document.insertAfter(mounts.last(), fragment, error);
    return added != XmlDocument::NoElement;
}

bool RegistryXml::addDbConfig(const QString &name, const QString &dataSource, ConfigError *error)
{
    const QString fragment = QLatin1String("<dbConfig name=\"") + m_document.escaped(name)
        + QLatin1String("\">\n    <dataSource>") + m_document.escaped(dataSource) + QLatin1String("</dataSource>\n</dbConfig>");
    const QList<XmlDocument::Element> configs = m_document.children(m_document.root(), u"dbConfig");
    const XmlDocument::Element added = configs.isEmpty() ? m_document.appendChild(m_document.root(), fragment, error)
                                                         : m_document.insertAfter(configs.last(), fragment, error);
    return added != XmlDocument::NoElement;
}

bool RegistryXml::addRemoteInstance(const RegistryRemoteInstance &instance, ConfigError *error)
{
    const auto line = [this](const char *key, const QString &value) -> QString {
        return QLatin1String("\n    <") + QLatin1String(key) + QLatin1Char('>') + m_document.escaped(value)
            + QLatin1String("</") + QLatin1String(key) + QLatin1Char('>');
    };
    const auto flag = [](bool value) { return value ? QStringLiteral("true") : QStringLiteral("false"); };
    const QString fragment = QLatin1String("<remoteInstance url=\"") + m_document.escaped(instance.url)
        + QLatin1String("\">") + line("id", instance.id) + line("dbConfig", instance.dbConfig)
        + line("readOnly", flag(instance.readOnly)) + line("enableCache", flag(instance.enableCache))
        + line("registryRoot", instance.registryRoot) + line("cacheId", instance.cacheId)
        + QLatin1String("\n</remoteInstance>");
    const XmlDocument::Element root = m_document.root();
    const QList<XmlDocument::Element> instances = m_document.children(root, u"remoteInstance");
    const QList<XmlDocument::Element> configs = m_document.children(root, u"dbConfig");
    XmlDocument::Element added = XmlDocument::NoElement;
    if (!instances.isEmpty())
        added = m_document.insertAfter(instances.last(), fragment, error);
    else if (!configs.isEmpty())
        added = m_document.insertAfter(configs.last(), fragment, error);
    else
        added = m_document.appendChild(root, fragment, error);
    return added != XmlDocument::NoElement;
}

bool RegistryXml::removeMount(const QString &path, ConfigError *error)
{
    const XmlDocument::Element mount = m_document.childWithAttribute(m_document.root(), u"mount", u"path", path);
    if (mount == XmlDocument::NoElement)
        return notFound(QStringLiteral("<mount path=\"%1\">").arg(path), error);
    return m_document.remove(mount, error);
}

} // namespace Tribune::Config
