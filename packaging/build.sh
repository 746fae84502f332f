#!/usr/bin/env bash
# Build the stand-alone nnviz: dist/nnviz/ (a PyInstaller one-folder bundle, runs without Python)
# and dist/nnviz_<version>_amd64.deb (Debian/Ubuntu). One command, from any folder:
#
#   bash packaging/build.sh
#
# Steps: a build venv under build/ on Python >= 3.12 when one is found (PySide6 on 3.11 needs the
# pinned older release; see ../shared/PLATFORM.md), `pip install '.[package]'`, PyInstaller with
# packaging/nnviz.spec, smoke tests of the bundle, then the .deb with dpkg-deb.
#
# Environment (all optional):
#   NNVIZ_BUILD_PYTHON=/path/to/python   the interpreter for the build venv
#   NNVIZ_DEB=0                          stop after the bundle (no .deb)
#   NNVIZ_DEB_COMPRESSION=xz|gzip|zstd   the .deb's compression (default xz)
#   NNVIZ_MAINTAINER="Name <mail>"       the .deb's Maintainer field
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export LANG="${LANG:-C.UTF-8}"
export PIP_DISABLE_PIP_VERSION_CHECK=1
start=$(date +%s)
step() { echo "== [$(( $(date +%s) - start )) s] $*"; }
die() { echo "build.sh: $*" >&2; exit 1; }

# ---- 1. an interpreter: the newest of 3.12/3.13 found, else python3 (3.11 takes the pinned PySide6)
minor_of() { "$1" -c 'import sys; print(sys.version_info[1] if sys.version_info[0] == 3 else 0)' 2>/dev/null || echo 0; }
pick_python() {
    if [ -n "${NNVIZ_BUILD_PYTHON:-}" ]; then echo "$NNVIZ_BUILD_PYTHON"; return; fi
    local pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}" c
    for c in python3.12 python3.13 \
             "$pyenv_root"/versions/3.12*/bin/python3 "$pyenv_root"/versions/3.13*/bin/python3; do
        if command -v "$c" >/dev/null 2>&1 && [ "$(minor_of "$c")" -ge 12 ] \
           && "$c" -c 'import venv, ssl, sysconfig, sys; sys.exit(not sysconfig.get_config_var("Py_ENABLE_SHARED"))' 2>/dev/null; then
            command -v "$c"; return
        fi
    done
    command -v python3 || die "no python3 found"
}
PY="$(pick_python)"
MINOR="$(minor_of "$PY")"
[ "$MINOR" -ge 11 ] || die "$PY is older than Python 3.11"
[ "$MINOR" -ge 12 ] || echo "build.sh: no Python >= 3.12 found; building on 3.$MINOR with the pinned PySide6" >&2
VENV="build/venv-3.$MINOR"
VERSION="$("$PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
step "nnviz $VERSION with $PY (3.$MINOR) in $VENV"

# ---- 2. the build venv (kept between runs; pip only updates what changed)
if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
fi
pip_q() {  # pip, quiet, without the notices about this machine's missing local index folders
    local rc=0
    "$VENV/bin/python" -m pip "$@" > build/pip.log 2>&1 || rc=$?
    grep -v "is ignored: it is neither" build/pip.log || true
    return $rc
}
# setuptools in the venv and no build isolation: pip then need not make a fresh build env each run
pip_q install -q "setuptools>=77" wheel || die "pip could not install setuptools into $VENV"
pip_q install -q --no-build-isolation "$ROOT[package]" || die "pip could not install nnviz[package] into $VENV"
"$VENV/bin/python" -c 'import PyInstaller, PySide6, pyqtgraph, numpy, nnviz, fontTools' \
    || die "the build venv $VENV lacks a package (see pip's output above)"

# ---- 3. the bundle, with a CJK font cut down to what nnviz shows (packaging/subset_font.py)
CJK_SOURCE="${NNVIZ_CJK_SOURCE:-/usr/share/fonts/truetype/wqy/wqy-microhei.ttc}"
rm -f build/fonts/nnviz-cjk.ttf
if [ -f "$CJK_SOURCE" ]; then
    step "CJK font from $CJK_SOURCE"
    "$VENV/bin/python" packaging/subset_font.py "$CJK_SOURCE" build/fonts/nnviz-cjk.ttf 2>/dev/null \
        || die "could not subset $CJK_SOURCE"
