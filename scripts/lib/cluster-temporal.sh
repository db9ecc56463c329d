# Sourced by scripts/cluster.sh (the cluster profile of the local stack): PostgreSQL, the Temporal server and its Web UI. Uses its variables and helpers.
# shellcheck shell=bash disable=SC2154

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
server_alive() { pid_alive "$STATE/temporal/pid" "--root $STATE/temporal "; }

# The shard count is written into the database when the server first starts and cannot change afterwards.
shards_fixed() {
  [[ "$HISTORY_SHARDS" =~ ^[1-9][0-9]*$ ]] || die "KP_CLUSTER_HISTORY_SHARDS must be a whole number >= 1 (got '$HISTORY_SHARDS')"
  local file="$STATE/temporal/shards"
  if [ -f "$file" ] && [ "$(cat "$file")" != "$HISTORY_SHARDS" ]; then
    die "this cluster's database has $(cat "$file") history shards, not $HISTORY_SHARDS; a shard count is fixed once" \
      "chosen: unset KP_CLUSTER_HISTORY_SHARDS, or use another KP_STATE_DIR for a cluster with $HISTORY_SHARDS"
  fi
  echo "$HISTORY_SHARDS" >"$file"
}

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
  if server_alive; then
    log "temporal server already running (pid $(cat "$dir/pid"))"
  else
    port_open "$FRONTEND_PORT" && die "port $FRONTEND_PORT is taken by a process this script did not start"
    [ -x "$SERVER_DIR/server" ] || die "Temporal server missing in $SERVER_DIR (npm run stack:install -- --cluster)"
    shards_fixed
    schema_up
    server_config
    setsid "$SERVER_DIR/server" --root "$dir" --config config --env development --allow-no-auth start \
      >>"$dir/server.log" 2>&1 </dev/null &
    echo $! >"$dir/pid"
    wait_until "temporal server" server_alive "$dir/server.log" server_healthy
    log "temporal server $TEMPORAL_SERVER_VERSION started (pid $(cat "$dir/pid")), $HISTORY_SHARDS shards, mTLS 127.0.0.1:$FRONTEND_PORT"
  fi
  # Every time (idempotent): an earlier `up` may have stopped between the server's start and this.
  TEMPORAL_ADDRESS="127.0.0.1:$FRONTEND_PORT" TEMPORAL_NAMESPACE="$NAMESPACE" TEMPORAL_CLI_ARGS="$(tls_args)" \
    bash "$ROOT/scripts/setup-namespace.sh" 3d | sed 's/^/cluster: /'
}

# ---- Temporal Web UI ----

ui_alive() { pid_alive "$STATE/ui/pid" "--root $STATE/ui "; }
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
