#!/usr/bin/env bash
# Runs every test of the solution. Installs what the tests need first (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/setup.sh
dotnet test SiteWatch.sln --configuration Release --logger "console;verbosity=normal" "$@" 2>&1 | tee /tmp/sitewatch-test.log
status=${PIPESTATUS[0]}
# One closing line CI can read: "N passed, N failed".
passed=$(grep -Eo 'Passed: +[0-9]+' /tmp/sitewatch-test.log | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' /tmp/sitewatch-test.log | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' /tmp/sitewatch-test.log | awk '{s+=$2} END {print s+0}')
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
