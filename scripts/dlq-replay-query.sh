#!/usr/bin/env bash
# Replays every failed pipeline run matching a visibility filter with one temporal batch reset, then deletes the
# superseded failed runs (listed before the reset) once the batch job is done, so they do not count in the DLQ.
#
#   scripts/dlq-replay-query.sh "<filter>" "<reason>"
#   scripts/dlq-replay-query.sh "ErrorCategory = 'transient' AND FailedStage = 'download'" "CDN outage over"
#
# The filter is ANDed with: ExecutionStatus = 'Failed' AND WorkflowType IN ('ingestXactEvent', 'ingestClaimxEvent')
# (both domains; add "Domain = 'claimx'" to the filter for one).
# Environment: see scripts/lib/temporal-cli.sh. tctl equivalent (older clusters):
#   tctl workflow reset-batch --query "<full query>" --reset_type FirstWorkflowTask --reason "<reason>"
# `kafka-pipeline dlq replay --query "<filter>" --rate N --yes` does the same with pacing, progress and audit lines.
set -euo pipefail
filter="${1:?usage: dlq-replay-query.sh <filter> <reason>}"
reason="${2:?usage: dlq-replay-query.sh <filter> <reason> (a reason is required)}"
source "$(dirname "$0")/lib/temporal-cli.sh"
query="ExecutionStatus = 'Failed' AND WorkflowType IN ('ingestXactEvent', 'ingestClaimxEvent') AND ($filter)"

runs="$("${T[@]}" workflow list --query "$query" -o json | python3 -c '
import json, sys
text = sys.stdin.read().strip()
rows = json.loads(text) if text.startswith("[") else [json.loads(l) for l in text.splitlines() if l.strip()]
for r in rows:
    e = r.get("execution", {})
    print(e["workflowId"], e["runId"])
')"
count="$(printf '%s' "$runs" | grep -c . || true)"
if [ "$count" -eq 0 ]; then echo "dlq-replay-query: nothing matches: $query"; exit 0; fi
echo "dlq-replay-query: resetting $count failed run(s)"
"${T[@]}" workflow reset --query "$query" --type FirstWorkflowTask --yes \
  --reason "scripts/dlq-replay-query.sh by ${USER:-unknown}: $reason"
# The batch job runs asynchronously: delete each listed run once its workflow has a newer run.
deadline=$((SECONDS + ${KP_BATCH_TIMEOUT_S:-300}))
pending="$runs"
while [ -n "$pending" ] && [ $SECONDS -lt $deadline ]; do
  next=""
  while read -r wf run; do
    [ -n "$wf" ] || continue
    latest="$("${T[@]}" workflow describe --workflow-id "$wf" -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["workflowExecutionInfo"]["execution"]["runId"])')"
    if [ "$latest" != "$run" ]; then
      delete_run "$wf" "$run"
    else
      next+="$wf $run"$'\n'
    fi
  done <<<"$pending"
  pending="$next"
  [ -z "$pending" ] || sleep 1
done
if [ -n "$pending" ]; then
  echo "dlq-replay-query: the batch reset has not reached $(printf '%s' "$pending" | grep -c .) run(s) yet; run again later" >&2
  exit 1
fi
echo "dlq-replay-query: replayed $count run(s)"
