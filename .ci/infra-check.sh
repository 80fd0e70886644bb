#!/usr/bin/env bash
# Infra check: restores the Bicep CLI from NuGet (package Azure.Bicep.CommandLine.linux-x64; no other network
# access), then `bicep build` and `bicep lint` every file under infra/. Any warning or error fails the check: the
# linter rules are raised to error level in infra/bicepconfig.json, and the output is scanned for any Warning/Error
# diagnostic (compiler warnings such as BCP081 cannot be raised by configuration). Also fails if the compiled
# template reaches for keys or secret connection strings, or loses the two-app shape (api = dotnet-isolated 10.0,
# workers = custom 1.0, no FUNCTIONS_WORKER_RUNTIME on Flex, duplicate detection on the queues; needs jq).
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

# --- 4. The shape azure.yaml and the apps rely on (from the compiled template): one app per azd service with the
# right Flex runtime, no FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION (deprecated on Flex), duplicate
# detection on every queue. ---
shape=0
if [ -f "$work/main.json" ] && command -v jq >/dev/null; then
  apps=$(jq -r '[.. | objects | select(.type? == "Microsoft.Resources/deployments") | .properties.parameters
    | select(.serviceName? and .runtimeName?) | "\(.serviceName.value)=\(.runtimeName.value)/\(.runtimeVersion.value)"]
    | sort | join(" ")' "$work/main.json")
  if [ "$apps" != "api=dotnet-isolated/10.0 workers=custom/1.0" ]; then
    echo "[infra] expected apps 'api=dotnet-isolated/10.0 workers=custom/1.0', the template has '$apps'" >&2
    shape=1
  fi
  if grep -nE 'FUNCTIONS_WORKER_RUNTIME|FUNCTIONS_EXTENSION_VERSION' "$work/main.json"; then
    echo "[infra] FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION must not be set on Flex Consumption" >&2
    shape=1
  fi
  dedup=$(jq -r '[.. | objects | select(.type? == "Microsoft.ServiceBus/namespaces/queues")
    | .properties.requiresDuplicateDetection] | unique | map(tostring) | join(",")' "$work/main.json")
  if [ "$dedup" != "true" ]; then
    echo "[infra] every queue needs requiresDuplicateDetection: true (got $dedup)" >&2
    shape=1
  fi
  echo "[infra] apps: $apps; queues with duplicate detection: $dedup"
else
  echo "[infra] shape check skipped (needs jq and a built template)"
fi

echo "[infra] $(echo "$files" | wc -l) files, $warnings warning(s), $errors error(s), secrets check $([ $secrets -eq 0 ] && echo clean || echo FAILED), shape check $([ $shape -eq 0 ] && echo ok || echo FAILED), $((SECONDS - started)) s"
if [ "$status" -ne 0 ] || [ "$warnings" -ne 0 ] || [ "$errors" -ne 0 ] || [ "$secrets" -ne 0 ] || [ "$shape" -ne 0 ]; then
  echo "[infra] FAILED" >&2
  exit 1
fi
echo "[infra] OK"
