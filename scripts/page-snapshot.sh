#!/usr/bin/env bash
# Saves the demo district's pages, as each demo account sees them, in a folder, so a refactor
# can be checked to change no page: run it before and after, then `diff -r BEFORE AFTER`.
# The HTML is normalised (white space between tags folded, per-session tokens blanked), so
# only what a reader sees or a script reads is compared.
#   scripts/page-snapshot.sh OUT_DIR [BINARY]
set -euo pipefail
out=${1:?usage: scripts/page-snapshot.sh OUT_DIR [BINARY]}
bin=${2:-target/debug/zhantu}
port=${ZHANTU_SNAPSHOT_PORT:-18731}
data=$(mktemp -d)
mkdir -p "$out"
if curl -s -o /dev/null "http://127.0.0.1:$port/healthz"; then echo "port $port is taken: another server would be snapshotted" >&2; exit 1; fi
"$bin" demo --listen 127.0.0.1:$port --data "$data" >"$data/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 1; done
# Another server on the port would be snapshotted instead of ours: stop if ours did not start.
sleep 1; kill -0 $pid 2>/dev/null || { echo "the server did not start (is port $port taken?): $(cat "$data/server.log")" >&2; exit 1; }
base="http://127.0.0.1:$port"
norm() {
  # One tag per line, session tokens blanked, the spellings of an escaped character folded into one.
  sed -E 's/>[[:space:]]+</></g; s/[[:space:]]+/ /g; s/(csrf_token" value=")[0-9a-f]+/\1X/g; s/(name="csrf-token" content=")[0-9a-f]+/\1X/g; s/(data-csrf=")[0-9a-f]+/\1X/g; s/20[0-9]{2}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z?/TIME/g; s/20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}/TIME/g; s/&#39;|&#x27;/'"'"'/g; s/&quot;|&#34;|&#x22;/"/g; s/&#38;|&#x26;/\&amp;/g; s/&#60;|&#x3[cC];/\&lt;/g; s/&#62;|&#x3[eE];/\&gt;/g' | sed -E 's/></>\n</g'
}
pages=(/ "/?year=2019&month=6" /projects "/projects?light=red" "/projects?q=智能" "/projects?sort=name&limit=5&after=10&light=red&q=%3C%26" "/projects?q=%3Cb%3E&unit=1&stage=bad" /projects/1 /projects/5 /projects/40
  /battle-map "/battle-map?zoom=year" /battle-map.svg /map /problems "/problems?status=open" /problems/lists /problems/1
  /enterprises /enterprises/1 /attraction /programs /batches /batches/1 /campaigns /campaigns/1 /supervision /supervision/1
  /land /reports /reports/weekly/2019-W50.html /reports/monthly/2019-12.html /reports/supervision/2019-11-12.html
  /reports/quarterly/2019-Q4.html /reports/issued/1 /import /account /admin/users /audit "/audit?page=2"
  /no-such-page /projects/999999 "/?lang=en" "/projects?lang=en" "/projects/1?lang=en" "/projects/40?lang=en" "/problems?lang=en" "/batches?lang=en"
  "/reports?lang=en" "/attraction?lang=en" "/land?lang=en" "/supervision/1?lang=en" "/campaigns/1?lang=en" "/enterprises/1?lang=en"
  "/account?lang=en" "/account?error=%3Cb%3Ex%3C%2Fb%3E" "/admin/users?lang=en" "/admin/users?ok=admin.flash_saved"
  "/audit?entity=project&limit=3" "/audit?lang=en" "/enterprises?limit=3" "/enterprises?q=%E7%A7%91&tag=x"
  "/problems?limit=3&status=open" "/problems?overdue=1&unit=2" "/problems/lists?lang=en" "/problems/lists?month=2019-11"
  "/problems/1?lang=en" /problems/2 "/problems/3?ok=service.flash.step_saved" "/enterprises/1?ok=service.flash.visit_saved"
  /enterprises/999999 /problems/999999
  /reports/weekly/2019-W50 /reports/monthly/2019-12 /reports/supervision/2019-B6 /reports/quarterly/2019-Q4
  "/reports/monthly/2019-12?lang=en" "/reports/open?kind=monthly&period=2019-13" /reports/issued/1/compare
  "/import?lang=en" /import/runs/999 "/battle-map?group=leader&zoom=week" "/battle-map?group=category&zoom=month&light=red"
  "/battle-map?lang=en&group=none" "/battle-map.svg?zoom=year&lang=en" "/map?lang=en" "/map?light=red&stage=started"
  "/?year=2019&month=13" "/?lang=en&year=2018"
  "/attraction?stage=signed" "/attraction?error=%3Cb%3Ex%3C%2Fb%3E" "/batches/1?ok=pipeline.flash_project_added" "/batches?ok=nope.x"
  "/campaigns?ok=pipeline.flash_campaign_created" "/campaigns/1?ok=pipeline.flash_campaign_closed" "/campaigns/999999" "/batches/999999"
  "/supervision?error=x" "/supervision/1?ok=pipeline.flash_finding_recorded" "/supervision/999999" "/land?ok=pipeline.flash_land_granted" "/programs?lang=en")
