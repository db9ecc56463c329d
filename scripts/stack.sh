#!/usr/bin/env bash
# The local stack without Docker: a Temporal dev server (with Web UI) and a single-node KRaft Kafka broker,
# both on 127.0.0.1, state and logs under .state/ (git-ignored).
#   scripts/stack.sh up      install if needed, start what is not running, wait until each server answers
#   scripts/stack.sh down    stop only the processes this script started (by recorded pid)
#   scripts/stack.sh status  each server's state, pid, version and port
# up and down take an optional server name (temporal | kafka) to act on that one only.
# --profile cluster (or KP_STACK_PROFILE=cluster): the production-shaped cluster instead (scripts/cluster.sh: Temporal
# server on PostgreSQL with mTLS, three Kafka brokers over SASL_SSL); the dev profile stays the default.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../tools/versions.env
source "$ROOT/tools/versions.env"
TOOLS="${KP_TOOLS_DIR:-$ROOT/.tools}"
STATE="${KP_STATE_DIR:-$ROOT/.state}"
TEMPORAL_BIN="$TOOLS/venv/bin/temporal"
KAFKA_LIBS="$TOOLS/kafka-$KAFKA_VERSION/libs"
TEMPORAL_PORT=7233
TEMPORAL_UI_PORT=8233
TEMPORAL_METRICS_PORT=9233
KAFKA_PORT=9092
START_TIMEOUT_S="${KP_STACK_START_TIMEOUT_S:-90}"
# Custom search attributes the DLQ filters on (see src/shared/search-attributes.ts; a test checks they match).
SEARCH_ATTRIBUTES=(TraceId=Keyword Domain=Keyword ErrorCategory=Keyword FailedStage=Keyword EventType=Keyword)

die() { echo "stack: $*" >&2; exit 1; }
log() { echo "stack: $*"; }

# A recorded pid counts only while it is alive AND still our server (pids are reused after a reboot).
pid_alive() {
  [ -f "$1" ] || return 1
  local pid marker
  pid=$(cat "$1")
  kill -0 "$pid" 2>/dev/null || return 1
  case "$1" in */temporal/pid) marker=start-dev ;; */kafka/pid) marker=kafka.Kafka ;; *) return 0 ;; esac
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$marker"
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Polls "$@" until it succeeds, the process in pid file $1 dies, or the deadline passes.
wait_until() {
  local what="$1" pidfile="$2" logfile="$3"; shift 3
  local deadline=$((SECONDS + START_TIMEOUT_S))
  until "$@" >/dev/null 2>&1; do
    pid_alive "$pidfile" || die "$what exited during start; last lines of $logfile:$(echo; tail -n 15 "$logfile")"
    [ $SECONDS -lt $deadline ] || die "$what did not answer within ${START_TIMEOUT_S}s; see $logfile"
    sleep 0.3
  done
}

temporal_healthy() { "$TEMPORAL_BIN" operator cluster health --address "127.0.0.1:$TEMPORAL_PORT" 2>/dev/null | grep -q SERVING; }
temporal_ready() { temporal_healthy && "$TEMPORAL_BIN" operator namespace describe -n default --address "127.0.0.1:$TEMPORAL_PORT"; }

temporal_up() {
  local dir="$STATE/temporal" pidfile="$STATE/temporal/pid"
  mkdir -p "$dir"
  if pid_alive "$pidfile"; then log "temporal already running (pid $(cat "$pidfile"))"; return; fi
  if port_open "$TEMPORAL_PORT"; then
    temporal_healthy || die "port $TEMPORAL_PORT is taken by a process that is not a Temporal server"
    log "temporal: using the server already listening on 127.0.0.1:$TEMPORAL_PORT (not started by this script)"
    return
  fi
  local sa_args=() dc_args=() line
  for sa in "${SEARCH_ATTRIBUTES[@]}"; do sa_args+=(--search-attribute "$sa"); done
  while IFS= read -r line; do
    line="${line%%#*}"
    if [ -n "${line// /}" ]; then dc_args+=(--dynamic-config-value "${line// /}"); fi
  done <"$ROOT/tools/temporal-dev-server.conf"
  # setsid: the server must not receive the terminal's Ctrl-C meant for `npm start`; stack down stops it.
  setsid "$TEMPORAL_BIN" server start-dev \
    --ip 127.0.0.1 --port "$TEMPORAL_PORT" --ui-port "$TEMPORAL_UI_PORT" --metrics-port "$TEMPORAL_METRICS_PORT" \
    --db-filename "$dir/dev.db" --sqlite-pragma journal_mode=wal --sqlite-pragma synchronous=normal \
    --namespace default "${sa_args[@]}" "${dc_args[@]}" \
    --log-level warn --log-format json --ui-disable-news-fetch \
    >>"$dir/server.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  wait_until "temporal" "$pidfile" "$dir/server.log" temporal_ready
  wait_until "temporal web ui" "$pidfile" "$dir/server.log" port_open "$TEMPORAL_UI_PORT"
  log "temporal started (pid $(cat "$pidfile")), gRPC 127.0.0.1:$TEMPORAL_PORT"
}

kafka_started() { grep -q 'Kafka Server started' "$STATE/kafka/server.log" && port_open "$KAFKA_PORT"; }

