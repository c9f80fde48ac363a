#pragma once

// Drives a dialog through its widgets as a user would, found by their object names.

#include <QApplication>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>
#include <QTimer>

#include <functional>
#include <optional>

namespace TestSupport {

template<typename Widget>
Widget *child(const QWidget *dialog, const char *name)
{
    auto *widget = dialog->findChild<Widget *>(QString::fromLatin1(name));
    if (!widget)
        qWarning("no %s named \"%s\"", Widget::staticMetaObject.className(), name);
    return widget;
}

// Replaces a field's text as a user would: select all, delete, type.
inline void type(QLineEdit *field, const QString &text)
{
    QTest::keyClick(field, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClick(field, Qt::Key_Delete);
    QTest::keyClicks(field, text);
}

inline void click(const QWidget *dialog, const char *button)
{
    QTest::mouseClick(child<QPushButton>(dialog, button), Qt::LeftButton);
}

// Runs ask(), which shows a modal Dialog and returns its answer, doing what user does once the
// dialog is up; the dialog never outlives the call, whatever user did.
template<typename Dialog, typename Answer>
std::optional<Answer> answerModal(const std::function<std::optional<Answer>()> &ask,
                                  const std::function<void(Dialog *)> &user)
{
    bool done = false;
    QTimer::singleShot(0, qApp, [&] {
        auto *dialog = qobject_cast<Dialog *>(QApplication::activeModalWidget());
        if (!dialog) {
            qWarning("no %s is up", Dialog::staticMetaObject.className());
            return;
        }
        user(dialog);
        done = true;
        if (dialog->isVisible())
            dialog->reject();
    });
    std::optional<Answer> answer = ask();
    if (!done)
        qWarning("the dialog was never driven");
    return answer;
}

} // namespace TestSupport
