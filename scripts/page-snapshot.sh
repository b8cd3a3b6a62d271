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
"$bin" demo --listen 127.0.0.1:$port --data "$data" >"$data/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 1; done
base="http://127.0.0.1:$port"
norm() {
  # One tag per line, session tokens blanked; askama's numeric escapes (&#60;) read as the
  # named ones (&lt;) the hand-built pages wrote.
  sed -E 's/>[[:space:]]+</></g; s/[[:space:]]+/ /g; s/(csrf_token" value=")[0-9a-f]+/\1X/g; s/(name="csrf-token" content=")[0-9a-f]+/\1X/g; s/(data-csrf=")[0-9a-f]+/\1X/g; s/20[0-9]{2}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z?/TIME/g; s/&#39;|&#x27;/'"'"'/g; s/&quot;|&#34;|&#x22;/"/g; s/&#60;/\&lt;/g; s/&#62;/\&gt;/g; s/&#38;/\&amp;/g' | sed -E 's/></>\n</g'
}
pages=(/ "/?year=2019&month=6" /projects "/projects?light=red" "/projects?q=智能" /projects/1 /projects/5 /projects/40
  /battle-map "/battle-map?zoom=year" /battle-map.svg /map /problems "/problems?status=open" /problems/lists /problems/1
  /enterprises /enterprises/1 /attraction /programs /batches /batches/1 /campaigns /campaigns/1 /supervision /supervision/1
  /land /reports /reports/weekly/2019-W50.html /reports/monthly/2019-12.html /reports/supervision/2019-11-12.html
  /reports/quarterly/2019-Q4.html /reports/issued/1 /import /account /admin/users /audit "/audit?page=2"
  /no-such-page /projects/999999 "/?lang=en" "/projects?lang=en" "/projects/1?lang=en" "/problems?lang=en" "/batches?lang=en"
  "/reports?lang=en" "/attraction?lang=en" "/land?lang=en" "/supervision/1?lang=en" "/campaigns/1?lang=en" "/enterprises/1?lang=en"
  "/attraction?stage=signed" "/attraction?error=%3Cb%3Ex%3C%2Fb%3E" "/batches/1?ok=pipeline.flash_project_added" "/batches?ok=nope.x"
  "/campaigns?ok=pipeline.flash_campaign_created" "/campaigns/1?ok=pipeline.flash_campaign_closed" "/campaigns/999999" "/batches/999999"
  "/supervision?error=x" "/supervision/1?ok=pipeline.flash_finding_recorded" "/supervision/999999" "/land?ok=pipeline.flash_land_granted" "/programs?lang=en")
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
curl -s -o /dev/null "$base/login"; curl -s "$base/login" | norm >"$out/login.html"
echo "saved $(find "$out" -type f | wc -l) pages in $out"
