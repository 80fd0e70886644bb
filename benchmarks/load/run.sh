#!/usr/bin/env bash
# The load test: wrk over loopback against the local router, in ONE run, side by side:
#   GET / (the HTTP floor), POST /api/route 100% / 50% / 0% cached — local mode (SQLite) and Azure mode (Azurite);
#   then 1M routes in local mode: RSS and database size after, restart to first route; binary start to first answer.
# Usage: bash benchmarks/load/run.sh [seconds per run, default 15] [routes for the long run, default 1000000]
# Needs: wrk (apt), Azurite (.ci/run installs it under .ci/.tools), ../shared beside the repository.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_RUN=${1:-15}
LONG_ROUTES=${2:-1000000}
WORK=benchmarks/load/.work
mkdir -p "$WORK"
# The router as deployed code runs: published with ReadyToRun (precompiled, so start-up does not wait on the JIT).
DLL=$WORK/publish/RouterFunctions.Local.dll
AZURITE=${AZURITE_TABLE_BIN:-.ci/.tools/node_modules/.bin/azurite-table}
THREADS=2 CONNECTIONS=16
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

echo "[load] publishing (Release, ReadyToRun)" >&2
dotnet publish src/RouterFunctions.Local -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$WORK/publish" -v q -nologo -clp:NoSummary >&2
dotnet build -c Release src/RouterFunctions.Cli -v q -nologo -clp:NoSummary >&2
if [[ ! -f $WORK/profile.json ]]; then
  echo "[load] training a profile once (cached in $WORK)" >&2
  dotnet src/RouterFunctions.Cli/bin/Release/net10.0/routerfn.dll train --data ../shared/data/routerbench_subset/queries.jsonl --split train -o "$WORK/profile.json" >&2
fi

# Common settings: no per-caller limit (every loopback client is one caller), warnings only in the log.
COMMON=(--RateLimit:PermitsPerMinute=0 --Logging:LogLevel:Default=Warning --Router:ProfilePath="$WORK/profile.json")

now_ms() { date +%s%3N; }

# start NAME PORT ARGS... : starts a router, sets STARTED_PID and FIRST_ROUTE_MS (spawn → first 200 from /api/route).
start() {
  local name=$1 port=$2; shift 2
  local t0; t0=$(now_ms)
  dotnet "$DLL" --urls "http://127.0.0.1:$port" "${COMMON[@]}" "$@" >"$WORK/$name.log" 2>&1 &
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
  for _ in $(seq 1 3000); do
    if curl -sf -o /dev/null -X POST "http://127.0.0.1:$port/api/route" -H 'Content-Type: application/json' -d '{"query":"warm up: is 97 prime?"}'; then
      FIRST_ROUTE_MS=$(( $(now_ms) - t0 ))
      return 0
    fi
    kill -0 "$STARTED_PID" 2>/dev/null || { echo "[load] $name exited; see $WORK/$name.log" >&2; tail -5 "$WORK/$name.log" >&2; exit 1; }
    sleep 0.01
  done
  echo "[load] $name did not answer in 30 s" >&2; exit 1
}

warm() { # the 64 texts the "cached" share uses
  for i in $(seq 0 63); do
    curl -sf -o /dev/null -X POST "http://127.0.0.1:$1/api/route" -H 'Content-Type: application/json' \
      -d "{\"query\":\"Which of these numbers is prime: $i, 91, 97 or 221? Explain briefly.\"}"
  done
}

# wrk_run URL SCRIPT [env...] → "rps p50 p99 errors"
wrk_run() {
  local url=$1 script=$2; shift 2
  env "$@" RUN_ID="$RANDOM$RANDOM" wrk -t$THREADS -c$CONNECTIONS -d"${SECONDS_PER_RUN}s" -s "benchmarks/load/$script" "$url" \
    | sed -n 's/^RESULT rps=\([^ ]*\) p50=\([^ ]*\) p99=\([^ ]*\) requests=[^ ]* errors=\(.*\)$/\1 \2 \3 \4/p'
}

ROWS=()
measure() { # measure MODE PORT
  local mode=$1 port=$2 base="http://127.0.0.1:$2"
  warm "$port"
  echo "[load] $mode: GET /" >&2;             ROWS+=("$mode|GET / (floor)|$(wrk_run "$base/" floor.lua)")
  echo "[load] $mode: route 100% cached" >&2; ROWS+=("$mode|/api/route 100% cached|$(wrk_run "$base" route-mix.lua CACHED_PERCENT=100)")
  echo "[load] $mode: route 50% cached" >&2;  ROWS+=("$mode|/api/route 50% cached|$(wrk_run "$base" route-mix.lua CACHED_PERCENT=50)")
  echo "[load] $mode: route 0% cached" >&2;   ROWS+=("$mode|/api/route 0% cached|$(wrk_run "$base" route-mix.lua CACHED_PERCENT=0)")
}

