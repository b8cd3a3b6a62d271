#!/usr/bin/env bash
# Benchmark of the spreadsheet import and export (issue #6): 100,000 projects exported to
# .xlsx, then imported into a fresh database (dry run, real import, and the same file again,
# which changes nothing). Every zhantu command prints its time and its peak memory (VmHWM).
#
#   scripts/bench-excel.sh            # 100,000 projects, SQLite, release build
#   N=20000 scripts/bench-excel.sh    # fewer (SQLite files in a temporary directory)
set -euo pipefail
N=${N:-100000}
cd "$(dirname "$0")/.."
cargo build --release -p zhantu >&2
BIN="${CARGO_TARGET_DIR:-target}/release/zhantu"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export ZHANTU_LOG=${ZHANTU_LOG:-warn}

step() { echo; echo "== $*"; }
step "generate $N projects (source database)"
"$BIN" generate --projects "$N" --database "$WORK/source.db"
step "export projects to .xlsx"
"$BIN" export projects --database "$WORK/source.db" --out "$WORK/projects.xlsx"
ls -l "$WORK/projects.xlsx"
step "fresh target database (same units, leaders and project types)"
"$BIN" generate --projects 1 --seed 7 --database "$WORK/target.db"
step "dry run"
"$BIN" import "$WORK/projects.xlsx" --database "$WORK/target.db" --kind projects --dry-run
step "import"
"$BIN" import "$WORK/projects.xlsx" --database "$WORK/target.db" --kind projects
step "the same file again (all unchanged)"
"$BIN" import "$WORK/projects.xlsx" --database "$WORK/target.db" --kind projects
step "export from the target"
"$BIN" export projects --database "$WORK/target.db" --out "$WORK/again.xlsx"