kafka_up() {
  local dir="$STATE/kafka" pidfile="$STATE/kafka/pid"
  mkdir -p "$dir"
  if pid_alive "$pidfile"; then log "kafka already running (pid $(cat "$pidfile"))"; return; fi
  port_open "$KAFKA_PORT" && die "port $KAFKA_PORT is taken by a process this script did not start; stop it first"
  [ -f "$KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar" ] || die "Kafka jars missing in $KAFKA_LIBS (run npm run stack:install)"
  command -v java >/dev/null || die "java is missing: install a Java 17+ runtime"
  cp "$ROOT/tools/kafka/server.properties" "$dir/server.properties"
  echo "log.dirs=$dir/data" >>"$dir/server.properties"
  local java_opts=(-Xms128m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true
    -Djava.net.preferIPv4Stack=true "-Dlog4j.configuration=file:$ROOT/tools/kafka/log4j.properties")
  if [ ! -f "$dir/data/meta.properties" ]; then
    local cluster_id
    cluster_id=$(java "${java_opts[@]}" -cp "$KAFKA_LIBS/*" kafka.tools.StorageTool random-uuid 2>/dev/null)
    java "${java_opts[@]}" -cp "$KAFKA_LIBS/*" kafka.tools.StorageTool format \
      -t "$cluster_id" -c "$dir/server.properties" --ignore-formatted >"$dir/format.log" 2>&1 \
      || die "kafka storage format failed; see $dir/format.log"
  fi
  # Readiness greps "Kafka Server started" in this start's log only; the previous start's log is kept beside it.
  mv "$dir/server.log" "$dir/server.log.prev" 2>/dev/null || true
  setsid java "${java_opts[@]}" -cp "$KAFKA_LIBS/*" kafka.Kafka "$dir/server.properties" \
    >"$dir/server.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  wait_until "kafka" "$pidfile" "$dir/server.log" kafka_started
  log "kafka $KAFKA_VERSION started (pid $(cat "$pidfile")), broker 127.0.0.1:$KAFKA_PORT"
}

create_topics() {
  local tsx="$ROOT/node_modules/.bin/tsx"
  [ -x "$tsx" ] || die "node_modules missing: run npm ci first"
  "$tsx" "$ROOT/scripts/create-topics.ts" "127.0.0.1:$KAFKA_PORT"
}

stop_pidfile() {
  local name="$1" pidfile="$2"
  if ! pid_alive "$pidfile"; then rm -f "$pidfile"; log "$name not running (nothing started by this script)"; return; fi
  local pid; pid=$(cat "$pidfile")
  kill -TERM "$pid"
  local deadline=$((SECONDS + 30)) killed=0
  while kill -0 "$pid" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ] && [ $killed = 0 ]; then
      log "$name (pid $pid) did not stop in 30s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      killed=1
    fi
    sleep 0.2
  done
  rm -f "$pidfile"
  log "$name stopped (pid $pid)"
}

status_line() {
  local name="$1" pidfile="$2" port="$3" version="$4" extra="$5"
  if pid_alive "$pidfile"; then
    printf '%-9s running  pid %-7s %-34s 127.0.0.1:%s %s\n' "$name" "$(cat "$pidfile")" "$version" "$port" "$extra"
  elif port_open "$port"; then
    printf '%-9s running  (not started by this script)  %-20s 127.0.0.1:%s %s\n' "$name" "" "$port" "$extra"
  else
    printf '%-9s stopped  %-41s 127.0.0.1:%s\n' "$name" "$version" "$port"
  fi
}

temporal_version() {
  local server
  server=$("$TEMPORAL_BIN" operator cluster system --address "127.0.0.1:$TEMPORAL_PORT" -o json 2>/dev/null \
    | grep -o '"serverVersion": *"[^"]*"' | grep -o '[0-9][^"]*' || true)
  echo "cli $TEMPORAL_BIN_VERSION server ${server:-?}"
}

profile="${KP_STACK_PROFILE:-dev}"
positional=()
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) profile="${2:-}"; shift 2 || die "--profile takes dev or cluster" ;;
    --profile=*) profile="${1#--profile=}"; shift ;;
    *) positional+=("$1"); shift ;;
  esac
done
set -- "${positional[@]}"
case "$profile" in
  dev) ;;
  cluster) exec bash "$ROOT/scripts/cluster.sh" "$@" ;;
  *) die "unknown profile '$profile' (dev or cluster)" ;;
esac

only="${2:-all}"
case "$only" in all | temporal | kafka) ;; *) die "unknown server '$only' (temporal or kafka)" ;; esac
want() { [ "$only" = all ] || [ "$only" = "$1" ]; }

case "${1:-}" in
  up)
    t0=$SECONDS
    bash "$ROOT/scripts/install-tools.sh" | grep -v '^install-tools: ok' || true
    [ -x "$TEMPORAL_BIN" ] || die "temporal binary missing at $TEMPORAL_BIN"
    if want temporal; then temporal_up; fi
    if want kafka; then
      kafka_up
      create_topics
    fi
    log "up in $((SECONDS - t0))s"
    log "Temporal Web UI: http://127.0.0.1:$TEMPORAL_UI_PORT   Temporal gRPC: 127.0.0.1:$TEMPORAL_PORT   Kafka: 127.0.0.1:$KAFKA_PORT"
    ;;
  down)
    if want kafka; then stop_pidfile kafka "$STATE/kafka/pid"; fi
    if want temporal; then stop_pidfile temporal "$STATE/temporal/pid"; fi
    ;;
  status)
    status_line temporal "$STATE/temporal/pid" "$TEMPORAL_PORT" "$(temporal_version)" "ui http://127.0.0.1:$TEMPORAL_UI_PORT"
    status_line kafka "$STATE/kafka/pid" "$KAFKA_PORT" "kafka $KAFKA_VERSION (KRaft)" ""
    ;;
  *)
    echo "usage: scripts/stack.sh up|down|status [temporal|kafka] [--profile dev|cluster]" >&2
    exit 2
    ;;
esac
