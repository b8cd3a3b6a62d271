#!/usr/bin/env bash
# Crashes the server (kill -9) in the middle of writes and checks, after each restart, that
# nothing acknowledged was lost and nothing half-written is visible:
#   - an import of 1,000 problems (one transaction): after the crash, all 1,000 or none, and all
#     1,000 when the run had answered "done" before the kill;
#   - problems raised one by one over the API: every one answered 201 before the kill is there;
#   - weekly briefs issued over the API: every one answered 201 before the kill is listed;
#   - node close-outs reported with their evidence (a PDF): every one answered 200 before the
#     kill is still reported, with its evidence;
#   - light-rule sets saved over the API, each recomputing every light in one transaction: after
#     the crash the current rule set is at least the last one answered 200, and the stored lights
#     are exactly what those rules give (a fresh `zhantu job run lights` changes nothing);
#   - `zhantu audit verify` passes (the hash chain and its anchors) after every restart.
# Prints one line per round and the totals. Needs curl, jq and sqlite3.
#
#   scripts/faults.sh [ROUNDS] [BINARY]      (defaults: 100, target/release/zhantu)
#   FAULT_OPS="4" scripts/faults.sh 10 …     (only the operations named, by number 0–4)
set -euo pipefail
read -r -a ops <<<"${FAULT_OPS:-0 1 2 3 4}"
rounds=${1:-100}
bin=$(realpath "${2:-target/release/zhantu}")
dir=$(mktemp -d)
db=$dir/zhantu.db
port=$((20000 + RANDOM % 20000))
base=http://127.0.0.1:$port
jar=$dir/jar
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$dir"' EXIT

wait_up() {
  for _ in $(seq 1 400); do
    curl -sf "$base/healthz" >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  echo "the server did not come up; its log:" >&2
  tail -20 "$dir/server.log" >&2
  exit 1
}
start() {
  "$bin" serve --database "$db" --listen "127.0.0.1:$port" >>"$dir/server.log" 2>&1 &
  pid=$!
  wait_up
  csrf=$(curl -sf -c "$jar" -H 'content-type: application/json' \
    -d '{"username":"admin","password":"Zhantu2019"}' "$base/api/v1/auth/login" | jq -r .csrf_token)
}
crash() {
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=
}
api() { # METHOD PATH [JSON] -> status on the first line, body after
  curl -s -b "$jar" -H "x-csrf-token: $csrf" -H 'content-type: application/json' \
    -X "$1" ${3:+-d "$3"} -w '\n%{http_code}' "$base$2"
}
# The demo district, then the server on it.
"$bin" demo --data "$dir" --listen "127.0.0.1:$port" >>"$dir/server.log" 2>&1 &
pid=$!
wait_up
crash
unit=海门街道
printf '%%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$dir/evidence.pdf"
start
api GET /api/v1/auth/me | head -1 | jq -r .user.unit.id >"$dir/unit_id"
crash

