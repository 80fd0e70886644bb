#!/usr/bin/env bash
# Builds the deployment packages of the two Function apps and zips them:
#
#   <outdir>/api/               the HTTP app (azd service `api`; runtime dotnet-isolated 10.0 on Flex Consumption)
#     RouterFunctions.Functions.dll, its dependencies   framework-dependent linux-x64 publish of
#                                                       src/RouterFunctions.Functions (the platform provides .NET 10)
#     host.json, functions.metadata, worker.config.json, extensions.json, .azurefunctions/   (from the Worker SDK)
#     models/universal-sentence-encoder-lite/{model.onnx,tokenizer.model,LICENSE}
#     .data/profile.json        the routing profile
#   <outdir>/api.zip
#
#   <outdir>/workers/           the Service Bus consumers (azd service `workers`; custom handler, runtime custom 1.0)
#     host.json                 from src/RouterFunctions.Workers (customHandler: RouterFunctions.Workers)
#     IngestFeedback/function.json, ...   one folder per function, from src/RouterFunctions.Workers/functions/
#     RouterFunctions.Workers   self-contained linux-x64 executable (+x), with its runtime and native libraries
#     models/universal-sentence-encoder-lite/{model.onnx,tokenizer.model,LICENSE}
#     .data/profile.json        the routing profile (the consumers retrain and score)
#   <outdir>/workers.zip        zipped on Linux so the executable keeps its execute bit
#
# The profile is 'routerfn train' output; each app publishes it to the profiles table when the table has none yet
# (app setting Router__ProfilePath=.data/profile.json, set by infra/).
#
# Usage: scripts/package.sh [api|workers|all] [outdir] [--profile <profile.json> | --no-profile]
#   api|workers|all  which package(s) to build; default: all (an outdir literally named so: write ./api)
#   outdir        default: artifacts/package (relative to the repository root)
#   --profile     the trained profile to ship; default: $ROUTER_PROFILE, else artifacts/profile.json
#   --no-profile  ship none (only for apps whose profile store already has one); without a profile and without
#                 this flag the script fails, because a first deployment could not route
# Environment: DOTNET_ARTIFACTS  where dotnet keeps its intermediate build output (default: artifacts/dotnet)
#
# Used by azd (the services' prepackage hooks in azure.yaml) and by .ci/package-smoke.sh.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
outdir=""
target=""
profile="${ROUTER_PROFILE:-}"
no_profile=false
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) [ $# -ge 2 ] || { echo "error: --profile needs a file" >&2; exit 2; }; profile="$2"; shift 2 ;;
    --profile=*) profile="${1#--profile=}"; shift ;;
    --no-profile) no_profile=true; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    -*) echo "error: unknown option $1" >&2; exit 2 ;;
    api|workers|all)
      [ -z "$target" ] || { echo "error: more than one target ($target, $1)" >&2; exit 2; }
      target="$1"; shift ;;
    *) [ -z "$outdir" ] || { echo "error: more than one outdir ($outdir, $1)" >&2; exit 2; }; outdir="$1"; shift ;;
  esac
