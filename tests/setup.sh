#!/usr/bin/env bash
# What SiteWatch and its tests need beyond the .NET SDK. Safe to run again; does nothing when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v dotnet >/dev/null; then
  echo "setup: the .NET 10 SDK is required (https://dot.net); install it and rerun" >&2
  exit 1
fi
dotnet restore SiteWatch.sln --verbosity quiet

# The country database of the overseas-host check (Geo:CountryDatabase): ip-location-db's geo-whois-asn-country,
# IPv4 and IPv6, from its npm package. Fetched, never committed (data/ is git-ignored); see seeds/README.md.
# Pinned so that every machine and CI judge with the same data; delete data/geo and change the pin to update.
geo=data/geo
geo_package=@ip-location-db/geo-whois-asn-country-mmdb@2.3.2026061719
if [ ! -s "$geo/geo-whois-asn-country.mmdb" ]; then
  if ! command -v npm >/dev/null; then
    echo "setup: npm is required to fetch the country database (apt-get install npm), or put a MaxMind-format country database at $geo/geo-whois-asn-country.mmdb" >&2
    exit 1
  fi
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "$geo_package" >/dev/null && tar xzf ./*.tgz)
  mkdir -p "$geo"
  cp "$tmp/package/README.md" "$geo/README.md"
  cp "$tmp/package/NRO_LICENSE" "$geo/NRO_LICENSE"
  cp "$tmp/package/package.json" "$geo/package.json"
  cp "$tmp/package/geo-whois-asn-country.mmdb" "$geo/geo-whois-asn-country.mmdb.part"
  mv "$geo/geo-whois-asn-country.mmdb.part" "$geo/geo-whois-asn-country.mmdb"
  echo "setup: fetched the country database into $geo ($(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$geo/package.json"))"
fi
