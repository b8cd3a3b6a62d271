// The browser suite: the real binary on the demo district, used as a new user would. Fails on
// any console error, page error, failed request or HTTP error; saves a screenshot of each page
// to e2e/screenshots/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { screenshots, startWatched, signIn } from "../lib.mjs";

const shots = screenshots();

let app, browser, page;
const problems = [];

before(async () => {
  ({ app, browser, page } = await startWatched(problems));
  // A request the browser cancels because the page moved on (a chart's script still loading when
  // the test clicks away) is not a failure; any other is.
  page.on("requestfailed", (r) => {
    if (r.failure()?.errorText !== "net::ERR_ABORTED") problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  // Nothing may leave the machine.
  await browser.context.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => {
    problems.push(`outside request: ${route.request().url()}`);
    route.abort();
  });
  await signIn(page, app.url);
});

after(async () => {
  await browser?.close();
  app?.stop();
});

function noProblems() {
  assert.deepEqual(problems.splice(0), [], "console errors or failed requests");
}

async function shot(name, opts = {}) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true, ...opts });
}

test("the cockpit shows the year's figures, with charts", async () => {
  await page.goto(`${app.url}/`);
  const landing = page.locator("table").first();
  await assert.doesNotReject(landing.getByText("80.0%").first().waitFor());
  await assert.doesNotReject(landing.getByText("50.0%").first().waitFor());
  assert.match(await page.locator("h1").innerText(), /椒江区/);
  assert.match(await page.content(), /363\.50亿元/);
  // ECharts drew every chart.
  await page.waitForFunction(() => [...document.querySelectorAll(".chart")].every((c) => c.querySelector("svg")));
  // The red-light count links to the red list, which gives each project's reasons.
  const red = page.locator('.light-card-red a[href="/lights?light=red"]');
  assert.equal(await red.count(), 1);
  await shot("cockpit");
  const redCount = Number((await red.innerText()).replace(/\D/g, ""));
  await Promise.all([page.waitForURL(/\/lights\?light=red/), red.click()]);
  assert.ok(redCount > 0 && (await page.content()).includes(String(redCount)), `the red list counts ${redCount}`);
  await page.goto(`${app.url}/`);
  // Choosing a month redraws the figures up to it.
  await page.selectOption("#month", "6");
  await Promise.all([page.waitForURL(/month=6/), page.getByRole("button", { name: "查看" }).click()]);
  assert.match(await page.locator(".sub").first().innerText(), /2019年1—6月/);
  noProblems();
});

test("the registry filters, sorts, pages, and the back button returns", async () => {
  await page.goto(`${app.url}/projects`);
  const total = async () => Number((await page.locator("#registry-total").innerText()).replace(/\D/g, ""));
  const all = await total();
  assert.ok(all > 200, `all projects: ${all}`);
  await page.selectOption("#f-light", "red");
  await page.selectOption("#f-sort", "investment");
  await Promise.all([page.waitForURL(/light=red/), page.getByRole("button", { name: "筛选" }).click()]);
  const red = await total();
  assert.ok(red > 0 && red < all, `red: ${red} of ${all}`);
  assert.equal(await page.locator("tbody .light-red").count(), await page.locator("tbody tr").count());
  await shot("registry");
  await page.goBack();
  await page.waitForURL((u) => !u.search.includes("light=red"));
  assert.equal(await total(), all);
  await page.getByRole("link", { name: "下一页 »" }).click();
  await page.waitForURL(/after=/);
  noProblems();
});

test("a project's page shows its facts, nodes, investment and history", async () => {
  await page.goto(`${app.url}/projects?q=${encodeURIComponent("星星冷链")}`);
  await page.locator("tbody a").first().click();
  await page.waitForURL(/\/projects\/\d+$/);
  assert.match(await page.locator("h1").innerText(), /星星冷链/);
  for (const h of ["基本信息", "节点", "投资", "阶段变更", "进展填报", "问题清单", "修改记录"]) {
    assert.equal(await page.getByRole("heading", { name: h, exact: true }).count(), 1, h);
  }
  assert.ok((await page.locator("svg.timeline path").count()) > 3);
  await shot("project");
  noProblems();
});

