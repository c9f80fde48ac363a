// XmlDocument: byte-identical round trips of the upstream files, edits that change only what they
// must, refused edits, and the errors a broken or unreadable file gives.
#include "config/configerror.h"
#include "config/carbonxml.h"
#include "config/xmldocument.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "../common/bytecompare.h"
#include "../common/testsupport.h"

using namespace Tribune::Config;
using TestSupport::readAll;
using TestSupport::replaceUnique;

namespace {

QString upstream(const QString &relative)
{
    return QStringLiteral(TRIBUNE_TEST_DATA "/upstream/") + relative;
}

QString kernelFile(const char *name)
{
    return upstream(QStringLiteral("carbon-kernel-4.4.x/") + QLatin1String(name));
}





// The element at a path of child names below the document element ("clustering/members").
XmlDocument::Element elementAt(const XmlDocument &doc, QStringView path)
{
    XmlDocument::Element element = doc.root();
    for (const QStringView step : path.split(u'/', Qt::SkipEmptyParts))
        element = doc.firstChild(element, step);
    return element;
}

std::optional<XmlDocument> parseText(const char *text, ConfigError *error = nullptr)
{
    return XmlDocument::parse(QByteArray(text), QStringLiteral("inline.xml"), error);
}

} // namespace

class tst_XmlDocument : public QObject
{
    Q_OBJECT

private slots:
    void hostileShapesAreRefusedQuickly();
    void roundTrip_data();
    void roundTrip();
    void detectsEncodingAndNewlines();
    void readsTheTree();
    void byteOrderMarkSurvives();

    void setTextReplacesOnlyTheValue();
    void setTextKeepsSurroundingWhitespace();
    void setTextOnSelfClosingElement_data();
    void setTextOnSelfClosingElement();
    void setTextOnSelfClosingElementWithSpace();
    void setTextRefusedOnElementWithChildren();
    void setAttributeDoubleQuoted();
    void setAttributeSingleQuoted();
    void setAttributeAddsNewAttribute();
    void appendChildAfterLastChild();
    void appendChildMultiLineKeepsCrlf();
    void appendChildIntoSelfClosingElement();
    void appendChildIntoEmptyElement_data();
    void appendChildIntoEmptyElement();
    void insertAfter();
    void removeTakesTheWholeLine();
    void removeMultiLineElementOnCrlfFile();
    void removeElementSharingItsLine();
    void removeRootRefused();
    void escapesSpecialCharacters();
    void latin1FileGetsCharacterReferences_data();
    void latin1FileGetsCharacterReferences();
    void brokenEditRefused_data();
    void brokenEditRefused();

    void malformedXml();
    void missingFile();
    void unreadableFile();
    void unreadableFileWithoutPermission();
    void saveFailure();
    void unsupportedEncoding();
    void invalidUtf8_data();
    void invalidUtf8();
    void noElement();
};

void tst_XmlDocument::roundTrip_data()
{
    QTest::addColumn<QString>("path");
    for (const char *name : {"axis2.xml", "carbon.xml", "registry.xml", "master-datasources.xml", "user-mgt.xml",
                             "catalina-server.xml"})
        QTest::addRow("carbon-kernel/%s", name) << kernelFile(name);
    QTest::newRow("stratos-elb/axis2.xml") << upstream(QStringLiteral("stratos-3.0.0-elb/axis2.xml"));

    const QDir sample(QStringLiteral(TRIBUNE_SAMPLE_CLUSTER));
    QDirIterator it(sample.path(), {QStringLiteral("*.xml")}, QDir::Files, QDirIterator::Subdirectories);
    QStringList samples;
    while (it.hasNext())
        samples << it.next();
    samples.sort();
    QVERIFY(samples.size() >= 40);
    for (const QString &path : std::as_const(samples))
        QTest::addRow("sample/%s", qPrintable(sample.relativeFilePath(path))) << path;
}

void tst_XmlDocument::roundTrip()
{
    QFETCH(QString, path);
    const QByteArray original = readAll(path);
    QVERIFY(!original.isEmpty());

    ConfigError error;
    std::optional<XmlDocument> loaded = XmlDocument::load(path, &error);
    QVERIFY2(loaded, qPrintable(error.toString()));
    QCOMPARE(loaded->fileName(), path);
    COMPARE_BYTES(loaded->toBytes(), original);

    std::optional<XmlDocument> parsed = XmlDocument::parse(original, QStringLiteral("copy.xml"), &error);
    QVERIFY2(parsed, qPrintable(error.toString()));
    COMPARE_BYTES(parsed->toBytes(), original);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString copy = dir.filePath(QStringLiteral("written.xml"));
    QVERIFY2(loaded->save(copy, &error), qPrintable(error.toString()));
    COMPARE_BYTES(readAll(copy), original);
}

void tst_XmlDocument::detectsEncodingAndNewlines()
{
    ConfigError error;
    const std::optional<XmlDocument> axis2 = XmlDocument::load(kernelFile("axis2.xml"), &error);
    QVERIFY2(axis2, qPrintable(error.toString()));
    QCOMPARE(axis2->source().newline(), QStringLiteral("\r\n"));
    QCOMPARE(axis2->source().encoding(), QStringConverter::Utf8);

    const std::optional<XmlDocument> registry = XmlDocument::load(kernelFile("registry.xml"), &error);
    QVERIFY2(registry, qPrintable(error.toString()));
    QCOMPARE(registry->source().newline(), QStringLiteral("\n"));
    QCOMPARE(registry->source().encoding(), QStringConverter::Latin1);

    const std::optional<XmlDocument> catalina = XmlDocument::load(kernelFile("catalina-server.xml"), &error);
    QVERIFY2(catalina, qPrintable(error.toString()));
    QCOMPARE(catalina->source().encoding(), QStringConverter::Utf8);
}

