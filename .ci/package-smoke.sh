#!/usr/bin/env bash
# Package smoke test: builds the Functions package with scripts/package.sh, checks its layout, unzips it into a
# temporary folder and starts the handler from there the way the Functions host does (FUNCTIONS_CUSTOMHANDLER_PORT,
# FUNCTIONS_APP_ROOT_PATH, working directory = package root, a clean environment), then talks to it over HTTP.
#
# The profile is trained first, quickly, with the CLI on a 300-query subset of the development data and shipped in
# the package as .data/profile.json; the handler gets Router__ProfilePath=.data/profile.json, as infra/ sets it in
# Azure. Runs once in the default local storage mode and, when Azurite is installed, once more in the deployed
# storage mode (Storage__Mode=Azure, against Azurite).
#
# Usage: .ci/package-smoke.sh          Needs: the .NET SDK, curl, unzip/zipinfo, ../shared (data + model).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
started=$SECONDS
data=../shared/data/routerbench_subset/queries.jsonl
export DOTNET_ARTIFACTS="${DOTNET_ARTIFACTS:-$repo/artifacts/dotnet}"

checks=0
pass() { checks=$((checks + 1)); echo "[smoke]   ok: $1"; }
fail() { echo "[smoke] FAILED: $1" >&2; exit 1; }

for tool in dotnet curl unzip zipinfo; do
  command -v "$tool" >/dev/null || fail "$tool is required"
done
[ -f "$data" ] || fail "$data is missing"

