#!/usr/bin/env bash
# Install the Debian/Ubuntu packages brochure needs, when any are missing.
#   Pango (WeasyPrint's text layout), HarfBuzz subsetting (fast font subsetting,
#   about 10x faster than the fontTools fallback for CJK fonts), the Noto fonts
#   for every script the brochures use, poppler-utils and qpdf (PDF checks a
#   print shop would run), gettext (msgfmt, the translators' format check),
#   mupdf-tools (tests draw CJK pages in MuPDF too, to compare renderers),
#   chromium (the web app's tests drive it with Playwright from PyPI, whose own
#   browser download cannot run here).
set -euo pipefail

packages=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
  fonts-noto-core fonts-noto-cjk
  poppler-utils qpdf gettext mupdf-tools
  chromium
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing system packages: ${missing[*]}" >&2
if [[ $(id -u) -eq 0 ]]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "Error: these system packages are missing: ${missing[*]}" >&2
  echo "Install them, then run make again:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
