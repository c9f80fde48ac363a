#pragma once

#include <QCoreApplication>
#include <QMetaObject>
#include <QPointer>
#include <QThread>

#include <functional>
#include <memory>

namespace Tribune {

// Runs work on a thread of its own and hands its result to deliver on the application's thread,
// if receiver is still there then; a receiver gone meanwhile drops the result, and nobody waits
// for the thread (it deletes itself when done). For blocking work the GUI must not wait on:
// database connections, file writes.
template <typename Result>
void runInBackground(QObject *receiver, std::function<Result()> work, std::function<void(const Result &)> deliver)
{
    QThread *thread = QThread::create([work = std::move(work), deliver = std::move(deliver),
                                       target = QPointer<QObject>(receiver)] {
        auto result = std::make_shared<Result>(work());
        QMetaObject::invokeMethod(QCoreApplication::instance(), [target, deliver, result] {
            if (target) // read on the application's thread only
                deliver(*result);
        }, Qt::QueuedConnection);
    });
    QObject::connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
}

} // namespace Tribune
