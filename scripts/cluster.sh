#!/usr/bin/env bash
# The cluster profile of the local stack: what production runs, on 127.0.0.1 (issue 34).
#   - PostgreSQL (Temporal persistence and SQL visibility), its own data folder, port 5433
#   - the Temporal server built from its Go module (tools/versions.env), 8 history shards, mTLS on the frontend
#     at 127.0.0.1:7333 (a CA and certificates made here, under .state/cluster/tls)
#   - its Web UI (github.com/temporalio/ui-server, also built from its module) at http://127.0.0.1:8333
#   - three Kafka brokers in KRaft (each broker and controller), replication factor 3, min.insync.replicas 2, clients
#     over SASL_SSL (PLAIN) at 127.0.0.1:9191-9193
# and writes .state/cluster/pipeline.env: the pipeline's configuration keys for it (source it, then run as usual).
#   scripts/cluster.sh up|down|status      (also: scripts/stack.sh up|down|status --profile cluster)
#   scripts/cluster.sh stop postgres|temporal|kafka-N [--kill]   one server, for fault drills; `up` restarts it
# Ports differ from the dev profile's, so both can run at once. State and logs under .state/cluster (KP_STATE_DIR).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../tools/versions.env
source "$ROOT/tools/versions.env"
TOOLS="${KP_TOOLS_DIR:-$ROOT/.tools}"
STATE="${KP_STATE_DIR:-$ROOT/.state}/cluster"
TEMPORAL_CLI="$TOOLS/venv/bin/temporal"
SERVER_DIR="$TOOLS/temporal-server-$TEMPORAL_SERVER_VERSION"
UI_DIR="$TOOLS/temporal-ui-$TEMPORAL_UI_VERSION"
KAFKA_LIBS="$TOOLS/kafka-$KAFKA_VERSION/libs"
TLS="$STATE/tls"
PG_PORT=5433
FRONTEND_PORT=7333
SERVER_METRICS_PORT=9333
UI_PORT=8333
# History shards of a new cluster; fixed once its database exists (KP_CLUSTER_HISTORY_SHARDS=1 with a KP_STATE_DIR
# of its own gives a second, one-shard cluster, as the bench's 1-vs-8 check does).
HISTORY_SHARDS="${KP_CLUSTER_HISTORY_SHARDS:-8}"
NAMESPACE=kafka-pipeline
KAFKA_USER=pipeline
KAFKA_NODES=(1 2 3)
START_TIMEOUT_S="${KP_STACK_START_TIMEOUT_S:-120}"

