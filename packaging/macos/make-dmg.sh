#!/usr/bin/env bash
# Make the macOS disk image from the Copydesk.app that packaging/copydesk.spec builds:
#
#   pyinstaller --noconfirm packaging/copydesk.spec     # gives dist/Copydesk.app
#   packaging/macos/make-dmg.sh [dist/Copydesk.app] [OUT_DIR]
#
# Writes OUT_DIR/Copydesk-<version>-macos-<arch>.dmg (OUT_DIR defaults to the app's folder): a
# compressed image holding Copydesk.app and a link to /Applications to drag it onto. The version is
# the bundle's CFBundleShortVersionString, which the spec takes from pyproject.toml.
#
# Without CODESIGN_IDENTITY the app is signed ad hoc, which Apple Silicon requires of every executable;
# it is not notarised, so the first start needs right-click > Open. For a release that opens with a
# double click, set CODESIGN_IDENTITY to a "Developer ID Application" identity in the keychain: the app
# is then signed with the hardened runtime and entitlements.plist, and the dmg can be notarised with
# `xcrun notarytool submit --wait` and `xcrun stapler staple`.
set -euo pipefail

app=${1:-dist/Copydesk.app}
app=${app%/}
out=${2:-$(dirname "$app")}
[[ -d "$app/Contents/MacOS" ]] || { echo "make-dmg: no application bundle at $app" >&2; exit 1; }

plist="$app/Contents/Info.plist"
version=$(/usr/libexec/PlistBuddy -c "Print :CFBundleShortVersionString" "$plist")
arch=$(uname -m)
dmg="$out/Copydesk-$version-macos-$arch.dmg"

if [[ -n "${CODESIGN_IDENTITY:-}" ]]; then
    codesign --force --deep --options runtime --timestamp \
        --entitlements "$(dirname "$0")/entitlements.plist" --sign "$CODESIGN_IDENTITY" "$app"
else
    codesign --force --deep --sign - "$app"
fi
codesign --verify --deep --strict "$app"

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
ditto "$app" "$staging/Copydesk.app"
ln -s /Applications "$staging/Applications"

mkdir -p "$out"
rm -f "$dmg"
hdiutil create -volname "Copydesk $version" -srcfolder "$staging" -fs HFS+ -format UDZO -ov "$dmg"
hdiutil verify "$dmg"
echo "make-dmg: wrote $dmg"