# Data the demo lacks, so every panel of the project page is drawn: spans not counted on a
# clock, a decided and a pending date change, a progress report; free text carries markup.
jar="$data/setup.jar"
csrf=$(curl -s -c "$jar" -H 'content-type: application/json' -d '{"username":"fgj","password":"Zhantu2019"}' "$base/api/v1/auth/login" | jq -r .csrf_token)
send() { curl -s -b "$jar" -H "x-csrf-token: $csrf" -H 'content-type: application/json' -X "$1" -d "$3" "$base$2" >/dev/null; }
send POST /api/v1/projects/40/clock-exclusions '{"from":"2019-04-01","until":"2019-04-10","reason":"<b>补充材料</b> & \"引号\" \u0027撇\u0027"}'
send POST /api/v1/projects/40/clock-exclusions '{"from":"2019-11-01","reason":"暂停 <i>x</i>"}'
nodes=$(curl -s -b "$jar" "$base/api/v1/projects/40" | jq -r '[.nodes[] | select(.status != "closed") | .id] | .[0:2] | join(" ")')
set -- $nodes
send POST "/api/v1/nodes/$1/date-change" '{"new_planned_on":"2020-03-31","reason_code":"'"$(curl -s -b "$jar" "$base/api/v1/date-change-reasons" | jq -r '.items[0].code')"'","reason_text":"<script>延期</script> & 说明"}'
change=$(curl -s -b "$jar" "$base/api/v1/nodes/$1" | jq -r '.date_changes[0].id')
send POST "/api/v1/date-changes/$change/decide" '{"approve":true,"note":"同意 <b>"}'
send POST "/api/v1/nodes/$2/date-change" '{"new_planned_on":"2020-06-30","reason_code":"other","reason_text":"待批 <u>改期</u> \u0027x\u0027"}'
send POST /api/v1/projects/40/reports '{"period_kind":"week","period_start":"2019-12-02","body":"<b>周报</b> & 进展"}'
for user in admin fgj haimen lingdao chakan; do
  jar="$data/$user.jar"
  curl -s -c "$jar" -H 'content-type: application/json' -d "{\"username\":\"$user\",\"password\":\"Zhantu2019\"}" "$base/api/v1/auth/login" >/dev/null
  mkdir -p "$out/$user"
  for p in "${pages[@]}"; do
    f=$(printf '%s' "$p" | sed -E 's#[/?&=]#_#g')
    code=$(curl -s -b "$jar" -o "$data/page" -w '%{http_code}' "$base$p")
    { echo "HTTP $code"; norm <"$data/page"; } >"$out/$user/${f:-root}.html"
  done
done

# Pages only a form reaches (a problem's history, a recorded visit, a token shown once, a
# refusal, a temporary password), after the pages above so that those see the demo untouched.
# History times (Beijing minutes) and the new token are blanked too.
mkdir -p "$out/actions"
anorm() { norm | sed -E 's/20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}/TIME/g; s/zt_[0-9a-f]+/zt_X/g'; }
csrf_of() { curl -s -b "$data/$1.jar" "$base/api/v1/auth/me" | sed -E 's/.*"csrf_token":"([0-9a-f]+)".*/\1/'; }
api() { curl -s -b "$data/$1.jar" -H "x-csrf-token: $(csrf_of "$1")" -H 'content-type: application/json' -X "$2" -d "$4" "$base$3"; }
json() { python3 -c "import sys, json; print(json.load(sys.stdin)$1)"; }
form() { # user path name field=value…
  local u=$1 p=$2 n=$3; shift 3
  local args=(); for f in "$@"; do args+=(--data-urlencode "$f"); done
  code=$(curl -s -b "$data/$u.jar" -o "$data/page" -w '%{http_code} %{redirect_url}' --data-urlencode "csrf_token=$(csrf_of "$u")" "${args[@]}" "$base$p")
  { echo "HTTP ${code/$base/}"; anorm <"$data/page"; } >"$out/actions/$n.html"
}
aget() { code=$(curl -s -b "$data/$1.jar" -o "$data/page" -w '%{http_code}' "$base$2"); { echo "HTTP $code"; anorm <"$data/page"; } >"$out/actions/$3.html"; }
mark='<b>x</b> & "q" '"'s'"
problem=$(api fgj GET "/api/v1/problems?status=raised&limit=1" "" | json '["items"][0]["id"]')
version=$(api fgj GET "/api/v1/problems/$problem" "" | json '["problem"]["version"]')
api fgj POST "/api/v1/problems/$problem/assign" "{\"version\":$version,\"unit_id\":3,\"deadline\":\"2020-06-30\",\"note\":\"<b>x</b> &\"}" >/dev/null
api fgj POST "/api/v1/problems/$problem/comment" '{"text":"批示 <i>y</i>"}' >/dev/null
form fgj "/problems/$problem/act" act-stale step=resolve version=0 note=x
form chakan "/problems/$problem/act" act-refused step=close version=1 note=x
form fgj /problems raise-bad category=用地 description=d unit_id=abc
form haimen /enterprises/1/visits visit visited_on=2019-12-01 "visitor_name=$mark" "findings=$mark" category=用地 "description=$mark" unit_id=3 deadline=
for user in fgj admin haimen chakan; do
  aget $user "/problems/$problem" "$user-problem"; aget $user "/problems/$problem?lang=en" "$user-problem-en"
  aget $user /enterprises/1 "$user-enterprise"
