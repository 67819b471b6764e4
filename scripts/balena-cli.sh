#!/usr/bin/env bash
# Installs balena's command-line client, balena-cli 22.5.5 from npm (the version the project's issues
# test against), once into a cache folder, and prints the path of its `balena` program on stdout.
# Progress goes to stderr. Node.js and npm are installed from Debian when missing.
#
# Two of balena-cli 22.5.5's pinned dependencies are not served here at their pinned versions, so npm
# overrides them with served ones (unbzip2-stream 1.4.3, balena-preload 18.0.5); neither is on the path of
# `balena push` to a local-mode device or `balena device logs`. Install scripts are skipped: they fetch
# prebuilt binaries from the internet, which this machine cannot reach, and local mode does not need them.
# Later balena-cli releases download a Go binary at install time and cannot be installed here.
#
# usage: scripts/balena-cli.sh [FOLDER]   (default: ${XDG_CACHE_HOME:-~/.cache}/balena-cli-22)
set -euo pipefail

folder=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/balena-cli-22}
program=$folder/node_modules/.bin/balena

if [[ ! -x $program ]]; then
    if ! command -v npm >/dev/null 2>&1; then
        printf 'balena-cli: installing nodejs and npm from Debian\n' >&2
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; } >&2
    fi
    mkdir -p "$folder"
    cat > "$folder/package.json" <<'JSON'
{
  "name": "supervisor-balena-cli",
  "private": true,
  "dependencies": { "balena-cli": "22.5.5" },
  "overrides": { "unbzip2-stream": "1.4.3", "balena-preload": "18.0.5" }
}
JSON
    printf 'balena-cli: npm install into %s\n' "$folder" >&2
    (cd "$folder" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error) >&2
    [[ -x $program ]] || { printf 'balena-cli: error: npm finished but %s is missing\n' "$program" >&2; exit 1; }
fi

printf '%s\n' "$program"
