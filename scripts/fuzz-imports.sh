#!/usr/bin/env bash
# Runs the spreadsheet reader's fuzz tests (mutated real workbooks, hostile declarations,
# random CSV) for a while, with every allocation capped, and prints what they tried.
#   scripts/fuzz-imports.sh [SECONDS_EACH]   (default 3600: an hour for .xlsx, an hour for .csv)
# CI runs the same tests for 10 seconds each as part of `cargo test --workspace`.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-3600}
ZHANTU_FUZZ_SECONDS=$seconds ZHANTU_FUZZ_SEED=${ZHANTU_FUZZ_SEED:-$(date +%s)} \
  cargo test --release -p zhantu-office --test hostile -- --nocapture --test-threads 2 fuzz_ 2>&1 | grep -E '^fuzz_|test result|panicked'