done
form fgj /account/tokens token-new "name=$mark"
form fgj /account/tokens token-bad name=
form chakan /admin/users user-refused username=a display_name=b role=viewer unit_id=1 password=Abcdefgh123
form admin /admin/users user-new username=temp1 "display_name=$mark" role=viewer unit_id=1 password=Abcdefgh123
curl -s -c "$data/temp1.jar" -H 'content-type: application/json' -d '{"username":"temp1","password":"Abcdefgh123"}' "$base/api/v1/auth/login" >/dev/null
aget temp1 /account temp-account; aget temp1 "/account?lang=en" temp-account-en
aget fgj /account fgj-account-tokens; aget admin /admin/users admin-users-after; aget admin "/audit?limit=20" admin-audit-after
# Pages that exist only after a write, seen by the admin who made it (after every page above,
# which the writes would change): two issues of a report and their comparison, and import runs
# (dry runs, which write nothing): one with bad rows, one clean.
jar="$data/admin.jar"
csrf=$(curl -s -c "$jar" -H 'content-type: application/json' -d '{"username":"admin","password":"Zhantu2019"}' \
  "$base/api/v1/auth/login" | sed -E 's/.*"csrf_token":"([0-9a-f]+)".*/\1/')
later() { # PATH NAME: the page, with issue times and data hashes blanked
  code=$(curl -s -b "$jar" -o "$data/page" -w '%{http_code}' "$base$1")
  { echo "HTTP $code"; norm <"$data/page" | sed -E 's/20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}/TIME/g; s/\([0-9a-f]{12}\)/(HASH)/g'; } >"$out/admin/later_$2.html"
}
for _ in 1 2; do curl -s -o /dev/null -b "$jar" -H "x-csrf-token: $csrf" -X POST "$base/api/v1/reports/monthly/2019-12/issue"; done
for p in /reports /reports/issued/1 /reports/issued/2 /reports/issued/2/compare "/reports/issued/2?lang=en"; do
  later "$p" "$(printf '%s' "$p" | sed -E 's#[/?&=]#_#g')"
done
printf '椒江区2019年新谋划项目\n项目名称,责任单位,项目类型,项目阶段,总投资(元),谋划年度,计划开工日期\n好项目甲,海门街道,工业项目,前期,"1,000,000",2019,43600\n坏项目<b>乙</b>,不存在的街道,工业项目,前期,一百万,2019,2019-02-30\n' >"$data/bad.csv"
head -3 "$data/bad.csv" >"$data/good.csv"
for f in bad good; do
  id=$(curl -s -b "$jar" -H "x-csrf-token: $csrf" -F "file=@$data/$f.csv;filename=$f<i>.csv" -F dry_run=1 "$base/api/v1/imports" \
    | sed -E 's/.*"id":([0-9]+).*/\1/')
  for _ in $(seq 1 100); do curl -s -b "$jar" "$base/api/v1/imports/$id" | grep -q '"state":"running"' || break; sleep 0.2; done
  later "/import/runs/$id" "import_$f"
  later "/import/runs/$id?lang=en" "import_${f}_en"
done
curl -s -o /dev/null "$base/login"; curl -s "$base/login" | norm >"$out/login.html"
echo "saved $(find "$out" -type f | wc -l) pages in $out"
