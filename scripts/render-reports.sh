#!/usr/bin/env bash
# Renders each report of the cadence for the demo district to PDF (and the monthly analysis
# also to .xlsx, .docx and .html) through the CLI, then page 1 of each PDF to PNG with
# pdftoppm (poppler-utils), for a person to look at.
# Usage: scripts/render-reports.sh [OUT_DIR]   (default: target/report-samples)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-target/report-samples}
mkdir -p "$OUT"
BIN=${ZHANTU_BIN:-target/debug/zhantu}
[ -x "$BIN" ] || cargo build -p zhantu --bin zhantu
DB="$OUT/demo/zhantu.db"
if [ ! -f "$DB" ]; then
  # `zhantu demo` creates the demo district's database, then serves it: wait for the server,
  # then stop it (by its own pid).
  PORT=${ZHANTU_RENDER_PORT:-18471}
  "$BIN" demo --data "$OUT/demo" --listen "127.0.0.1:$PORT" >"$OUT/demo.log" 2>&1 &
  DEMO_PID=$!
  for _ in $(seq 1 300); do
    curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    sleep 1
  done
  kill "$DEMO_PID"
  wait "$DEMO_PID" 2>/dev/null || true
fi
for spec in weekly:2019-W50 monthly:2019-12 supervision:2019-B6 quarterly:2019-Q4; do
  kind=${spec%%:*}; period=${spec#*:}
  "$BIN" report "$kind" --period "$period" --database "$DB" --format pdf --out "$OUT/$kind.pdf"
  pdftoppm -r 80 -png -f 1 -l 2 "$OUT/$kind.pdf" "$OUT/$kind"
done
for fmt in xlsx docx html; do
  "$BIN" report monthly --period 2019-12 --database "$DB" --format "$fmt" --out "$OUT/monthly.$fmt"
done
ls -l "$OUT"