void tst_XmlDocument::readsTheTree()
{
    ConfigError error;
    const std::optional<XmlDocument> doc = XmlDocument::load(kernelFile("axis2.xml"), &error);
    QVERIFY2(doc, qPrintable(error.toString()));
    QCOMPARE(doc->name(doc->root()), QStringLiteral("axisconfig"));
    QCOMPARE(doc->line(doc->root()), 17);
    QCOMPARE(doc->parent(doc->root()), XmlDocument::NoElement);

    const XmlDocument::Element clustering = elementAt(*doc, u"clustering");
    QVERIFY(clustering != XmlDocument::NoElement);
    QCOMPARE(doc->line(clustering), 607);
    QCOMPARE(doc->parent(clustering), doc->root());
    QCOMPARE(doc->attribute(clustering, u"enable"), QStringLiteral("false"));
    QVERIFY(doc->hasAttribute(clustering, u"class"));
    QVERIFY(!doc->hasAttribute(clustering, u"missing"));
    QCOMPARE(doc->attribute(clustering, u"missing"), QString());

    const XmlDocument::Element domain = doc->childWithAttribute(clustering, u"parameter", u"name", u"domain");
    QCOMPARE(doc->text(domain), QStringLiteral("wso2.carbon.domain"));
    const XmlDocument::Element members = doc->firstChild(clustering, u"members");
    QCOMPARE(doc->children(members).size(), 1);
    const XmlDocument::Element member = doc->children(members, u"member").value(0, XmlDocument::NoElement);
    QCOMPARE(doc->line(member), 710);
    QCOMPARE(doc->childText(member, u"hostName"), QStringLiteral("127.0.0.1"));
    QCOMPARE(doc->childText(member, u"port"), QStringLiteral("4000"));
    QCOMPARE(doc->childText(member, u"absent"), QString());
    QCOMPARE(doc->firstChild(clustering, u"absent"), XmlDocument::NoElement);
    // The properties parameter holds only whitespace between its children.
    QCOMPARE(doc->text(doc->childWithAttribute(clustering, u"parameter", u"name", u"properties")), QString());
    // Invalid elements answer with nothing instead of crashing.
    QCOMPARE(doc->name(XmlDocument::NoElement), QString());
    QCOMPARE(doc->children(12345).size(), 0);
}

void tst_XmlDocument::byteOrderMarkSurvives()
{
    const QByteArray original("\xEF\xBB\xBF<a>\n    <b>old</b>\n</a>\n");
    ConfigError error;
    std::optional<XmlDocument> doc = XmlDocument::parse(original, QStringLiteral("bom.xml"), &error);
    QVERIFY2(doc, qPrintable(error.toString()));
    COMPARE_BYTES(doc->toBytes(), original);
    QVERIFY2(doc->setText(elementAt(*doc, u"b"), QStringLiteral("new"), &error), qPrintable(error.toString()));
    COMPARE_BYTES(doc->toBytes(), QByteArray("\xEF\xBB\xBF<a>\n    <b>new</b>\n</a>\n"));
}

void tst_XmlDocument::setTextReplacesOnlyTheValue()
{
    const QByteArray original = readAll(kernelFile("axis2.xml"));
    ConfigError error;
    std::optional<XmlDocument> doc = XmlDocument::parse(original, QStringLiteral("axis2.xml"), &error);
    QVERIFY2(doc, qPrintable(error.toString()));
    const XmlDocument::Element domain =
        doc->childWithAttribute(elementAt(*doc, u"clustering"), u"parameter", u"name", u"domain");
    QVERIFY2(doc->setText(domain, QStringLiteral("wso2.esb.domain"), &error), qPrintable(error.toString()));

    const QByteArray expected = replaceUnique(original, "<parameter name=\"domain\">wso2.carbon.domain</parameter>",
                                              "<parameter name=\"domain\">wso2.esb.domain</parameter>");
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(doc->toBytes(), expected);
    // The tree reads the new value.
    QCOMPARE(doc->text(doc->childWithAttribute(elementAt(*doc, u"clustering"), u"parameter", u"name", u"domain")),
             QStringLiteral("wso2.esb.domain"));

    // Setting it back restores the file byte for byte.
    QVERIFY(doc->setText(doc->childWithAttribute(elementAt(*doc, u"clustering"), u"parameter", u"name", u"domain"),
                         QStringLiteral("wso2.carbon.domain"), &error));
    COMPARE_BYTES(doc->toBytes(), original);
}

void tst_XmlDocument::setTextKeepsSurroundingWhitespace()
{
    ConfigError error;
    std::optional<XmlDocument> doc = parseText("<a>\n  <b>\n    old value\n  </b>\n  <c>   </c>\n</a>\n", &error);
    QVERIFY2(doc, qPrintable(error.toString()));
    QCOMPARE(doc->text(elementAt(*doc, u"b")), QStringLiteral("old value"));
    QVERIFY(doc->setText(elementAt(*doc, u"b"), QStringLiteral("new"), &error));
    // An element holding only whitespace gets the value in place of the whitespace.
    QVERIFY(doc->setText(elementAt(*doc, u"c"), QStringLiteral("x"), &error));
    COMPARE_BYTES(doc->toBytes(), QByteArray("<a>\n  <b>\n    new\n  </b>\n  <c>x</c>\n</a>\n"));
    QCOMPARE(doc->text(elementAt(*doc, u"b")), QStringLiteral("new"));
}

void tst_XmlDocument::setTextOnSelfClosingElement_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("parentPath");
    QTest::addColumn<QString>("elementName");
    QTest::addColumn<QString>("nameAttribute"); // picks among siblings of that name
    QTest::addColumn<QByteArray>("before");
    QTest::addColumn<QByteArray>("after");

    QTest::newRow("catalina Realm") << kernelFile("catalina-server.xml") << QStringLiteral("Service/Engine")
                                    << QStringLiteral("Realm") << QString()
                                    << QByteArray("<Realm className=\"org.wso2.carbon.tomcat.ext.realms.CarbonTomcatRealm\"/>")
                                    << QByteArray("<Realm className=\"org.wso2.carbon.tomcat.ext.realms.CarbonTomcatRealm\">"
                                                  "value</Realm>");
    QTest::newRow("crlf multi-line tag") << kernelFile("axis2.xml") << QString()
                                         << QStringLiteral("transportReceiver") << QStringLiteral("local")
                                         << QByteArray("<transportReceiver name=\"local\"\r\n                       "
                                                       "class=\"org.wso2.carbon.core.transports.local.CarbonLocalTransportReceiver\"/>")
                                         << QByteArray("<transportReceiver name=\"local\"\r\n                       "
                                                       "class=\"org.wso2.carbon.core.transports.local.CarbonLocalTransportReceiver\">"
                                                       "value</transportReceiver>");
}

