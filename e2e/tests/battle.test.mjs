// The battle map as a leader reads it on the wall: a whole district on one page, an axis whose
// labels never collide at any zoom, exports with every mark inside the plot, and a print that
// repeats the axis on every page. Measured in Chromium (label boxes, mark boxes, the PDF).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { BIN, screenshots, startWatched, signIn, startZhantu } from "../lib.mjs";

const shots = screenshots();
const ZOOMS = ["week", "month", "quarter", "year"];

let app, browser, page;
const problems = [];

before(async () => {
  ({ app, browser, page } = await startWatched(problems));
  await signIn(page, app.url);
});

after(async () => {
  await browser?.close();
  app?.stop();
});

function noProblems() {
  assert.deepEqual(problems.splice(0), [], "console errors or failed requests");
}

/** The boxes of the axis's labels, as Chromium draws them. */
function labelBoxes() {
  return page.locator(".bm-axis svg").evaluate((svg) =>
    [...svg.querySelectorAll("text")].map((t) => {
      const b = t.getBBox();
      return { text: t.textContent, x1: b.x, x2: b.x + b.width, y1: b.y, y2: b.y + b.height };
    }),
  );
}

function overlaps(boxes) {
  const out = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) out.push(`"${a.text}" / "${b.text}"`);
    }
  }
  return out;
}

test("the axis labels never overlap, at every zoom, in Chinese and in English", async () => {
  for (const lang of ["zh-CN", "en"]) {
    for (const zoom of ZOOMS) {
      await page.goto(`${app.url}/battle-map?zoom=${zoom}&lang=${lang}`);
      const boxes = await labelBoxes();
      assert.ok(boxes.length >= 3, `${lang} ${zoom}: ${boxes.length} labels`);
      assert.deepEqual(overlaps(boxes), [], `${lang} ${zoom}: labels overlap`);
      // Every label inside the axis.
      const w = Number(await page.locator(".bm-axis svg").getAttribute("width"));
      assert.ok(boxes.every((b) => b.x1 >= 0 && b.x2 <= w), `${lang} ${zoom}: a label leaves the axis`);
      // The data date is always labelled, whole.
      assert.ok(boxes.some((b) => /^(数据日|Data date) 2019-12-31$/.test(b.text)), `${lang} ${zoom}: the data date`);
    }
  }
  await page.goto(`${app.url}/battle-map?zoom=year`);
  await shot("battle-map-year-axis");
  noProblems();
});

async function shot(name) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: false });
}

/** The groups of the page (by unit) come in the order the unit filter lists the units: the
 * master data's official order, not the order of their names' code points. */
async function unitsInOfficialOrder() {
  const groups = (await page.locator(".bm-names text[font-weight=bold]").allTextContents()).map((g) => g.replace(/ \(\d+\)$/, ""));
  const official = (await page.locator("#f-unit option").allTextContents()).map((o) => o.replace(/^[\s\u3000·—-]+/, "").trim());
  const at = groups.map((g) => official.indexOf(g));
  assert.ok(groups.length > 3 && at.every((i) => i >= 0), `groups ${groups.join("、")} among ${official.join("、")}`);
  assert.deepEqual(at, [...at].sort((a, b) => a - b), `groups out of the official order: ${groups.join("、")}`);
  return groups;
}

test("groups come in the units' official order", async () => {
  await page.goto(`${app.url}/battle-map?group=unit`);
  const groups = await unitsInOfficialOrder();
  assert.notEqual(groups[0], "三甲街道", "not in code-point order");
  noProblems();
});

test("the exported SVG draws every mark inside the plot, and says where rows go on", async () => {
  for (const zoom of ZOOMS) {
    const resp = await page.request.get(`${app.url}/battle-map.svg?zoom=${zoom}`);
    assert.equal(resp.status(), 200);
    const svg = await resp.text();
    await page.setContent(`<!doctype html><body>${svg.replace(/^<\?xml[^>]*>/, "")}</body>`);
    const r = await page.evaluate(() => {
      const plot = document.querySelector("g.bm-plot");
      const w = Number(plot.querySelector("clipPath rect, rect").getAttribute("width"));
      const clip = document.querySelector("clipPath rect");
      const out = { w: Number(clip.getAttribute("width")), marks: 0, outside: [], goesOn: 0 };
      const names = document.querySelector("svg").getBoundingClientRect().left;
      const plotLeft = plot.getBoundingClientRect().left;
      for (const p of plot.querySelectorAll("path.bm-mark")) {
        const b = p.getBBox();
        out.marks++;
        if (p.hasAttribute("data-goes-on")) out.goesOn += (p.getAttribute("d").match(/M/g) || []).length;
        if (b.x < 0 || b.x + b.width > out.w + 0.5) out.outside.push(`${p.getAttribute("stroke")}: ${b.x.toFixed(1)}–${(b.x + b.width).toFixed(1)}`);
      }
      out.plotLeft = plotLeft - names;
      out.w2 = w;
      return out;
    });
    assert.ok(r.marks > 10, `${zoom}: ${r.marks} marks`);
    assert.ok(r.plotLeft >= 280, `${zoom}: the plot starts right of the names (${r.plotLeft})`);
    assert.deepEqual(r.outside, [], `${zoom}: marks outside the plot (0–${r.w})`);
    // The demo has nodes before the axis's first month: their rows say so at the edge.
    assert.ok(r.goesOn > 0, `${zoom}: no row marked as going on`);
  }
  noProblems();
});

