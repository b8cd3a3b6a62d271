// The pages a leader opens on a phone, over a slow network (issue #18): `node bench_phone.mjs`.
// The demo district on the release build (ZHANTU_BIN, default ../target/release/zhantu), then
// in headless Chromium at a phone's viewport (390×844) with the network throttled through the
// DevTools protocol (Network.emulateNetworkConditions: 1.6 Mbit/s down, 750 kbit/s up, 150 ms
// latency) and the browser's cache empty before every load (cold cache; the server is warmed
// first, so its one-time compression of the static files is not counted). For the cockpit and
// a project page, the median of RUNS loads (default 3): first contentful paint, the load event,
// when the charts were drawn (if one is in the first screen; the chart library is loaded only
// then), and the bytes that crossed the network with the bytes they decoded to.
import { resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
process.env.ZHANTU_BIN ||= resolve(here, "..", "target", "release", "zhantu");
// lib.mjs reads ZHANTU_BIN when it loads: import it only now.
const { startDemo, launch, PASSWORD } = await import("./lib.mjs");

const RUNS = Number(process.env.RUNS || 3);
const PROFILE = { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 };
const PHONE = { width: 390, height: 844 };

const app = await startDemo();
try {
  const login = await fetch(`${app.url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
  const cookie = login.headers.get("set-cookie").split(";")[0];
  const api = async (path) => (await fetch(app.url + path, { headers: { cookie } })).json();
  // A project under construction with its year's investment by month (the page's chart).
  const list = await api("/api/v1/projects?stage=construction&sort=investment&limit=1");
  const project = `/projects/${list.items[0].id}`;
  const pages = [
    ["cockpit", "/"],
    ["project page", project],
  ];
  // Warm the server: every page and the files it names, compressed as Chromium asks.
  for (const [, p] of pages) {
    const html = await (await fetch(app.url + p, { headers: { cookie, "accept-encoding": "gzip, deflate" } })).text();
    for (const m of html.matchAll(/(?:href|src|data-charts)="(\/assets\/[^"]+)"/g)) {
      for (const enc of ["gzip, deflate", "gzip, deflate, br"]) await fetch(app.url + m[1], { headers: { "accept-encoding": enc } });
    }
  }

  const browser = await launch();
  try {
    const [name, value] = cookie.split("=");
    await browser.context.addCookies([{ name, value, url: app.url }]);
    console.log(`phone profile: ${PHONE.width}×${PHONE.height}, ${PROFILE.downloadThroughput * 8 / 1e6} Mbit/s down, ${PROFILE.latency} ms latency, cold cache; median of ${RUNS}`);
    console.log("page".padEnd(14) + "FCP ms".padStart(8) + "load ms".padStart(9) + "charts ms".padStart(11) + "   sent KiB (decoded KiB), requests, encoding");
    for (const [label, path] of pages) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) {
        const page = await browser.context.newPage();
        await page.setViewportSize(PHONE);
        const cdp = await browser.context.newCDPSession(page);
        await cdp.send("Network.enable");
        await cdp.send("Network.clearBrowserCache");
        await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
        await cdp.send("Network.emulateNetworkConditions", PROFILE);
        let sent = 0;
        const encodings = new Set();
        const requests = new Map();
        cdp.on("Network.responseReceived", (e) => {
          const h = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
          requests.set(e.requestId, e.response.url);
          encodings.add(h["content-encoding"] || "none");
        });
        cdp.on("Network.loadingFinished", (e) => (sent += e.encodedDataLength));
        await page.goto(app.url + path, { waitUntil: "load" });
        // The charts of the first screen, if any: drawn once the library has come.
        const charts = await page
          .waitForFunction(() => performance.getEntriesByName("zhantu:charts")[0]?.startTime, null, { timeout: 15_000 })
          .then((h) => h.jsonValue())
          .catch(() => NaN);
        const m = await page.evaluate(() => {
          const nav = performance.getEntriesByType("navigation")[0];
          const fcp = performance.getEntriesByName("first-contentful-paint")[0];
          const decoded = [nav, ...performance.getEntriesByType("resource")].reduce((n, r) => n + (r.decodedBodySize || 0), 0);
          const inView = [...document.querySelectorAll(".chart[data-chart]")].some((c) => c.getBoundingClientRect().top < innerHeight);
          return { fcp: fcp ? fcp.startTime : NaN, load: nav.loadEventEnd, decoded, inView };
        });
        runs.push({ ...m, charts: m.inView ? charts : NaN, sent, requests: requests.size, encodings: [...encodings].join("/") });
        await page.close();
      }
      runs.sort((a, b) => a.load - b.load);
      const r = runs[Math.floor(runs.length / 2)];
      const chartText = Number.isNaN(r.charts) ? "—" : r.charts.toFixed(0);
      console.log(
        label.padEnd(14) +
          r.fcp.toFixed(0).padStart(8) +
          r.load.toFixed(0).padStart(9) +
          chartText.padStart(11) +
          `   ${(r.sent / 1024).toFixed(0)} (${(r.decoded / 1024).toFixed(0)}), ${r.requests}, ${r.encodings}`,
      );
    }
    console.log(`(project page: ${project}; charts "—": none in the first screen, the library loads when one is scrolled into view)`);
  } finally {
    await browser.close();
  }
} finally {
  app.stop();
}
