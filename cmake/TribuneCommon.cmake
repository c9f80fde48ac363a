# One INTERFACE target that every Tribune target links: warnings and strict Qt defines.
add_library(tribune_common INTERFACE)
target_compile_options(tribune_common INTERFACE -Wall -Wextra -pedantic -Wshadow -Wnon-virtual-dtor)
if(TRIBUNE_WERROR)
    target_compile_options(tribune_common INTERFACE -Werror)
endif()
target_compile_definitions(tribune_common INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_CONTEXTLESS_CONNECT
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_FOREACH
    QT_USE_QSTRINGBUILDER
    QT_STRICT_ITERATORS
)
