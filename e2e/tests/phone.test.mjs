// On site, on a 390×844 phone: the unit's editor reports a node done with a photo from the
// camera's file box and sees the confirmation; the node and problem lists fit the screen (cards,
// no sideways scroll, the actions in view); the coordinator opens the node from the project page,
// sees the photo's thumbnail with the time and place it was taken, and verifies it after ticking
// the confirmation.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { screenshots, startWatched, signIn, here } from "../lib.mjs";

const shots = screenshots();
const PHONE = { width: 390, height: 844 };
/** A 64×48 JPEG taken 2019-12-20 10:15:00 at 28.68N 121.44E (its EXIF), shared with the API tests. */
const PHOTO = join(here, "..", "crates", "zhantu", "tests", "fixtures", "site-gps.jpg");
let app, browser, page;
const problems = [];

before(async () => {
  ({ app, browser, page } = await startWatched(problems));
  await page.setViewportSize(PHONE);
});

after(async () => {
  await browser?.close();
  app?.stop();
});

async function signOut() {
  await Promise.all([page.waitForURL(/\/login/), page.getByRole("button", { name: "退出" }).click()]);
}

/** How far the page scrolls sideways (0 when it fits the screen). */
function sideways() {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** The rows of `selector` whose right edge is beyond the screen. */
function rowsOffScreen(selector) {
  return page.evaluate(
    (sel) => [...document.querySelectorAll(`${sel} tbody tr`)].filter((tr) => tr.getBoundingClientRect().right > window.innerWidth + 1).length,
    selector,
  );
}

test("on the phone a node is reported with a photo and verified in view of it", async () => {
  await signIn(page, app.url, "haimen");
  // The header leaves the screen to the work: brand, user and one line of navigation.
  const header = await page.locator("header").first().boundingBox();
  assert.ok(header && header.height < PHONE.height * 0.2, `the header is ${header?.height}px high`);

  // The unit's first project with an open node whose predecessors are all closed.
  const list = await (await page.request.get(`${app.url}/api/v1/projects?stage=construction&limit=100`)).json();
  let target;
  for (const p of list.items) {
    const d = await (await page.request.get(`${app.url}/api/v1/projects/${p.id}`)).json();
    const open = d.nodes.filter((n) => n.status !== "closed").sort((a, b) => a.seq - b.seq);
    if (open.length && open[0].status === "open") {
      target = { id: p.id, node: open[0] };
      break;
    }
  }
  assert.ok(target, "a project of 海门街道 with an open node");

  await page.goto(`${app.url}/projects/${target.id}`);
  assert.equal(await sideways(), 0, "the project page does not scroll sideways");
  // The node chart keeps legible labels (it scrolls in its own frame rather than shrinking).
  const label = await page.evaluate(() => document.querySelector("svg.timeline g text")?.getBoundingClientRect().height);
  assert.ok(label >= 10, `the node chart's labels are ${label}px high`);

  // A weekly report: choosing 周报 moves the start to the Monday of the data date's week
  // (2019-12-31 is a Tuesday), the month's investment is not asked, and it is accepted.
  const form = page.locator("details.report-form");
  await form.locator("summary").click();
  await form.getByLabel("类型").selectOption("week");
  assert.equal(await form.locator('input[name="period_start"]').inputValue(), "2019-12-30");
  assert.equal(await form.locator('input[name="investment"]').isVisible(), false);
  await form.locator('textarea[name="body"]').fill("主体结构施工，本周完成三层楼板浇筑");
  await Promise.all([page.waitForLoadState("load"), form.getByRole("button", { name: "提交" }).click()]);
  const week = page.locator("tr", { hasText: "2019-12-30～2020-01-05" });
  await week.waitFor();
  assert.ok(!(await week.textContent()).includes("万元"), "a weekly report shows no investment");
  assert.equal(await rowsOffScreen("table.node-table"), 0, "every node card fits the screen");
  const card = page.locator("tr", { has: page.locator("th", { hasText: target.node.name }) });
  const report = card.getByText("报完成");
  const box = await report.boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= PHONE.width, "报完成 is in view");
  await report.click();
  // The camera's file box (capture): on a phone it opens the camera; here it is given the photo.
  const camera = card.locator('input[type=file][capture="environment"]');
  assert.equal(await camera.getAttribute("accept"), "image/*");
  await camera.setInputFiles(PHOTO);
  await card.getByLabel("说明", { exact: true }).fill("主体结构已封顶，现场照片");
  await page.screenshot({ path: join(shots, "phone-report.png"), fullPage: true });
  await Promise.all([
    page.waitForURL((u) => u.pathname === `/nodes/${target.node.id}` && u.searchParams.get("ok") === "reported"),
    card.getByRole("button", { name: "提交" }).click(),
  ]);
  await page.getByText("已报送完成，等待发改局核验").waitFor();
  assert.equal(await sideways(), 0, "the node's page does not scroll sideways");
  await page.screenshot({ path: join(shots, "phone-reported.png"), fullPage: true });

  // The problem list: cards too.
  await page.goto(`${app.url}/problems`);
  assert.equal(await sideways(), 0, "the problem list does not scroll sideways");
  assert.equal(await rowsOffScreen("table.problems"), 0, "every problem card fits the screen");
  assert.ok(await page.getByText("本单位合计").count(), "the unit's own total");
  await page.screenshot({ path: join(shots, "phone-problems.png"), fullPage: true });
  await signOut();

  // The coordinator finds it in 我的待办 (where signing in lands), with the photo beside it,
  // and opens the node's page in view of the evidence.
  await signIn(page, app.url, "fgj");
  await page.goto(`${app.url}/`);
  await page.getByRole("link", { name: /我的待办/ }).first().click();
  await page.waitForURL(/\/todo/);
  const queue = page.locator("#s-close_outs");
  const item = queue.locator("li.todo-item", { hasText: target.node.name });
  assert.equal(await item.count(), 1, "the close-out waits in the coordinator's queue");
  await page.waitForFunction((name) => {
    const li = [...document.querySelectorAll("#s-close_outs li.todo-item")].find((l) => l.textContent.includes(name));
    const img = li && li.querySelector(".todo-thumb img");
    return img && img.complete && img.naturalWidth > 0;
  }, target.node.name);
  assert.equal(await sideways(), 0, "我的待办 does not scroll sideways");
  await page.screenshot({ path: join(shots, "phone-todo.png"), fullPage: true });
  await Promise.all([page.waitForURL(new RegExp(`/nodes/${target.node.id}#decide$`)), item.getByRole("link", { name: target.node.name }).click()]);
  const thumb = page.locator("img.thumb").first();
  assert.equal(await thumb.getAttribute("loading"), "lazy");
  await thumb.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => {
    const img = document.querySelector("img.thumb");
    return img && img.complete && img.naturalWidth === 64;
  });
  for (const shown of ["2019-12-20 10:15:00", "28.680000, 121.440000", "主体结构已封顶，现场照片", "haimen"]) {
    assert.ok(await page.getByText(shown).count(), `the page shows ${shown}`);
  }
  assert.equal(await sideways(), 0, "the verification page does not scroll sideways");
  await page.screenshot({ path: join(shots, "phone-verify.png"), fullPage: true });

  // Without the ticked confirmation the browser does not send it.
  const approve = page.getByRole("button", { name: "核验通过" });
  await approve.click();
  assert.match(page.url(), new RegExp(`/nodes/${target.node.id}#decide$`));
  assert.equal((await (await page.request.get(`${app.url}/api/v1/nodes/${target.node.id}`)).json()).node.status, "reported");
  await page.getByLabel("我已查看上述佐证材料，确认该节点已完成").check();
  await Promise.all([page.waitForURL(/\?ok=verified$/), approve.click()]);
  await page.getByText("已核验销号").first().waitFor();
  const node = await (await page.request.get(`${app.url}/api/v1/nodes/${target.node.id}`)).json();
  assert.equal(node.node.status, "closed");
  assert.equal(node.node.verified_by, "fgj");
  await page.screenshot({ path: join(shots, "phone-verified.png"), fullPage: true });
  await signOut();
  assert.deepEqual(problems, []);
});