done
target="${target:-all}"
outdir="${outdir:-artifacts/package}"
case "$outdir" in /*) ;; *) outdir="$repo/$outdir" ;; esac
if [ -n "$profile" ]; then
  case "$profile" in /*) ;; *) profile="$PWD/$profile" ;; esac
  [ -f "$profile" ] || { echo "error: profile $profile not found" >&2; exit 1; }
elif ! $no_profile && [ -f "$repo/artifacts/profile.json" ]; then
  profile="$repo/artifacts/profile.json"
fi
if [ -z "$profile" ] && ! $no_profile; then
  echo "error: no routing profile to ship. Train one first, e.g." >&2
  echo "  dotnet run -c Release --project src/RouterFunctions.Cli -- train --data <graded.jsonl> -o artifacts/profile.json" >&2
  echo "or pass --profile <file> (azd: 'azd env set ROUTER_PROFILE <file>'), or --no-profile if the deployed store has one." >&2
  exit 1
fi
if [ -n "$profile" ]; then
  grep -q '"embeddingModelId"' "$profile" || { echo "error: $profile does not look like a routing profile" >&2; exit 1; }
fi
dotnet_artifacts="${DOTNET_ARTIFACTS:-$repo/artifacts/dotnet}"
api_project=src/RouterFunctions.Functions
workers_project=src/RouterFunctions.Workers
started=$SECONDS

case "$target" in
  api) total=5 ;;
  workers) total=6 ;;
  all) total=10 ;;
esac
n=0
step() { n=$((n + 1)); echo "[package] $n/$total $1"; }
note() { echo "[package]     $1"; }
die() { echo "error: $1" >&2; exit 1; }

cd "$repo"

# --- Tools and the embedding model (shared by both packages). ---
step "checking tools and the embedding model"
command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is required"
zipper=""
if command -v zip >/dev/null; then
  zipper=zip
elif command -v python3 >/dev/null; then
  zipper=python3   # zipfile stores the Unix mode bits too
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  note "installing zip (apt-get)"
  apt-get install -y -qq zip >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq zip >/dev/null; }
  zipper=zip
else
  die "need zip (or python3) to build the packages"
fi
model_src=""
for candidate in "models/universal-sentence-encoder-lite" "../shared/models/universal-sentence-encoder-lite"; do
  if [ -f "$candidate/model.onnx" ] && [ -f "$candidate/tokenizer.model" ]; then
    model_src="$candidate"
    break
  fi
done
[ -n "$model_src" ] || die "no embedding model (models/universal-sentence-encoder-lite or ../shared/models/...; see models/README.md)"
for f in model.onnx tokenizer.model LICENSE; do
  [ -f "$model_src/$f" ] || die "$model_src/$f is missing"
done
note "dotnet $(dotnet --version), zip via $zipper, model from $model_src, target $target"

# add_data <stage>: the embedding model next to the app (the app looks there first) and the routing profile.
add_data() {
  local stage=$1 model_dst="$1/models/universal-sentence-encoder-lite"
  mkdir -p "$model_dst"
  for f in model.onnx tokenizer.model LICENSE; do
    cp "$model_src/$f" "$model_dst/"
    chmod 644 "$model_dst/$f"
  done
  note "model -> models/universal-sentence-encoder-lite ($(du -sh "$model_dst" | cut -f1))"
  if [ -n "$profile" ]; then
    mkdir -p "$stage/.data"
    cp "$profile" "$stage/.data/profile.json"
    chmod 644 "$stage/.data/profile.json"
    note "$profile -> .data/profile.json"
  else
    note "no profile (--no-profile): the app must find one in its store"
  fi
}

# check_data <stage>
check_data() {
  for f in model.onnx tokenizer.model LICENSE; do
    [ -f "$1/models/universal-sentence-encoder-lite/$f" ] || die "models/universal-sentence-encoder-lite/$f missing in $1"
  done
  [ -z "$profile" ] || [ -f "$1/.data/profile.json" ] || die ".data/profile.json missing in $1"
}

# make_zip <stage> <zipfile>: from inside the package root, on a Unix file system (mode bits are kept).
make_zip() {
  local stage=$1 zipfile=$2
  rm -f "$zipfile"
  if [ "$zipper" = zip ]; then
    (cd "$stage" && zip -q -r -X "$zipfile" .)
  else
    (cd "$stage" && python3 - "$zipfile" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for root, dirs, files in os.walk("."):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            z.write(path, os.path.relpath(path, "."))
PY
    )
  fi
}

# metadata_names <functions.metadata>: the function names, one line (jq, else python3, else the scriptFile count).
metadata_names() {
  if command -v jq >/dev/null; then
    jq -er '[.[].name] | join(" ")' "$1"
  elif command -v python3 >/dev/null; then
    python3 -c 'import json,sys; print(" ".join(f["name"] for f in json.load(open(sys.argv[1]))))' "$1"
  else
    echo "$(grep -c '"scriptFile"' "$1") (install jq to list them)"
  fi
}

# ============================== api: the isolated-worker HTTP app ==============================
package_api() {
  local stage="$outdir/api" zipfile="$outdir/api.zip" t
  step "api: dotnet publish $api_project -c Release -r linux-x64 --self-contained false -> $stage"
  rm -rf "$stage" "$zipfile"
  mkdir -p "$stage"
  t=$SECONDS
  # Framework-dependent: on Flex the dotnet-isolated 10.0 stack provides the runtime and starts
  # `dotnet RouterFunctions.Functions.dll` (worker.config.json). The Worker SDK writes functions.metadata,
  # worker.config.json, extensions.json and .azurefunctions/ into the publish folder.
  dotnet publish "$api_project" -c Release -r linux-x64 --self-contained false \
    --artifacts-path "$dotnet_artifacts" -o "$stage" --nologo -v quiet -clp:ErrorsOnly
  note "published in $((SECONDS - t)) s"

  step "api: embedding model and routing profile"
  add_data "$stage"

  step "api: checking the layout"
  for f in RouterFunctions.Functions.dll host.json functions.metadata worker.config.json; do
    [ -f "$stage/$f" ] || die "api: $f missing in the publish output"
  done
  [ -d "$stage/.azurefunctions" ] && [ -n "$(ls -A "$stage/.azurefunctions")" ] || die "api: .azurefunctions/ missing or empty"
  ! grep -q '"customHandler"' "$stage/host.json" || die "api: host.json declares a customHandler (wrong host.json?)"
  grep -q '"defaultWorkerPath": *"RouterFunctions.Functions.dll"' "$stage/worker.config.json" \
    || die "api: worker.config.json does not start RouterFunctions.Functions.dll"
  local names
  names=$(metadata_names "$stage/functions.metadata") || die "api: functions.metadata is not a JSON array of functions"
  [ -n "$names" ] || die "api: functions.metadata lists no functions"
  check_data "$stage"
  note "ok: $(find "$stage" -type f | wc -l) files, $(du -sh "$stage" | cut -f1); functions: $names"

  step "api: zipping -> $zipfile"
  make_zip "$stage" "$zipfile"
  note "$(zipinfo -1 "$zipfile" 2>/dev/null | wc -l) entries, $(du -h "$zipfile" | cut -f1)"
}

# ============================== workers: the custom-handler Service Bus consumers ==============================
package_workers() {
  local stage="$outdir/workers" zipfile="$outdir/workers.zip" t functions=0 dir name exe mode
  step "workers: host.json and function folders from $workers_project -> $stage"
  rm -rf "$stage" "$zipfile"
  mkdir -p "$stage"
  [ -f "$workers_project/host.json" ] || die "$workers_project/host.json is missing"
  cp "$workers_project/host.json" "$stage/"
  for dir in "$workers_project"/functions/*/; do
    [ -f "$dir/function.json" ] || continue
    name=$(basename "$dir")
    mkdir -p "$stage/$name"
    cp "$dir/function.json" "$stage/$name/"
    functions=$((functions + 1))
  done
  [ "$functions" -gt 0 ] || die "no $workers_project/functions/*/function.json found"
  note "$functions functions: $(cd "$workers_project/functions" && ls -d */ | tr -d / | tr '\n' ' ')"

  step "workers: dotnet publish $workers_project -c Release -r linux-x64 --self-contained"
  t=$SECONDS
  dotnet publish "$workers_project" -c Release -r linux-x64 --self-contained \
    --artifacts-path "$dotnet_artifacts" -o "$stage" --nologo -v quiet -clp:ErrorsOnly
  exe="$stage/RouterFunctions.Workers"
  [ -f "$exe" ] || die "publish did not produce $exe"
  chmod 755 "$exe"
  # The publish must not have replaced the package's host.json with another one.
  cmp -s "$workers_project/host.json" "$stage/host.json" || die "workers: the publish overwrote host.json"
  # The Web SDK publishes functions/**/*.json as content (the csproj's `None Update` does not cover Content items):
  # the host reads the function folders at the root only, so drop that copy.
  if [ -d "$stage/functions" ] && [ ! -f "$stage/functions/function.json" ]; then
    rm -rf "$stage/functions"
    note "removed the publish's copy of functions/ (the function folders are at the root)"
  fi
  note "published in $((SECONDS - t)) s"

  step "workers: embedding model and routing profile"
  add_data "$stage"

  step "workers: checking the layout"
  grep -q '"defaultExecutablePath": *"RouterFunctions.Workers"' "$stage/host.json" \
    || die "workers: host.json's customHandler.defaultExecutablePath is not RouterFunctions.Workers"
  grep -q '"extensionBundle"' "$stage/host.json" || die "workers: host.json has no extensionBundle (the Service Bus triggers come from it)"
  [ ! -f "$stage/functions.metadata" ] || die "workers: functions.metadata in a custom-handler package (the host would index it as .NET)"
  [ -x "$exe" ] || die "$exe is not executable"
  check_data "$stage"
  note "ok: $(find "$stage" -type f | wc -l) files, $(du -sh "$stage" | cut -f1)"

  step "workers: zipping -> $zipfile"
  make_zip "$stage" "$zipfile"
  mode=$(zipinfo "$zipfile" RouterFunctions.Workers 2>/dev/null | awk '{print $1}' || true)
  if [ -n "$mode" ]; then
    case "$mode" in -rwx*) ;; *) die "RouterFunctions.Workers is stored as $mode in the zip" ;; esac
    note "RouterFunctions.Workers stored as $mode; $(du -h "$zipfile" | cut -f1)"
  fi
}

mkdir -p "$outdir"
case "$target" in
  api) package_api ;;
  workers) package_workers ;;
  all) package_api; package_workers ;;
esac
zips=""
for z in api workers; do [ -f "$outdir/$z.zip" ] && { [ "$target" = all ] || [ "$target" = "$z" ]; } && zips="$zips $outdir/$z.zip ($(du -h "$outdir/$z.zip" | cut -f1))"; done
echo "[package] done in $((SECONDS - started)) s:$zips"
