#include "nodeconfig.h"

#include "config/configerror.h"
#include "i18n/trcontexts.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <type_traits>

namespace Tribune {

using namespace Config;

QString NodeConfig::relativePath(File file)
{
    switch (file) {
    case File::Axis2: return QStringLiteral("axis2/axis2.xml");
    case File::Carbon: return QStringLiteral("carbon.xml");
    case File::Registry: return QStringLiteral("registry.xml");
    case File::Datasources: return QStringLiteral("datasources/master-datasources.xml");
    case File::UserMgt: return QStringLiteral("user-mgt.xml");
    case File::Catalina: return QStringLiteral("tomcat/catalina-server.xml");
    case File::LoadBalancer: return QStringLiteral("loadbalancer.conf");
    }
    return {};
}

QString NodeConfig::confFolderOf(const QString &folder)
{
    const QDir dir(folder);
    const auto holdsConf = [](const QDir &conf) {
        return conf.exists(relativePath(File::Axis2)) || conf.exists(relativePath(File::Carbon));
    };
    if (const QDir conf(dir.filePath(QStringLiteral("repository/conf"))); conf.exists() && holdsConf(conf))
        return conf.path();
    if (holdsConf(dir))
        return dir.path();
    return {};
}

QString NodeConfig::filePath(File file) const
{
    return m_confPath + QLatin1Char('/') + relativePath(file);
}

bool NodeConfig::has(File file) const
{
    switch (file) {
    case File::Axis2: return m_axis2.has_value();
    case File::Carbon: return m_carbon.has_value();
    case File::Registry: return m_registry.has_value();
    case File::Datasources: return m_datasources.has_value();
    case File::UserMgt: return m_userMgt.has_value();
    case File::Catalina: return m_catalina.has_value();
    case File::LoadBalancer: return m_loadBalancer.has_value();
    }
    return false;
}

namespace {

// Loads one optional file into target; a missing file is fine, a broken one is an error.
template<typename Loaded>
bool loadOptional(const QString &path, std::optional<Loaded> *target, QList<ConfigError> *errors)
{
    if (!QFileInfo::exists(path))
        return true;
    ConfigError error;
    *target = Loaded::load(path, &error);
    if (!*target)
        errors->append(error);
    return target->has_value();
}

} // namespace

std::optional<NodeConfig> NodeConfig::load(const QString &folder, QList<ConfigError> *errors)
{
    NodeConfig node;
    node.m_confPath = confFolderOf(folder);
    if (node.m_confPath.isEmpty()) {
        errors->append({folder, 0, 0,
                        ClusterConfigText::tr("not a node: neither it nor its repository/conf "
                                              "holds axis2/axis2.xml or carbon.xml")});
        return std::nullopt;
    }
    const QDir conf(node.m_confPath);
    const bool isConfItself = QDir::cleanPath(conf.absolutePath()).endsWith(QLatin1String("repository/conf"));
    node.m_homePath = isConfItself ? QDir::cleanPath(conf.absoluteFilePath(QStringLiteral("../.."))) : conf.absolutePath();
    node.m_name = QFileInfo(node.m_homePath).fileName();

    bool ok = loadOptional(node.filePath(File::Axis2), &node.m_axis2, errors);
    ok = loadOptional(node.filePath(File::Carbon), &node.m_carbon, errors) && ok;
    ok = loadOptional(node.filePath(File::Registry), &node.m_registry, errors) && ok;
    ok = loadOptional(node.filePath(File::Datasources), &node.m_datasources, errors) && ok;
    ok = loadOptional(node.filePath(File::UserMgt), &node.m_userMgt, errors) && ok;
    ok = loadOptional(node.filePath(File::Catalina), &node.m_catalina, errors) && ok;
    ok = loadOptional(node.filePath(File::LoadBalancer), &node.m_loadBalancer, errors) && ok;
    if (!ok)
        return std::nullopt;
    return node;
}

namespace {

template<typename Parsed>
bool parseOptional(const QMap<NodeConfig::File, QByteArray> &files, NodeConfig::File file, const QString &path,
                   std::optional<Parsed> *target, QList<ConfigError> *errors)
{
    const auto it = files.constFind(file);
    if (it == files.cend())
        return true;
    ConfigError error;
    if constexpr (std::is_same_v<Parsed, LoadBalancerConf>)
        *target = Parsed::parse(QString::fromUtf8(*it), path, &error);
    else
        *target = Parsed::parse(*it, path, &error);
    if (!*target)
        errors->append(error);
    return target->has_value();
}

} // namespace

std::optional<NodeConfig> NodeConfig::fromFiles(const QString &homePath, const QMap<File, QByteArray> &files,
                                                QList<ConfigError> *errors)
{
    NodeConfig node;
    node.m_homePath = QDir::cleanPath(homePath);
    node.m_confPath = node.m_homePath + QLatin1String("/repository/conf");
    node.m_name = QFileInfo(node.m_homePath).fileName();
    bool ok = parseOptional(files, File::Axis2, node.filePath(File::Axis2), &node.m_axis2, errors);
    ok = parseOptional(files, File::Carbon, node.filePath(File::Carbon), &node.m_carbon, errors) && ok;
    ok = parseOptional(files, File::Registry, node.filePath(File::Registry), &node.m_registry, errors) && ok;
    ok = parseOptional(files, File::Datasources, node.filePath(File::Datasources), &node.m_datasources, errors) && ok;
    ok = parseOptional(files, File::UserMgt, node.filePath(File::UserMgt), &node.m_userMgt, errors) && ok;
    ok = parseOptional(files, File::Catalina, node.filePath(File::Catalina), &node.m_catalina, errors) && ok;
    ok = parseOptional(files, File::LoadBalancer, node.filePath(File::LoadBalancer), &node.m_loadBalancer, errors) && ok;
    if (!ok)
        return std::nullopt;
    return node;
}

QByteArray NodeConfig::bytes(File file) const
{
    switch (file) {
    case File::Axis2: return m_axis2 ? m_axis2->toBytes() : QByteArray();
    case File::Carbon: return m_carbon ? m_carbon->toBytes() : QByteArray();
    case File::Registry: return m_registry ? m_registry->toBytes() : QByteArray();
    case File::Datasources: return m_datasources ? m_datasources->toBytes() : QByteArray();
    case File::UserMgt: return m_userMgt ? m_userMgt->toBytes() : QByteArray();
    case File::Catalina: return m_catalina ? m_catalina->toBytes() : QByteArray();
    case File::LoadBalancer: return m_loadBalancer ? m_loadBalancer->toBytes() : QByteArray();
    }
    return {};
}

} // namespace Tribune