void tst_XmlDocument::setTextOnSelfClosingElement()
{
    QFETCH(QString, path);
    QFETCH(QString, parentPath);
    QFETCH(QString, elementName);
    QFETCH(QString, nameAttribute);
    QFETCH(QByteArray, before);
    QFETCH(QByteArray, after);

    const QByteArray original = readAll(path);
    ConfigError error;
    std::optional<XmlDocument> doc = XmlDocument::parse(original, path, &error);
    QVERIFY2(doc, qPrintable(error.toString()));
    const XmlDocument::Element parent = elementAt(*doc, parentPath);
    const XmlDocument::Element element = nameAttribute.isEmpty()
        ? doc->firstChild(parent, elementName)
        : doc->childWithAttribute(parent, elementName, u"name", nameAttribute);
    QVERIFY(element != XmlDocument::NoElement);
    QVERIFY2(doc->setText(element, QStringLiteral("value"), &error), qPrintable(error.toString()));
    const QByteArray expected = replaceUnique(original, before, after);
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(doc->toBytes(), expected);
    // Elements are looked up again: indices are not valid across edits.
    const XmlDocument::Element edited = nameAttribute.isEmpty()
        ? doc->firstChild(elementAt(*doc, parentPath), elementName)
        : doc->childWithAttribute(elementAt(*doc, parentPath), elementName, u"name", nameAttribute);
    QCOMPARE(doc->text(edited), QStringLiteral("value"));
}

void tst_XmlDocument::setTextOnSelfClosingElementWithSpace()
{
    // Space before "/>" does not survive into the open tag.
    ConfigError error;
    std::optional<XmlDocument> small = parseText("<a>\n    <b x=\"1\" />\n</a>\n", &error);
    QVERIFY2(small, qPrintable(error.toString()));
    QVERIFY(small->setText(elementAt(*small, u"b"), QStringLiteral("v"), &error));
    COMPARE_BYTES(small->toBytes(), QByteArray("<a>\n    <b x=\"1\">v</b>\n</a>\n"));
    QCOMPARE(small->text(elementAt(*small, u"b")), QStringLiteral("v"));
}

void tst_XmlDocument::setTextRefusedOnElementWithChildren()
{
    const QByteArray original = readAll(kernelFile("registry.xml"));
    ConfigError error;
    std::optional<XmlDocument> doc = XmlDocument::parse(original, QStringLiteral("registry.xml"), &error);
    QVERIFY2(doc, qPrintable(error.toString()));
    QVERIFY(!doc->setText(elementAt(*doc, u"dbConfig"), QStringLiteral("x"), &error));
    QCOMPARE(error.line, 30);
    QVERIFY(error.message.contains(QLatin1String("dbConfig")));
    COMPARE_BYTES(doc->toBytes(), original);
}

void tst_XmlDocument::setAttributeDoubleQuoted()
{
    const QByteArray original = readAll(kernelFile("axis2.xml"));
    ConfigError error;
    std::optional<XmlDocument> doc = XmlDocument::parse(original, QStringLiteral("axis2.xml"), &error);
    QVERIFY2(doc, qPrintable(error.toString()));
    QVERIFY2(doc->setAttribute(elementAt(*doc, u"clustering/groupManagement"), QStringLiteral("enable"),
                               QStringLiteral("true"), &error),
             qPrintable(error.toString()));
    const QByteArray expected =
        replaceUnique(original, "<groupManagement enable=\"false\">", "<groupManagement enable=\"true\">");
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(doc->toBytes(), expected);
    QCOMPARE(doc->attribute(elementAt(*doc, u"clustering/groupManagement"), u"enable"), QStringLiteral("true"));

    // An attribute on a continuation line of a multi-line start tag.
    QVERIFY(doc->setAttribute(elementAt(*doc, u"clustering/groupManagement/applicationDomain"),
                              QStringLiteral("port"), QStringLiteral("2300"), &error));
    const QByteArray expected2 = replaceUnique(expected, "port=\"2222\"/>", "port=\"2300\"/>");
    QVERIFY(!expected2.isEmpty());
    COMPARE_BYTES(doc->toBytes(), expected2);
}

void tst_XmlDocument::setAttributeSingleQuoted()
{
    ConfigError error;
    std::optional<XmlDocument> doc = parseText("<a>\n    <b x='1' y=\"2\"/>\n</a>\n", &error);
    QVERIFY2(doc, qPrintable(error.toString()));
    const auto b = [&] { return elementAt(*doc, u"b"); };

    QVERIFY2(doc->setAttribute(b(), QStringLiteral("x"), QStringLiteral("10"), &error), qPrintable(error.toString()));
    COMPARE_BYTES(doc->toBytes(), QByteArray("<a>\n    <b x='10' y=\"2\"/>\n</a>\n"));

    // A double quote needs no escaping inside single quotes.
    QVERIFY2(doc->setAttribute(b(), QStringLiteral("x"), QStringLiteral("say \"hi\""), &error),
             qPrintable(error.toString()));
    COMPARE_BYTES(doc->toBytes(), QByteArray("<a>\n    <b x='say \"hi\"' y=\"2\"/>\n</a>\n"));
    QCOMPARE(doc->attribute(b(), u"x"), QStringLiteral("say \"hi\""));

    // A single quote inside single quotes must be escaped.
    QVERIFY2(doc->setAttribute(b(), QStringLiteral("x"), QStringLiteral("it's"), &error),
             qPrintable(error.toString()));
    COMPARE_BYTES(doc->toBytes(), QByteArray("<a>\n    <b x='it&apos;s' y=\"2\"/>\n</a>\n"));
    QCOMPARE(doc->attribute(b(), u"x"), QStringLiteral("it's"));

    // The double-quoted neighbour is untouched by all this and takes a single quote as is.
    QVERIFY2(doc->setAttribute(b(), QStringLiteral("y"), QStringLiteral("it's"), &error),
             qPrintable(error.toString()));
    COMPARE_BYTES(doc->toBytes(), QByteArray("<a>\n    <b x='it&apos;s' y=\"it's\"/>\n</a>\n"));
    QCOMPARE(doc->attribute(b(), u"y"), QStringLiteral("it's"));
}

