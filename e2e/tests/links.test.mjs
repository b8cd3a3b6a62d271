// Every number on the cockpit opens exactly what it counts: as the coordinator (发改局), a
// leader and a unit editor (海门街道), for the data day's year, a month (截至 6月, 3月), a year
// to come and a year gone, each count the cockpit marks (`data-count`) is followed in the
// browser, and the list it opens must state (`data-total`) the same number. A card that shows
// "—" has no link; a page without counts fails.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWatched, signIn } from "../lib.mjs";

let app, browser, page;
const problems = [];

before(async () => {
  ({ app, browser, page } = await startWatched(problems));
});

after(async () => {
  await browser?.close();
  app?.stop();
});

const PERIODS = ["/", "/?month=6", "/?year=2019&month=3", "/?year=2020", "/?year=2018"];

/** Every count link of the page: { href, n, text }. */
async function countLinks() {
  return page.$$eval("a[data-count]", (as) =>
    as.map((a) => ({ href: a.getAttribute("href"), n: a.getAttribute("data-count"), text: a.textContent.trim() })),
  );
}

async function checkCockpit(user) {
  const seen = new Map();
  for (const path of PERIODS) {
    await page.goto(`${app.url}${path}`);
    const links = await countLinks();
    assert.ok(links.length >= 20, `${user} ${path}: ${links.length} count links`);
    // No headline shows a negative gap or an empty month range.
    const cards = await page.locator(".cards").innerText();
    assert.doesNotMatch(cards, /-100\.0|1——月/, `${user} ${path}`);
    for (const { href, n, text } of links) {
      // The number shown is the number marked (the stage list shows its label beside it).
      assert.ok(text.endsWith(n), `${user} ${path}: ${href} shows "${text}", marks ${n}`);
      if (!seen.has(href)) {
        await page.goto(`${app.url}${href}`, { waitUntil: "domcontentloaded" });
        const total = await page.locator("[data-total]").first().getAttribute("data-total");
        seen.set(href, total);
      }
      assert.equal(seen.get(href), n, `${user} on ${path}: ${href} counts ${n}, the list states ${seen.get(href)}`);
    }
  }
  return seen.size;
}

async function signOut() {
  await browser.context.clearCookies();
}

test("the coordinator's counts open lists of exactly that many", async () => {
  await signIn(page, app.url, "fgj");
  const lists = await checkCockpit("fgj");
  assert.ok(lists > 100, `${lists} distinct lists`);
  // The seed article's figures, opened from their numbers.
  await page.goto(`${app.url}/`);
  const row = page.locator("tr", { has: page.getByRole("link", { name: '省"152"项目' }) });
  const [targeted, landed] = await row.locator("a[data-count]").allInnerTexts();
  assert.deepEqual([targeted, landed], ["5", "4"]);
  assert.deepEqual(problems.splice(0), []);
  await signOut();
});

test("a leader's counts open lists of exactly that many", async () => {
  await signIn(page, app.url, "lingdao");
  await checkCockpit("lingdao");
  assert.deepEqual(problems.splice(0), []);
  await signOut();
});

test("a unit editor's counts are their units' and open their lists", async () => {
  await signIn(page, app.url, "haimen");
  await checkCockpit("haimen");
  await page.goto(`${app.url}/`);
  const red = Number(await page.locator(".light-card-red a[data-count]").getAttribute("data-count"));
  assert.ok(red < 20, `haimen's red projects: ${red}, not the district's`);
  assert.deepEqual(problems.splice(0), []);
  await signOut();
});