# Local mode on a fresh data directory.
rm -rf "$WORK/local-data"
start local 7301 --Storage:LocalDirectory="$WORK/local-data"
LOCAL_PID=$STARTED_PID
FIRST_START_MS=$FIRST_ROUTE_MS
measure local 7301

# Azure mode on Azurite (in memory), same binary.
AZ_PORT=10402
"$AZURITE" --inMemoryPersistence --skipApiVersionCheck --tableHost 127.0.0.1 --tablePort $AZ_PORT --silent >"$WORK/azurite.log" 2>&1 &
PIDS+=("$!")
sleep 2
CONN="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:$AZ_PORT/devstoreaccount1;"
start azure 7302 --Storage:Mode=Azure --Storage:ConnectionString="$CONN" --Storage:TablePrefix=load
AZURE_PID=$STARTED_PID
measure azure 7302
kill "$AZURE_PID"; wait "$AZURE_PID" 2>/dev/null || true

# 1M routes in local mode (cached texts: the decision log is what grows), then RSS, size on disk, restart.
echo "[load] local: $LONG_ROUTES routes" >&2
t0=$(now_ms)
LONG_DONE=0
: >"$WORK/long.txt"
while (( LONG_DONE < LONG_ROUTES )); do # wrk runs for a duration, not a count: chunks of at most 60 s
  CACHED_RPS=$(awk -F'|' '$1 == "local" && $2 == "/api/route 100% cached" { split($3, f, " "); print int(f[1]) }' <<<"$(printf '%s\n' "${ROWS[@]}")")
  CHUNK=$(( (LONG_ROUTES - LONG_DONE) / (CACHED_RPS > 0 ? CACHED_RPS : 1000) + 1 ))
  (( CHUNK > 60 )) && CHUNK=60
  RUN_ID=long CACHED_PERCENT=100 wrk -t$THREADS -c$CONNECTIONS -d"${CHUNK}s" -s benchmarks/load/route-mix.lua "http://127.0.0.1:7301" >>"$WORK/long.txt"
  LONG_DONE=$(sed -n 's/^RESULT .*requests=\([0-9]*\).*/\1/p' "$WORK/long.txt" | awk '{ s += $1 } END { print s + 0 }')
  echo "[load] local: $LONG_DONE/$LONG_ROUTES routes" >&2
done
LONG_S=$(( ($(now_ms) - t0) / 1000 ))
sleep 2 # let write-behind settle
RSS_MB=$(( $(awk '/VmRSS/ {print $2}' /proc/$LOCAL_PID/status) / 1024 ))
# The write-behind buffer's own account: decisions written, and dropped because the writer could not keep up.
BUFFER=$(curl -sf "http://127.0.0.1:7301/api/stats" | grep -o '"buffer":{[^}]*}' || echo "(no buffer figures)")
DB_MB=$(( $(du -sb "$WORK/local-data" | cut -f1) / 1048576 ))
kill "$LOCAL_PID"; wait "$LOCAL_PID" 2>/dev/null || true
start local-restart 7301 --Storage:LocalDirectory="$WORK/local-data"
RESTART_MS=$FIRST_ROUTE_MS
RESTART_RSS_MB=$(( $(awk '/VmRSS/ {print $2}' /proc/$STARTED_PID/status) / 1024 ))

# The table: ratios are against the same mode's floor, from this one run.
echo
echo "Run on $(date -u +%Y-%m-%d) ($(nproc) cores, $(dotnet --version)): wrk -t$THREADS -c$CONNECTIONS -d${SECONDS_PER_RUN}s, loopback, server and wrk on the same machine."
echo
echo "| mode | endpoint | req/s | p50 ms | p99 ms | errors | of floor |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
declare -A FLOOR
for row in "${ROWS[@]}"; do
  IFS='|' read -r mode what figures <<<"$row"; read -r rps p50 p99 errors <<<"$figures"
  [[ $what == "GET / (floor)" ]] && FLOOR[$mode]=$rps
  echo "| $mode | $what | ${rps%.*} | $p50 | $p99 | $errors | $(awk -v a="$rps" -v b="${FLOOR[$mode]}" 'BEGIN { printf "%.0f%%", 100 * a / b }') |"
done
echo
echo "| after $LONG_DONE routes in local mode ($LONG_S s) | value |"
echo "| --- | --- |"
echo "| RSS of the router | $RSS_MB MB |"
echo "| decision buffer (/api/stats) | \`$BUFFER\` |"
echo "| data directory on disk | $DB_MB MB |"
echo "| restart → first /api/route answer | $RESTART_MS ms (RSS after: $RESTART_RSS_MB MB) |"
echo "| binary start → first /api/route answer (fresh directory, profile file) | $FIRST_START_MS ms |"
