#!/usr/bin/env bash
# Registers the pipeline's custom search attributes on a Temporal cluster that is not the local dev server
# (which scripts/stack.sh starts with them). Idempotent: attributes that already exist are left as they are.
#
#   TEMPORAL_ADDRESS=temporal.example:7233 TEMPORAL_NAMESPACE=kafka-pipeline scripts/register-search-attributes.sh
#
# Temporal Cloud: add --api-key/--tls via TEMPORAL_CLI_ARGS, e.g. TEMPORAL_CLI_ARGS="--tls --api-key $KEY".
# tctl equivalent: tctl admin cluster add-search-attributes --name TraceId --type Keyword (one per attribute).
set -euo pipefail
source "$(dirname "$0")/lib/temporal-cli.sh"
# Same list as scripts/stack.sh and src/shared/search-attributes.ts (a test checks all three agree).
SEARCH_ATTRIBUTES=(TraceId=Keyword Domain=Keyword ErrorCategory=Keyword FailedStage=Keyword EventType=Keyword)
existing="$("${T[@]}" operator search-attribute list -o json)"
for sa in "${SEARCH_ATTRIBUTES[@]}"; do
  name="${sa%%=*}"
  type="${sa#*=}"
  if printf '%s' "$existing" | grep -q "\"$name\""; then
    echo "register-search-attributes: $name exists"
  else
    "${T[@]}" operator search-attribute create --name "$name" --type "$type"
    echo "register-search-attributes: created $name ($type)"
  fi
done