void tst_XmlDocument::setAttributeAddsNewAttribute()
{
    const QByteArray original = readAll(kernelFile("axis2.xml"));
    ConfigError error;
    std::optional<XmlDocument> doc = XmlDocument::parse(original, QStringLiteral("axis2.xml"), &error);
    QVERIFY2(doc, qPrintable(error.toString()));

    // After the last attribute of a start tag spread over two lines.
    QVERIFY2(doc->setAttribute(elementAt(*doc, u"clustering"), QStringLiteral("note"), QStringLiteral("a&b"), &error),
             qPrintable(error.toString()));
    QByteArray expected = replaceUnique(original, "HazelcastClusteringAgent\"\r\n                enable=\"false\">",
                                        "HazelcastClusteringAgent\"\r\n                enable=\"false\" note=\"a&amp;b\">");
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(doc->toBytes(), expected);
    QCOMPARE(doc->attribute(elementAt(*doc, u"clustering"), u"note"), QStringLiteral("a&b"));

    // Before "/>" of a self-closing tag.
    const XmlDocument::Element local = doc->childWithAttribute(doc->root(), u"transportReceiver", u"name", u"local");
    QVERIFY(doc->setAttribute(local, QStringLiteral("port"), QStringLiteral("1"), &error));
    expected = replaceUnique(expected, "CarbonLocalTransportReceiver\"/>", "CarbonLocalTransportReceiver\" port=\"1\"/>");
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(doc->toBytes(), expected);

    // Space before ">" stays after the new attribute.
    std::optional<XmlDocument> small = parseText("<a x=\"1\" >\n    <b/>\n</a>\n", &error);
    QVERIFY2(small, qPrintable(error.toString()));
    QVERIFY(small->setAttribute(small->root(), QStringLiteral("y"), QStringLiteral("2"), &error));
    COMPARE_BYTES(small->toBytes(), QByteArray("<a x=\"1\" y=\"2\" >\n    <b/>\n</a>\n"));
}

void tst_XmlDocument::appendChildAfterLastChild()
{
    const QByteArray original = readAll(kernelFile("axis2.xml"));
    ConfigError error;
    std::optional<XmlDocument> doc = XmlDocument::parse(original, QStringLiteral("axis2.xml"), &error);
    QVERIFY2(doc, qPrintable(error.toString()));
    const XmlDocument::Element properties =
        doc->childWithAttribute(elementAt(*doc, u"clustering"), u"parameter", u"name", u"properties");
    const XmlDocument::Element added =
        doc->appendChild(properties, QStringLiteral("<property name=\"port.mapping.80\" value=\"9763\"/>"), &error);
    QVERIFY2(added != XmlDocument::NoElement, qPrintable(error.toString()));
    QCOMPARE(doc->name(added), QStringLiteral("property"));
    QCOMPARE(doc->attribute(added, u"value"), QStringLiteral("9763"));
    QCOMPARE(doc->line(added), 692);

    const QByteArray expected =
        replaceUnique(original, "            <property name=\"subDomain\" value=\"worker\"/>\r\n",
                      "            <property name=\"subDomain\" value=\"worker\"/>\r\n"
                      "            <property name=\"port.mapping.80\" value=\"9763\"/>\r\n");
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(doc->toBytes(), expected);
}

void tst_XmlDocument::appendChildMultiLineKeepsCrlf()
{
    const QByteArray original = readAll(kernelFile("axis2.xml"));
    ConfigError error;
    std::optional<XmlDocument> doc = XmlDocument::parse(original, QStringLiteral("axis2.xml"), &error);
    QVERIFY2(doc, qPrintable(error.toString()));
    const XmlDocument::Element added =
        doc->appendChild(elementAt(*doc, u"clustering/members"),
                         QStringLiteral("<member>\n    <hostName>10.0.0.2</hostName>\n    <port>4001</port>\n</member>"),
                         &error);
    QVERIFY2(added != XmlDocument::NoElement, qPrintable(error.toString()));
    QCOMPARE(doc->childText(added, u"hostName"), QStringLiteral("10.0.0.2"));

    const QByteArray expected = replaceUnique(original, "                <port>4000</port>\r\n            </member>\r\n",
                                              "                <port>4000</port>\r\n            </member>\r\n"
                                              "            <member>\r\n"
                                              "                <hostName>10.0.0.2</hostName>\r\n"
                                              "                <port>4001</port>\r\n"
                                              "            </member>\r\n");
    QVERIFY(!expected.isEmpty());
    const QByteArray actual = doc->toBytes();
    COMPARE_BYTES(actual, expected);
    // Every line ending in the file is still CRLF.
    QCOMPARE(actual.count('\n'), actual.count("\r\n"));
}

