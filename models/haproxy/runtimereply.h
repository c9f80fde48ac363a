#pragma once

#include <QString>

// HAProxy's runtime API answers in text and never with a status: these read a reply as success
// or failure, by rules listed (with every message they know) at the top of runtimereply.cpp.
namespace Tribune::HAProxy {

// What one command to the runtime API came back with: ok is read from the text (replyError);
// error is then HAProxy's own first line, or a translated message when the socket failed.
struct Reply
{
    QString command; // as sent; for a helper of several steps, the last step that ran
    QString text;    // the whole reply, as HAProxy wrote it
    bool ok = false;
    QString error;
};

// HAProxy's message (the reply's first line) when the reply to command means failure, else an
// empty string.
QString replyError(const QString &command, const QString &text);

// One argument as HAProxy's CLI reads it: '\' before spaces, tabs, ';' and '\', so a map key or
// value with those characters stays one argument and cannot start another command.
QString escapeArgument(const QString &argument);

} // namespace Tribune::HAProxy