fi
step "PyInstaller"
rm -rf dist/nnviz
"$VENV/bin/python" -m PyInstaller --noconfirm --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/nnviz.spec
BUNDLE="$ROOT/dist/nnviz"
[ -x "$BUNDLE/nnviz" ] || die "PyInstaller made no $BUNDLE/nnviz"

# Every library the bundle carries must find the Qt/Python libraries it links against inside the
# bundle (a filtered-out Qt library would only show when a plugin fails to load on a user's machine).
missing="$(find "$BUNDLE" -name '*.so*' -type f -print0 \
    | xargs -0 -n 50 env LD_LIBRARY_PATH="$BUNDLE/_internal:$BUNDLE/_internal/PySide6/Qt/lib" ldd 2>/dev/null \
    | grep 'not found' | grep -E 'libQt6|libpyside|libshiboken|libicu|libpython' | sort -u || true)"
[ -z "$missing" ] || die "bundled libraries miss bundled dependencies:
$missing"

# ---- 4. smoke tests: the window offscreen, the headless commands and their exit codes
step "smoke tests"
SMOKE_HOME="$(mktemp -d)"
trap 'rm -rf "$SMOKE_HOME"' EXIT
run() { env HOME="$SMOKE_HOME" XDG_CONFIG_HOME="$SMOKE_HOME/.config" XDG_CACHE_HOME="$SMOKE_HOME/.cache" "$@"; }
expect() {  # expect CODE command...
    local want="$1" got=0; shift
    run "$@" > "$SMOKE_HOME/out" 2>&1 || got=$?
    if [ "$got" != "$want" ]; then
        cat "$SMOKE_HOME/out" >&2
        die "'$*' exited $got, expected $want"
    fi
    echo "ok (exit $got): $*"
}
expect 0 env QT_QPA_PLATFORM=offscreen "$BUNDLE/nnviz" --self-test
grep -q '"self_test": "passed"' "$SMOKE_HOME/out" || die "the self-test did not report passed"
expect 0 env QT_QPA_PLATFORM=offscreen "$BUNDLE/nnviz" --self-test --lang zh_CN
grep -q '"menus_translated": true' "$SMOKE_HOME/out" || die "the Chinese self-test did not show Chinese menus"
expect 0 "$BUNDLE/nnviz" train --preset xor --epochs 10
expect 0 "$BUNDLE/nnviz" trace --preset network-2-2-1
expect 2 "$BUNDLE/nnviz" train --preset no-such-preset
expect 0 "$BUNDLE/nnviz" --version
expect 0 "$BUNDLE/nnviz" classify resources/samples/digit-7.png
grep -q ": 7 (" "$SMOKE_HOME/out" || die "the bundle's classify did not read the shipped digit 7"
expect 2 "$BUNDLE/nnviz" classify README.md
if command -v xvfb-run >/dev/null 2>&1; then
    expect 0 xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb "$BUNDLE/nnviz" --self-test
else
    echo "skipped: the self-test on a real X server (no xvfb-run)"
