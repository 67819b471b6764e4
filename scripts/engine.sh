#!/usr/bin/env bash
# Private Docker engine + local registry + fixture images for the Supervisor tests.
#
#   scripts/engine.sh up      start (or reuse) dockerd and docker-registry, build fixtures,
#                             print the environment for `eval "$(scripts/engine.sh up)"`
#   scripts/engine.sh env     print the environment of a running engine
#   scripts/engine.sh status  show what runs; exit 0 when both daemons are up, 1 otherwise
#   scripts/engine.sh down    stop what `up` started (by recorded pid), keep the data
#
# Everything lives in the state folder ${SUPERVISOR_ENGINE_STATE:-<repo>/.state/engine}:
# a dockerd on its own unix socket, data root, exec root and pid file (so it never
# collides with a system docker), and a docker-registry on a free loopback port.
# Only stdout of `up`/`env` carries the `export ...` lines; all progress goes to stderr.
#
# Optional environment:
#   SUPERVISOR_ENGINE_STATE           state folder (default <repo>/.state/engine)
#   SUPERVISOR_ENGINE_STORAGE_DRIVER  force a dockerd storage driver (default: dockerd picks;
#                                     overlay2 on ext4, it falls back by itself when nested)
#   SUPERVISOR_ENGINE_TIMEOUT         seconds to wait for the daemons (default 60)

set -euo pipefail

# Bump when the fixture recipe changes, so that `up` rebuilds the images.
readonly FIXTURE_RECIPE=1
readonly FIXTURE_NAMESPACE=supervisor-fixtures

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd -P)
readonly SCRIPT_DIR REPO_ROOT
TIMEOUT=${SUPERVISOR_ENGINE_TIMEOUT:-60}

