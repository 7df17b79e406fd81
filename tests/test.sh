#!/usr/bin/env bash
# Runs every test of the solution. Installs what the tests need first (idempotent).
set -uo pipefail
cd "$(dirname "$0")/.."
bash tests/setup.sh || exit 1
log=$(mktemp)
dotnet test SiteWatch.sln --configuration Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# One closing line that CI reads: "N passed, N failed".
count() { grep -Eo "^ +$1: +[0-9]+" "$log" | awk '{s+=$2} END {print s+0}'; }
echo "tests: $(count Passed) passed, $(count Failed) failed, $(count Skipped) skipped"
rm -f "$log"
exit "$status"
