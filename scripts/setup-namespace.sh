#!/usr/bin/env bash
# Creates the pipeline's Temporal namespace, or updates it, with a retention long enough for the DLQ (failed runs
# are deleted when it runs out), then registers the custom search attributes. Idempotent: run it on every deploy.
#
#   TEMPORAL_ADDRESS=temporal.example:7233 TEMPORAL_NAMESPACE=kafka-pipeline scripts/setup-namespace.sh [retention]
#
# retention: a duration the temporal CLI accepts (720h, 30d); default NAMESPACE_RETENTION, else 30d.
# Temporal Cloud: namespaces are created in the Cloud UI or tcld; this script then only sets search attributes
# (TEMPORAL_CLI_ARGS="--tls --api-key $KEY" as for the other scripts), and the retention update may be refused.
set -euo pipefail
source "$(dirname "$0")/lib/temporal-cli.sh"
retention="${1:-${NAMESPACE_RETENTION:-30d}}"
case "$retention" in
  *[0-9]d) retention="$((${retention%d} * 24))h" ;; # the CLI takes hours, not days
  *[0-9]h | *[0-9]m) ;;
  *) echo "setup-namespace: retention '$retention' is not a duration like 30d or 720h" >&2; exit 2 ;;
esac
ns="${TEMPORAL_NAMESPACE:-default}"
if "${T[@]}" operator namespace describe --namespace "$ns" >/dev/null 2>&1; then
  "${T[@]}" operator namespace update --namespace "$ns" --retention "$retention" >/dev/null
  echo "setup-namespace: $ns exists; retention set to $retention"
else
  "${T[@]}" operator namespace create --namespace "$ns" --retention "$retention" >/dev/null
  echo "setup-namespace: created $ns with retention $retention"
fi
# A new namespace reaches every frontend only after its cache refreshes (up to ~10 s on the dev server).
for _ in $(seq 1 60); do
  "${T[@]}" operator search-attribute list >/dev/null 2>&1 && break
  sleep 1
done
"$(dirname "$0")/register-search-attributes.sh"
