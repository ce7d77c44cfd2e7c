#!/bin/sh
# Install Copydesk from the unpacked Linux archive, for you alone (no root needed):
#
#   ./install.sh                 program in ~/.local/lib/copydesk, command ~/.local/bin/copydesk,
#                                menu entry, icons and AppStream metadata under ~/.local/share
#   ./install.sh --prefix DIR    the same under DIR (as root, --prefix /usr/local: for everyone)
#   ./install.sh --uninstall     remove what the same command installed (your library stays); the
#                                installed copy works too: ~/.local/lib/copydesk/install.sh --uninstall
set -eu

prefix="$HOME/.local"
action=install
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) prefix="$2"; shift 2 ;;
        --prefix=*) prefix="${1#--prefix=}"; shift ;;
        --uninstall) action=uninstall; shift ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
done

here=$(dirname "$(readlink -f "$0")")
app_id=io.github.copydesk.Copydesk
program="$prefix/lib/copydesk"
bin_link="$prefix/bin/copydesk"
share="$prefix/share"
sizes="16 24 32 48 64 128 256 512"

refresh_caches() {
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$share/applications" || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1; then
        gtk-update-icon-cache -q -t -f "$share/icons/hicolor" || true
    fi
}

if [ "$action" = uninstall ]; then
    rm -rf "$program"
    rm -f "$bin_link" "$share/applications/copydesk.desktop" "$share/metainfo/$app_id.metainfo.xml" \
        "$share/icons/hicolor/scalable/apps/copydesk.svg"
    for size in $sizes; do
        rm -f "$share/icons/hicolor/${size}x${size}/apps/copydesk.png"
    done
    refresh_caches
    echo "Copydesk is uninstalled from $prefix. Your library and settings are kept."
    exit 0
fi

mkdir -p "$prefix/lib" "$prefix/bin" "$share/applications" "$share/metainfo"
rm -rf "$program.new"
cp -R "$here/lib/copydesk" "$program.new"
rm -rf "$program"
mv "$program.new" "$program"
install -m 755 "$0" "$program/install.sh"  # kept for --uninstall
ln -sf "$program/copydesk" "$bin_link"
# the menu entry starts the program by its full path: ~/.local/bin is not on every session's PATH
sed "s|^Exec=copydesk|Exec=\"$bin_link\"|" "$here/share/applications/copydesk.desktop" \
    > "$share/applications/copydesk.desktop"
cp "$here/share/metainfo/$app_id.metainfo.xml" "$share/metainfo/"
for size in $sizes; do
    mkdir -p "$share/icons/hicolor/${size}x${size}/apps"
    cp "$here/share/icons/hicolor/${size}x${size}/apps/copydesk.png" "$share/icons/hicolor/${size}x${size}/apps/"
done
mkdir -p "$share/icons/hicolor/scalable/apps"
cp "$here/share/icons/hicolor/scalable/apps/copydesk.svg" "$share/icons/hicolor/scalable/apps/"
refresh_caches
echo "Copydesk $("$bin_link" --version | cut -d' ' -f2) is installed: find it in your menu, or run $bin_link"
