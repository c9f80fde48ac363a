// rendericon SVG SIZE PNG: the application's icon at one of the sizes the hicolor theme expects,
// rendered at build time from the one SVG source.
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>
#include <QTextStream>

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    const QStringList arguments = QCoreApplication::arguments();
    QTextStream err(stderr);
    bool sizeOk = false;
    const int size = arguments.value(2).toInt(&sizeOk);
    if (arguments.size() != 4 || !sizeOk || size < 8 || size > 1024) {
        err << "usage: rendericon SVG SIZE PNG (SIZE 8 to 1024)" << Qt::endl;
        return 2;
    }
    QSvgRenderer renderer(arguments.at(1));
    if (!renderer.isValid()) {
        err << "rendericon: " << arguments.at(1) << ": not a valid SVG file" << Qt::endl;
        return 1;
    }
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    renderer.render(&painter);
    painter.end();
    if (!image.save(arguments.at(3), "PNG")) {
        err << "rendericon: cannot write " << arguments.at(3) << Qt::endl;
        return 1;
    }
    return 0;
}
