#!/usr/bin/env bash
# Kafka's own kafka-consumer-groups tool (org.apache.kafka.tools.consumer.group.ConsumerGroupCommand) run from the stack's Kafka jars
# (.tools/kafka-<version>/libs, installed by scripts/install-tools.sh), for hosts without a Kafka distribution.
# Same arguments as kafka-consumer-groups.sh of an Apache Kafka download, e.g.
#   scripts/kafka-consumer-groups.sh --bootstrap-server 127.0.0.1:9092 --group xact-event-ingester --describe
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../tools/versions.env
source "$ROOT/tools/versions.env"
LIBS="${KP_TOOLS_DIR:-$ROOT/.tools}/kafka-$KAFKA_VERSION/libs"
[ -d "$LIBS" ] || { echo "kafka-consumer-groups: $LIBS is missing; run npm run stack:install" >&2; exit 1; }
exec java -Xms64m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
  "-Dlog4j.configuration=file:$ROOT/tools/kafka/log4j.properties" \
  -cp "$LIBS/*" org.apache.kafka.tools.consumer.group.ConsumerGroupCommand "$@"
