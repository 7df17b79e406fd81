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

# The headless browser of IPageRenderer (Browser:ExecutablePath, default Debian's /usr/bin/chromium) and CJK fonts so
# that Chinese pages lay out as for a visitor. Playwright's own browser download does not work everywhere; Debian's
# package does. Without it setup goes on: the browser tests then fail saying "browser not available: … install chromium".
if [ ! -x /usr/bin/chromium ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then sudo="sudo -n"; fi
  if ! command -v apt-get >/dev/null; then
    echo "setup: apt-get is not available; install Chromium yourself and set Browser:ExecutablePath (or run 'playwright install chromium' and set it empty); the browser tests will fail until then" >&2
  else
    install_browser() { DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-noto-cjk >/dev/null 2>&1; }
    if install_browser || { $sudo apt-get update -qq >/dev/null 2>&1 && install_browser; }; then
      echo "setup: installed $(/usr/bin/chromium --version 2>/dev/null | head -1) and fonts-noto-cjk"
    else
      echo "setup: could not install chromium with apt-get (apt-get install -y chromium fonts-noto-cjk); the browser tests will fail until it is installed" >&2
    fi
  fi
fi

# PostgreSQL for the test of Service:JobStorage=postgresql (Hangfire's queue in PostgreSQL): the test starts its own
# throwaway cluster on 127.0.0.1 with initdb and pg_ctl from /usr/lib/postgresql/*/bin, so only the binaries are needed;
# Debian's package also starts a cluster of its own on port 5432, which SiteWatch's tests never use.
# Without them setup goes on: that test then fails saying "PostgreSQL is not installed: run tests/setup.sh".
if ! compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null; then
  sudo=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then sudo="sudo -n"; fi
  if ! command -v apt-get >/dev/null; then
    echo "setup: apt-get is not available; install PostgreSQL (initdb and pg_ctl under /usr/lib/postgresql/VERSION/bin) yourself; the PostgreSQL job-storage test will fail until then" >&2
  else
    install_postgresql() { DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null 2>&1; }
    started=$SECONDS
    if install_postgresql || { $sudo apt-get update -qq >/dev/null 2>&1 && install_postgresql; }; then
      echo "setup: installed PostgreSQL $(ls /usr/lib/postgresql | sort -V | tail -1) in $((SECONDS - started)) s"
    else
      echo "setup: could not install postgresql with apt-get (apt-get install -y postgresql); the PostgreSQL job-storage test will fail until it is installed" >&2
    fi
  fi
fi
