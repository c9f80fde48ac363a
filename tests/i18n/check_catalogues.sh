#!/usr/bin/env bash
# The catalogues against the code: lupdate run over the sources as the build runs it must find
# no message that translations/*.ts lacks, none they hold in vain, and no tr() it cannot place
# in a context; lrelease must find every message of de, fr and ja translated.
# usage: check_catalogues.sh SOURCE_DIR LUPDATE LRELEASE
set -euo pipefail
source_dir=$1 lupdate=$2 lrelease=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

find "$source_dir/models" "$source_dir/ui" "$source_dir/app" -name '*.cpp' | sort >"$work/sources"
for language in de fr ja; do
    committed="$source_dir/translations/tribune_$language.ts"
    cp "$committed" "$work/tribune_$language.ts"
    "$lupdate" -no-obsolete -locations none -I "$source_dir/models" -I "$source_dir/ui" "@$work/sources" -ts "$work/tribune_$language.ts" >"$work/lupdate.log" 2>&1 \
        || { cat "$work/lupdate.log" >&2; echo "lupdate failed" >&2; exit 1; }
    if grep -v -e '^Updating' -e 'Found [0-9]* source text' -e 'Removed [0-9]* obsolete' "$work/lupdate.log" | grep -q .; then
        echo "lupdate cannot place some texts ($language):" >&2
        grep -v -e '^Updating' -e 'Found' "$work/lupdate.log" >&2
        status=1
    fi
    if ! grep -q '(0 new and' "$work/lupdate.log"; then
        echo "translations/tribune_$language.ts lacks texts the code shows: $(grep -o 'Found.*' "$work/lupdate.log")" >&2
        echo "  run: cmake --build build --target update_translations, then translate them" >&2
        status=1
    fi
    if grep -q 'Removed [0-9]* obsolete' "$work/lupdate.log"; then
        echo "translations/tribune_$language.ts holds texts the code no longer shows: $(grep -o 'Removed.*' "$work/lupdate.log")" >&2
        status=1
    fi
    "$lrelease" "$committed" -qm "$work/tribune_$language.qm" >"$work/lrelease.log" 2>&1 \
        || { cat "$work/lrelease.log" >&2; echo "lrelease failed on $committed" >&2; exit 1; }
    cat "$work/lrelease.log"
    if ! grep -q '(\([0-9]*\) finished and 0 unfinished)' "$work/lrelease.log" || grep -q 'Ignored' "$work/lrelease.log"; then
        echo "translations/tribune_$language.ts has unfinished messages" >&2
        status=1
    fi
done
exit $status
