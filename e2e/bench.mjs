// Benchmark of the registry and the battle map: `node bench.mjs [N …]` (default 2000 100000).
// For each N: a generated district of N projects (`zhantu generate`, kept in $BENCH_DIR,
// default /tmp), a benchmark admin, the real server; then the server time of each page
// (median of 5 requests over loopback, after one warm-up) and, in headless Chromium, the
// battle map's time to first contentful paint and to the load event. The whole-district
// battle map line says how much it drew: projects (links), node marks and HTML size, all on
// one page (no page cut up to 3,000 projects).
// ZHANTU_BIN names the binary (default ../target/release/zhantu).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { here, startZhantu, launch } from "./lib.mjs";

const BIN = process.env.ZHANTU_BIN || resolve(here, "..", "target", "release", "zhantu");
process.env.ZHANTU_BIN = BIN;
const DIR = process.env.BENCH_DIR || "/tmp";
const sizes = process.argv.slice(2).map(Number).filter(Boolean);
const PASSWORD = "Jiaojiang2019x";

async function timed(url, cookie) {
  const t0 = performance.now();
  const r = await fetch(url, { headers: { cookie } });
  const body = await r.arrayBuffer();
  if (r.status !== 200) throw new Error(`${url}: ${r.status}`);
  return [performance.now() - t0, body.byteLength];
}

for (const n of sizes.length ? sizes : [2000, 100000]) {
  const db = `${DIR}/zhantu-bench-${n}.db`;
  if (!existsSync(db)) {
    const t0 = Date.now();
    execFileSync(BIN, ["generate", "--projects", String(n), "--database", db], { stdio: "inherit" });
    console.log(`generated ${n} projects in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    execFileSync(BIN, ["user", "add", "--database", db, "--username", "benchmark", "--name", "基准测试", "--role", "admin", "--password", PASSWORD], { stdio: "inherit" });
  }
  const app = await startZhantu(["serve", "--database", db]);
  try {
    const login = await fetch(`${app.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "benchmark", password: PASSWORD }),
    });
    if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
    const cookie = login.headers.get("set-cookie").split(";")[0];
    const mid = Math.floor(n / 2);
    const pages = [
      "/projects",
      "/projects?light=red",
      "/projects?q=%E6%99%BA%E8%83%BD",
      `/projects?after=${mid}`,
      "/projects?sort=investment",
      `/projects?sort=investment&after=${mid}`,
      `/projects?sort=name&after=${mid}`,
      "/projects?sort=light&light=red&stage=preparation",
      "/battle-map",
      "/battle-map?light=red",
      "/",
      "/map",
    ];
    console.log(`\n${n} projects`);
    console.log("page".padEnd(52) + "median ms   max ms     KiB");
    for (const p of pages) {
      await timed(app.url + p, cookie);
      const runs = [];
      let bytes = 0;
      for (let i = 0; i < 5; i++) {
        const [ms, b] = await timed(app.url + p, cookie);
        runs.push(ms);
        bytes = b;
      }
      runs.sort((a, b) => a - b);
      console.log(p.padEnd(52) + runs[2].toFixed(1).padStart(9) + runs[4].toFixed(1).padStart(9) + (bytes / 1024).toFixed(0).padStart(8));
    }
    const browser = await launch();
    try {
      const [name, value] = cookie.split("=");
      await browser.context.addCookies([{ name, value, url: app.url }]);
      const page = await browser.context.newPage();
      for (const p of ["/battle-map", "/battle-map?zoom=month", "/projects", "/"]) {
        const runs = [];
        for (let i = 0; i < 3; i++) {
          await page.goto(app.url + p, { waitUntil: "load" });
          runs.push(await page.evaluate(() => {
            const nav = performance.getEntriesByType("navigation")[0];
            const fcp = performance.getEntriesByName("first-contentful-paint")[0];
            return { fcp: fcp ? fcp.startTime : NaN, load: nav.loadEventEnd };
          }));
        }
        runs.sort((a, b) => a.load - b.load);
        const m = runs[1];
        let size = "";
        if (p.startsWith("/battle-map")) {
          const drawn = await page.evaluate(() => ({
            projects: document.querySelectorAll(".bm-names a").length,
            marks: [...document.querySelectorAll(".bm-body path.bm-mark")].reduce((n, el) => n + (el.getAttribute("d").match(/z|h0/g) || []).length, 0),
            paged: !!document.querySelector(".pager"),
            kib: new Blob([document.documentElement.outerHTML]).size / 1024,
          }));
          size = ` — ${drawn.projects} projects and ${drawn.marks} node marks ${drawn.paged ? "on one page of several" : "on one page"}, ${drawn.kib.toFixed(0)} KiB of HTML`;
        }
        console.log(`chromium ${p}: first contentful paint ${m.fcp.toFixed(0)} ms, load ${m.load.toFixed(0)} ms (median of 3)${size}`);
      }
    } finally {
      await browser.close();
    }
  } finally {
    app.stop();
  }
}
