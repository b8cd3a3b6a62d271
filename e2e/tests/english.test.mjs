// English complete: signed in as each kind of user with English chosen, walk every page the
// menu and the pages' own links reach (a project, a node, a problem, a batch, a campaign, a
// supervision round, a lead, an enterprise, the reports, audit, settings, imports, to-do,
// notifications…) and fail on any Chinese text that is not data. Data values (names of
// projects, units and people, free text) are marked in the templates with the standard
// attribute `translate="no"` ("this is not to be translated"); everything outside such an
// element — text, placeholders, titles, labels, button captions — must be English.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startDemo, launch, signIn } from "../lib.mjs";

let app, browser, page;

before(async () => {
  app = await startDemo();
  browser = await launch();
  page = browser.context.pages()[0] || (await browser.context.newPage());
});

after(async () => {
  await browser?.close();
  app?.stop();
});

/** Pages every walk starts from, besides the links it finds (the API test's page list). */
const SEEDS = [
  "/", "/todo", "/projects", "/projects?light=red", "/lights", "/lights?light=yellow", "/battle-map", "/map",
  "/problems", "/instructions", "/enterprises", "/attraction", "/programs", "/reports", "/import", "/audit",
  "/admin/users", "/admin/units", "/admin/people", "/admin/categories", "/admin/project-types",
  "/admin/settings", "/account", "/notifications", "/projects/new", "/batches", "/campaigns", "/supervision",
  "/land", "/problems/lists", "/reports/weekly/2019-W52", "/reports/monthly/2019-12", "/reports/supervision/2019-B6",
  "/reports/quarterly/2019-Q4",
];

/** Links not to follow: downloads, the API, language switch, sign-out, assets. */
function followable(url, base) {
  if (!url.startsWith(base)) return false;
  const u = new URL(url);
  if (/\.(xlsx|csv|pdf|docx|svg|png|jpe?g|json|zip|html|txt)$/.test(u.pathname)) return false;
  if (/^\/(api|assets|lang|logout|login|evidence|files)\b/.test(u.pathname)) return false;
  if (/\/(download|export|report)(\/|$)/.test(u.pathname) && !u.pathname.startsWith("/reports")) return false;
  return true;
}

/** One visit per shape of page: the path with numbers as N, with or without a query (a list
 * filtered any way is the same template as filtered one way). */
function shape(url) {
  const u = new URL(url);
  const query = [...u.searchParams.keys()].some((k) => k !== "lang");
  return `${u.pathname.replace(/\d+/g, "N")}${query ? "?" : ""}`;
}

/** In the page: the Chinese text outside `[translate="no"]`, as short descriptions. */
function chineseOutsideData() {
  const CJK = /[\u2E80-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF]+/g;
  const data = (el) => el.closest('[translate="no"]');
  const dataText = [...document.querySelectorAll('[translate="no"]')].map((e) => e.textContent).join("\n");
  // Text drawn by a chart, an SVG's tooltip and the window's title may only repeat the
  // page's data.
  const fromData = (s) => (s.match(CJK) || []).every((run) => dataText.includes(run));
  const found = [];
  const where = (el) => {
    const id = el.id ? `#${el.id}` : "";
    const cls = typeof el.className === "string" && el.className ? `.${el.className.split(" ")[0]}` : "";
    return `${el.tagName.toLowerCase()}${id}${cls}`;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const n = walker.currentNode;
    const el = n.parentElement;
    if (!el || el.closest("script,style,template,noscript") || data(el)) continue;
    if (!n.data.match(CJK)) continue;
    if ((el.closest(".chart svg") || el.closest("svg title")) && fromData(n.data)) continue;
    found.push(`${where(el)}: ${n.data.trim().slice(0, 60)}`);
  }
  for (const el of document.querySelectorAll("[placeholder],[title],[aria-label],[alt],input[type=submit],input[type=button],[data-confirm]")) {
    if (data(el)) continue;
    for (const a of ["placeholder", "title", "aria-label", "alt", "data-confirm"]) {
      const v = el.getAttribute(a);
      if (v && v.match(CJK)) found.push(`${where(el)}[${a}]: ${v.slice(0, 60)}`);
    }
    if (el.tagName === "INPUT" && /^(submit|button)$/.test(el.type) && el.value.match(CJK)) found.push(`${where(el)}[value]: ${el.value}`);
  }
  if (!fromData(document.title)) found.push(`title: ${document.title}`);
  return found;
}

/** Walks the site in English as `user`; resolves with { visited, failures } (failures: page → texts). */
async function walk(user, limit) {
  await page.context().clearCookies();
  await signIn(page, app.url, user);
  await page.goto(`${app.url}/lang?to=en&back=/todo`);
  const queue = SEEDS.map((p) => `${app.url}${p}`);
  const seen = new Set();
  const failures = {};
  let visited = 0;
  while (queue.length && visited < limit) {
    const url = queue.shift();
    const key = shape(url);
    if (seen.has(key)) continue;
    seen.add(key);
    const resp = await page.goto(url);
    visited++;
    if (!resp || resp.status() === 403 || resp.status() === 404) continue;
    // Let charts draw their text.
    await page.waitForLoadState("load");
    if (await page.locator(".chart").count()) await page.waitForTimeout(300);
    const found = await page.evaluate(chineseOutsideData);
    if (found.length) failures[new URL(url).pathname + new URL(url).search] = [...new Set(found)].slice(0, 8);
    const links = await page.$$eval("a[href]", (as) => as.map((a) => new URL(a.getAttribute("href"), location.href).href.split("#")[0]));
    for (const l of links) if (followable(l, app.url) && !seen.has(shape(l))) queue.push(l);
  }
  // The URL after each form's redirect carries no translation key.
  return { visited, failures };
}

/** Pages known to be still in Chinese, by shape: walked and their Chinese printed, but not
 * failing the test. Empty since the cadence reports and a supervision round's summary have
 * their English (issue #18); a page put here must be on its way to English. */
const KNOWN_CHINESE = new Set([]);

for (const [user, limit] of [["admin", 150], ["fgj", 120], ["lingdao", 120], ["haimen", 120]]) {
  test(`every page in English as ${user} has no Chinese outside data`, async () => {
    const { visited, failures } = await walk(user, limit);
    assert.ok(visited > 20, `${user} visited only ${visited} pages`);
    const known = Object.keys(failures).filter((p) => KNOWN_CHINESE.has(shape(`${app.url}${p}`)));
    for (const p of known) console.log(`# ${user}: still Chinese (known): ${p}: ${failures[p][0]}`);
    const pages = Object.keys(failures).filter((p) => !known.includes(p));
    const text = pages.map((p) => `${p}\n    ${failures[p].join("\n    ")}`).join("\n");
    if (process.env.ENGLISH_REPORT) {
      const { writeFileSync } = await import("node:fs");
      writeFileSync(`${process.env.ENGLISH_REPORT}-${user}.txt`, `${visited} pages\n${text}\n`);
    }
    assert.equal(pages.length, 0, `${user}: Chinese outside data on ${pages.length} of ${visited} pages:\n${text}`);
  });
}
