# Sourced by scripts/cluster.sh (the cluster profile of the local stack): the three Kafka brokers. Uses its variables and helpers.
# shellcheck shell=bash disable=SC2154

# ---- Kafka ----

broker_alive() { pid_alive "$STATE/kafka-$1/pid" "$STATE/kafka-$1/server.properties"; }
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
  if [ ! -s "$id_file" ]; then
    java "${java_opts[@]}" -cp "$KAFKA_LIBS/*" kafka.tools.StorageTool random-uuid >"$id_file.tmp" \
      && [ -s "$id_file.tmp" ] && mv "$id_file.tmp" "$id_file" || die "kafka: no cluster id from StorageTool random-uuid"
  fi
  for n in "${KAFKA_NODES[@]}"; do
    local dir="$STATE/kafka-$n"
    mkdir -p "$dir"
    if broker_alive "$n"; then continue; fi
    port_open "919$n" && die "port 919$n is taken by a process this script did not start"
    (umask 077 && sed -e "s|@NODE@|$n|g" -e "s|@TLS@|$TLS|g" -e "s|@STORE_PASSWORD@|$STORE_PASSWORD|g" \
      -e "s|@ADMIN_PASSWORD@|$KAFKA_ADMIN_PASSWORD|g" -e "s|@KAFKA_USER@|$KAFKA_USER|g" \
      -e "s|@KAFKA_PASSWORD@|$KAFKA_PIPELINE_PASSWORD|g" "$ROOT/tools/cluster/kafka-broker.properties" >"$dir/server.properties"
      echo "log.dirs=$dir/data" >>"$dir/server.properties")
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