/** The decoded content streams of a PDF's pages (Chromium writes them Flate-compressed). */
function pdfPages(pdf) {
  const text = pdf.toString("latin1");
  const pages = (text.match(/\/Type\s*\/Page\b/g) || []).length;
  const streams = [];
  const re = /(?<!end)stream\r?\n/g;
  let m;
  while ((m = re.exec(text))) {
    const start = m.index + m[0].length;
    const end = text.indexOf("endstream", start);
    if (end < 0) break;
    try {
      streams.push(inflateSync(pdf.subarray(start, end)).toString("latin1"));
    } catch {
      // Not Flate (fonts, images): not a page's drawing.
    }
    re.lastIndex = end + "endstream".length;
  }
  return { pages, streams };
}

test("printed, the battle map repeats its axis on every page and starts its rows on page 1", async () => {
  await page.goto(`${app.url}/battle-map?zoom=year`);
  // The PDF Chromium prints: every page draws the axis's band (#f5f7fa) and the data date's
  // red line, and page 1 has rows too (a row separator, #eef1f4).
  // (Printed first, on a fresh page: after emulateMedia() toggles, Chromium 156 prints
  // content-visibility blocks as one unbreakable box.)
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  writeFileSync(join(shots, "battle-map-print.pdf"), pdf);
  const { pages, streams } = pdfPages(pdf);
  const axisBand = /0?\.9608 0?\.9686 0?\.9804 rg/;
  const rowLine = /0?\.9333 0?\.9451 0?\.9569 RG/;
  const withAxis = streams.filter((s) => axisBand.test(s));
  assert.ok(pages >= 2, `${pages} pages`);
  assert.ok(withAxis.length >= pages, `the axis on ${withAxis.length} of ${pages} pages`);
  assert.ok(rowLine.test(withAxis[0]), "page 1 has rows below its axis");
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.locator("table.bm thead").evaluate((el) => getComputedStyle(el).display), "table-header-group");
  assert.equal(await page.locator("header.top").isVisible(), false);
  // Rows follow the axis directly: the first block starts where the head ends.
  const [head, first] = await Promise.all([page.locator("table.bm thead").boundingBox(), page.locator("table.bm tbody tr").first().boundingBox()]);
  assert.ok(Math.abs(first.y - (head.y + head.height)) < 2, `the first rows follow the axis (${head.y + head.height} / ${first.y})`);
  await page.emulateMedia({ media: "screen" });
  noProblems();
});

test("a district of 2,000 projects is drawn whole on one page", async () => {
  const dir = mkdtempSync(join(tmpdir(), "zhantu-battle-"));
  const db = join(dir, "district.db");
  execFileSync(BIN, ["generate", "--projects", "2000", "--database", db], { stdio: "ignore" });
  execFileSync(BIN, ["user", "add", "--database", db, "--username", "wall", "--name", "挂图", "--role", "admin", "--password", "Zhantu2019"], { stdio: "ignore" });
  const big = await startZhantu(["serve", "--database", db]);
  try {
    await signIn(page, big.url, "wall");
    const resp = await page.goto(`${big.url}/battle-map`);
    assert.equal(resp.status(), 200);
    assert.equal(await page.locator(".bm-names a").count(), 2000, "every project, no page cut");
    assert.equal(await page.locator(".pager").count(), 0);
    const ids = await page.locator(".bm-names a").evaluateAll((as) => new Set(as.map((a) => a.getAttribute("href"))).size);
    assert.equal(ids, 2000, "each project once");
    await unitsInOfficialOrder();
    // The names are real links: the last one (far off screen, not painted yet) opens its project.
    const last = page.locator(".bm-names a").last();
    await last.scrollIntoViewIfNeeded();
    await Promise.all([page.waitForURL(/\/projects\/\d+$/), last.click()]);
  } finally {
    big.stop();
    rmSync(dir, { recursive: true, force: true });
    // The demo's session again (cookies do not tell ports apart).
    await signIn(page, app.url);
  }
  noProblems();
});