void tst_XmlDocument::appendChildIntoSelfClosingElement()
{
    const QByteArray original = readAll(kernelFile("axis2.xml"));
    ConfigError error;
    std::optional<XmlDocument> doc = XmlDocument::parse(original, QStringLiteral("axis2.xml"), &error);
    QVERIFY2(doc, qPrintable(error.toString()));
    const XmlDocument::Element local = doc->childWithAttribute(doc->root(), u"transportReceiver", u"name", u"local");
    const XmlDocument::Element added =
        doc->appendChild(local, QStringLiteral("<parameter name=\"port\">7000</parameter>"), &error);
    QVERIFY2(added != XmlDocument::NoElement, qPrintable(error.toString()));
    QCOMPARE(doc->text(added), QStringLiteral("7000"));

    const QByteArray expected =
        replaceUnique(original, "CarbonLocalTransportReceiver\"/>\r\n",
                      "CarbonLocalTransportReceiver\">\r\n"
                      "        <parameter name=\"port\">7000</parameter>\r\n"
                      "    </transportReceiver>\r\n");
    QVERIFY(!expected.isEmpty());
    const QByteArray actual = doc->toBytes();
    COMPARE_BYTES(actual, expected);
    QCOMPARE(actual.count('\n'), actual.count("\r\n"));
}

void tst_XmlDocument::appendChildIntoEmptyElement_data()
{
    QTest::addColumn<QByteArray>("original");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("open and close on two lines")
        << QByteArray("<root>\n    <list>\n    </list>\n</root>\n")
        << QByteArray("<root>\n    <list>\n        <item>\n            <v>1</v>\n        </item>\n    </list>\n</root>\n");
    QTest::newRow("open and close on one line")
        << QByteArray("<root>\n    <list></list>\n</root>\n")
        << QByteArray("<root>\n    <list>\n        <item>\n            <v>1</v>\n        </item>\n    </list>\n</root>\n");
    QTest::newRow("self-closing")
        << QByteArray("<root>\n    <list/>\n</root>\n")
        << QByteArray("<root>\n    <list>\n        <item>\n            <v>1</v>\n        </item>\n    </list>\n</root>\n");
    QTest::newRow("only a comment inside")
        << QByteArray("<root>\n    <list>\n        <!-- none yet -->\n    </list>\n</root>\n")
        << QByteArray("<root>\n    <list>\n        <!-- none yet -->\n        <item>\n            <v>1</v>\n"
                      "        </item>\n    </list>\n</root>\n");
    QTest::newRow("tabs, crlf")
        << QByteArray("<root>\r\n\t<list/>\r\n\t<other/>\r\n</root>\r\n")
        << QByteArray("<root>\r\n\t<list>\r\n\t\t<item>\r\n\t\t    <v>1</v>\r\n\t\t</item>\r\n\t</list>\r\n\t<other/>\r\n</root>\r\n");
}

void tst_XmlDocument::appendChildIntoEmptyElement()
{
    QFETCH(QByteArray, original);
    QFETCH(QByteArray, expected);
    ConfigError error;
    std::optional<XmlDocument> doc = XmlDocument::parse(original, QStringLiteral("inline.xml"), &error);
    QVERIFY2(doc, qPrintable(error.toString()));
    const XmlDocument::Element added =
        doc->appendChild(elementAt(*doc, u"list"), QStringLiteral("<item>\n    <v>1</v>\n</item>"), &error);
    QVERIFY2(added != XmlDocument::NoElement, qPrintable(error.toString()));
    QCOMPARE(doc->name(added), QStringLiteral("item"));
    QCOMPARE(doc->parent(added), elementAt(*doc, u"list"));
    COMPARE_BYTES(doc->toBytes(), expected);
}

void tst_XmlDocument::insertAfter()
{
    const QByteArray original = readAll(kernelFile("registry.xml"));
    ConfigError error;
    std::optional<XmlDocument> doc = XmlDocument::parse(original, QStringLiteral("registry.xml"), &error);
    QVERIFY2(doc, qPrintable(error.toString()));
    const XmlDocument::Element added = doc->insertAfter(
        elementAt(*doc, u"dbConfig"),
        QStringLiteral("<dbConfig name=\"shared\">\n    <dataSource>jdbc/Shared</dataSource>\n</dbConfig>"), &error);
    QVERIFY2(added != XmlDocument::NoElement, qPrintable(error.toString()));
    QCOMPARE(doc->attribute(added, u"name"), QStringLiteral("shared"));
    QCOMPARE(doc->line(added), 33);
    QCOMPARE(doc->children(doc->root(), u"dbConfig").size(), 2);

    const QByteArray expected = replaceUnique(original,
                                              "        <dataSource>jdbc/WSO2CarbonDB</dataSource>\n    </dbConfig>\n",
                                              "        <dataSource>jdbc/WSO2CarbonDB</dataSource>\n    </dbConfig>\n"
                                              "    <dbConfig name=\"shared\">\n"
                                              "        <dataSource>jdbc/Shared</dataSource>\n"
                                              "    </dbConfig>\n");
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(doc->toBytes(), expected);
}

void tst_XmlDocument::removeTakesTheWholeLine()
{
    const QByteArray original = readAll(kernelFile("registry.xml"));
    ConfigError error;
    std::optional<XmlDocument> doc = XmlDocument::parse(original, QStringLiteral("registry.xml"), &error);
    QVERIFY2(doc, qPrintable(error.toString()));
    QVERIFY2(doc->remove(elementAt(*doc, u"versionResourcesOnChange"), &error), qPrintable(error.toString()));
    const QByteArray expected =
        replaceUnique(original, "    <versionResourcesOnChange>false</versionResourcesOnChange>\n", QByteArray());
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(doc->toBytes(), expected);
    QCOMPARE(elementAt(*doc, u"versionResourcesOnChange"), XmlDocument::NoElement);
}

void tst_XmlDocument::removeMultiLineElementOnCrlfFile()
{
    const QByteArray original = readAll(kernelFile("axis2.xml"));
    ConfigError error;
    std::optional<XmlDocument> doc = XmlDocument::parse(original, QStringLiteral("axis2.xml"), &error);
    QVERIFY2(doc, qPrintable(error.toString()));
    const XmlDocument::Element member = doc->firstChild(elementAt(*doc, u"clustering/members"), u"member");
    QVERIFY2(doc->remove(member, &error), qPrintable(error.toString()));
    const QByteArray expected = replaceUnique(original,
                                              "        <members>\r\n"
                                              "            <member>\r\n"
                                              "                <hostName>127.0.0.1</hostName>\r\n"
                                              "                <port>4000</port>\r\n"
                                              "            </member>\r\n"
                                              "        </members>\r\n",
                                              "        <members>\r\n"
                                              "        </members>\r\n");
    QVERIFY(!expected.isEmpty());
    COMPARE_BYTES(doc->toBytes(), expected);
    QCOMPARE(doc->children(elementAt(*doc, u"clustering/members")).size(), 0);
}

