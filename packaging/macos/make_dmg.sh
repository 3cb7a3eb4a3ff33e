#!/usr/bin/env bash
# Wrap the built "Policy Reader.app" in a compressed disk image with an Applications link,
# so users drag the app across to install it. macOS only (hdiutil).
# Usage: make_dmg.sh "packaging/dist/Policy Reader.app" packaging/dist/policyreader-0.1.0.dmg
set -euo pipefail

app="${1:?path to Policy Reader.app}"
dmg="${2:?output .dmg path}"
[ -d "$app" ] || { echo "make_dmg: no app bundle at $app" >&2; exit 1; }
here="$(cd "$(dirname "$0")" && pwd)"
icons="$here/../../resources/icons"

# The review bundle's document icon is named by the Info.plist; PyInstaller copies only the app's.
cp "$icons/policyreview.icns" "$app/Contents/Resources/policyreview.icns"
# Ad-hoc signature: unsigned arm64 code does not run at all; a real identity replaces "-".
codesign --force --deep --sign "${CODESIGN_IDENTITY:--}" "$app"

staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"
rm -f "$dmg"
hdiutil create -volname "Policy Reader" -srcfolder "$staging" -fs HFS+ -format UDZO -ov "$dmg"
echo "$dmg"
