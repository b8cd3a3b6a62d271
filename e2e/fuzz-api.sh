#!/usr/bin/env bash
# The API fuzzer: schemathesis (from PyPI) reads zhantu's own OpenAPI document
# (/api/v1/openapi.json) and sends every operation generated requests, valid and not, as the
# demo's administrator (who may call every route); any answer 5xx is a failure.
#
#   bash e2e/fuzz-api.sh                 # on SQLite (the demo district in a temporary folder)
#   bash e2e/fuzz-api.sh postgres://…    # on PostgreSQL: the demo is copied into a new
#                                        # database `zhantu_fuzz` on that server
#
# ZHANTU_FUZZ_EXAMPLES bounds the examples per operation (default 12), ZHANTU_FUZZ_SEED sets
# the seed (default 2019, so that a run can be repeated). The server is the
# debug build `cargo test` makes (target/debug/zhantu), built here if absent. Ends with
# schemathesis's summary; the exit code is non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
pg="${1:-}"
examples="${ZHANTU_FUZZ_EXAMPLES:-12}"
bin="${ZHANTU_BIN:-target/debug/zhantu}"
[ -x "$bin" ] || cargo build -q -p zhantu
venv=target/fuzz-venv
if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "schemathesis==4.32.5"
fi

work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

wait_up() {
  for _ in $(seq 1 120); do
    curl -fs "$base/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$server" 2>/dev/null || { echo "the server stopped; its log:" >&2; tail -30 "$work/server.log" >&2; return 1; }
    sleep 0.5
  done
  echo "the server did not answer on $base" >&2
  return 1
}

# The demo district on SQLite; on PostgreSQL, copied into a fresh database.
"$bin" demo --listen "127.0.0.1:$port" --data "$work" >"$work/server.log" 2>&1 &
server=$!
wait_up
if [ -n "$pg" ]; then
  kill "$server"; wait "$server" 2>/dev/null || true
  fuzz_db="${pg%/*}/zhantu_fuzz"
  psql -q "$pg" -c "DROP DATABASE IF EXISTS zhantu_fuzz" -c "CREATE DATABASE zhantu_fuzz"
  "$bin" copy --from "$work/zhantu.db" --to "$fuzz_db" >/dev/null
  "$bin" serve --listen "127.0.0.1:$port" --database "$fuzz_db" >"$work/server.log" 2>&1 &
  server=$!
  wait_up
fi
engine=$(curl -fs "$base/healthz" | grep -o '"engine":"[A-Za-z]*"' | cut -d'"' -f4)

# A token of the demo's administrator.
login=$(curl -fs -c "$work/cookies" -H 'content-type: application/json' \
  -d '{"username":"admin","password":"Zhantu2019"}' "$base/api/v1/auth/login")
csrf=$(printf '%s' "$login" | sed -E 's/.*"csrf_token":"([0-9a-f]+)".*/\1/')
token=$(curl -fs -b "$work/cookies" -H "x-csrf-token: $csrf" -H 'content-type: application/json' \
  -d '{"name":"fuzz"}' "$base/api/v1/tokens" | sed -E 's/.*"token":"([^"]+)".*/\1/')

echo "== schemathesis on $engine: $(curl -fs "$base/api/v1/openapi.json" | grep -o '"operationId"' | wc -l) operations, at most $examples examples each =="
status=0
# Not fuzzed: revoking tokens and signing out (the run would lock
# itself out and test nothing more).
# Run from the temporary folder: schemathesis keeps a cache in its working directory.
st="$PWD/$venv/bin/schemathesis"
(cd "$work" && "$st" run "$base/api/v1/openapi.json" \
  --url "$base" \
  -H "Authorization: Bearer $token" \
  --checks not_a_server_error \
  --max-examples "$examples" \
  --exclude-operation-id account_delete_tokens_id \
  --exclude-operation-id signin_post_auth_logout \
  --seed "${ZHANTU_FUZZ_SEED:-2019}" \
  --generation-database none \
  --request-timeout 60 \
  --no-color) || status=$?
if grep -q "panicked\|internal error" "$work/server.log"; then
  echo "the server logged an internal error during the run:" >&2
  grep -m5 -B2 -A5 "panicked\|internal error" "$work/server.log" >&2
  status=1
fi
exit $status