test("every page of the district's other work opens, in Chinese, without errors", async () => {
  const pages = [
    ["/problems", /问题/],
    ["/problems/lists", /清单/],
    ["/enterprises", /企业/],
    ["/attraction", /招商/],
    ["/programs", /专项/],
    ["/batches", /开工/],
    ["/campaigns", /攻坚/],
    ["/supervision", /督查/],
    ["/land", /用地/],
    ["/planning", /谋划擂台赛/],
    ["/confidence", /评级/],
    ["/reports", /报告/],
    ["/reports/monthly/2019-12", /月/],
    ["/import", /导入/],
  ];
  for (const [path, heading] of pages) {
    const resp = await page.goto(`${app.url}${path}`);
    assert.equal(resp.status(), 200, path);
    assert.match(await page.locator("h1").first().innerText(), heading, path);
    await shot(`page${path.replaceAll("/", "-")}`);
  }
  // A detail page of each kind, reached by its first link.
  for (const [list, pattern] of [["/enterprises", /\/enterprises\/\d+$/], ["/problems", /\/problems\/\d+$/], ["/batches", /\/batches\/\d+$/], ["/campaigns", /\/campaigns\/\d+$/], ["/supervision", /\/supervision\/\d+$/]]) {
    await page.goto(`${app.url}${list}`);
    const href = await page.evaluate((src) => [...document.querySelectorAll("main a")].map((a) => a.getAttribute("href")).find((h) => new RegExp(src).test(h)), pattern.source);
    assert.ok(href, `a detail link on ${list}`);
    const resp = await page.goto(`${app.url}${href}`);
    assert.equal(resp.status(), 200, href);
    await shot(`detail${list.replaceAll("/", "-")}`);
  }
  noProblems();
});

test("the battle map draws every project and scrolls with names and axis in view", async () => {
  const t0 = Date.now();
  await page.goto(`${app.url}/battle-map`);
  await page.locator(".bm-body svg").first().waitFor();
  const ms = Date.now() - t0;
  const rows = await page.locator(".bm-names a").count();
  assert.ok(rows > 200, `rows: ${rows}`);
  await shot("battle-map-top", { fullPage: false });
  const box = page.locator("#battle-map");
  await box.evaluate((el) => { el.scrollTop = 1500; el.scrollLeft = 400; });
  await page.waitForTimeout(100);
  const [scroller, names, axis] = await Promise.all([box.boundingBox(), page.locator(".bm-names").first().boundingBox(), page.locator(".bm-axis").boundingBox()]);
  assert.ok(Math.abs(names.x - scroller.x) < 3, "names stay at the left edge");
  assert.ok(Math.abs(axis.y - scroller.y) < 3, "the axis stays at the top");
  await shot("battle-map-scrolled", { fullPage: false });
  // Zoom to months and group by leader.
  await page.getByRole("link", { name: "月", exact: true }).click();
  await page.waitForURL(/zoom=month/);
  await page.selectOption("#f-group", "leader");
  await Promise.all([page.waitForURL(/group=leader/), page.getByRole("button", { name: "筛选" }).click()]);
  await shot("battle-map-leader", { fullPage: false });
  // The print version: no navigation or filters, the whole chart.
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.locator("header.top").isVisible(), false);
  await shot("battle-map-print", { fullPage: false });
  await page.emulateMedia({ media: "screen" });
  // The PNG for the wall, drawn in the browser from the server's SVG.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "下载 PNG" }).click()]);
  assert.equal(download.suggestedFilename(), "battle-map.png");
  await download.saveAs(join(shots, "battle-map-export.png"));
  const head = await new Promise(async (ok) => {
    const chunks = [];
    const stream = await download.createReadStream();
    stream.on("data", (c) => chunks.push(c));
    stream.on("end", () => ok(Buffer.concat(chunks).subarray(0, 8)));
  });
  assert.deepEqual([...head], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "a PNG file");
  const svg = await page.request.get(`${app.url}/battle-map.svg`);
  assert.equal(svg.status(), 200);
  assert.match(svg.headers()["content-type"], /image\/svg\+xml/);
  console.log(`battle map of ${rows} projects loaded in ${ms} ms`);
  noProblems();
});

test("the map shows projects by street and town", async () => {
  await page.goto(`${app.url}/map`);
  assert.equal(await page.locator("svg.geo > a.tile").count(), 9);
  await shot("map");
  await page.locator("svg.geo > a.tile").first().click();
  await page.waitForURL(/division=/);
  noProblems();
});

test("English by the switch, and back to Chinese", async () => {
  await page.goto(`${app.url}/`);
  await page.getByRole("link", { name: "English" }).click();
  await page.waitForFunction(() => document.documentElement.lang === "en");
  assert.equal(await page.getByRole("link", { name: "Projects", exact: true }).count(), 1);
  assert.match(await page.content(), /Landing rate by category/);
  await page.waitForFunction(() => [...document.querySelectorAll(".chart")].every((c) => c.querySelector("svg")));
  await shot("cockpit-en");
  await page.goto(`${app.url}/battle-map`);
  await shot("battle-map-en", { fullPage: false });
  await page.getByRole("link", { name: "中文" }).click();
  await page.waitForFunction(() => document.documentElement.lang === "zh-CN");
  assert.equal(await page.getByRole("link", { name: "项目库", exact: true }).count(), 1);
  noProblems();
});

test("on a phone", async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${app.url}/`);
  await page.waitForFunction(() => [...document.querySelectorAll(".chart")].every((c) => c.querySelector("svg")));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the cockpit scrolls sideways by ${overflow}px`);
  await shot("phone-cockpit", { fullPage: false });
  await page.goto(`${app.url}/projects`);
  await shot("phone-registry", { fullPage: false });
  await page.setViewportSize({ width: 1440, height: 900 });
  noProblems();
});
