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
HISTORY_SHARDS=8
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

# Stops the processes of the given pid files together (the brokers: one left alone would wait for a controller
# quorum that is gone), SIGKILL after 30 s.
stop_pids() {
  local marker="$1" pidfile pids=() deadline=$((SECONDS + 30)) killed=0; shift
  for pidfile in "$@"; do
    if pid_alive "$pidfile" "$marker"; then pids+=("$(cat "$pidfile")"); kill -TERM "${pids[-1]}"; fi
    rm -f "$pidfile"
  done
  [ ${#pids[@]} -gt 0 ] || return 1
  while any_alive "${pids[@]}"; do
    if [ $SECONDS -ge $deadline ] && [ $killed = 0 ]; then
      log "pid(s) ${pids[*]} did not stop in 30s; sending SIGKILL"
      kill -KILL "${pids[@]}" 2>/dev/null || true
      killed=1
    fi
    sleep 0.2
  done
  echo "${pids[*]}"
}

# ---- secrets and certificates (made once per state folder) ----

secrets() {
  local file="$STATE/secrets.env"
  if [ ! -f "$file" ]; then
    mkdir -p "$STATE"
    (umask 077 && printf 'KAFKA_ADMIN_PASSWORD=%s\nKAFKA_PIPELINE_PASSWORD=%s\nSTORE_PASSWORD=%s\n' \
      "$(openssl rand -hex 16)" "$(openssl rand -hex 16)" "$(openssl rand -hex 16)" >"$file")
  fi
  # shellcheck source=/dev/null
  source "$file"
}

certificates() {
  [ -f "$TLS/broker.p12" ] && return
  command -v openssl >/dev/null || die "openssl is missing"
  mkdir -p "$TLS"
  (
    cd "$TLS"
    umask 077
    openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=kafka-pipeline local cluster CA" \
      -keyout ca.key -out ca.pem 2>/dev/null
    # One server certificate for the Temporal services and the brokers (both on 127.0.0.1), usable as a client
    # certificate between Temporal's services; one client certificate for the pipeline and the CLI.
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n' >server.ext
    printf 'extendedKeyUsage=clientAuth\n' >client.ext
    for who in server client; do
      local cn=localhost; [ "$who" = client ] && cn=kafka-pipeline
      openssl req -newkey rsa:2048 -nodes -subj "/CN=$cn" -keyout "$who.key" -out "$who.csr" 2>/dev/null
      openssl x509 -req -in "$who.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 825 -out "$who.pem" \
        -extfile "$who.ext" 2>/dev/null
      rm -f "$who.csr"
    done
    openssl pkcs12 -export -in server.pem -inkey server.key -certfile ca.pem -name broker -out broker.p12 \
      -passout "pass:$STORE_PASSWORD"
    chmod 644 ca.pem server.pem client.pem
  ) || die "making the certificates failed"
  log "certificates made in $TLS (CA, server for 127.0.0.1/localhost, client kafka-pipeline)"
}

# ---- PostgreSQL ----

pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] || die "PostgreSQL is missing: npm run stack:install -- --cluster (apt-get install postgresql)"
  echo "$d"
}
# PostgreSQL refuses to run as root: as root, its commands run as the postgres user.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_running() { as_pg "$(pg_bin)/pg_ctl" -D "$STATE/postgres/data" status >/dev/null 2>&1; }

postgres_up() {
  local dir="$STATE/postgres" bin; bin=$(pg_bin)
  mkdir -p "$dir"
  if pg_running; then log "postgres already running (port $PG_PORT)"; return; fi
  port_open "$PG_PORT" && die "port $PG_PORT is taken by a process this script did not start"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  as_pg test -w "$dir" || die "the postgres user cannot write $dir (set KP_STATE_DIR to a folder it can reach)"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres >"$dir/initdb.log" 2>&1 \
      || die "initdb failed; see $dir/initdb.log"
  fi
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $PG_PORT -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null \
    || die "postgres did not start; see $dir/server.log"
  log "postgres started, 127.0.0.1:$PG_PORT"
}

postgres_down() {
  if ! pg_running; then log "postgres not running"; return; fi
  as_pg "$(pg_bin)/pg_ctl" -D "$STATE/postgres/data" -m fast -w stop >/dev/null
  log "postgres stopped"
}

