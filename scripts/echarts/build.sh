#!/usr/bin/env bash
# Builds the chart library zhantu ships, crates/web/assets/vendor/echarts/echarts.min.js: Apache
# ECharts (the version pinned in package.json and package-lock.json) with only what entry.js
# names, bundled and minified by esbuild. About 600 KB instead of the full build's 1.03 MB
# (206 KB instead of 334 KB gzipped). Run it after changing entry.js or the pinned version.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error
out=../../crates/web/assets/vendor/echarts
version=$(node -p 'require("echarts/package.json").version')
npx esbuild entry.js --bundle --minify --format=iife --target=es2017 --legal-comments=none \
  --banner:js="/*! Apache ECharts ${version} (custom build: scripts/echarts/entry.js), Apache-2.0; see LICENSE and NOTICE */" \
  --log-level=warning --outfile="$out/echarts.min.js"
cp node_modules/echarts/LICENSE "$out/LICENSE"
cp node_modules/echarts/NOTICE "$out/NOTICE"
# ECharts draws with zrender (BSD-3-Clause), bundled in too.
cp node_modules/zrender/LICENSE "$out/LICENSE-zrender"
printf 'echarts %s (npm package echarts), Apache-2.0; see LICENSE and NOTICE (zrender: LICENSE-zrender). A custom build of what\nscripts/echarts/entry.js names (bar, line, pie, scatter; SVG renderer), made by scripts/echarts/build.sh.\n' "$version" > "$out/VERSION"
wc -c "$out/echarts.min.js"