void tst_XmlDocument::removeElementSharingItsLine()
{
    ConfigError error;
    std::optional<XmlDocument> doc = parseText("<a>\n    <b/><c>x</c>\n    <d/> <!-- d -->\n</a>\n", &error);
    QVERIFY2(doc, qPrintable(error.toString()));
    QVERIFY(doc->remove(elementAt(*doc, u"b"), &error));
    COMPARE_BYTES(doc->toBytes(), QByteArray("<a>\n    <c>x</c>\n    <d/> <!-- d -->\n</a>\n"));
    // A comment after it on the same line keeps the line.
    QVERIFY(doc->remove(elementAt(*doc, u"d"), &error));
    COMPARE_BYTES(doc->toBytes(), QByteArray("<a>\n    <c>x</c>\n     <!-- d -->\n</a>\n"));
}

void tst_XmlDocument::removeRootRefused()
{
    const QByteArray original = readAll(kernelFile("registry.xml"));
    ConfigError error;
    std::optional<XmlDocument> doc = XmlDocument::parse(original, QStringLiteral("registry.xml"), &error);
    QVERIFY2(doc, qPrintable(error.toString()));
    QVERIFY(!doc->remove(doc->root(), &error));
    QVERIFY(!doc->remove(XmlDocument::NoElement, &error));
    COMPARE_BYTES(doc->toBytes(), original);
}

void tst_XmlDocument::escapesSpecialCharacters()
{
    const QByteArray original = readAll(kernelFile("registry.xml"));
    ConfigError error;
    std::optional<XmlDocument> doc = XmlDocument::parse(original, QStringLiteral("registry.xml"), &error);
    QVERIFY2(doc, qPrintable(error.toString()));
    const QString value = QStringLiteral("a & b < c > d \"e\"");
    const QByteArray escapedValue("a &amp; b &lt; c &gt; d &quot;e&quot;");

    QVERIFY2(doc->setText(elementAt(*doc, u"currentDBConfig"), value, &error), qPrintable(error.toString()));
    QVERIFY2(doc->setAttribute(elementAt(*doc, u"dbConfig"), QStringLiteral("name"), value, &error),
             qPrintable(error.toString()));
    QCOMPARE(doc->text(elementAt(*doc, u"currentDBConfig")), value);
    QCOMPARE(doc->attribute(elementAt(*doc, u"dbConfig"), u"name"), value);
    QCOMPARE(doc->escaped(value), QString::fromLatin1(escapedValue));

    QByteArray expected = replaceUnique(original, "<currentDBConfig>wso2registry</currentDBConfig>",
                                        "<currentDBConfig>" + escapedValue + "</currentDBConfig>");
    expected = replaceUnique(expected, "<dbConfig name=\"wso2registry\">", "<dbConfig name=\"" + escapedValue + "\">");
    QVERIFY(!expected.isEmpty());
    const QByteArray actual = doc->toBytes();
    COMPARE_BYTES(actual, expected);

    // Read from scratch, the values come back unescaped and the file round-trips.
    std::optional<XmlDocument> reread = XmlDocument::parse(actual, QStringLiteral("registry.xml"), &error);
    QVERIFY2(reread, qPrintable(error.toString()));
    QCOMPARE(reread->text(elementAt(*reread, u"currentDBConfig")), value);
    QCOMPARE(reread->attribute(elementAt(*reread, u"dbConfig"), u"name"), value);
    COMPARE_BYTES(reread->toBytes(), actual);
}

void tst_XmlDocument::latin1FileGetsCharacterReferences_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QByteArray>("written");
    QTest::newRow("Latin-1 letter stays a byte") << QStringLiteral("caf\u00e9") << QByteArray("caf\xE9");
    QTest::newRow("euro sign") << QStringLiteral("\u20ac 5") << QByteArray("&#x20ac; 5");
    QTest::newRow("Greek and CJK") << QStringLiteral("\u0394-\u6771\u4eac") << QByteArray("&#x394;-&#x6771;&#x4eac;");
    QTest::newRow("outside the BMP") << QStringLiteral("db\U0001F600") << QByteArray("db&#x1f600;");
}

void tst_XmlDocument::latin1FileGetsCharacterReferences()
{
    QFETCH(QString, value);
    QFETCH(QByteArray, written);
    const QByteArray original = readAll(kernelFile("registry.xml"));
    ConfigError error;
    std::optional<XmlDocument> doc = XmlDocument::parse(original, QStringLiteral("registry.xml"), &error);
    QVERIFY2(doc, qPrintable(error.toString()));
    QCOMPARE(doc->source().encoding(), QStringConverter::Latin1);
    const XmlDocument::Element dataSource = elementAt(*doc, u"dbConfig/dataSource");
    QVERIFY2(doc->setText(dataSource, value, &error), qPrintable(error.toString()));
    QCOMPARE(doc->text(elementAt(*doc, u"dbConfig/dataSource")), value);

    const QByteArray expected = replaceUnique(original, "<dataSource>jdbc/WSO2CarbonDB</dataSource>",
                                              "<dataSource>" + written + "</dataSource>");
    QVERIFY(!expected.isEmpty());
    const QByteArray actual = doc->toBytes();
    COMPARE_BYTES(actual, expected);

    std::optional<XmlDocument> reread = XmlDocument::parse(actual, QStringLiteral("registry.xml"), &error);
    QVERIFY2(reread, qPrintable(error.toString()));
    QCOMPARE(reread->text(elementAt(*reread, u"dbConfig/dataSource")), value);
    COMPARE_BYTES(reread->toBytes(), actual);

    // The same value in an attribute.
    QVERIFY2(doc->setAttribute(elementAt(*doc, u"dbConfig"), QStringLiteral("name"), value, &error),
             qPrintable(error.toString()));
    const QByteArray expected2 =
        replaceUnique(expected, "<dbConfig name=\"wso2registry\">", "<dbConfig name=\"" + written + "\">");
    QVERIFY(!expected2.isEmpty());
    COMPARE_BYTES(doc->toBytes(), expected2);
    std::optional<XmlDocument> reread2 = XmlDocument::parse(doc->toBytes(), QStringLiteral("registry.xml"), &error);
    QVERIFY2(reread2, qPrintable(error.toString()));
    QCOMPARE(reread2->attribute(elementAt(*reread2, u"dbConfig"), u"name"), value);
}

