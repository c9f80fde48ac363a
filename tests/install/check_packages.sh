#!/usr/bin/env bash
# Builds the three Debian packages, installs them into an empty root and checks them as a
# distribution would: what each holds and needs, that nothing needs a maintainer script, lintian,
# the AppStream metadata, the desktop entry, the systemd unit with a node's drop-in, and each
# program run from where it was installed.
# usage: check_packages.sh BUILD_DIR
set -euo pipefail
# dpkg runs ldconfig and start-stop-daemon from the system folders, which a user's PATH may lack.
export PATH="$PATH:/usr/sbin:/sbin"
build=$(cd "$1" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/tribune-packages.XXXXXX")
trap 'rm -rf "$work"' EXIT
# The programs run below read no settings of the user running the test (a saved language).
export XDG_CONFIG_HOME="$work/config" XDG_RUNTIME_DIR="$work/runtime"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
# "grep -q" may leave the writer of a pipe to die of SIGPIPE, which pipefail counts as a failure.
has() { grep "$@" >/dev/null; }
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# The packages, as 'cpack -G DEB' in the build folder makes them.
(cd "$build" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log" >&2; exit 1; }
declare -A deb
shopt -s nullglob
for package in tribune tribune-agent tribunectl; do
    found=("$work"/out/"${package}"_*_*.deb)
    deb[$package]=${found[0]:-}
    [[ -n "${deb[$package]}" ]] || { fail "no package $package"; continue; }
    pass "$package: $(basename "${deb[$package]}"), $(dpkg-deb -f "${deb[$package]}" Installed-Size) KiB installed"
    if dpkg-deb --ctrl-tarfile "${deb[$package]}" | tar -t | has -E '(pre|post)(inst|rm)$'; then
        fail "$package ships a maintainer script"
    fi
done
((failures == 0)) || exit 1

# What each needs.
field() { dpkg-deb -f "${deb[$1]}" "$2"; }
field tribune Depends | has 'libqt6sql6-sqlite' && pass "tribune depends on the SQLite driver" \
    || fail "tribune does not depend on libqt6sql6-sqlite: $(field tribune Depends)"
for driver in libqt6sql6-mysql libqt6sql6-psql; do
    field tribune Recommends | has "$driver" || fail "tribune does not recommend $driver"
done
field tribunectl Depends | has 'libqt6sql6-sqlite' || fail "tribunectl does not depend on libqt6sql6-sqlite"
field tribune-agent Recommends | has 'haproxy' && pass "tribune-agent recommends haproxy" \
    || fail "tribune-agent does not recommend haproxy"
if field tribune-agent Depends | has -E 'libqt6widgets|libqt6gui|libqt6sql|keychain|qcustomplot'; then
    fail "tribune-agent pulls what only the console needs: $(field tribune-agent Depends)"
else
    pass "tribune-agent depends only on: $(field tribune-agent Depends)"
fi

before=$failures

# Installed into an empty root, with nothing else there.
root="$work/root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
touch "$root/var/lib/dpkg/status"
dpkg --root="$root" --force-depends --force-not-root -i "${deb[@]}" >"$work/dpkg.log" 2>&1 \
    || { cat "$work/dpkg.log" >&2; fail "dpkg -i --root failed"; }
for file in usr/bin/tribune usr/bin/tribune-agent usr/bin/tribunectl \
    usr/lib/systemd/system/tribune-agent@.service \
    usr/share/applications/tribune.desktop usr/share/metainfo/io.github.tribune.Tribune.metainfo.xml \
    usr/share/icons/hicolor/scalable/apps/tribune.svg \
    usr/share/man/man1/tribune.1.gz usr/share/man/man1/tribune-agent.1.gz usr/share/man/man1/tribunectl.1.gz \
    usr/share/doc/tribune/copyright usr/share/doc/tribune-agent/copyright usr/share/doc/tribunectl/copyright; do
    [[ -f "$root/$file" ]] || fail "/$file is not installed"
done
for size in 16 22 24 32 48 64 128 256 512; do
    icon="$root/usr/share/icons/hicolor/${size}x${size}/apps/tribune.png"
    [[ -f "$icon" ]] && file "$icon" | has "$size x $size" || fail "no ${size}x${size} icon"
done
dpkg --root="$root" -L tribune-agent | has -E 'bin/tribune$|applications|metainfo' && fail "tribune-agent holds console files"
for program in tribune tribune-agent tribunectl; do
    zcat "$root/usr/share/man/man1/$program.1.gz" | has "^\.TH ${program^^} \"1\"" \
        || fail "the manual page of $program does not start as $program(1)"
done
((failures == before)) && pass "files in place"

# Stripped, and each runs from where it was installed.
for program in tribune tribune-agent tribunectl; do
    binary="$root/usr/bin/$program"
    readelf -S "$binary" | has '\.debug_info' && fail "$program keeps its debug information"
    version=$(QT_QPA_PLATFORM=offscreen "$binary" --version 2>/dev/null) || fail "$program --version failed"
    [[ "$version" == *"0."* ]] && pass "$version" || fail "$program --version printed '$version'"
done
# Each program carries the catalogues: --help speaks the language asked for.
english=$(LANGUAGE=en LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen "$root/usr/bin/tribune" --help 2>/dev/null)
for language in de_DE fr_FR ja_JP; do
    translated=$(LANGUAGE="${language%_*}" LANG="$language.UTF-8" QT_QPA_PLATFORM=offscreen "$root/usr/bin/tribune" --help 2>/dev/null)
    if [[ "$translated" == "$english" || "$translated" == *"Console for application-server clusters"* ]]; then
        fail "tribune --help is not translated for $language"
    else
        pass "tribune --help in $language: $(echo "$translated" | sed -n 2p)"
    fi
done
for program in tribunectl tribune-agent; do
    english=$(LANGUAGE=en LANG=C.UTF-8 "$root/usr/bin/$program" --help 2>&1 || true)
    german=$(LANGUAGE=de LANG=de_DE.UTF-8 "$root/usr/bin/$program" --help 2>&1 || true)
    [[ -n "$german" && "$german" != "$english" ]] && pass "$program --help in German" || fail "$program --help is not translated"
done

# Lintian, AppStream, the desktop entry.
if lintian --fail-on error --tag-display-limit 0 "${deb[@]}" >"$work/lintian.log" 2>&1; then
    pass "lintian: no errors ($(grep -c '^W:' "$work/lintian.log" || true) warnings)"
else
    cat "$work/lintian.log" >&2
    fail "lintian reports errors"
fi
appstreamcli validate --no-net "$root/usr/share/metainfo/io.github.tribune.Tribune.metainfo.xml" >"$work/appstream.log" 2>&1 \
    && pass "appstreamcli validate" || { cat "$work/appstream.log" >&2; fail "appstreamcli validate"; }
desktop_status=0
desktop-file-validate "$root/usr/share/applications/tribune.desktop" >"$work/desktop.log" 2>&1 || desktop_status=$?
if ((desktop_status != 0)) || has -E 'error|warning' "$work/desktop.log"; then
    cat "$work/desktop.log" >&2
    fail "desktop-file-validate"
else
    pass "desktop-file-validate"
fi

# The unit, for a member and for the load balancer, each with the drop-in the installed
# tribunectl writes. systemd's own targets come from this machine, as on any system with systemd.
cp -n /lib/systemd/system/*.target /lib/systemd/system/*.slice "$root/usr/lib/systemd/system/" 2>/dev/null || true
for node in /opt/wso2/esb-worker1 /opt/wso2/lb; do
    mkdir -p "$root$node/repository/conf"
    [[ $(id -u) -eq 0 ]] && chown -R 4242:4242 "$root$node"
    options=()
    [[ "$node" == */lb ]] && options=(--lb)
    "$root/usr/bin/tribunectl" service install "$node" --root "$root" "${options[@]}" >"$work/service.log" 2>&1 \
        || { cat "$work/service.log" >&2; fail "tribunectl service install $node"; continue; }
    unit="tribune-agent@$(systemd-escape --path "$node").service"
    if systemd-analyze verify --man=no --root="$root" "$unit" >"$work/verify.log" 2>&1; then
        pass "systemd-analyze verify $unit"
    else
        cat "$work/verify.log" >&2
        fail "systemd-analyze verify $unit"
    fi
done
lb_dropin="$root/etc/systemd/system/tribune-agent@opt-wso2-lb.service.d/node.conf"
for line in '^KillMode=process$' '^AmbientCapabilities=CAP_NET_BIND_SERVICE$' '^RuntimeDirectoryPreserve=yes$' '^User='; do
    has "$line" "$lb_dropin" || fail "the load balancer's drop-in lacks $line"
done
has '^User=' "$root/etc/systemd/system/tribune-agent@opt-wso2-esb\x2dworker1.service.d/node.conf" \
    || fail "the member's drop-in names no user"

((failures == 0)) && echo "all package checks passed" || { echo "$failures package checks failed" >&2; exit 1; }
