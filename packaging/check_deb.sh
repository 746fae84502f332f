#!/usr/bin/env bash
# Install dist/nnviz_*.deb, check the installed program, remove it and check nothing is left.
# Needs root (dpkg). Run after packaging/build.sh:
#
#   bash packaging/check_deb.sh
#
# NNVIZ_CHECK_SCREENSHOT=FILE.png also saves a screenshot of the installed app on Xvfb (under
# openbox when it is installed, so that a title bar shows the title and the icon).
# Checks: the package's Depends install; `nnviz --self-test` passes offscreen (and on Xvfb when
# xvfb-run is there) with HOME an empty folder; `nnviz train` works and a bad preset exits 2;
# the time from start to the first window; `dpkg -r` leaves nothing under /opt, /usr/bin, /usr/share.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export LANG="${LANG:-C.UTF-8}"
die() { echo "check_deb.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (dpkg -i)"
DEB="$(ls -t dist/nnviz_*_amd64.deb 2>/dev/null | head -1)"
[ -n "$DEB" ] || die "no dist/nnviz_*_amd64.deb: run packaging/build.sh first"
echo "== $DEB ($(( $(stat -c %s "$DEB") / 1024 / 1024 )) MB)"

# the files the package owns, for the leftover check after removal
OWNED="$(dpkg-deb --contents "$DEB" | awk '{print $NF}' | sed 's|^\./|/|; s|/$||' \
    | grep -E '^/(opt|usr/bin|usr/share)/' | grep -vxE '/opt|/usr/bin|/usr/share|/usr/share/(applications|doc|icons|icons/hicolor(/[^/]+(/apps)?)?)')"

# ---- a real Maintainer (pyproject.toml's), not a placeholder
maint="$(dpkg-deb --field "$DEB" Maintainer)"
case "$maint" in *.invalid*|"") die "the .deb's Maintainer is a placeholder: '$maint'";; esac
echo "ok: Maintainer: $maint"

# ---- the Depends, then the package
depends="$(dpkg-deb --field "$DEB" Depends | tr ',' '\n' | sed 's/(.*)//; s/ //g' | grep -v '^$')"
need=""
for p in $depends; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || need="$need $p"
done
if [ -n "$need" ]; then
    echo "== apt-get install$need"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends $need >/dev/null
fi
removed=0
cleanup() { [ "$removed" = 1 ] || dpkg -r nnviz >/dev/null 2>&1 || true; rm -rf "${EMPTY_HOME:-}"; }
trap cleanup EXIT
dpkg -i "$DEB" >/dev/null
[ "$(command -v nnviz)" = /usr/bin/nnviz ] || die "nnviz is not /usr/bin/nnviz on PATH"

# ---- the installed program, as a new user with an empty HOME
EMPTY_HOME="$(mktemp -d)"
as_user() { env -i PATH=/usr/bin:/bin HOME="$EMPTY_HOME" LANG="$LANG" "$@"; }
expect() {
    local want="$1" got=0; shift
    as_user "$@" > "$EMPTY_HOME.out" 2>&1 || got=$?
    [ "$got" = "$want" ] || { cat "$EMPTY_HOME.out" >&2; die "'$*' exited $got, expected $want"; }
    echo "ok (exit $got): $*"
}
expect 0 env QT_QPA_PLATFORM=offscreen nnviz --self-test
grep -q '"self_test": "passed"' "$EMPTY_HOME.out" || die "the installed self-test did not pass"
# (the self-test draws a 3 and a 7 stroke by stroke on the digit canvas: the shipped model, offline)
grep -q '"canvas_reads_drawn_digits": true' "$EMPTY_HOME.out" || die "the installed canvas did not read the drawn digits"
expect 0 nnviz train --preset xor --epochs 10
expect 2 nnviz train --preset no-such-preset
# the shipped model reads a drawn digit offline (no network namespace when unshare can make one)
DIGIT="$(mktemp --suffix=.png)"
cp resources/samples/digit-7.png "$DIGIT"
NONET=""
unshare -n true 2>/dev/null && NONET="unshare -n"
expect 0 $NONET nnviz classify "$DIGIT"
grep -q ": 7 (" "$EMPTY_HOME.out" || { cat "$EMPTY_HOME.out" >&2; die "the installed classify did not read the 7"; }
rm -f "$DIGIT"
if command -v xvfb-run >/dev/null 2>&1; then
    expect 0 xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb nnviz --self-test
    # start to window: from launching the command to the app's "first window" line (printed once
    # the window is shown and the event loop runs; NNVIZ_QUIT_AFTER=0 then closes it), measured
    # inside the X session so Xvfb's own start is not counted
    for i in 1 2 3; do
        as_user xvfb-run -a -s "-screen 0 1280x800x24" sh -c 't0=$(date +%s%N)
            NNVIZ_STARTUP_TIME=1 NNVIZ_QUIT_AFTER=0 nnviz 2>&1 | while read -r line; do
                case "$line" in "first window"*)
                    echo "start to window: $(( ($(date +%s%N) - t0) / 1000000 )) ms from the command ($line in the app)";;
                esac
            done'
    done
    if [ -n "${NNVIZ_CHECK_SCREENSHOT:-}" ] && command -v import >/dev/null 2>&1; then
        as_user xvfb-run -a -s "-screen 0 1280x800x24" sh -c \
            "(command -v openbox >/dev/null && openbox >/dev/null 2>&1 &) ; NNVIZ_QUIT_AFTER=10 nnviz & sleep 8; import -window root '$NNVIZ_CHECK_SCREENSHOT'; wait \$!" \
            && echo "screenshot: $NNVIZ_CHECK_SCREENSHOT"
    fi
fi
# nothing was written outside HOME: every file under /opt/nnviz is the package's own
extra="$(comm -13 <(dpkg -L nnviz | sort) <(find /opt/nnviz | sort))"
[ -z "$extra" ] || die "files appeared under /opt/nnviz at run time: $extra"

# ---- removal leaves nothing behind
dpkg -r nnviz >/dev/null
removed=1
left=""
for f in $OWNED /opt/nnviz; do
    if [ -e "$f" ] || [ -L "$f" ]; then left="$left $f"; fi
done
[ -z "$left" ] || die "dpkg -r left:$left"
echo "ok: dpkg -r nnviz left nothing under /opt, /usr/bin, /usr/share"
