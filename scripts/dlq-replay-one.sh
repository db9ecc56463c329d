#!/usr/bin/env bash
# Replays one failed event with the temporal CLI, the same way `kafka-pipeline dlq replay <id>` does: reset the
# failed run to its first workflow task, then delete the superseded failed run so it no longer counts in the DLQ
# (the reset reason and this script's output are the record; `kafka-pipeline dlq replay` also writes the audit log).
#
#   scripts/dlq-replay-one.sh <trace_id | claimx event_id | workflow id> "<reason>"
#
# An xact trace id is tried as `xact-<id>`, a claimx event id as `claimx-<id>`; a workflow id (what `dlq list`
# shows; the only form for a trace id the pipeline hashed, `xact-~…`) is taken as it is.
# Environment: see scripts/lib/temporal-cli.sh. tctl equivalent (older clusters):
#   tctl workflow reset --workflow_id <workflow id> --reset_type FirstWorkflowTask --reason "<reason>"
set -euo pipefail
id="${1:?usage: dlq-replay-one.sh <trace_id|event_id|workflow_id> <reason>}"
reason="${2:?usage: dlq-replay-one.sh <trace_id|event_id|workflow_id> <reason> (a reason is required)}"
source "$(dirname "$0")/lib/temporal-cli.sh"
case "$id" in
  xact-* | claimx-*) candidates=("$id") ;;
  *) candidates=("xact-$id" "claimx-$id") ;;
esac

described=""
for wf in "${candidates[@]}"; do
  if described="$("${T[@]}" workflow describe --workflow-id "$wf" -o json 2>&1)"; then break; fi
  error="${described##*Error: }"
  described=""
done
if [ -z "$described" ]; then
  echo "dlq-replay-one: no workflow ${candidates[*]}: $error" >&2
  exit 3
fi
status="$(printf '%s' "$described" | python3 -c 'import json,sys; d=json.load(sys.stdin); i=d["workflowExecutionInfo"]; print(i["status"], i["execution"]["runId"])')"
read -r state run_id <<<"$status"
if [ "$state" != "WORKFLOW_EXECUTION_STATUS_FAILED" ]; then
  echo "dlq-replay-one: $wf is not in the DLQ (latest run $run_id is $state)" >&2
  exit 3
fi
"${T[@]}" workflow reset --workflow-id "$wf" --run-id "$run_id" --type FirstWorkflowTask \
  --reason "scripts/dlq-replay-one.sh by ${USER:-unknown}: $reason"
delete_run "$wf" "$run_id"
echo "dlq-replay-one: replayed $wf (failed run $run_id reset and deleted)"
