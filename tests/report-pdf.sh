#!/usr/bin/env bash
# Renders report workbooks to PDF with LibreOffice (headless), and the first page of each to PNG, for a person to
# look at what a general office would print. Not part of the test suite; installs LibreOffice if missing.
#   tests/report-pdf.sh [DIR]     default: reports/ (written by `sitewatch demo` or `sitewatch report`)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-reports}
[ -d "$dir" ] || { echo "report-pdf: $dir not found; run \`dotnet run --project src/SiteWatch.Cli -- demo\` first" >&2; exit 1; }
install() { apt-get install -y -q "$@" >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "$@" >/dev/null 2>&1; }; }
command -v soffice >/dev/null || install libreoffice-calc-nogui \
  || { echo "report-pdf: LibreOffice could not be installed (apt-get install libreoffice-calc-nogui)" >&2; exit 1; }
command -v pdftoppm >/dev/null || install poppler-utils || true
find "$dir" -name '*.xlsx' -print0 | while IFS= read -r -d '' workbook; do
  out=$(dirname "$workbook")
  if soffice --headless --convert-to pdf --outdir "$out" "$workbook" >/dev/null 2>&1; then
    pdf="$out/$(basename "${workbook%.xlsx}").pdf"
    echo "$pdf"
    if command -v pdftoppm >/dev/null; then
      pdftoppm -png -r 80 -f 1 -l 1 "$pdf" "${pdf%.pdf}-page" && echo "${pdf%.pdf}-page-1.png"
    fi
  else
    echo "report-pdf: could not convert $workbook" >&2
  fi
done
