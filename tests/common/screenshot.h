#pragma once

// Saves a picture of a widget in the build folder (TRIBUNE_SCREENSHOT_DIR), for people to look at.

#include <QString>
#include <QWidget>

namespace TestSupport {

inline void saveShot(QWidget *widget, const QString &name)
{
    const QString path = QStringLiteral(TRIBUNE_SCREENSHOT_DIR "/") + name;
    if (widget->grab().save(path))
        qInfo("screenshot: %s", qPrintable(path));
}

} // namespace TestSupport