# ---- Temporal server ----

tls_args() { echo "--tls-ca-path $TLS/ca.pem --tls-cert-path $TLS/client.pem --tls-key-path $TLS/client.key"; }
# shellcheck disable=SC2046
tctl() { "$TEMPORAL_CLI" --address "127.0.0.1:$FRONTEND_PORT" $(tls_args) "$@"; }
server_healthy() { tctl operator cluster health 2>/dev/null | grep -q SERVING; }
server_alive() { pid_alive "$STATE/temporal/pid" "$SERVER_DIR/server"; }

schema_up() {
  local sql="$SERVER_DIR/sql" schema="$SERVER_DIR/schema/postgresql/v12" stamp="$STATE/temporal/schema-$TEMPORAL_SERVER_VERSION"
  [ -f "$stamp" ] && return
  local db
  for db in temporal:temporal temporal_visibility:visibility; do
    local args=(--plugin postgres12 --ep 127.0.0.1 -p "$PG_PORT" -u postgres --db "${db%%:*}")
    "$sql" "${args[@]}" create-database >>"$STATE/temporal/schema.log" 2>&1 || true # exists on a second run
    if ! "$sql" "${args[@]}" update-schema -d "$schema/${db##*:}/versioned" >>"$STATE/temporal/schema.log" 2>&1; then
      "$sql" "${args[@]}" setup-schema -v 0.0 >>"$STATE/temporal/schema.log" 2>&1 \
        && "$sql" "${args[@]}" update-schema -d "$schema/${db##*:}/versioned" >>"$STATE/temporal/schema.log" 2>&1 \
        || die "schema of ${db%%:*} failed; see $STATE/temporal/schema.log"
    fi
  done
  touch "$stamp"
}

server_config() {
  local conf="$STATE/temporal/config"
  mkdir -p "$conf"
  sed -e "s|@SHARDS@|$HISTORY_SHARDS|g" -e "s|@PG_PORT@|$PG_PORT|g" -e "s|@METRICS_PORT@|$SERVER_METRICS_PORT|g" \
    -e "s|@TLS@|$TLS|g" -e "s|@FRONTEND_PORT@|$FRONTEND_PORT|g" -e "s|@STATE@|$STATE|g" \
    "$ROOT/tools/cluster/temporal-server.yaml.tmpl" >"$conf/development.yaml"
  # The same dynamic configuration as the dev server's (tools/temporal-dev-server.conf), as the server's YAML.
  local line
  : >"$conf/dynamicconfig.yaml"
  while IFS= read -r line; do
    line="${line%%#*}"; line="${line// /}"
    [ -n "$line" ] && printf '%s:\n  - value: %s\n' "${line%%=*}" "${line#*=}" >>"$conf/dynamicconfig.yaml"
  done <"$ROOT/tools/temporal-dev-server.conf"
}

temporal_up() {
  local dir="$STATE/temporal"
  mkdir -p "$dir"
  if server_alive; then log "temporal server already running (pid $(cat "$dir/pid"))"; return; fi
  port_open "$FRONTEND_PORT" && die "port $FRONTEND_PORT is taken by a process this script did not start"
  [ -x "$SERVER_DIR/server" ] || die "Temporal server missing in $SERVER_DIR (npm run stack:install -- --cluster)"
  schema_up
  server_config
  setsid "$SERVER_DIR/server" --root "$dir" --config config --env development --allow-no-auth start \
    >>"$dir/server.log" 2>&1 </dev/null &
  echo $! >"$dir/pid"
  wait_until "temporal server" server_alive "$dir/server.log" server_healthy
  TEMPORAL_ADDRESS="127.0.0.1:$FRONTEND_PORT" TEMPORAL_NAMESPACE="$NAMESPACE" TEMPORAL_CLI_ARGS="$(tls_args)" \
    bash "$ROOT/scripts/setup-namespace.sh" 3d | sed 's/^/cluster: /'
  log "temporal server $TEMPORAL_SERVER_VERSION started (pid $(cat "$dir/pid")), $HISTORY_SHARDS shards, mTLS 127.0.0.1:$FRONTEND_PORT"
}