log() { printf 'engine: %s\n' "$*" >&2; }
die() { printf 'engine: error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------
# Paths
# ---------------------------------------------------------------------------

# Resolves the state folder to an absolute path and derives every other path from it.
# Unix socket paths are limited to 108 bytes (sun_path), so when the state folder is
# deep, the docker socket and/or the exec root (which holds containerd's sockets) move
# to a short per-state folder under /tmp, named by a hash of the state path.
init_paths() {
    local requested=${SUPERVISOR_ENGINE_STATE:-$REPO_ROOT/.state/engine}
    mkdir -p "$requested" || die "cannot create state folder '$requested'; set SUPERVISOR_ENGINE_STATE to a writable folder"
    STATE=$(cd "$requested" && pwd -P)

    local hash
    hash=$(printf '%s' "$STATE" | sha256sum | cut -c1-8)
    SHORT_DIR=/tmp/sv-engine-$hash

    SOCK=$STATE/docker.sock
    (( ${#SOCK} <= 100 )) || SOCK=$SHORT_DIR/docker.sock
    # Longest socket dockerd's containerd creates there: exec/containerd/containerd.sock.ttrpc
    EXEC_ROOT=$STATE/exec
    (( ${#EXEC_ROOT} + 33 <= 100 )) || EXEC_ROOT=$SHORT_DIR/exec

    DATA_ROOT=$STATE/docker
    DOCKERD_PID=$STATE/dockerd.pid
    DOCKERD_LOG=$STATE/dockerd.log
    DAEMON_JSON=$STATE/daemon.json
    REGISTRY_PID=$STATE/registry.pid
    REGISTRY_LOG=$STATE/registry.log
    REGISTRY_YML=$STATE/registry.yml
    REGISTRY_PORT_FILE=$STATE/registry.port
    REGISTRY_STORAGE=$STATE/registry
    FIXTURES=$STATE/fixtures.json
    FIXTURES_STAMP=$STATE/fixtures.stamp
    PATHS_FILE=$STATE/paths
    LOCK_FILE=$STATE/lock
}

# Records where the socket and exec root are, so that `down` and humans find them even
# when they live outside the state folder.
record_paths() {
    [[ $SOCK == "$STATE"/* && $EXEC_ROOT == "$STATE"/* ]] || mkdir -p "$SHORT_DIR"
    printf 'socket=%s\nexec_root=%s\ndata_root=%s\n' "$SOCK" "$EXEC_ROOT" "$DATA_ROOT" >"$PATHS_FILE"
}

# Reads back the recorded paths (they win over the computed ones, in case the rule changed).
load_paths() {
    [[ -f $PATHS_FILE ]] || return 0
    local key value
    while IFS='=' read -r key value; do
        case $key in
            socket) SOCK=$value ;;
            exec_root) EXEC_ROOT=$value ;;
        esac
    done <"$PATHS_FILE"
}

# Serialises concurrent invocations (e.g. two test runs calling `up` at once).
# The daemons are started with this fd closed, so they never hold the lock.
take_lock() {
    command -v flock >/dev/null || return 0
    exec 9>"$LOCK_FILE"
    flock -w 300 9 || die "another 'engine.sh' holds $LOCK_FILE for over 5 minutes; check for a hung run"
}

# ---------------------------------------------------------------------------
# Packages
# ---------------------------------------------------------------------------

# Installs the Debian packages only when something is missing. busybox must be the
# static build: it is copied alone into the fixture images, without any libraries.
ensure_packages() {
    local pkgs=()
    command -v dockerd >/dev/null && command -v docker >/dev/null || pkgs+=(docker.io)
    command -v docker-registry >/dev/null || pkgs+=(docker-registry)
    dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' || pkgs+=(busybox-static)
    command -v jq >/dev/null || pkgs+=(jq)
    command -v curl >/dev/null || pkgs+=(curl)
    command -v setsid >/dev/null || pkgs+=(util-linux)
    (( ${#pkgs[@]} == 0 )) && return 0

    (( EUID == 0 )) || die "missing packages (${pkgs[*]}); run as root or install them: apt-get install -y ${pkgs[*]}"
    log "installing missing packages: ${pkgs[*]}"
    apt-get update >&2 || die "apt-get update failed; check the Debian mirror in /etc/apt/sources.list*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${pkgs[@]}" >&2 \
        || die "apt-get install ${pkgs[*]} failed; see the output above"
}

# ---------------------------------------------------------------------------
# Process helpers
# ---------------------------------------------------------------------------

# Prints the pid recorded in FILE when that process is alive AND its command line
# contains every given marker (program name, our socket/config path). A stale pid
# file, or a pid recycled by some other program, prints nothing: we never trust it.
recorded_pid() {
    local file=$1; shift
    [[ -f $file ]] || return 0
    local pid cmdline marker
    pid=$(tr -dc '0-9' <"$file")
    [[ -n $pid && -r /proc/$pid/cmdline ]] || return 0
    cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 0
    for marker in "$@"; do
        [[ $cmdline == *"$marker"* ]] || return 0
    done
    printf '%s\n' "$pid"
}

dockerd_pid() { recorded_pid "$DOCKERD_PID" dockerd "$SOCK"; }
registry_pid() { recorded_pid "$REGISTRY_PID" docker-registry "$REGISTRY_YML"; }

# True while PID exists and is not a zombie. Our daemons are re-parented to pid 1 once
# the calling shell exits, and an init that reaps lazily (as in some sandboxes) leaves
# them as zombies for a while: those have exited and count as stopped.
is_running() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }   # the fields after "(comm) ", the first being the state letter
    [[ ${stat:0:1} != Z ]]
}

# SIGTERM, wait up to $2 seconds, then SIGKILL. Only ever called with pids we recorded
# (or, in stop_orphans, with pids whose command line names our private exec root).
stop_pid() {
    local pid=$1 grace=$2 name=$3 i
    kill -TERM "$pid" 2>/dev/null || return 0
    for (( i = 0; i < grace * 5; i++ )); do
        is_running "$pid" || { log "$name (pid $pid) stopped"; return 0; }
        sleep 0.2
    done
    log "$name (pid $pid) did not stop within ${grace}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for (( i = 0; i < 25; i++ )); do
        is_running "$pid" || return 0
        sleep 0.2
    done
    log "warning: $name (pid $pid) still exists after SIGKILL"
}

# Keeps one previous log, so that a failed start shows only its own lines.
rotate_log() { [[ -f $1 ]] && mv -f "$1" "$1.1"; return 0; }

fail_with_log() {
    local msg=$1 logfile=$2
    printf 'engine: error: %s\n' "$msg" >&2
    if [[ -f $logfile ]]; then
        printf -- '--- last lines of %s ---\n' "$logfile" >&2
        tail -n 30 "$logfile" >&2
        printf -- '---\n' >&2
    fi
    exit 1
}

# ---------------------------------------------------------------------------
# dockerd
# ---------------------------------------------------------------------------

dk() { docker -H "unix://$SOCK" "$@"; }

dockerd_answers() { curl -fsS --max-time 2 --unix-socket "$SOCK" http://engine/_ping >/dev/null 2>&1; }

start_dockerd() {
    local pid
    pid=$(dockerd_pid)
    if [[ -n $pid ]]; then
        log "reusing dockerd (pid $pid) on $SOCK"
        return 0
    fi
    # A pid file of a dead dockerd (or of a recycled pid) would make dockerd refuse to start.
    rm -f "$DOCKERD_PID"
    mkdir -p "$DATA_ROOT" "$EXEC_ROOT" "$(dirname "$SOCK")"
    # Our own (empty) config file, so /etc/docker/daemon.json of the host does not leak in.
    [[ -f $DAEMON_JSON ]] || printf '{}\n' >"$DAEMON_JSON"

    local args=(
        --host "unix://$SOCK"
        --config-file "$DAEMON_JSON"
        --data-root "$DATA_ROOT"
        --exec-root "$EXEC_ROOT"
        --pidfile "$DOCKERD_PID"
        # Tests run containers with network mode none: no bridge, no firewall changes.
        --iptables=false --ip-masq=false --ip-forward=false --bridge=none
        # If a system containerd is running, dockerd 20.10 attaches to it instead of
        # starting its own: a private namespace keeps our containers apart there.
        --containerd-namespace "sv-engine-${SHORT_DIR##*-}"
        --containerd-plugins-namespace "sv-engine-${SHORT_DIR##*-}-plugins"
        # Leaves dockerd time to stop its containers inside the grace period of `down`.
        --shutdown-timeout 10
    )
    [[ -n ${SUPERVISOR_ENGINE_STORAGE_DRIVER:-} ]] && args+=(--storage-driver "$SUPERVISOR_ENGINE_STORAGE_DRIVER")

    rotate_log "$DOCKERD_LOG"
    log "starting dockerd on $SOCK (data root $DATA_ROOT)"
    # setsid: own session, so the daemon outlives the calling shell and its Ctrl-C.
    # All standard fds and the lock fd are redirected/closed, so `$(engine.sh up)` returns.
    setsid dockerd "${args[@]}" </dev/null >>"$DOCKERD_LOG" 2>&1 9>&- &
    STARTED_DOCKERD=$!
}

wait_dockerd() {
    local deadline=$(( SECONDS + TIMEOUT ))
    until dockerd_answers; do
        if [[ -n ${STARTED_DOCKERD:-} ]] && ! is_running "$STARTED_DOCKERD"; then
            fail_with_log "dockerd exited during start-up; see the log below (storage driver? try SUPERVISOR_ENGINE_STORAGE_DRIVER=vfs)" "$DOCKERD_LOG"
        fi
        (( SECONDS < deadline )) || fail_with_log "dockerd did not answer on $SOCK within ${TIMEOUT}s" "$DOCKERD_LOG"
        sleep 0.3
    done
    # dockerd writes its pid file itself; make sure it is the process we know about.
    [[ -n $(dockerd_pid) ]] || fail_with_log "dockerd answers on $SOCK but $DOCKERD_PID does not name it; run 'scripts/engine.sh down' and retry" "$DOCKERD_LOG"
    if [[ -n ${STARTED_DOCKERD:-} ]]; then
        log "dockerd ready (pid $(dockerd_pid), storage driver $(dk info -f '{{.Driver}}' 2>/dev/null || echo '?'))"
    fi
}

# ---------------------------------------------------------------------------
# docker-registry
# ---------------------------------------------------------------------------

# True when something listens on 127.0.0.1/0.0.0.0/:: PORT (read from /proc, no ss/netstat needed).
port_in_use() {
    local hex file
    hex=$(printf '%04X' "$1")
    for file in /proc/net/tcp /proc/net/tcp6; do
        [[ -r $file ]] || continue
        # columns: sl local_address rem_address st ...; st 0A = LISTEN
        awk -v p=":$hex" 'NR > 1 && $4 == "0A" && substr($2, length($2) - 4) == p { found = 1 } END { exit !found }' "$file" \
            && return 0
    done
    return 1
}

# Reuses the remembered port when free, so that fixture references in fixtures.json stay
# valid; otherwise picks a free one below the ephemeral range (32768+).
choose_registry_port() {
    local port
    if [[ -f $REGISTRY_PORT_FILE ]]; then
        port=$(tr -dc '0-9' <"$REGISTRY_PORT_FILE")
        if [[ -n $port ]] && ! port_in_use "$port"; then
            REGISTRY_PORT=$port
            return 0
        fi
        log "remembered registry port ${port:-?} is taken; choosing another (fixtures will be rebuilt)"
    fi
    local tries
    for (( tries = 0; tries < 100; tries++ )); do
        port=$(( 20000 + RANDOM % 12000 ))
        port_in_use "$port" || { REGISTRY_PORT=$port; printf '%s\n' "$port" >"$REGISTRY_PORT_FILE"; return 0; }
    done
    die "no free loopback port found in 20000-31999; free one and retry"
}

write_registry_config() {
    mkdir -p "$REGISTRY_STORAGE"
    # No blob descriptor cache: with deletes enabled, a cache can serve blobs that are gone.
    cat >"$REGISTRY_YML" <<EOF
# Written by scripts/engine.sh; rewritten on every start.
version: 0.1
log:
  level: info
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $REGISTRY_STORAGE
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$REGISTRY_PORT
EOF
}

registry_answers() { curl -fsS --max-time 2 "http://127.0.0.1:$REGISTRY_PORT/v2/" >/dev/null 2>&1; }

start_registry() {
    local pid
    pid=$(registry_pid)
    if [[ -n $pid ]]; then
        REGISTRY_PORT=$(tr -dc '0-9' <"$REGISTRY_PORT_FILE")
        log "reusing docker-registry (pid $pid) on 127.0.0.1:$REGISTRY_PORT"
        return 0
    fi
    rm -f "$REGISTRY_PID"
    choose_registry_port
    write_registry_config
    rotate_log "$REGISTRY_LOG"
    log "starting docker-registry on 127.0.0.1:$REGISTRY_PORT (storage $REGISTRY_STORAGE)"
    setsid docker-registry serve "$REGISTRY_YML" </dev/null >>"$REGISTRY_LOG" 2>&1 9>&- &
    STARTED_REGISTRY=$!
    printf '%s\n' "$STARTED_REGISTRY" >"$REGISTRY_PID"
}

wait_registry() {
    local deadline=$(( SECONDS + TIMEOUT ))
    until registry_answers; do
        if [[ -n ${STARTED_REGISTRY:-} ]] && ! is_running "$STARTED_REGISTRY"; then
            rm -f "$REGISTRY_PID"
            fail_with_log "docker-registry exited during start-up (port 127.0.0.1:$REGISTRY_PORT taken? then delete $REGISTRY_PORT_FILE)" "$REGISTRY_LOG"
        fi
        (( SECONDS < deadline )) || fail_with_log "docker-registry did not answer on 127.0.0.1:$REGISTRY_PORT within ${TIMEOUT}s" "$REGISTRY_LOG"
        sleep 0.3
    done
    [[ -n $(registry_pid) ]] || fail_with_log "something answers on 127.0.0.1:$REGISTRY_PORT but it is not the registry we started" "$REGISTRY_LOG"
    [[ -n ${STARTED_REGISTRY:-} ]] && log "docker-registry ready (pid $(registry_pid))"
    return 0
}

# ---------------------------------------------------------------------------
# Fixture images
# ---------------------------------------------------------------------------

# The manifest is current when it was made by this recipe for this registry address,
# and the registry still serves every manifest digest it lists.
fixtures_current() {
    [[ -f $FIXTURES && -f $FIXTURES_STAMP ]] || return 1
    [[ $(cat "$FIXTURES_STAMP") == "recipe=$FIXTURE_RECIPE registry=127.0.0.1:$REGISTRY_PORT" ]] || return 1
    [[ $(jq -r '.registry' "$FIXTURES" 2>/dev/null) == "127.0.0.1:$REGISTRY_PORT" ]] || return 1
    local entries repo digest path
    entries=$(jq -r '.images | to_entries[] | "\(.value.repository) \(.value.digest)"' "$FIXTURES" 2>/dev/null) || return 1
    [[ $(wc -l <<<"$entries") -eq 5 ]] || return 1
    while read -r repo digest; do
        path=${repo#*/}   # strip the registry host:port
        curl -fsS -o /dev/null --max-time 5 -I \
            -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
            "http://127.0.0.1:$REGISTRY_PORT/v2/$path/manifests/$digest" 2>/dev/null || return 1
    done <<<"$entries"
}

# Makes a minimal root file system: static busybox, a few applets, and a marker file
# whose content differs per image version (so versions get different digests).
make_rootfs() {
    local dir=$1 marker=$2 applet
    mkdir -p "$dir/bin" "$dir/etc" "$dir/tmp"
    chmod 1777 "$dir/tmp"
    cp /bin/busybox "$dir/bin/busybox"
    for applet in sh sleep cat echo true false ls env date kill ps mkdir rm touch printf test; do
        ln -s busybox "$dir/bin/$applet"
    done
    printf '%s\n' "$marker" >"$dir/etc/supervisor-fixture"
}

# Imports a root file system as REF; prints the image id.
import_rootfs() {
    local dir=$1 ref=$2
    tar -C "$dir" --numeric-owner --owner=0 --group=0 -cf - . | dk import - "$ref" >/dev/null \
        || die "docker import of $ref failed; see $DOCKERD_LOG"
    dk image inspect -f '{{.Id}}' "$ref"
}

# Pushes REF and prints its manifest digest (taken from the engine's RepoDigests).
push_ref() {
    local ref=$1 repo=${1%:*} digest
    dk push "$ref" >&2 || die "docker push $ref failed; see $REGISTRY_LOG and $DOCKERD_LOG"
    digest=$(dk image inspect -f '{{range .RepoDigests}}{{println .}}{{end}}' "$ref" | grep -F "$repo@" | head -n1)
    [[ -n $digest ]] || die "no RepoDigest for $ref after push"
    printf '%s\n' "${digest#*@}"
}

build_fixtures() {
    local registry=127.0.0.1:$REGISTRY_PORT
    local base=$registry/$FIXTURE_NAMESPACE
    local work nonce
    work=$(mktemp -d "$STATE/fixtures-build.XXXXXX")
    # Remove the scratch folder whatever happens (48 MiB of random data lives there).
    # shellcheck disable=SC2064 # expand $work now, it is local
    trap "rm -rf '$work'" EXIT
    nonce=$(date -u +%Y%m%dT%H%M%SZ)-$RANDOM
    log "building fixture images for $registry"

    # key|repository|tag|rootfs folder
    local specs=(
        "app-v1|$base/app|v1|app-v1"
        "app-v2|$base/app|v2|app-v2"
        "shared-a|$base/shared-a|v1|shared"
        "shared-b|$base/shared-b|v1|shared"
        "large|$base/large|v1|large"
    )
    make_rootfs "$work/app-v1" "app v1 $nonce"
    make_rootfs "$work/app-v2" "app v2 $nonce"
    make_rootfs "$work/shared" "shared v1 $nonce"
    make_rootfs "$work/large" "large v1 $nonce"
    mkdir -p "$work/large/data"
    # Incompressible, so that a pull really transfers ~48 MiB and can be interrupted.
    head -c $(( 48 * 1024 * 1024 )) /dev/urandom >"$work/large/data/random.bin"

    local images='{}' spec key repo tag dir ref id digest
    local -A imported=()   # rootfs folder -> image id (shared-a and shared-b share one import)
    local refs=()
    for spec in "${specs[@]}"; do
        IFS='|' read -r key repo tag dir <<<"$spec"
        ref=$repo:$tag
        if [[ -n ${imported[$dir]:-} ]]; then
            # Same image under a second repository name: same image id, pushed twice.
            dk tag "${imported[$dir]}" "$ref"
            id=${imported[$dir]}
        else
            log "importing $ref"
            id=$(import_rootfs "$work/$dir" "$ref")
            imported[$dir]=$id
        fi
        refs+=("$ref")
        log "pushing $ref"
        digest=$(push_ref "$ref")
        images=$(jq -c --arg k "$key" --arg repo "$repo" --arg tag "$tag" --arg digest "$digest" --arg id "$id" \
            '.[$k] = {repository: $repo, tag: $tag, digest: $digest, imageId: $id, reference: "\($repo):\($tag)@\($digest)"}' \
            <<<"$images")
    done

    # The engine must start empty: tests pull the fixtures from the registry.
    dk rmi "${refs[@]}" >/dev/null || log "warning: could not remove every local fixture image (${refs[*]})"

    jq -n --arg registry "$registry" --argjson images "$images" '{registry: $registry, images: $images}' >"$FIXTURES.tmp"
    mv -f "$FIXTURES.tmp" "$FIXTURES"
    printf 'recipe=%s registry=%s\n' "$FIXTURE_RECIPE" "$registry" >"$FIXTURES_STAMP"
    rm -rf "$work"
    trap - EXIT
    log "fixtures written to $FIXTURES"
}

# ---------------------------------------------------------------------------
# Mount clean-up
# ---------------------------------------------------------------------------

# Unmounts whatever dockerd left mounted under our state folder or exec root (overlay
# layers, netns bind mounts, the data-root self bind mount), deepest first, so that
# `rm -rf .state` works. Mounts anywhere else are never touched.
unmount_leftovers() {
    local prefixes=("$STATE" "$EXEC_ROOT" "$SHORT_DIR") mounts=() mp p
    while read -r _ mp _; do
        mp=$(printf '%b' "$mp")   # /proc/mounts escapes spaces etc. as \040
        for p in "${prefixes[@]}"; do
            if [[ $mp == "$p" || $mp == "$p"/* ]]; then mounts+=("$mp"); break; fi
        done
    done </proc/mounts
    (( ${#mounts[@]} )) || return 0
    local sorted
    sorted=$(printf '%s\n' "${mounts[@]}" | awk '{ print length($0) "\t" $0 }' | sort -rn | cut -f2-)
    while IFS= read -r mp; do
        [[ -n $mp ]] || continue
        umount "$mp" 2>/dev/null || umount -l "$mp" 2>/dev/null || log "warning: could not unmount $mp"
    done <<<"$sorted"
    log "unmounted ${#mounts[@]} leftover mount(s)"
}

# After a SIGKILL of dockerd (or a crash), its containers, their containerd shims and
# maybe containerd itself survive. They are ours because they live under our private
# exec root: first let runc kill and delete the containers recorded in its state folder
# there, then stop the processes whose command line names that exec root.
stop_orphans() {
    local state_dir root proc pid cmdline
    if command -v runc >/dev/null; then
        for state_dir in "$EXEC_ROOT"/runtime-runc/*/*/; do
            [[ -f $state_dir/state.json ]] || continue
            root=$(dirname "$state_dir")
            log "removing leftover container $(basename "$state_dir")"
            runc --root "$root" delete --force "$(basename "$state_dir")" >&2 \
                || log "warning: runc could not delete container $(basename "$state_dir")"
        done
    fi
    for proc in /proc/[0-9]*; do
        pid=${proc#/proc/}
        cmdline=$(tr '\0' ' ' <"$proc/cmdline" 2>/dev/null) || continue
        [[ $cmdline == *"$EXEC_ROOT/"* ]] || continue
        [[ $cmdline == *containerd* ]] || continue
        stop_pid "$pid" 5 "leftover $(cut -d' ' -f1 <<<"$cmdline")"
    done
}

# ---------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------

print_env() {
    printf 'export DOCKER_HOST=%q\n' "unix://$SOCK"
    printf 'export SUPERVISOR_TEST_REGISTRY=%q\n' "127.0.0.1:$REGISTRY_PORT"
    printf 'export SUPERVISOR_TEST_FIXTURES=%q\n' "$FIXTURES"
}

cmd_up() {
    local started=$SECONDS
    ensure_packages
    take_lock
    load_paths
    record_paths
    start_dockerd
    start_registry
    wait_dockerd
    wait_registry
    if fixtures_current; then
        log "fixtures up to date ($FIXTURES)"
    else
        build_fixtures
    fi
    log "up in $(( SECONDS - started ))s"
    print_env
}

cmd_env() {
    load_paths
    [[ -n $(dockerd_pid) ]] || die "dockerd is not running (state $STATE); start it with: scripts/engine.sh up"
    [[ -n $(registry_pid) ]] || die "docker-registry is not running (state $STATE); start it with: scripts/engine.sh up"
    [[ -f $FIXTURES ]] || die "no $FIXTURES yet; run: scripts/engine.sh up"
    REGISTRY_PORT=$(tr -dc '0-9' <"$REGISTRY_PORT_FILE")
    print_env
}

cmd_status() {
    load_paths
    local dpid rpid ok=0
    dpid=$(dockerd_pid)
    rpid=$(registry_pid)
    echo "state:    $STATE"
    if [[ -n $dpid ]] && dockerd_answers; then
        echo "dockerd:  running, pid $dpid, socket unix://$SOCK, exec root $EXEC_ROOT"
    elif [[ -n $dpid ]]; then
        echo "dockerd:  pid $dpid alive but not answering on unix://$SOCK"; ok=1
    else
        echo "dockerd:  not running"; ok=1
    fi
    if [[ -n $rpid ]]; then
        REGISTRY_PORT=$(tr -dc '0-9' <"$REGISTRY_PORT_FILE")
        if registry_answers; then
            echo "registry: running, pid $rpid, http://127.0.0.1:$REGISTRY_PORT"
        else
            echo "registry: pid $rpid alive but not answering on 127.0.0.1:$REGISTRY_PORT"; ok=1
        fi
    else
        echo "registry: not running"; ok=1
    fi
    if [[ -f $FIXTURES ]]; then echo "fixtures: $FIXTURES"; else echo "fixtures: none yet"; fi
    return "$ok"
}

cmd_down() {
    take_lock
    load_paths
    local pid
    pid=$(dockerd_pid)
    if [[ -n $pid ]]; then
        # dockerd's own shutdown stops its containers and its containerd.
        stop_pid "$pid" 25 dockerd
    else
        log "dockerd not running"
    fi
    rm -f "$DOCKERD_PID"
    stop_orphans
    pid=$(registry_pid)
    if [[ -n $pid ]]; then
        stop_pid "$pid" 20 docker-registry
    else
        log "docker-registry not running"
    fi
    rm -f "$REGISTRY_PID"
    unmount_leftovers
    [[ $SOCK == "$STATE"/* ]] || rm -f "$SOCK"
    log "down (data kept in $STATE)"
}

usage() {
    cat >&2 <<'EOF'
usage: scripts/engine.sh up|down|env|status
  up      start (or reuse) the private dockerd and registry, build fixtures, print exports
  down    stop them (data is kept for the next up)
  env     print the exports for: eval "$(scripts/engine.sh env)"
  status  show what runs; exit 0 when both are up
EOF
    exit 2
}

main() {
    (( $# == 1 )) || usage
    case $1 in
        up | down | env | status) ;;
        *) usage ;;
    esac
    init_paths
    "cmd_$1"
}

main "$@"
