#!/usr/bin/env bash
# Runs the supervisor from source. When no engine is configured (neither Supervisor:DockerHost,
# as SUPERVISOR__DOCKERHOST, nor DOCKER_HOST), it first starts the project's private engine and
# registry (scripts/engine.sh up, installing them when missing) and stops them again when the
# supervisor exits. Arguments go to the supervisor, e.g. --urls http://127.0.0.1:48484.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"

command -v dotnet >/dev/null 2>&1 ||
    { printf 'run: error: the .NET 10 SDK (dotnet) is not on PATH; install it, then run scripts/run.sh again\n' >&2; exit 1; }

started_engine=0
stop_engine() {
    if (( started_engine )); then
        scripts/engine.sh down || printf 'run: warning: scripts/engine.sh down failed; run it by hand\n' >&2
    fi
}
trap stop_engine EXIT

if [[ -z ${SUPERVISOR__DOCKERHOST:-}${Supervisor__DockerHost:-}${DOCKER_HOST:-} ]]; then
    scripts/engine.sh status >/dev/null 2>&1 || started_engine=1
    env_lines=$(scripts/engine.sh up)
    eval "$env_lines"
fi

# A development run keeps its databases and API key in the work tree (git ignores .state/).
export SUPERVISOR__DATADIR=${SUPERVISOR__DATADIR:-$ROOT/.state/data}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build Host/Host.csproj -c Release --nologo -v quiet
# Not exec: the EXIT trap must still stop the engine this script started. A background job of a
# script ignores SIGINT, so Ctrl-C and SIGTERM are passed on as SIGTERM (a graceful stop).
dotnet Host/bin/Release/net10.0/Supervisor.Host.dll "$@" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null || true' INT TERM
set +e
wait "$child"
status=$?
if kill -0 "$child" 2>/dev/null; then
    wait "$child"
    status=$?
fi
exit "$status"