tmp=$(mktemp -d)
pid=""
azurite_pid=""
handler_log=""
stop_pid() { # pid: TERM, then KILL after 5 s
  [ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 0
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
}
cleanup() {
  local status=$?
  stop_pid "$pid"
  stop_pid "$azurite_pid"
  if [ "$status" -ne 0 ] && [ -n "$handler_log" ] && [ -f "$handler_log" ]; then
    echo "[smoke] last lines of the handler's log:" >&2
    tail -n 40 "$handler_log" >&2 || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# --- 1. A small profile, trained with the CLI on 300 queries spread over the data set (every 10th row). ---
echo "[smoke] 1/5 training a profile on a 300-query subset"
awk 'NR % 10 == 3 && ++n <= 300' "$data" > "$tmp/subset.jsonl"
[ "$(wc -l < "$tmp/subset.jsonl")" -eq 300 ] || fail "could not take 300 rows from $data"
t=$SECONDS
dotnet run -c Release --project src/RouterFunctions.Cli --artifacts-path "$DOTNET_ARTIFACTS" -- \
  train --data "$tmp/subset.jsonl" --split all -o "$tmp/profile.json" > "$tmp/train.log" 2>&1 \
  || { tail -n 30 "$tmp/train.log" >&2; fail "training the profile"; }
[ -s "$tmp/profile.json" ] || fail "training wrote no profile"
grep -E '\[train\] best' "$tmp/train.log" | sed 's/^/[smoke]     /' || true
echo "[smoke]     trained in $((SECONDS - t)) s"

# --- 2. The package. ---
echo "[smoke] 2/5 building the package (scripts/package.sh)"
scripts/package.sh "$tmp/out" --profile "$tmp/profile.json" | sed 's/^/[smoke]     /' || fail "scripts/package.sh"
pkg="$tmp/out/router"
zip="$tmp/out/router.zip"

# --- 3. Layout, in the folder and in the zip. ---
echo "[smoke] 3/5 checking the layout"
zipinfo -1 "$zip" > "$tmp/zip.list"
in_zip() { grep -qxF "$1" "$tmp/zip.list"; }
[ -f "$pkg/host.json" ] && in_zip host.json || fail "host.json at the package root"
pass "host.json at the root"
for dir in functions/*/; do
  name=$(basename "$dir")
  [ -f "$pkg/$name/function.json" ] && in_zip "$name/function.json" || fail "$name/function.json in the package"
  cmp -s "$dir/function.json" "$pkg/$name/function.json" || fail "$name/function.json differs from functions/$name"
  pass "$name/function.json"
done
[ -x "$pkg/RouterFunctions.Handler" ] || fail "RouterFunctions.Handler is executable in the folder"
mode=$(zipinfo "$zip" RouterFunctions.Handler | awk '{print $1}')
case "$mode" in -rwx*) ;; *) fail "RouterFunctions.Handler is stored as '$mode' in the zip (needs the owner's x bit)" ;; esac
pass "RouterFunctions.Handler is executable (zip mode $mode)"
for f in model.onnx tokenizer.model LICENSE; do
  in_zip "models/universal-sentence-encoder-lite/$f" || fail "models/universal-sentence-encoder-lite/$f in the zip"
done
pass "models/universal-sentence-encoder-lite/{model.onnx,tokenizer.model,LICENSE}"
in_zip ".data/profile.json" || fail ".data/profile.json in the zip"
pass ".data/profile.json"
echo "[smoke]     zip: $(wc -l < "$tmp/zip.list") entries, $(du -h "$zip" | cut -f1)"

# --- 4. Unzip and start the handler the way the host does. ---
echo "[smoke] 4/5 starting the handler from the unpacked zip"
app="$tmp/wwwroot"
mkdir -p "$app"
unzip -q "$zip" -d "$app"
[ -x "$app/RouterFunctions.Handler" ] || fail "RouterFunctions.Handler lost its execute bit when unzipped"
pass "unzipped; RouterFunctions.Handler still executable"

free_port() {
  local candidate
  for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then echo "$candidate"; return 0; fi
  done
  return 1
}

# start_handler <log name> [NAME=value ...]: the host's environment for a custom handler (plus PATH/HOME and the
# app settings given), nothing else, so nothing leaks in from the SDK or the CI (DOTNET_ROOT, ASPNETCORE_URLS, ...).
# No ../shared beside the unpacked folder either: the model and the profile must come from the package.
start_handler() {
  local name=$1; shift
  port=$(free_port) || fail "no free port found"
  base="http://127.0.0.1:$port"
  launched=$SECONDS
  launched_ns=$(date +%s%N)
  (cd "$app" && exec env -i PATH=/usr/bin:/bin HOME="$tmp" \
    FUNCTIONS_CUSTOMHANDLER_PORT="$port" \
    FUNCTIONS_CUSTOMHANDLER_WORKER_ID="$(cat /proc/sys/kernel/random/uuid)" \
    FUNCTIONS_APP_ROOT_PATH="$app" \
    "$@" \
    ./RouterFunctions.Handler) > "$tmp/$name.log" 2>&1 &
  pid=$!
  handler_log="$tmp/$name.log"
  echo "[smoke]     pid $pid, port $port, cwd $app, settings: $(printf '%s ' "${@%%=*}")"

  # The host's readiness probe: GET / until any HTTP answer; the host gives up after 60 s.
  local code=000
  while :; do
    kill -0 "$pid" 2>/dev/null || fail "the handler exited during startup"
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$base/" || true)
    [ "$code" != 000 ] && break
    [ $((SECONDS - launched)) -lt 60 ] || fail "GET / did not answer within 60 s"
    sleep 0.1
  done
  pass "GET / answered $code after $(( ($(date +%s%N) - launched_ns) / 1000000 )) ms (readiness probe)"

  # The profile loads in the background; /api/health says when the router can route.
  local health=""
  while :; do
    kill -0 "$pid" 2>/dev/null || fail "the handler exited while loading the profile"
    health=$(curl -s --max-time 2 "$base/api/health" || true)
    case "$health" in
      *'"status":"ready"'*) break ;;
      *'"startup":"failed'*) fail "the handler reports: $health" ;;
    esac
    [ $((SECONDS - launched)) -lt 60 ] || fail "/api/health not ready within 60 s: $health"
    sleep 0.1
  done
  pass "GET /api/health ready after $((SECONDS - launched)) s: $(echo "$health" | grep -o '"profileVersion":[^,]*')"
}

stop_handler() {
  kill -0 "$pid" 2>/dev/null || fail "the handler died during the requests"
  kill -TERM "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && fail "the handler did not stop within 10 s of SIGTERM"
  pid=""
  pass "stopped cleanly on SIGTERM"
}

# Requests as the host forwards them: original path and body, plus the invocation headers.
request() { # method path [body] -> body in "$tmp/body"; prints "<status> <content type>"
  curl -s -o "$tmp/body" -w '%{http_code} %{content_type}' --max-time 10 -X "$1" "$base$2" \
    -H 'content-type: application/json' \
    -H "X-Azure-Functions-InvocationId: $(cat /proc/sys/kernel/random/uuid)" \
    -H 'X-Azure-Functions-HostVersion: 4.1040.300.0' \
    ${3:+--data-binary "$3"}
}

route_ok() {
  local out model
  out=$(request POST /api/route '{"query":"Write a Python function that checks whether a string is a palindrome.","policy":{"costWeight":0.25}}')
  [ "${out%% *}" = 200 ] || fail "POST /api/route answered $out: $(head -c 300 "$tmp/body")"
  model=$(grep -o '"model":"[^"]*"' "$tmp/body" | head -n 1 | cut -d'"' -f4)
  [ -n "$model" ] || fail "POST /api/route: no model in $(head -c 300 "$tmp/body")"
  pass "POST /api/route -> 200, model $model"
}

# As deployed: Router__ProfilePath points at the packaged profile, which the app publishes to its (empty) store.
# Storage stays in the default local mode here (tables journaled under the package's .data/); see step 5b.
start_handler handler Router__ProfilePath=.data/profile.json

echo "[smoke] 5/5 requests"
route_ok

out=$(request POST /api/route '{"query":"   "}')
case "$out" in "400 application/problem+json"*) ;; *) fail "blank query answered '$out', expected 400 application/problem+json" ;; esac
grep -q '"query"' "$tmp/body" || fail "the 400 for a blank query does not name the field: $(head -c 300 "$tmp/body")"
pass "POST /api/route with a blank query -> 400 application/problem+json naming 'query'"

out=$(request POST /api/route '{"query": "unterminated')
case "$out" in "400 application/problem+json"*) ;; *) fail "invalid JSON answered '$out', expected 400 application/problem+json" ;; esac
pass "POST /api/route with invalid JSON -> 400 application/problem+json"

out=$(request GET /api/profiles/current)
[ "${out%% *}" = 200 ] || fail "GET /api/profiles/current answered $out"
pass "GET /api/profiles/current -> 200"
stop_handler

# --- 5b. The deployed storage mode (Storage__Mode=Azure), against Azurite when it is installed (.ci/run installs it
# into .ci/.tools): the packaged profile is published to empty Azure tables and the router routes from them. ---
azurite="${AZURITE_TABLE_BIN:-}"
[ -n "$azurite" ] || azurite=$(ls .ci/.tools/node_modules/.bin/azurite-table 2>/dev/null || command -v azurite-table || true)
if [ -n "$azurite" ] && [ -x "$azurite" ]; then
  echo "[smoke] 5b  again with Storage__Mode=Azure against Azurite ($azurite)"
  azurite_port=$(free_port) || fail "no free port for Azurite"
  mkdir -p "$tmp/azurite"
  "$azurite" --tableHost 127.0.0.1 --tablePort "$azurite_port" --location "$tmp/azurite" --silent \
    --skipApiVersionCheck --disableProductStyleUrl > "$tmp/azurite.log" 2>&1 &
  azurite_pid=$!
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$azurite_port") 2>/dev/null && break
    kill -0 "$azurite_pid" 2>/dev/null || fail "Azurite exited: $(tail -n 5 "$tmp/azurite.log")"
    sleep 0.1
  done
  # Azurite's well-known development account (public and documented, not a secret). In Azure the app uses
  # Storage__TableServiceUri and its managed identity instead (infra/main.bicep).
  devkey='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
  rm -rf "$app/.data/tables"
  start_handler handler-azure Router__ProfilePath=.data/profile.json Storage__Mode=Azure \
    "Storage__ConnectionString=DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$devkey;TableEndpoint=http://127.0.0.1:$azurite_port/devstoreaccount1;"
  route_ok
  [ ! -d "$app/.data/tables" ] || fail "Azure mode wrote local tables under .data/tables"
  pass "no local state written in Azure mode (the deployed package is read-only)"
  stop_handler
  kill -TERM "$azurite_pid" 2>/dev/null || true
  wait "$azurite_pid" 2>/dev/null || true
  azurite_pid=""
else
  echo "[smoke] 5b  skipped: Azurite is not installed (.ci/run installs it into .ci/.tools)"
fi

echo "[smoke] OK: $checks checks in $((SECONDS - started)) s"
