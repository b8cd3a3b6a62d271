#!/usr/bin/env bash
# Runs the browser suite: installs Debian's chromium and CJK fonts when missing, the npm
# packages (npm ci), builds zhantu, then `node --test`. Screenshots go to e2e/screenshots/.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
npm ci --no-audit --no-fund --loglevel=error
target="${CARGO_TARGET_DIR:-$(cd .. && pwd)/target}"
(cd .. && cargo build -p zhantu)
export ZHANTU_BIN="${ZHANTU_BIN:-$target/debug/zhantu}"
node --test --test-concurrency=1 tests/
