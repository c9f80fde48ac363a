#include "xmlconfigfile.h"

#include "configerror.h"
#include "i18n/trcontexts.h"

#include <QCoreApplication>
#include <QFile>

namespace Tribune::Config {

std::optional<XmlDocument> XmlConfigFile::parseWithRoot(const QByteArray &bytes, const QString &fileName,
                                                        QStringView rootName, ConfigError *error)
{
    std::optional<XmlDocument> document = XmlDocument::parse(bytes, fileName, error);
    if (document && document->name(document->root()) != rootName) {
        if (error)
            *error = {fileName, document->line(document->root()), 0,
                      ConfigText::tr("expected <%1> as the document element, found <%2>; "
                                     "is this the right file?")
                          .arg(rootName, document->name(document->root()))};
        return std::nullopt;
    }
    return document;
}

std::optional<XmlDocument> XmlConfigFile::loadWithRoot(const QString &path, QStringView rootName,
                                                       ConfigError *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = {path, 0, 0,
                      ConfigText::tr("cannot read the file: %1")
                          .arg(file.errorString())};
        return std::nullopt;
    }
    return parseWithRoot(file.readAll(), path, rootName, error);
}

XmlDocument::Element XmlConfigFile::elementAt(QStringView path) const
{
    XmlDocument::Element element = m_document.root();
    for (const QStringView step : path.split(u'/', Qt::SkipEmptyParts)) {
        element = m_document.firstChild(element, step);
        if (element == XmlDocument::NoElement)
            break;
    }
    return element;
}

XmlDocument::Element XmlConfigFile::ensureElement(QStringView path, ConfigError *error)
{
    XmlDocument::Element element = m_document.root();
    for (const QStringView step : path.split(u'/', Qt::SkipEmptyParts)) {
        XmlDocument::Element child = m_document.firstChild(element, step);
        if (child == XmlDocument::NoElement) {
            const QString name = step.toString();
            child = m_document.appendChild(element, QLatin1Char('<') + name + QLatin1String("></") + name + QLatin1Char('>'),
                                           error);
            if (child == XmlDocument::NoElement)
                return child;
        }
        element = child;
    }
    return element;
}

bool XmlConfigFile::setTextAt(QStringView path, const QString &value, ConfigError *error)
{
    const XmlDocument::Element element = ensureElement(path, error);
    return element != XmlDocument::NoElement && m_document.setText(element, value, error);
}

bool XmlConfigFile::notFound(const QString &what, ConfigError *error) const
{
    if (error)
        *error = {fileName(), 0, 0,
                  ConfigText::tr("%1 is not in the file").arg(what)};
    return false;
}

} // namespace Tribune::Config