die() { echo "cluster: $*" >&2; exit 1; }
log() { echo "cluster: $*"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Polls "$@" until it succeeds, or fails naming the log when the deadline passes or `alive` says the process died.
wait_until() {
  local what="$1" alive="$2" logfile="$3"; shift 3
  local deadline=$((SECONDS + START_TIMEOUT_S))
  until "$@" >/dev/null 2>&1; do
    $alive || die "$what exited during start; last lines of $logfile:$(echo; tail -n 15 "$logfile")"
    [ $SECONDS -lt $deadline ] || die "$what did not answer within ${START_TIMEOUT_S}s; see $logfile"
    sleep 0.5
  done
}

# A recorded pid counts only while it is alive and still runs the command named by $2.
pid_alive() {
  [ -f "$1" ] || return 1
  local pid; pid=$(cat "$1")
  kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$2"
}

any_alive() {
  local p
  for p in "$@"; do kill -0 "$p" 2>/dev/null && return 0; done
  return 1
}

# Stops the processes of the given "pidfile|marker" pairs together (the brokers: one left alone would wait for a
# controller quorum that is gone) with SIGTERM, or $STOP_SIGNAL, then SIGKILL after 30 s; prints their pids, returns 1
# when none was running. A pid file whose process is gone (or is not ours any more) is removed.
stop_pids() {
  local pair pids=() deadline=$((SECONDS + 30)) killed=0
  for pair in "$@"; do
    if pid_alive "${pair%%|*}" "${pair#*|}"; then
      pids+=("$(cat "${pair%%|*}")")
      kill "-${STOP_SIGNAL:-TERM}" "${pids[-1]}"
    fi
  done
  [ ${#pids[@]} -gt 0 ] || { for pair in "$@"; do rm -f "${pair%%|*}"; done; return 1; }
  while any_alive "${pids[@]}"; do
    if [ $SECONDS -ge $deadline ] && [ $killed = 0 ]; then
      log "pid(s) ${pids[*]} did not stop in 30s; sending SIGKILL" >&2
      kill -KILL "${pids[@]}" 2>/dev/null || true
      killed=1
    fi
    sleep 0.2
  done
  for pair in "$@"; do rm -f "${pair%%|*}"; done
  echo "${pids[*]}"
}

# shellcheck source=lib/cluster-tls.sh
source "$ROOT/scripts/lib/cluster-tls.sh"
# shellcheck source=lib/cluster-temporal.sh
source "$ROOT/scripts/lib/cluster-temporal.sh"
# shellcheck source=lib/cluster-kafka.sh
source "$ROOT/scripts/lib/cluster-kafka.sh"

# ---- the pipeline's configuration for this profile ----

pipeline_env() {
  (umask 077 && cat >"$STATE/pipeline.env") <<EOF
# The pipeline's configuration keys for the cluster profile (written by scripts/cluster.sh up). Use:
#   set -a; source $STATE/pipeline.env; set +a
TEMPORAL_ADDRESS=127.0.0.1:$FRONTEND_PORT
TEMPORAL_NAMESPACE=$NAMESPACE
TEMPORAL_UI_URL=http://127.0.0.1:$UI_PORT
TEMPORAL_TLS_CA=$TLS/ca.pem
TEMPORAL_TLS_CERT=$TLS/client.pem
TEMPORAL_TLS_KEY=$TLS/client.key
# The name the frontend's certificate is checked against (it has DNS:localhost and IP:127.0.0.1); a name, not the IP,
# because TLS clients may not send an IP address as the server name (RFC 6066; Node warns with DEP0123).
TEMPORAL_TLS_SERVER_NAME=localhost
KAFKA_BROKERS=127.0.0.1:9191,127.0.0.1:9192,127.0.0.1:9193
KAFKA_SECURITY_PROTOCOL=SASL_SSL
KAFKA_SASL_MECHANISM=PLAIN
KAFKA_SASL_USERNAME=$KAFKA_USER
KAFKA_SASL_PASSWORD=$KAFKA_PIPELINE_PASSWORD
KAFKA_SSL_CA=$TLS/ca.pem
# For scripts/*.sh (the temporal CLI):
TEMPORAL_CLI_ARGS="$(tls_args)"
EOF
}

status() {
  local n
  if pg_running; then printf '%-16s running  127.0.0.1:%s\n' postgres "$PG_PORT"; else printf '%-16s stopped\n' postgres; fi
  if server_alive; then
    printf '%-16s running  pid %-7s %s shards, mTLS 127.0.0.1:%s %s\n' temporal-server "$(cat "$STATE/temporal/pid")" \
      "$(cat "$STATE/temporal/shards" 2>/dev/null || echo "$HISTORY_SHARDS")" "$FRONTEND_PORT" "$(server_healthy && echo SERVING || echo 'not serving')"
  else printf '%-16s stopped\n' temporal-server; fi
  if ui_alive; then printf '%-16s running  pid %-7s http://127.0.0.1:%s\n' temporal-ui "$(cat "$STATE/ui/pid")" "$UI_PORT"
  else printf '%-16s stopped\n' temporal-ui; fi
  for n in "${KAFKA_NODES[@]}"; do
    if broker_alive "$n"; then
      printf '%-16s running  pid %-7s SASL_SSL 127.0.0.1:919%s\n' "kafka-$n" "$(cat "$STATE/kafka-$n/pid")" "$n"
    else printf '%-16s stopped\n' "kafka-$n"; fi
  done
  [ -f "$STATE/pipeline.env" ] && echo "configuration: set -a; source $STATE/pipeline.env; set +a"
  return 0
}

case "${1:-}" in
  up)
    t0=$SECONDS
    installed=$(bash "$ROOT/scripts/install-tools.sh" --cluster) || die "install-tools.sh --cluster failed"
    grep -v '^install-tools: ok' <<<"$installed" || true
    secrets
    certificates
    pipeline_env
    postgres_up
    temporal_up
    ui_up
    kafka_up
    log "up in $((SECONDS - t0))s; configuration: set -a; source $STATE/pipeline.env; set +a"
    ;;
  down)
    brokers=()
    for n in "${KAFKA_NODES[@]}"; do brokers+=("$STATE/kafka-$n/pid|$STATE/kafka-$n/server.properties"); done
    if pids=$(stop_pids "${brokers[@]}"); then log "kafka brokers stopped (pids $pids)"; else log "kafka brokers not running"; fi
    if pid=$(stop_pids "$STATE/ui/pid|--root $STATE/ui "); then log "temporal web ui stopped (pid $pid)"; fi
    if pid=$(stop_pids "$STATE/temporal/pid|--root $STATE/temporal "); then log "temporal server stopped (pid $pid)"; else log "temporal server not running"; fi
    postgres_down
    ;;
  status) status ;;
  stop)
    # One server, for fault drills (test/cluster/faults.test.ts): `up` starts it again. --kill: SIGKILL, no shutdown.
    [ "${3:-}" = --kill ] && export STOP_SIGNAL=KILL
    case "${2:-}" in
      postgres) postgres_down ;;
      temporal) pair="$STATE/temporal/pid|--root $STATE/temporal " ;;
      kafka-1 | kafka-2 | kafka-3) pair="$STATE/${2}/pid|$STATE/${2}/server.properties" ;;
      *) die "stop takes postgres, temporal or kafka-1..3 (and --kill)" ;;
    esac
    if [ "${2}" != postgres ]; then
      pid=$(stop_pids "$pair") || die "${2} is not running"
      log "${2} stopped (SIG${STOP_SIGNAL:-TERM}, pid $pid)"
    fi
    ;;
  *)
    echo "usage: scripts/cluster.sh up|down|status|stop <server> [--kill]" >&2
    exit 2
    ;;
esac