fi
ls "$BUNDLE"/_internal/fonts/*.tt[cf] >/dev/null 2>&1 \
    || echo "build.sh: the bundle carries no CJK font (install fonts-wqy-microhei and rebuild)" >&2
echo "bundle: $(du -sm "$BUNDLE" | cut -f1) MB unpacked, $(find "$BUNDLE" -type f | wc -l) files"

# ---- 5. the Debian package
if [ "${NNVIZ_DEB:-1}" = "0" ]; then
    step "done (no .deb: NNVIZ_DEB=0)"; exit 0
fi
command -v dpkg-deb >/dev/null 2>&1 || { echo "build.sh: no dpkg-deb here: skipping the .deb" >&2; exit 0; }
step "Debian package"
ARCH=amd64
PKG="$ROOT/build/deb/nnviz_${VERSION}_${ARCH}"
rm -rf "$PKG"
mkdir -p "$PKG/DEBIAN" "$PKG/opt" "$PKG/usr/bin" "$PKG/usr/share/applications" \
         "$PKG/usr/share/icons/hicolor/scalable/apps" "$PKG/usr/share/doc/nnviz"
cp -a "$BUNDLE" "$PKG/opt/nnviz"
# the .deb depends on fonts-wqy-microhei: the bundle's own copy of the font is not needed there
rm -rf "$PKG/opt/nnviz/_internal/fonts"
# a wrapper, not a symlink: the bundle finds its files next to its real path either way, and a
# script keeps /usr/bin/nnviz independent of how the bootloader resolves symlinks
cat > "$PKG/usr/bin/nnviz" <<'EOF'
#!/bin/sh
exec /opt/nnviz/nnviz "$@"
EOF
chmod 755 "$PKG/usr/bin/nnviz"
install -m 644 resources/nnviz.desktop "$PKG/usr/share/applications/nnviz.desktop"
install -m 644 resources/icons/nnviz.svg "$PKG/usr/share/icons/hicolor/scalable/apps/nnviz.svg"
for size in 16 32 48 64 128 256; do
    mkdir -p "$PKG/usr/share/icons/hicolor/${size}x${size}/apps"
    install -m 644 "resources/icons/nnviz-$size.png" "$PKG/usr/share/icons/hicolor/${size}x${size}/apps/nnviz.png"
done
cat > "$PKG/usr/share/doc/nnviz/copyright" <<EOF
nnviz $VERSION — MIT licence. The bundle in /opt/nnviz also carries Python (PSF licence),
NumPy and OpenBLAS (BSD), pyqtgraph (MIT), and Qt/PySide6 (LGPLv3), each under its own licence.
EOF
find "$PKG" -type d -exec chmod 755 {} +
find "$PKG" -type f ! -perm -u+x -exec chmod 644 {} +
find "$PKG" -type f -perm -u+x -exec chmod 755 {} +
INSTALLED_KB="$(du -sk --exclude=DEBIAN "$PKG" | cut -f1)"
# pyproject.toml's [project] maintainers, the one place the project names who answers for it
MAINTAINER="${NNVIZ_MAINTAINER:-$("$PY" -c 'import tomllib; m = tomllib.load(open("pyproject.toml", "rb"))["project"]["maintainers"][0]; print(m["name"] + " <" + m["email"] + ">")')}"
case "$MAINTAINER" in *"<"*@*">") ;; *) die "no Maintainer: set [project] maintainers in pyproject.toml";; esac
# What the bundle takes from the system (the spec leaves these libraries out, as the PySide6 wheel
# and the Python interpreter do): the C and C++ runtimes, OpenSSL and the compression libraries;
# GL/EGL, X11/xcb and xkbcommon for the xcb platform plugin, GLib, fontconfig/freetype, D-Bus;
# and a CJK font, or Chinese text draws as empty boxes.
DEPENDS="libc6 (>= 2.36), libstdc++6, libgcc-s1, libssl3, zlib1g, libbz2-1.0, liblzma5, libzstd1, \
libffi8, libuuid1, libgl1, libegl1, libx11-6, libx11-xcb1, libxcb1, libxcb-cursor0, \
libxcb-glx0, libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-randr0, libxcb-render0, \
libxcb-render-util0, libxcb-shape0, libxcb-shm0, libxcb-sync1, libxcb-util1, libxcb-xfixes0, libxcb-xkb1, \
libxkbcommon0, libxkbcommon-x11-0, libglib2.0-0, libfontconfig1, libfreetype6, libdbus-1-3, \
fonts-wqy-microhei"
cat > "$PKG/DEBIAN/control" <<EOF
Package: nnviz
Version: $VERSION
Architecture: $ARCH
Maintainer: $MAINTAINER
Installed-Size: $INSTALLED_KB
Depends: $DEPENDS
Section: education
Priority: optional
Description: watch a neural network learn (teaching tool)
 nnviz trains small neural networks on a pure-NumPy engine and shows every
 neuron, weight and gradient while they learn: toy 2-D problems, logic gates,
 MNIST digits. The nnviz command also trains, traces and checks gradients in a
 terminal. Self-contained: Python, Qt and NumPy are bundled under /opt/nnviz.
EOF
DEB="$ROOT/dist/nnviz_${VERSION}_${ARCH}.deb"
rm -f "$DEB"
dpkg-deb --root-owner-group -Z"${NNVIZ_DEB_COMPRESSION:-xz}" --build "$PKG" "$DEB" >/dev/null
contents="$(dpkg-deb --contents "$DEB")"  # whole, not piped into grep -q: that cuts dpkg-deb off
for f in ./opt/nnviz/nnviz ./usr/bin/nnviz ./usr/share/applications/nnviz.desktop \
         ./usr/share/icons/hicolor/48x48/apps/nnviz.png ./usr/share/icons/hicolor/scalable/apps/nnviz.svg; do
    grep -q " $f\$" <<< "$contents" || die "$DEB lacks ${f#.}"
done
echo "deb: $DEB, $(( $(stat -c %s "$DEB") / 1024 / 1024 )) MB, Installed-Size $INSTALLED_KB KiB"
step "done"
