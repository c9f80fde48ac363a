#pragma once

// The check every edit test of a configuration file makes: the edited file, parsed again from
// its bytes, reads the same and writes the same bytes.

#include "config/configerror.h"

#include <QTest>

#include <optional>

namespace TestSupport {

// read renders what the typed file says (e.g. a QStringList describing its settings).
template<typename File, typename Read>
void verifyReread(const File &edited, Read read)
{
    Tribune::Config::ConfigError error;
    const std::optional<File> reread = File::parse(edited.toBytes(), edited.fileName(), &error);
    QVERIFY2(reread, qPrintable(error.toString()));
    QCOMPARE(read(*reread), read(edited));
    QCOMPARE(reread->toBytes(), edited.toBytes());
}

} // namespace TestSupport

#define VERIFY_REREAD(file, read)                                                                                      \
    do {                                                                                                               \
        TestSupport::verifyReread((file), (read));                                                                     \
        if (QTest::currentTestFailed())                                                                                \
            return;                                                                                                    \
    } while (false)
