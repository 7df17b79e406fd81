#!/usr/bin/env bash
# What SiteWatch and its tests need beyond the .NET SDK. Safe to run again; does nothing when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v dotnet >/dev/null; then
  echo "setup: the .NET 10 SDK is required (https://dot.net); install it and rerun" >&2
  exit 1
fi
dotnet restore SiteWatch.sln --verbosity quiet
