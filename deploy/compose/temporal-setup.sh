#!/bin/sh
# docker-compose's Temporal setup, run in the temporalio/admin-tools image (POSIX sh: the image has no bash).
#   temporal-setup.sh schema      create or update the PostgreSQL schemas (before the server starts)
#   temporal-setup.sh namespace   the pipeline's namespace and search attributes (once the server answers)
# The same steps as scripts/cluster.sh and scripts/setup-namespace.sh do for the local cluster profile.
set -eu
case "${1:-}" in
  schema)
    for pair in temporal:temporal temporal_visibility:visibility; do
      db="${pair%%:*}"
      sql="temporal-sql-tool --plugin postgres12 --ep $POSTGRES_SEEDS -p ${DB_PORT:-5432} -u $POSTGRES_USER --pw $POSTGRES_PWD --db $db"
      dir="${SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}/${pair##*:}/versioned"
      $sql create-database 2>/dev/null || true # exists on a second start
      $sql update-schema -d "$dir" 2>/dev/null || { $sql setup-schema -v 0.0 && $sql update-schema -d "$dir"; }
    done
    echo "temporal-setup: schemas ready"
    ;;
  namespace)
    ns="${TEMPORAL_NAMESPACE:-default}"
    temporal operator namespace describe -n "$ns" >/dev/null 2>&1 \
      || temporal operator namespace create -n "$ns" --retention "${NAMESPACE_RETENTION:-720h}"
    # A new namespace reaches the frontend's cache only after its refresh (~10 s): wait for it, up to a minute.
    i=0
    until temporal operator search-attribute list -n "$ns" >/dev/null 2>&1; do
      i=$((i + 1)); [ "$i" -le 60 ] || { echo "temporal-setup: namespace $ns not visible after 60 s" >&2; exit 1; }
      sleep 1
    done
    for sa in $SEARCH_ATTRIBUTES; do
      temporal operator search-attribute list -n "$ns" | grep -q "^ *${sa%%=*} " \
        || temporal operator search-attribute create -n "$ns" --name "${sa%%=*}" --type "${sa#*=}"
    done
    echo "temporal-setup: namespace $ns ready"
    ;;
  *)
    echo "usage: temporal-setup.sh schema|namespace" >&2
    exit 2
    ;;
esac
