#!/usr/bin/env bash
# Infra check: restores the Bicep CLI from NuGet (package Azure.Bicep.CommandLine.linux-x64; no other network
# access), then `bicep build` and `bicep lint` every file under infra/. Any warning or error fails the check: the
# linter rules are raised to error level in infra/bicepconfig.json, and the output is scanned for any Warning/Error
# diagnostic (compiler warnings such as BCP081 cannot be raised by configuration). Also fails if the compiled
# template reaches for keys or secret connection strings.
#
# Usage: .ci/infra-check.sh            (BICEP_VERSION=0.49.2 by default; BICEP=/path/to/bicep skips the restore)
set -euo pipefail
cd "$(dirname "$0")/.."

BICEP_VERSION="${BICEP_VERSION:-0.49.2}"
PACKAGE=azure.bicep.commandline.linux-x64
started=$SECONDS

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- 1. The Bicep CLI, from the NuGet global packages folder (restored there if missing). ---
if [ -z "${BICEP:-}" ]; then
  packages=$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')
  packages="${packages%/}"
  BICEP="$packages/$PACKAGE/$BICEP_VERSION/tools/bicep"
  if [ ! -f "$BICEP" ]; then
    echo "[infra] restoring Azure.Bicep.CommandLine.linux-x64 $BICEP_VERSION from NuGet"
    # A throwaway project outside the repository (so Directory.Build.props / central package management stay out).
    cat > "$work/bicep-restore.csproj" <<CSPROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <ImportDirectoryBuildProps>false</ImportDirectoryBuildProps>
    <ImportDirectoryPackagesProps>false</ImportDirectoryPackagesProps>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="Azure.Bicep.CommandLine.linux-x64" Version="[$BICEP_VERSION]" />
  </ItemGroup>
</Project>
CSPROJ
    dotnet restore "$work/bicep-restore.csproj" --nologo -v quiet
  fi
  if [ ! -f "$BICEP" ]; then
    echo "error: the restore did not produce $BICEP" >&2
    exit 1
  fi
fi
[ -x "$BICEP" ] || chmod +x "$BICEP"
echo "[infra] $("$BICEP" --version)  ($BICEP)"

# --- 2. build + lint; collect every diagnostic. ---
log="$work/diagnostics.log"
status=0
files=$(find infra -name '*.bicep' | sort)

echo "[infra] bicep build infra/main.bicep"
"$BICEP" build infra/main.bicep --outfile "$work/main.json" >"$work/build.out" 2>&1 || status=1
cat "$work/build.out" | tee -a "$log"

for f in $files; do
  echo "[infra] bicep lint $f"
  "$BICEP" lint "$f" >"$work/lint.out" 2>&1 || status=1
  cat "$work/lint.out" | tee -a "$log"
done

warnings=$(grep -cE '\) : Warning ' "$log" || true)
errors=$(grep -cE '\) : Error ' "$log" || true)

# --- 3. No secrets in the compiled template: no list*() key calls, no key-bearing connection strings. ---
secrets=0
if [ -f "$work/main.json" ]; then
  if grep -nE 'listKeys|listConnectionStrings|listSecrets|AccountKey=|SharedAccessKey|InstrumentationKey=' "$work/main.json"; then
    echo "[infra] the compiled template reads or embeds keys (see above)" >&2
    secrets=1
  fi
else
  echo "[infra] bicep build produced no template" >&2
  status=1
fi

echo "[infra] $(echo "$files" | wc -l) files, $warnings warning(s), $errors error(s), secrets check $([ $secrets -eq 0 ] && echo clean || echo FAILED), $((SECONDS - started)) s"
if [ "$status" -ne 0 ] || [ "$warnings" -ne 0 ] || [ "$errors" -ne 0 ] || [ "$secrets" -ne 0 ]; then
  echo "[infra] FAILED" >&2
  exit 1
fi
echo "[infra] OK"