void tst_XmlDocument::brokenEditRefused_data()
{
    QTest::addColumn<int>("edit");
    QTest::newRow("second document element") << 0;
    QTest::newRow("unclosed fragment") << 1;
    QTest::newRow("mismatched fragment") << 2;
    QTest::newRow("invalid attribute name") << 3;
    QTest::newRow("fragment without an element") << 4;
    QTest::newRow("fragment with a stray end tag") << 5;
    QTest::newRow("duplicate attribute") << 6;
}

void tst_XmlDocument::brokenEditRefused()
{
    QFETCH(int, edit);
    const QByteArray original = readAll(kernelFile("registry.xml"));
    ConfigError error;
    std::optional<XmlDocument> doc = XmlDocument::parse(original, QStringLiteral("registry.xml"), &error);
    QVERIFY2(doc, qPrintable(error.toString()));
    const int elementCount = int(doc->children(doc->root()).size());
    const XmlDocument::Element dbConfig = elementAt(*doc, u"dbConfig");

    error = {};
    bool done = true;
    switch (edit) {
    case 0:
        done = doc->insertAfter(doc->root(), QStringLiteral("<extra/>"), &error) != XmlDocument::NoElement;
        break;
    case 1:
        done = doc->appendChild(dbConfig, QStringLiteral("<open>"), &error) != XmlDocument::NoElement;
        break;
    case 2:
        done = doc->appendChild(dbConfig, QStringLiteral("<a></b>"), &error) != XmlDocument::NoElement;
        break;
    case 3:
        done = doc->setAttribute(dbConfig, QStringLiteral("bad name"), QStringLiteral("x"), &error);
        break;
    case 4:
        done = doc->appendChild(dbConfig, QStringLiteral("just some text"), &error) != XmlDocument::NoElement;
        break;
    case 5:
        done = doc->insertAfter(elementAt(*doc, u"readOnly"), QStringLiteral("</wso2registry><x>"), &error)
            != XmlDocument::NoElement;
        break;
    case 6:
        // Adding a second attribute with the same name is not well-formed.
        done = doc->setAttribute(dbConfig, QStringLiteral("name=\"x\" name"), QStringLiteral("y"), &error);
        break;
    }
    QVERIFY(!done);
    QVERIFY(!error.message.isEmpty());
    QCOMPARE(error.file, QStringLiteral("registry.xml"));
    COMPARE_BYTES(doc->toBytes(), original);
    // The tree is the one of the unchanged text and still usable.
    QCOMPARE(doc->children(doc->root()).size(), elementCount);
    QCOMPARE(doc->text(elementAt(*doc, u"dbConfig/dataSource")), QStringLiteral("jdbc/WSO2CarbonDB"));
    QVERIFY(doc->setText(elementAt(*doc, u"currentDBConfig"), QStringLiteral("other"), &error));
}

void tst_XmlDocument::malformedXml()
{
    ConfigError error;
    const std::optional<XmlDocument> doc = XmlDocument::parse(QByteArray("<a>\n  <b>\n  </c>\n</a>\n"),
                                                              QStringLiteral("broken.xml"), &error);
    QVERIFY(!doc);
    QCOMPARE(error.file, QStringLiteral("broken.xml"));
    QCOMPARE(error.line, 3);
    QVERIFY(error.column > 0);
    QVERIFY(!error.message.isEmpty());
    QVERIFY2(error.toString().startsWith(QLatin1String("broken.xml:3:")), qPrintable(error.toString()));

    // Loading from a file names the file.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("broken.xml"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("<?xml version=\"1.0\"?>\n<a>\n  <b attr=\"x>\n</a>\n");
    file.close();
    error = {};
    QVERIFY(!XmlDocument::load(path, &error));
    QCOMPARE(error.file, path);
    QVERIFY(error.line >= 3);
    QVERIFY(!error.message.isEmpty());
}

void tst_XmlDocument::missingFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("absent.xml"));
    ConfigError error;
    QVERIFY(!XmlDocument::load(path, &error));
    QCOMPARE(error.file, path);
    QCOMPARE(error.line, 0);
    QVERIFY(!error.message.isEmpty());
}

void tst_XmlDocument::unreadableFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // A folder where a file is expected cannot be read as one.
    ConfigError error;
    QVERIFY(!XmlDocument::load(dir.path(), &error));
    QCOMPARE(error.file, dir.path());
    QCOMPARE(error.line, 0);
    QVERIFY(!error.message.isEmpty());
}

void tst_XmlDocument::unreadableFileWithoutPermission()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // A file without read permission (not testable as root, who can read anything).
    const QString path = dir.filePath(QStringLiteral("secret.xml"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("<a/>\n");
    file.close();
    QVERIFY(QFile::setPermissions(path, QFileDevice::WriteOwner));
    QFile probe(path);
    if (probe.open(QIODevice::ReadOnly))
        QSKIP("running with privileges that read any file");
    ConfigError error;
    QVERIFY(!XmlDocument::load(path, &error));
    QCOMPARE(error.file, path);
    QVERIFY(!error.message.isEmpty());
}

void tst_XmlDocument::saveFailure()
{
    ConfigError error;
    std::optional<XmlDocument> doc = parseText("<a/>\n", &error);
    QVERIFY2(doc, qPrintable(error.toString()));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("no/such/folder/a.xml"));
    QVERIFY(!doc->save(path, &error));
    QCOMPARE(error.file, path);
    QVERIFY(!error.message.isEmpty());
}

