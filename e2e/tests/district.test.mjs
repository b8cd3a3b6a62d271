// A district the app has never seen, set up in the browser on a phone (390×844): the first-run
// page on an empty database, sign-in, the master-data pages (a unit, a category with its
// target), a project created by hand with its nodes from the template, each page in Chinese and
// in English, none scrolling sideways.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { BIN, launch, screenshots, startZhantu } from "../lib.mjs";

const shots = screenshots();
const PASSWORD = "Linhai2020xy";
let app, browser, page, data;
const problems = [];

before(async () => {
  data = mkdtempSync(join(tmpdir(), "zhantu-e2e-district-"));
  // DEPLOY.md's optional first step: an empty database, which the server then offers to set up.
  const db = join(data, "zhantu.db");
  const migrate = spawnSync(BIN, ["migrate", "--database", db], { encoding: "utf8" });
  assert.equal(migrate.status, 0, migrate.stderr);
  app = await startZhantu(["serve", "--database", db]);
  browser = await launch();
  page = browser.context.pages()[0] || (await browser.context.newPage());
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("response", (r) => { if (r.status() >= 500) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  await page.setViewportSize({ width: 390, height: 844 });
});

after(async () => {
  await browser?.close();
  app?.stop();
  if (data) rmSync(data, { recursive: true, force: true });
});

/** How far the page scrolls sideways (0 on a page that fits the phone). */
async function overflow() {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

async function fits(name) {
  const o = await overflow();
  assert.ok(o <= 1, `${name} scrolls sideways by ${o}px on a phone`);
  await page.screenshot({ path: join(shots, `district-${name}.png`) });
}

/** Opens `path` in English, checks it fits and shows `text`, then back in Chinese. */
async function inEnglish(path, text) {
  await page.goto(`${app.url}${path}${path.includes("?") ? "&" : "?"}lang=en`);
  assert.match(await page.content(), text, `${path} in English`);
  await fits(`${path.replaceAll("/", "_")}-en`);
  await page.goto(`${app.url}${path}${path.includes("?") ? "&" : "?"}lang=zh-CN`);
}

test("an empty database leads to the first-run page, which sets the district up", async () => {
  await page.goto(`${app.url}/`);
  await page.waitForURL(/\/setup/);
  // Only whoever reads the server's output has the setup code: the address it printed.
  let printed;
  for (let i = 0; i < 100 && !printed; i++) {
    printed = app.output().match(/\/setup\?code=([0-9a-f]{32})/);
    if (!printed) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(printed, `zhantu serve printed the setup address:\n${app.output()}`);
  await page.goto(`${app.url}${printed[0]}`);
  assert.equal(await page.getByLabel("设置码").inputValue(), printed[1]);
  await fits("setup");
  await page.getByLabel("行政区划代码（6位）").fill("331082");
  await page.getByLabel("用户名").fill("clerk");
  await page.getByLabel("密码", { exact: true }).fill(PASSWORD);
  await page.getByLabel("再次输入密码").fill(PASSWORD);
  await Promise.all([page.waitForURL(/\/login/), page.getByRole("button", { name: "初始化" }).click()]);
  // Set up once: the page is gone.
  const again = await page.request.get(`${app.url}/setup`, { maxRedirects: 0 });
  assert.ok([303, 404].includes(again.status()), `setup after setup: ${again.status()}`);

  await page.getByLabel("用户名").fill("clerk");
  await page.getByLabel("密码").fill(PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/login")), page.getByRole("button", { name: "登录" }).click()]);
  assert.deepEqual(problems, []);
});

test("the clerk adds a unit and a category with its target", async () => {
  await page.goto(`${app.url}/admin/units`);
  assert.match(await page.content(), /古城街道/, "临海市's streets are there");
  assert.doesNotMatch(await page.content(), /海门街道/, "nothing of the demo");
  await fits("units");
  await page.locator("#u-name").fill("临海市经济和信息化局");
  await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "新建单位" }).click()]);
  assert.match(await page.content(), /临海市经济和信息化局/);
  await inEnglish("/admin/units", /Create unit/);

  await page.goto(`${app.url}/admin/categories`);
  await fits("categories");
  await page.locator("#n-name").fill("台州市重点建设项目");
  await page.locator("#n-code").fill("key_city");
  await page.locator('form[action="/admin/categories"] input[name=tracks_landing]').check();
  await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "新建类别" }).click()]);
  const list = await (await page.request.get(`${app.url}/api/v1/categories`)).json();
  const city = (list.items || list).find((c) => c.code === "key_city");
  assert.ok(city, `the new category is listed: ${JSON.stringify(list).slice(0, 300)}`);
  await page.goto(`${app.url}/admin/categories`);
  await page.locator("details", { has: page.locator(`#c${city.id}-year`) }).locator("summary").click();
  await page.locator(`#c${city.id}-year`).fill("2020");
  await page.locator(`#c${city.id}-target`).fill("70");
  await Promise.all([
    page.waitForLoadState("load"),
    page.locator(`form[action="/admin/categories/${city.id}/targets"] button[type=submit]`).click(),
  ]);
  const after = await (await page.request.get(`${app.url}/api/v1/categories/${city.id}`)).json();
  const targets = (after.category || after).targets || [];
  assert.ok(
    targets.some((t) => t.year === 2020 && Number(t.target_pct) === 70),
    `its 2020 target of 70%: ${JSON.stringify(after).slice(0, 400)}`,
  );
  await inEnglish("/admin/categories", /Create category/);
  for (const path of ["/admin/people", "/admin/project-types", "/admin/settings"]) {
    await page.goto(`${app.url}${path}`);
    await fits(path.replaceAll("/", "_"));
  }
  assert.deepEqual(problems, []);
});

test("a project is created by hand and gets its nodes from the template", async () => {
  await page.goto(`${app.url}/projects/new`);
  await fits("new-project");
  await page.getByLabel(/项目名称/).fill("临海市头门港新材料产业园");
  await page.getByLabel(/责任单位/).selectOption({ label: "古城街道" });
  await page.getByLabel(/项目类型/).selectOption({ index: 1 });
  await page.getByLabel(/总投资/).fill("52000");
  await Promise.all([
    page.waitForURL(/\/projects\/\d+/),
    page.getByRole("button", { name: "创建项目" }).click(),
  ]);
  assert.match(await page.content(), /临海市头门港新材料产业园/);
  const id = page.url().match(/\/projects\/(\d+)/)[1];
  const detail = await (await page.request.get(`${app.url}/api/v1/projects/${id}`)).json();
  assert.ok(detail.nodes.length >= 5, `nodes from the template: ${detail.nodes.length}`);
  await fits("project");
  await inEnglish(`/projects/new`, /New project/);
  assert.deepEqual(problems, []);
});
