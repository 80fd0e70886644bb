#!/usr/bin/env bash
# Builds the Azure Functions package for the custom handler and zips it:
#
#   <outdir>/router/            the package root, as the Functions host sees it
#     host.json
#     Health/function.json, Route/function.json, ...   (one folder per function, from functions/)
#     RouterFunctions.Handler   self-contained linux-x64 executable (+x), with its runtime and native libraries
#     models/universal-sentence-encoder-lite/{model.onnx,tokenizer.model,LICENSE}
#     .data/profile.json        the routing profile ('routerfn train' output); the app publishes it to its profile
#                               store when the store has none yet (app setting Router__ProfilePath, set by infra/)
#   <outdir>/router.zip         the same, zipped on Linux so the executable keeps its execute bit
#
# Usage: scripts/package.sh [outdir] [--profile <profile.json> | --no-profile]
#   outdir        default: artifacts/package (relative to the repository root)
#   --profile     the trained profile to ship; default: $ROUTER_PROFILE, else artifacts/profile.json
#   --no-profile  ship none (only for an app whose profile store already has one); without a profile and without
#                 this flag the script fails, because a first deployment could not route
# Environment: DOTNET_ARTIFACTS  where dotnet keeps its intermediate build output (default: artifacts/dotnet)
#
# Used by azd (prepackage hook in azure.yaml) and by .ci/package-smoke.sh.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
outdir=""
profile="${ROUTER_PROFILE:-}"
no_profile=false
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) [ $# -ge 2 ] || { echo "error: --profile needs a file" >&2; exit 2; }; profile="$2"; shift 2 ;;
    --profile=*) profile="${1#--profile=}"; shift ;;
    --no-profile) no_profile=true; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    -*) echo "error: unknown option $1" >&2; exit 2 ;;
    *) [ -z "$outdir" ] || { echo "error: more than one outdir" >&2; exit 2; }; outdir="$1"; shift ;;
  esac
done
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
dotnet_artifacts="${DOTNET_ARTIFACTS:-$repo/artifacts/dotnet}"
stage="$outdir/router"
zipfile="$outdir/router.zip"
started=$SECONDS
step() { echo "[package] $1/7 $2"; }

cd "$repo"

# --- 1. Tools. ---
step 1 "checking tools"
command -v dotnet >/dev/null || { echo "error: the .NET SDK (dotnet) is required" >&2; exit 1; }
zipper=""
if command -v zip >/dev/null; then
  zipper=zip
elif command -v python3 >/dev/null; then
  zipper=python3   # zipfile stores the Unix mode bits too
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "[package]     installing zip (apt-get)"
  apt-get install -y -qq zip >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq zip >/dev/null; }
  zipper=zip
else
  echo "error: need zip (or python3) to build the package" >&2
  exit 1
fi
echo "[package]     dotnet $(dotnet --version), zip via $zipper"

# --- 2. Function metadata. ---
step 2 "host.json and function folders -> $stage"
rm -rf "$stage" "$zipfile"
mkdir -p "$stage"
cp host.json "$stage/"
functions=0
for dir in functions/*/; do
  name=$(basename "$dir")
  [ -f "$dir/function.json" ] || continue
  mkdir -p "$stage/$name"
  cp "$dir/function.json" "$stage/$name/"
  functions=$((functions + 1))
done
[ "$functions" -gt 0 ] || { echo "error: no functions/*/function.json found" >&2; exit 1; }
echo "[package]     $functions functions: $(cd functions && ls -d */ | tr -d / | tr '\n' ' ')"

# --- 3. The handler: self-contained linux-x64 publish at the package root. ---
step 3 "dotnet publish src/RouterFunctions.Handler -c Release -r linux-x64 --self-contained"
publish_started=$SECONDS
dotnet publish src/RouterFunctions.Handler -c Release -r linux-x64 --self-contained \
  --artifacts-path "$dotnet_artifacts" -o "$stage" --nologo -v quiet -clp:ErrorsOnly
exe="$stage/RouterFunctions.Handler"
[ -f "$exe" ] || { echo "error: publish did not produce $exe" >&2; exit 1; }
chmod 755 "$exe"
echo "[package]     published in $((SECONDS - publish_started)) s"

# --- 4. The embedding model, next to the executable (the app looks there first). ---
step 4 "embedding model"
model_src=""
for candidate in "models/universal-sentence-encoder-lite" "../shared/models/universal-sentence-encoder-lite"; do
  if [ -f "$candidate/model.onnx" ] && [ -f "$candidate/tokenizer.model" ]; then
    model_src="$candidate"
    break
  fi
done
[ -n "$model_src" ] || { echo "error: no embedding model (models/universal-sentence-encoder-lite or ../shared/models/...; see models/README.md)" >&2; exit 1; }
model_dst="$stage/models/universal-sentence-encoder-lite"
mkdir -p "$model_dst"
for f in model.onnx tokenizer.model LICENSE; do
  [ -f "$model_src/$f" ] || { echo "error: $model_src/$f is missing" >&2; exit 1; }
  cp "$model_src/$f" "$model_dst/"
  chmod 644 "$model_dst/$f"
done
echo "[package]     from $model_src ($(du -sh "$model_dst" | cut -f1))"

# --- 5. The routing profile. ---
step 5 "routing profile"
if [ -n "$profile" ]; then
  grep -q '"embeddingModelId"' "$profile" || { echo "error: $profile does not look like a routing profile" >&2; exit 1; }
  mkdir -p "$stage/.data"
  cp "$profile" "$stage/.data/profile.json"
  chmod 644 "$stage/.data/profile.json"
  echo "[package]     $profile -> .data/profile.json"
else
  echo "[package]     none (--no-profile): the app must find a profile in its store"
fi

# --- 6. Layout check. ---
step 6 "checking the layout"
[ -f "$stage/host.json" ] || { echo "error: host.json missing" >&2; exit 1; }
grep -q '"defaultExecutablePath": *"RouterFunctions.Handler"' "$stage/host.json" \
  || echo "[package]     WARNING: host.json's defaultExecutablePath is not RouterFunctions.Handler"
[ -x "$exe" ] || { echo "error: $exe is not executable" >&2; exit 1; }
for f in model.onnx tokenizer.model LICENSE; do [ -f "$model_dst/$f" ] || { echo "error: $f missing" >&2; exit 1; }; done
echo "[package]     ok: $(find "$stage" -type f | wc -l) files, $(du -sh "$stage" | cut -f1)"

# --- 7. Zip (on Linux: the executable keeps its mode bits). ---
step 7 "zipping -> $zipfile"
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
mode=$(zipinfo "$zipfile" RouterFunctions.Handler 2>/dev/null | awk '{print $1}' || true)
if [ -n "$mode" ]; then
  case "$mode" in -rwx*) ;; *) echo "error: RouterFunctions.Handler is stored as $mode in the zip" >&2; exit 1 ;; esac
  echo "[package]     RouterFunctions.Handler stored as $mode"
fi
echo "[package] done in $((SECONDS - started)) s: $zipfile ($(du -h "$zipfile" | cut -f1))"