void tst_XmlDocument::unsupportedEncoding()
{
    ConfigError error;
    QVERIFY(!XmlDocument::parse(QByteArray("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\n<a>x</a>\n"),
                                QStringLiteral("sjis.xml"), &error));
    QCOMPARE(error.file, QStringLiteral("sjis.xml"));
    QCOMPARE(error.line, 1);
    QVERIFY2(error.message.contains(QLatin1String("Shift_JIS")), qPrintable(error.message));

    // Declared names the library does support, in any case and quote style.
    for (const char *text : {"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a>x</a>\n",
                             "<?xml version='1.0' encoding='utf-8'?>\n<a>x</a>\n",
                             "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n<a>x</a>\n",
                             "<?xml version=\"1.0\" encoding=\"US-ASCII\"?>\n<a>x</a>\n"}) {
        std::optional<XmlDocument> doc = parseText(text, &error);
        QVERIFY2(doc, qPrintable(error.toString()));
        COMPARE_BYTES(doc->toBytes(), QByteArray(text));
    }
}

void tst_XmlDocument::invalidUtf8_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("line");
    QTest::newRow("line 1") << QByteArray("<a>\xFF\n<b>ok</b>\n</a>\n") << 1;
    QTest::newRow("line 3") << QByteArray("<a>\n<b>ok</b>\n<c>\xC3\x28</c>\n</a>\n") << 3;
    QTest::newRow("last line, no newline") << QByteArray("<a>\n<b>\xC3\xA9</b>\n</a>\xFE") << 3;
    QTest::newRow("truncated sequence at the end") << QByteArray("<a>\n<b>ok</b>\n</a>\n\xE2\x82") << 4;
}

void tst_XmlDocument::invalidUtf8()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, line);
    ConfigError error;
    QVERIFY(!XmlDocument::parse(bytes, QStringLiteral("bad.xml"), &error));
    QCOMPARE(error.file, QStringLiteral("bad.xml"));
    QCOMPARE(error.line, line);
    QVERIFY(error.message.contains(QLatin1String("UTF-8")));
}

void tst_XmlDocument::noElement()
{
    ConfigError error;
    QVERIFY(!parseText("<!-- nothing here -->\n", &error));
    QCOMPARE(error.file, QStringLiteral("inline.xml"));
    QVERIFY(!error.message.isEmpty());
    error = {};
    QVERIFY(!parseText("", &error));
    QVERIFY(!error.message.isEmpty());
}

void tst_XmlDocument::hostileShapesAreRefusedQuickly()
{
    using Tribune::Config::CarbonXml;
    using Tribune::Config::ConfigError;
    using Tribune::Config::XmlDocument;
    // 30,000 elements nested in carbon.xml's <Ports>: walking the ports recursed once per level
    // (SIGSEGV at 1.7 GB). Refused at the first level too deep, with where.
    QByteArray deep = "<Server>\n<Ports>\n<Offset>0</Offset>\n";
    for (int i = 0; i < 30000; ++i)
        deep += "<P>";
    deep += "1";
    for (int i = 0; i < 30000; ++i)
        deep += "</P>";
    deep += "\n</Ports>\n</Server>\n";
    QElapsedTimer clock;
    clock.start();
    ConfigError error;
    QVERIFY(!CarbonXml::parse(deep, QStringLiteral("carbon.xml"), &error));
    QVERIFY2(error.message.contains(QLatin1String("nested more than 256 deep")), qPrintable(error.toString()));
    QCOMPARE(error.line, 4);
    QVERIFY(error.column > 0);
    // 256 levels are still read (and walked) without trouble.
    QByteArray deepest = "<Server><Ports>";
    for (int i = 0; i < XmlDocument::MaxDepth - 2; ++i)
        deepest += "<P>";
    deepest += "9763";
    for (int i = 0; i < XmlDocument::MaxDepth - 2; ++i)
        deepest += "</P>";
    deepest += "</Ports></Server>";
    const std::optional<CarbonXml> carbon = CarbonXml::parse(deepest, QStringLiteral("carbon.xml"), &error);
    QVERIFY2(carbon, qPrintable(error.toString()));
    QCOMPARE(carbon->settings().ports.size(), 1);

    // 100,000 attributes on one element took 15.6 s (the reader's duplicate check is quadratic).
    QByteArray wide = "<Server>\n<Ports ";
    for (int i = 0; i < 100000; ++i)
        wide += "a" + QByteArray::number(i) + "=\"1\" ";
    wide += "/>\n</Server>\n";
    QVERIFY(!XmlDocument::parse(wide, QStringLiteral("carbon.xml"), &error));
    QVERIFY2(error.message.contains(QLatin1String("100000 attributes")), qPrintable(error.toString()));
    QCOMPARE(error.line, 2);
    // A '=' or '>' inside a quoted value is no attribute and no end of the tag.
    QVERIFY(XmlDocument::parse("<a x=\"p=q>r\" y='s=t'><!-- <b c=d e=f> --><![CDATA[<g h=i>]]></a>",
                               QStringLiteral("ok.xml"), &error));

    // A file far larger than any configuration is refused before it is read as XML.
    const QByteArray huge = "<Server>" + QByteArray(int(XmlDocument::MaxFileBytes), ' ') + "</Server>";
    QVERIFY(!XmlDocument::parse(huge, QStringLiteral("carbon.xml"), &error));
    QVERIFY2(error.message.contains(QLatin1String("more than the 4 MB")), qPrintable(error.toString()));
    qInfo("hostile shapes refused in %lld ms", clock.elapsed());
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
}

QTEST_GUILESS_MAIN(tst_XmlDocument)
#include "tst_xmldocument.moc"
