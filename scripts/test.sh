#!/usr/bin/env bash
# Runs every test, as on a fresh machine: starts the private engine and registry (installing
# them when missing) unless DOCKER_HOST and SUPERVISOR_TEST_REGISTRY already name a test pair,
# builds the solution (warnings are errors), runs the xunit suite, and stops the engine again
# if this run started it. Extra arguments go to `dotnet test` (e.g. --filter Name~Engine).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"

die() { printf 'test: error: %s\n' "$*" >&2; exit 1; }

command -v dotnet >/dev/null 2>&1 ||
    die "the .NET 10 SDK (dotnet) is not on PATH; install it, then run scripts/test.sh again"

started_engine=0
stop_engine() {
    if (( started_engine )); then
        scripts/engine.sh down || printf 'test: warning: scripts/engine.sh down failed; run it by hand\n' >&2
    fi
}
trap stop_engine EXIT

if [[ -z ${DOCKER_HOST:-} || -z ${SUPERVISOR_TEST_REGISTRY:-} ]]; then
    scripts/engine.sh status >/dev/null 2>&1 || started_engine=1
    env_lines=$(scripts/engine.sh up)
    eval "$env_lines"
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
results=$ROOT/.state/test-results
rm -rf "$results"

dotnet build Supervisor.sln -c Release --nologo -v quiet
set +e
dotnet test Tests/Tests.csproj -c Release --no-build --nologo \
    --results-directory "$results" --logger "console;verbosity=normal" "$@" | tee "$ROOT/.state/test-output.log"
status=${PIPESTATUS[0]}
set -e

# One plain closing line, whatever the runner printed above it. At normal verbosity the runner
# ends with "Total tests: N" and one "Passed: N" / "Failed: N" / "Skipped: N" line for each kind.
count() { grep -E "^ *$1: *[0-9]+ *$" "$ROOT/.state/test-output.log" | tail -n 1 | grep -oE '[0-9]+' || echo 0; }
if grep -qE '^Total tests: *[0-9]+' "$ROOT/.state/test-output.log"; then
    printf '%s passed, %s failed, %s skipped\n' "$(count Passed)" "$(count Failed)" "$(count Skipped)"
fi
exit "$status"