lost=0 torn=0 broken=0 acked_total=0 imports_all=0 imports_none=0
for round in $(seq 1 "$rounds"); do
  start
  op=${ops[$((round % ${#ops[@]}))]}
  delay=$(awk -v r=$RANDOM 'BEGIN { printf "%.3f", (r % 900) / 1000 }')
  acked=$dir/acked
  : >"$acked"
  case $op in
    0) # an import of 1,000 problems in one transaction
      csv=$dir/f$round.csv
      echo "外部编号,问题类别,问题描述,责任单位,提出日期,办结时限" >"$csv"
      for k in $(seq 1 1000); do echo "F$round-$k,要素保障,故障演练第${round}轮第${k}条,$unit,2019-12-02,2019-12-31"; done >>"$csv"
      job=$(curl -s -b "$jar" -H "x-csrf-token: $csrf" -F kind=problems -F dry_run=0 -F "file=@$csv;type=text/csv" \
        "$base/api/v1/imports" | jq -r .id)
      (
        while sleep 0.05; do
          s=$(curl -s -b "$jar" "$base/api/v1/imports/$job?errors_limit=0" | jq -r .state 2>/dev/null) || break
          [ "$s" = done ] && { echo done >"$acked"; break; }
        done
      ) &
      watcher=$!
      ;;
    1) # problems raised one by one
      (
        k=0
        while true; do
          k=$((k + 1))
          out=$(api POST /api/v1/problems "{\"category\":\"要素保障\",\"description\":\"故障演练第${round}轮逐条${k}号\",\"unit_id\":$(cat "$dir/unit_id" 2>/dev/null || echo 0),\"external_id\":\"R$round-$k\"}") || break
          [ "$(tail -1 <<<"$out")" = 201 ] && echo "R$round-$k" >>"$acked"
        done
      ) &
      watcher=$!
      ;;
    2) # weekly briefs issued one after another
      (
        for w in $(seq 1 52); do
          out=$(api POST "/api/v1/reports/weekly/2019-W$(printf %02d "$w")/issue") || break
          [ "$(tail -1 <<<"$out")" = 201 ] && echo "$(head -1 <<<"$out" | jq -r '.id // .issued.id // empty')" >>"$acked"
        done
      ) &
      watcher=$!
      ;;
    3) # overdue nodes reported done, each with a PDF as evidence
      (
        for id in $(api GET "/api/v1/nodes?overdue=1&limit=300" | head -1 | jq -r '[.items[] | select(.status == "open") | .node_id][:40][]'); do
          v=$(api GET "/api/v1/nodes/$id" | head -1 | jq -r '.node.version')
          status=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -H "x-csrf-token: $csrf" -F "version=$v" \
            -F actual_on=2019-12-20 -F "note=故障演练第${round}轮" -F "evidence=@$dir/evidence.pdf;type=application/pdf" \
            "$base/api/v1/nodes/$id/report") || break
          [ "$status" = 200 ] && echo "$id" >>"$acked"
        done
      ) &
      watcher=$!
      ;;
    4) # light-rule sets saved one after another, alternating the node-overdue threshold
      (
        for k in $(seq 1 40); do
          cur=$(api GET /api/v1/rules | head -1 | jq -c .current) || break
          red=$((14 + (k % 2) * 16))
          next=$(jq -c --argjson red "$red" '.version += 1 | (.rules[] | select(.kind == "node_due") | .red_after_days_overdue) = $red' <<<"$cur")
          out=$(api PUT /api/v1/rules "$next") || break
          [ "$(tail -1 <<<"$out")" = 200 ] && jq -r .version <<<"$next" >>"$acked"
        done
      ) &
      watcher=$!
      ;;
  esac
  sleep "$delay"
  crash
  kill "$watcher" 2>/dev/null || true
  wait "$watcher" 2>/dev/null || true

  # After the crash: audit chain and anchors, then what was acknowledged.
  if ! "$bin" audit verify --database "$db" >"$dir/verify.log" 2>&1; then
    broken=$((broken + 1))
    echo "round $round: audit verify failed: $(tail -1 "$dir/verify.log")"
  fi
  start
  case $op in
    0)
      n=$(api GET "/api/v1/problems?q=故障演练第${round}轮第&limit=1" | head -1 | jq -r .total)
      if [ "$n" != 0 ] && [ "$n" != 1000 ]; then torn=$((torn + 1)); echo "round $round: import half written: $n of 1000"; fi
      [ "$n" = 1000 ] && imports_all=$((imports_all + 1))
      [ "$n" = 0 ] && imports_none=$((imports_none + 1))
      if [ -s "$acked" ] && [ "$n" != 1000 ]; then lost=$((lost + 1)); echo "round $round: import answered done, then $n of 1000"; fi
      acked_total=$((acked_total + $([ -s "$acked" ] && echo 1 || echo 0)))
      ;;
    1)
      while read -r ext; do
        acked_total=$((acked_total + 1))
        n=$(api GET "/api/v1/problems?q=故障演练第${round}轮逐条${ext##*-}号&limit=5" | head -1 | jq -r .total)
        [ "$n" -ge 1 ] || { lost=$((lost + 1)); echo "round $round: acknowledged problem $ext lost"; }
      done <"$acked"
      ;;
    2)
      issued=$(api GET /api/v1/reports/issued | head -1 | jq -r '.items[].id')
      while read -r id; do
        [ -n "$id" ] || continue
        acked_total=$((acked_total + 1))
        grep -qx "$id" <<<"$issued" || { lost=$((lost + 1)); echo "round $round: acknowledged report $id lost"; }
      done <"$acked"
      ;;
    3)
      while read -r id; do
        acked_total=$((acked_total + 1))
        n=$(api GET "/api/v1/nodes/$id" | head -1 | jq -r '"\(.node.status) \(.evidence | length)"')
        case $n in
          "reported "[1-9]* | "closed "[1-9]*) ;;
          *) lost=$((lost + 1)); echo "round $round: acknowledged close-out of node $id lost ($n)" ;;
        esac
      done <"$acked"
      ;;
    4)
      crash # the lights job runs on the database alone
      if [ -s "$acked" ]; then
        acked_total=$((acked_total + $(wc -l <"$acked")))
        now=$(sqlite3 "$db" "SELECT rules_json FROM light_rule_sets ORDER BY id DESC LIMIT 1" | jq -r .version)
        [ "$now" -ge "$(tail -1 "$acked")" ] || { lost=$((lost + 1)); echo "round $round: rule set $(tail -1 "$acked") answered 200, $now stored"; }
      fi
      # (A run's "changed" also counts node packs refreshed after other rounds' close-outs, so
      # the lights themselves are compared.)
      lights() { sqlite3 "$db" "SELECT id, light, light_reasons FROM projects ORDER BY id; SELECT id, light, light_reason FROM nodes ORDER BY id"; }
      lights >"$dir/lights.before"
      "$bin" job run lights --database "$db" >/dev/null 2>>"$dir/server.log"
      lights >"$dir/lights.after"
      if ! cmp -s "$dir/lights.before" "$dir/lights.after"; then
        torn=$((torn + 1))
        echo "round $round: stored lights not those of the stored rules ($(diff "$dir/lights.before" "$dir/lights.after" | grep -c '^<') differ)"
      fi
      start
      ;;
  esac
  crash
  echo "round $round/$rounds: op $op, killed after ${delay}s, $(wc -l <"$acked") acknowledged"
done
echo "faults: $rounds kill -9 rounds; $acked_total acknowledged writes checked, $lost lost; $torn half-written (imports: $imports_all whole, $imports_none none; light runs checked by recomputing); $broken audit verifications failed"
[ "$lost" = 0 ] && [ "$torn" = 0 ] && [ "$broken" = 0 ]