# ---- Temporal Web UI ----

ui_alive() { pid_alive "$STATE/ui/pid" "$UI_DIR/server"; }
ui_serving() { curl -fsS "http://127.0.0.1:$UI_PORT/" >/dev/null; }

ui_up() {
  local dir="$STATE/ui"
  mkdir -p "$dir/config"
  if ui_alive; then return; fi
  port_open "$UI_PORT" && die "port $UI_PORT is taken by a process this script did not start"
  [ -x "$UI_DIR/server" ] || die "Temporal Web UI missing in $UI_DIR (npm run stack:install -- --cluster)"
  sed -e "s|@FRONTEND_PORT@|$FRONTEND_PORT|g" -e "s|@UI_PORT@|$UI_PORT|g" -e "s|@NAMESPACE@|$NAMESPACE|g" \
    -e "s|@TLS@|$TLS|g" "$ROOT/tools/cluster/temporal-ui.yaml.tmpl" >"$dir/config/development.yaml"
  setsid "$UI_DIR/server" --root "$dir" --config config --env development start >>"$dir/server.log" 2>&1 </dev/null &
  echo $! >"$dir/pid"
  wait_until "temporal web ui" ui_alive "$dir/server.log" ui_serving
  log "temporal web ui $TEMPORAL_UI_VERSION started (pid $(cat "$dir/pid")), http://127.0.0.1:$UI_PORT"
}

# ---- Kafka ----

broker_alive() { pid_alive "$STATE/kafka-$1/pid" kafka.Kafka; }
all_brokers_started() {
  local n
  for n in "${KAFKA_NODES[@]}"; do grep -q 'Kafka Server started' "$STATE/kafka-$n/server.log" || return 1; done
}
all_brokers_alive() {
  local n
  for n in "${KAFKA_NODES[@]}"; do broker_alive "$n" || return 1; done
}

kafka_up() {
  [ -f "$KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar" ] || die "Kafka jars missing in $KAFKA_LIBS (npm run stack:install)"
  local java_opts=(-Xms96m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true
    -Djava.net.preferIPv4Stack=true "-Dlog4j.configuration=file:$ROOT/tools/kafka/log4j.properties")
  local id_file="$STATE/kafka-cluster-id" n started=0
  [ -f "$id_file" ] || java "${java_opts[@]}" -cp "$KAFKA_LIBS/*" kafka.tools.StorageTool random-uuid >"$id_file"
  for n in "${KAFKA_NODES[@]}"; do
    local dir="$STATE/kafka-$n"
    mkdir -p "$dir"
    if broker_alive "$n"; then continue; fi
    port_open "919$n" && die "port 919$n is taken by a process this script did not start"
    sed -e "s|@NODE@|$n|g" -e "s|@TLS@|$TLS|g" -e "s|@STORE_PASSWORD@|$STORE_PASSWORD|g" \
      -e "s|@ADMIN_PASSWORD@|$KAFKA_ADMIN_PASSWORD|g" -e "s|@KAFKA_USER@|$KAFKA_USER|g" \
      -e "s|@KAFKA_PASSWORD@|$KAFKA_PIPELINE_PASSWORD|g" "$ROOT/tools/cluster/kafka-broker.properties" >"$dir/server.properties"
    echo "log.dirs=$dir/data" >>"$dir/server.properties"
    chmod 600 "$dir/server.properties"
    if [ ! -f "$dir/data/meta.properties" ]; then
      java "${java_opts[@]}" -cp "$KAFKA_LIBS/*" kafka.tools.StorageTool format -t "$(cat "$id_file")" \
        -c "$dir/server.properties" --ignore-formatted >"$dir/format.log" 2>&1 || die "kafka-$n format failed; see $dir/format.log"
    fi
    mv "$dir/server.log" "$dir/server.log.prev" 2>/dev/null || true
    setsid java "${java_opts[@]}" -cp "$KAFKA_LIBS/*" kafka.Kafka "$dir/server.properties" \
      >"$dir/server.log" 2>&1 </dev/null &
    echo $! >"$dir/pid"
    started=$((started + 1))
  done
  # The brokers elect their controller together: wait for all three.
  wait_until "kafka brokers" all_brokers_alive "$STATE/kafka-1/server.log" all_brokers_started
  [ "$started" -gt 0 ] && log "kafka $KAFKA_VERSION: 3 brokers up, SASL_SSL 127.0.0.1:9191-9193"
  (set -a && source "$STATE/pipeline.env" && "$ROOT/node_modules/.bin/tsx" "$ROOT/scripts/create-topics.ts" --from-env \
    --replication-factor 3) | sed 's/^stack: /cluster: /'
}

