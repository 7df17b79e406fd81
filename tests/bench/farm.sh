#!/usr/bin/env bash
# Benchmark: SiteWatch against the shared site farm (../shared/bench) on loopback.
#   tests/bench/farm.sh [--sites N] [--pages N] [--runs N] [--engine nginx|python] [--per-host N]
# Prints wall time, peak RSS, pages crawled and the accuracy against the farm's planted defects.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
shared=${SITEWATCH_SHARED:-$(cd "$repo/.." && pwd)/shared}
bench=$shared/bench
sites=20 pages=500 runs=1 engine=auto per_host=8
while [ $# -gt 0 ]; do
  case $1 in
    --sites) sites=$2; shift 2;; --pages) pages=$2; shift 2;; --runs) runs=$2; shift 2;;
    --engine) engine=$2; shift 2;; --per-host) per_host=$2; shift 2;;
    *) echo "farm.sh: unknown option $1" >&2; exit 1;;
  esac
done
[ -f "$bench/gen_farm.py" ] || { echo "farm.sh: $bench/gen_farm.py not found; set SITEWATCH_SHARED" >&2; exit 1; }
out=$repo/bench-out
mkdir -p "$out"
if [ "$engine" != python ] && [ ! -f /usr/lib/nginx/modules/ngx_http_echo_module.so ]; then
  (apt-get install -y nginx-light libnginx-mod-http-echo >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y nginx-light libnginx-mod-http-echo >/dev/null; }) \
    || { echo "farm.sh: nginx with the echo module could not be installed; using the python engine" >&2; engine=python; }
fi
[ -x /usr/bin/time ] || apt-get install -y time >/dev/null 2>&1 || true

python3 "$bench/gen_farm.py" --sites "$sites" --pages "$pages" --out "$out/farm" >/dev/null
python3 "$bench/farm-targets.py" --farm "$out/farm" --out "$out/farm"
# Published as the Dockerfile ships it: ReadyToRun (precompiled) with tiered compilation off, so hot code is not
# compiled a second time into private memory (-15 MB of peak RSS on this farm; see README, Benchmark).
dotnet publish "$repo/src/SiteWatch.Cli" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -p:TieredCompilation=false -o "$out/bin" --verbosity quiet >/dev/null
python3 "$bench/serve.py" stop --farm "$out/farm" >/dev/null 2>&1 || true
base_port=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["base_port"])' "$out/farm/manifest.json")
if ss -ltn 2>/dev/null | grep -q "127.0.0.1:$base_port "; then
  # Two servers on one port (nginx uses reuseport) would answer from two different farms.
  echo "farm.sh: port $base_port is already served by another farm; stop it first (serve.py stop --farm DIR)" >&2
  exit 1
fi
python3 "$bench/serve.py" start --farm "$out/farm" --engine "$engine"
trap 'python3 "$bench/serve.py" stop --farm "$out/farm" >/dev/null 2>&1 || true' EXIT

cat > "$out/bench.json" <<JSON
{
  "Network": { "AllowPrivateAddresses": true },
  "Crawler": { "ParallelTargets": $sites, "PerHostConcurrency": $per_host, "GlobalConcurrency": 256, "MaxPagesPerSite": 5000 }
}
JSON
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; farm: $sites sites x ~$pages pages; engine: $engine; PerHostConcurrency=$per_host"
for run in $(seq 1 "$runs"); do
  db=$out/bench-$run.db
  rm -f "$db" "$db"-*
  sw() { (cd "$out" && dotnet "$out/bin/sitewatch.dll" --db "$db" --config "$out/bench.json" --rules "$repo/crawler-rules" "$@"); }
  sw targets import "$out/farm/targets.csv" >/dev/null
  /usr/bin/time -v -o "$out/time-$run.txt" dotnet "$out/bin/sitewatch.dll" --db "$db" --config "$out/bench.json" \
    --rules "$repo/crawler-rules" inspect --all --round bench 2>"$out/inspect-$run.log" || { cat "$out/inspect-$run.log" >&2; exit 1; }
  sw findings --round bench --format jsonl > "$out/findings-$run.jsonl"
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$out/time-$run.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$out/time-$run.txt")
  pages_crawled=$(sqlite3 "$db" "SELECT COUNT(*) FROM pages WHERE round_id='bench'")
  echo "run $run: wall $wall, peak RSS ${rss} MB, pages crawled $pages_crawled"
  python3 "$repo/tests/bench/score.py" "$out/farm/manifest.json" "$out/findings-$run.jsonl"
done
