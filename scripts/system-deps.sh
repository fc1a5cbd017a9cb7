#!/usr/bin/env bash
# The Debian packages Qingdan needs beyond Python and npm, installed when missing.
#
# Called by `make run`, `make test` and `.ci/run`; idempotent and quick when everything is there
# (one dpkg query, no network). As root it installs what is missing (`apt-get update` only then);
# otherwise it stops at once with the exact command to run: never a half-working start, never PDFs
# rendered without their Chinese fonts.
#
#   scripts/system-deps.sh          what `make run` needs (PDF fonts and text shaping, gettext)
#   scripts/system-deps.sh --test   and what `make test` needs too (Chromium, pdftotext)
set -euo pipefail

# Why each package is here (docs/DEPENDENCIES.md has the same list):
run_packages=(
    fonts-noto-cjk        # Chinese glyphs in PDFs and chart images (without it: tofu boxes)
    libharfbuzz-subset0   # font subsetting for WeasyPrint (without it PDFs take ~50x longer)
    libpango-1.0-0        # WeasyPrint's text layout
    libpangoft2-1.0-0     # WeasyPrint's font loading
    fontconfig            # fc-list: how Qingdan checks a CJK font is there before a PDF
    gettext               # msgfmt: compiles the Chinese and English catalogues
)
test_packages=(
    chromium              # the browser tests (Playwright drives Debian's Chromium)
    poppler-utils         # pdftotext: tests read the text of generated PDFs
    postgresql-client     # pg_dump, pg_restore, psql: manage.py backup/restore on PostgreSQL
)

packages=("${run_packages[@]}")
if [ "${1:-}" = "--test" ]; then
    packages+=("${test_packages[@]}")
fi

missing=()
for package in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

line="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        as_root=(sudo -n)
    else
        echo "Qingdan needs these Debian packages, which are not installed: ${missing[*]}" >&2
        echo "Install them as root, then run the same command again:" >&2
        echo "    sudo apt-get update && sudo $line" >&2
        exit 1
    fi
else
    as_root=()
fi

echo "Installing Debian packages Qingdan needs: ${missing[*]} (once; about a minute)"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
