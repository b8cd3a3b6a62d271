#!/usr/bin/env bash
# Two servers on one PostgreSQL database, edited at once: every worker reads a project, adds 1
# to a counter kept in its 建设地点 and writes it back with the version it read (a 409 means
# someone else wrote first: read again and retry). With no lost update, each project's counter
# equals the edits acknowledged on it. Then a backup is taken while both servers serve, and
# `zhantu copy` restores it into a fresh SQLite file, checking every table. Needs curl and jq.
#
#   scripts/faults-postgres.sh POSTGRES_ADMIN_URL [EDITS] [BINARY]
#   (defaults: 10000 edits, target/release/zhantu; the URL names a server and a role that may
#   create databases, e.g. postgres://zhantu:zhantu@127.0.0.1/zhantu: the script works in a
#   database of its own, dropped at the end). Needs psql.
set -euo pipefail
admin=${1:?a postgres:// URL of a role that may create databases}
name=zt_faults_$$
url=${admin%/*}/$name
edits=${2:-10000}
bin=$(realpath "${3:-target/release/zhantu}")
dir=$(mktemp -d)
workers=8
projects=10
pids=()
trap 'for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; psql -q "$admin" -c "DROP DATABASE IF EXISTS $name" 2>/dev/null; rm -rf "$dir"' EXIT
psql -q "$admin" -c "CREATE DATABASE $name"

# The demo district on PostgreSQL: made on SQLite, copied over.
port0=$((20000 + RANDOM % 20000))
"$bin" demo --data "$dir/demo" --listen "127.0.0.1:$port0" >"$dir/demo.log" 2>&1 &
p=$!
for _ in $(seq 1 400); do curl -sf "http://127.0.0.1:$port0/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
kill -9 "$p"; wait "$p" 2>/dev/null || true
"$bin" copy --from "$dir/demo/zhantu.db" --to "$url" >"$dir/copy.log" 2>&1 || { cat "$dir/copy.log"; exit 1; }

ports=()
for i in 0 1; do
  port=$((port0 + 1 + i))
  ports+=("$port")
  "$bin" serve --database "$url" --listen "127.0.0.1:$port" --audit-anchors "$dir/anchors$i.log" >"$dir/server$i.log" 2>&1 &
  pids+=($!)
done
for port in "${ports[@]}"; do
  for _ in $(seq 1 400); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
done
base0=http://127.0.0.1:${ports[0]}
jar0=$dir/jar
csrf=$(curl -sf -c "$jar0" -H 'content-type: application/json' -d '{"username":"admin","password":"Zhantu2019"}' \
  "$base0/api/v1/auth/login" | jq -r .csrf_token)
ids=($(curl -sf -b "$jar0" "$base0/api/v1/projects?limit=$projects" | jq -r '.items[].id'))
for id in "${ids[@]}"; do
  v=$(curl -sf -b "$jar0" "$base0/api/v1/projects/$id" | jq -r .version)
  curl -sf -b "$jar0" -H "x-csrf-token: $csrf" -H 'content-type: application/json' -X PATCH \
    -d "{\"version\":$v,\"location\":\"0\"}" "$base0/api/v1/projects/$id" >/dev/null
done

worker() { # N: edits until its share is acknowledged, against server N % 2
  local n=$1 share=$((edits / workers)) base=http://127.0.0.1:${ports[$(($1 % 2))]} jar=$dir/jar$1
  local token done_=0 conflicts=0 id v c status
  token=$(cat "$dir/csrf$n")
  while [ "$done_" -lt "$share" ]; do
    id=${ids[$(((n + done_ + conflicts) % projects))]}
    read -r v c < <(curl -sf -b "$jar" "$base/api/v1/projects/$id" | jq -r '"\(.version) \(.location)"')
    status=$(curl -s -o "$dir/last$n" -w '%{http_code}' -b "$jar" -H "x-csrf-token: $token" -H 'content-type: application/json' \
      -X PATCH -d "{\"version\":$v,\"location\":\"$((c + 1))\"}" "$base/api/v1/projects/$id")
    case $status in
      200) done_=$((done_ + 1)); echo "$id" >>"$dir/acked$n" ;;
      409) conflicts=$((conflicts + 1)) ;;
      *) echo "worker $n: PATCH answered $status: $(cat "$dir/last$n")" >&2; exit 1 ;;
    esac
  done
  echo "$conflicts" >"$dir/conflicts$n"
  return 0
}
# Sign in one after another: simultaneous sign-ins of one account count against its throttle.
for n in $(seq 0 $((workers - 1))); do
  curl -sf -c "$dir/jar$n" -H 'content-type: application/json' -d '{"username":"admin","password":"Zhantu2019"}' \
    "http://127.0.0.1:${ports[$((n % 2))]}/api/v1/auth/login" | jq -r .csrf_token >"$dir/csrf$n"
done
started=$(date +%s)
wpids=()
for n in $(seq 0 $((workers - 1))); do
  (set +e; worker "$n"; echo "$?" >"$dir/exit$n") &
  wpids+=($!)
done
# A backup while both servers serve the edits.
sleep 2
"$bin" backup --database "$url" --to "$dir/backup.db" >"$dir/backup.log" 2>&1 || { cat "$dir/backup.log"; exit 1; }
for p in "${wpids[@]}"; do wait "$p" || true; done
for n in $(seq 0 $((workers - 1))); do
  [ "$(cat "$dir/exit$n" 2>/dev/null)" = 0 ] || { echo "worker $n failed: $(cat "$dir/exit$n" 2>/dev/null)"; exit 1; }
done
secs=$(($(date +%s) - started))

lost=0 acked=0
for id in "${ids[@]}"; do
  n=$(cat "$dir"/acked* | grep -cx "$id" || true)
  c=$(curl -sf -b "$jar0" "$base0/api/v1/projects/$id" | jq -r .location)
  acked=$((acked + n))
  [ "$c" = "$n" ] || { lost=$((lost + n - c)); echo "project $id: $n edits acknowledged, counter $c"; }
done
conflicts=$(cat "$dir"/conflicts* | paste -sd+ | bc)

# The backup restores to an identical database: copied into a fresh file, table by table.
"$bin" audit verify --database "$dir/backup.db" >"$dir/verify.log" 2>&1 \
  || { echo "audit verify of the backup failed:"; cat "$dir/verify.log"; exit 1; }
"$bin" copy --from "$dir/backup.db" --to "$dir/restored.db" >"$dir/restore.log" 2>&1 \
  || { echo "restoring the backup failed:"; cat "$dir/restore.log"; exit 1; }
echo "two servers on one PostgreSQL: $acked edits acknowledged in ${secs}s by $workers workers on $projects projects, $conflicts refused as stale and retried, $lost lost; backup taken while serving restored and checked table by table"
[ "$lost" = 0 ]