# ---- the pipeline's configuration for this profile ----

pipeline_env() {
  cat >"$STATE/pipeline.env" <<EOF
# The pipeline's configuration keys for the cluster profile (written by scripts/cluster.sh up). Use:
#   set -a; source $STATE/pipeline.env; set +a
TEMPORAL_ADDRESS=127.0.0.1:$FRONTEND_PORT
TEMPORAL_NAMESPACE=$NAMESPACE
TEMPORAL_UI_URL=http://127.0.0.1:$UI_PORT
TEMPORAL_TLS_CA=$TLS/ca.pem
TEMPORAL_TLS_CERT=$TLS/client.pem
TEMPORAL_TLS_KEY=$TLS/client.key
KAFKA_BROKERS=127.0.0.1:9191,127.0.0.1:9192,127.0.0.1:9193
KAFKA_SECURITY_PROTOCOL=SASL_SSL
KAFKA_SASL_MECHANISM=PLAIN
KAFKA_SASL_USERNAME=$KAFKA_USER
KAFKA_SASL_PASSWORD=$KAFKA_PIPELINE_PASSWORD
KAFKA_SSL_CA=$TLS/ca.pem
# For scripts/*.sh (the temporal CLI):
TEMPORAL_CLI_ARGS="$(tls_args)"
EOF
  chmod 600 "$STATE/pipeline.env"
}

status() {
  local n
  if pg_running; then printf '%-16s running  127.0.0.1:%s\n' postgres "$PG_PORT"; else printf '%-16s stopped\n' postgres; fi
  if server_alive; then
    printf '%-16s running  pid %-7s %s shards, mTLS 127.0.0.1:%s %s\n' temporal-server "$(cat "$STATE/temporal/pid")" \
      "$HISTORY_SHARDS" "$FRONTEND_PORT" "$(server_healthy && echo SERVING || echo 'not serving')"
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
    bash "$ROOT/scripts/install-tools.sh" --cluster | grep -v '^install-tools: ok' || true
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
    if pids=$(stop_pids kafka.Kafka "$STATE"/kafka-{1,2,3}/pid); then log "kafka brokers stopped (pids $pids)"; else log "kafka brokers not running"; fi
    if pid=$(stop_pids "$UI_DIR/server" "$STATE/ui/pid"); then log "temporal web ui stopped (pid $pid)"; fi
    if pid=$(stop_pids "$SERVER_DIR/server" "$STATE/temporal/pid"); then log "temporal server stopped (pid $pid)"; else log "temporal server not running"; fi
    postgres_down
    ;;
  status) status ;;
  stop)
    # One server, for fault drills (test/cluster/faults.test.ts): `up` starts it again. --kill: SIGKILL, no shutdown.
    signal=TERM; [ "${3:-}" = --kill ] && signal=KILL
    case "${2:-}" in
      postgres) postgres_down ;;
      temporal) pidfile="$STATE/temporal/pid"; marker="$SERVER_DIR/server" ;;
      kafka-1 | kafka-2 | kafka-3) pidfile="$STATE/${2}/pid"; marker=kafka.Kafka ;;
      *) die "stop takes postgres, temporal or kafka-1..3 (and --kill)" ;;
    esac
    if [ "${2}" != postgres ]; then
      pid_alive "$pidfile" "$marker" || die "${2} is not running"
      pid=$(cat "$pidfile")
      kill -"$signal" "$pid"
      while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
      rm -f "$pidfile"
      log "${2} stopped (SIG$signal, pid $pid)"
    fi
    ;;
  *)
    echo "usage: scripts/cluster.sh up|down|status|stop <server> [--kill]" >&2
    exit 2
    ;;
esac
