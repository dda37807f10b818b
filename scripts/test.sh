#!/usr/bin/env bash
# Runs every test of FederationPortal and ends with one line "N passed, N failed, N skipped".
# On a fresh Debian machine with the .NET 10 SDK it first installs what the tests need (as root, or with sudo).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
results="$root/test-results"

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/aws ] || need+=(awscli)
command -v xmlsec1 >/dev/null 2>&1 || need+=(xmlsec1)
# The accessibility tests fetch axe-core with npm on first use (Axe.cs); without npm they are skipped.
command -v npm >/dev/null 2>&1 || need+=(npm)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing missing packages: ${need[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
    || { echo "Could not install ${need[*]} with apt-get." >&2; exit 1; }
fi

rm -rf "$results"
mkdir -p "$results/trx"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export FP_TEST_RESULTS="$results"

echo "Building FederationPortal.sln"
if ! dotnet build FederationPortal.sln -c Debug -nologo -v q -clp:ErrorsOnly; then
  echo "Build failed." >&2
  exit 1
fi

status=0
for project in tests/*.Tests/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  echo "Testing $name"
  dotnet test "$project" --no-build -nologo -v q \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results/trx" || status=1
done

passed=0; failed=0; skipped=0
for trx in "$results"/trx/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  # Skipped tests are counted in "total" but not in "executed" (the notExecuted counter stays 0 for xUnit skips).
  skipped=$((skipped + $(value total) - $(value executed)))
done

expected=$(ls tests/*.Tests/*.Tests.csproj | wc -l)
found=$(ls "$results"/trx/*.trx 2>/dev/null | wc -l)
if [ "$found" -lt "$expected" ]; then
  echo "Only $found of $expected test projects produced results." >&2
  failed=$((failed + expected - found))
fi

echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
