# Sourced by the DLQ scripts: sets T=(temporal --address ... --namespace ... [TEMPORAL_CLI_ARGS]) or exits.
# TEMPORAL_BIN (default .tools/venv/bin/temporal, else temporal on PATH), TEMPORAL_ADDRESS (127.0.0.1:7233),
# TEMPORAL_NAMESPACE (default), TEMPORAL_CLI_ARGS (e.g. "--tls --api-key ..." for Temporal Cloud).
kp_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
temporal_bin="${TEMPORAL_BIN:-$kp_root/.tools/venv/bin/temporal}"
[ -x "$temporal_bin" ] || temporal_bin="$(command -v temporal || true)"
if [ -z "$temporal_bin" ]; then
  echo "$(basename "$0"): temporal CLI not found (npm run stack:install, or set TEMPORAL_BIN)" >&2
  exit 1
fi
# shellcheck disable=SC2206
T=("$temporal_bin" --address "${TEMPORAL_ADDRESS:-127.0.0.1:7233}" --namespace "${TEMPORAL_NAMESPACE:-default}" ${TEMPORAL_CLI_ARGS:-})

# Deletes one run. A run that is already gone (deleted by someone else, e.g. `kafka-pipeline dlq replay`, while the
# visibility listing still showed it) is the outcome we want, not an error; any other failure stops the script.
delete_run() {
  local out
  if ! out="$("${T[@]}" workflow delete --workflow-id "$1" --run-id "$2" --yes 2>&1 >/dev/null)"; then
    case "$out" in
      *"not found"*) ;;
      *) echo "$out" >&2; return 1 ;;
    esac
  fi
}
