// The weekly work in the browser: a unit editor reports a node done with a photo on the project
// page, the coordinator opens the node from there and verifies it in view of the photo, and the
// node is closed out with its light gone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { screenshots, startWatched, signIn } from "../lib.mjs";

const shots = screenshots();
let app, browser, page;
const problems = [];

before(async () => {
  ({ app, browser, page } = await startWatched(problems));
});

after(async () => {
  await browser?.close();
  app?.stop();
});

/** A real 2×2 PNG (signature, IHDR, IDAT, IEND with their CRCs). */
function png() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const raw = Buffer.from([0, 200, 30, 30, 200, 30, 30, 0, 200, 30, 30, 200, 30, 30]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** The first of the unit's projects under construction with a node `pick` takes: { id, node }. */
async function firstProjectWith(pick) {
  const list = await (await page.request.get(`${app.url}/api/v1/projects?stage=construction&limit=100`)).json();
  for (const p of list.items) {
    const d = await (await page.request.get(`${app.url}/api/v1/projects/${p.id}`)).json();
    const node = pick(d.nodes);
    if (node) return { id: p.id, node };
  }
}

async function signOut() {
  await Promise.all([page.waitForURL(/\/login/), page.getByRole("button", { name: "退出" }).click()]);
}

test("a node is reported done with a photo and verified on its page, from the project page", async () => {
  await signIn(page, app.url, "haimen");
  // The unit's first project with an open node whose predecessors are all closed.
  const target = await firstProjectWith((nodes) => {
    const open = nodes.filter((n) => n.status !== "closed").sort((a, b) => a.seq - b.seq);
    return open.length && open[0].status === "open" ? open[0] : undefined;
  });
  assert.ok(target, "a project of 海门街道 with an open node");
  await page.goto(`${app.url}/projects/${target.id}`);
  const row = page.locator("tr", { has: page.locator("th", { hasText: target.node.name }) });
  await row.getByText("报完成").click();
  const file = join(mkdtempSync(join(tmpdir(), "zhantu-ev-")), "现场照片.png");
  writeFileSync(file, png());
  await row.getByLabel("佐证材料").setInputFiles(file);
  await row.getByLabel("说明", { exact: true }).fill("已取得，见照片");
  // The upload opens the node's page, which confirms it.
  await Promise.all([page.waitForURL(/\?ok=reported$/), row.getByRole("button", { name: "提交" }).first().click()]);
  await page.getByText("已报送完成，等待发改局核验").waitFor();
  await page.goto(`${app.url}/projects/${target.id}`);
  await page.waitForFunction((name) => [...document.querySelectorAll("tr")].some((tr) => tr.textContent.includes(name) && tr.textContent.includes("待核验")), target.node.name);
  await page.screenshot({ path: join(shots, "node-reported.png"), fullPage: true });

  // The coordinator opens it from the project page and verifies it in view of the photo.
  await signOut();
  await signIn(page, app.url, "fgj");
  await page.goto(`${app.url}/projects/${target.id}`);
  const row2 = page.locator("tr", { has: page.locator("th", { hasText: target.node.name }) });
  await Promise.all([page.waitForURL(/#decide$/), row2.getByRole("link", { name: "核验（查看佐证）" }).click()]);
  await page.locator("img.thumb").scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelector("img.thumb")?.naturalWidth === 2);
  await page.getByLabel("我已查看上述佐证材料，确认该节点已完成").check();
  await Promise.all([page.waitForURL(/\?ok=verified$/), page.getByRole("button", { name: "核验通过" }).click()]);
  await page.getByText("已核验销号").first().waitFor();
  await page.goto(`${app.url}/projects/${target.id}`);
  await page.waitForFunction((name) => [...document.querySelectorAll("tr")].some((tr) => tr.textContent.includes(name) && tr.textContent.includes("已销号")), target.node.name);
  const node = await (await page.request.get(`${app.url}/api/v1/nodes/${target.node.id}`)).json();
  assert.equal(node.node.status, "closed");
  assert.equal(node.evidence.length, 1);
  await page.screenshot({ path: join(shots, "node-verified.png"), fullPage: true });
  await signOut();
  assert.deepEqual(problems, []);
});

test("a date change asked on the page waits for the coordinator", async () => {
  await signIn(page, app.url, "haimen");
  const target = await firstProjectWith((nodes) => nodes.find((n) => n.status === "open"));
  await page.goto(`${app.url}/projects/${target.id}`);
  const row = page.locator("tr", { has: page.locator("th", { hasText: target.node.name }) });
  await row.getByText("申请改期").click();
  await row.getByLabel("调整后的计划日期").fill("2020-06-30");
  await row.getByLabel("具体说明").fill("土地摘牌推迟");
  await Promise.all([page.waitForLoadState("load"), row.locator("form[data-api$='/date-change'] button[type=submit]").click()]);
  await page.waitForFunction(() => document.body.textContent.includes("改期待审批"));
  const planned = target.node.planned_on;
  const after = await (await page.request.get(`${app.url}/api/v1/nodes/${target.node.id}`)).json();
  assert.equal(after.node.planned_on, planned, "the planned date moves only on approval");
  assert.equal(after.date_changes.at(-1).status, "pending");
  await signOut();
  assert.deepEqual(problems, []);
});

test("a spreadsheet is checked, then imported, on the import page", async () => {
  await signIn(page, app.url, "fgj");
  // The registry's own export is the file: checked, then imported, every row comes back unchanged.
  const resp = await page.request.get(`${app.url}/api/v1/export/projects.xlsx`);
  assert.equal(resp.status(), 200);
  const file = join(mkdtempSync(join(tmpdir(), "zhantu-xlsx-")), "项目清单.xlsx");
  writeFileSync(file, await resp.body());
  await page.goto(`${app.url}/import`);
  await page.locator('input[type="file"]').setInputFiles(file);
  await page.getByRole("button", { name: "试导入（检查）" }).click();
  await page.waitForURL(/\/import\/runs\/\d+$/);
  await page.getByText("检查通过，没有发现错误").waitFor();
  await page.screenshot({ path: join(shots, "import-dry-run.png"), fullPage: true });
  await page.getByRole("button", { name: "确认导入" }).click();
  await page.getByText("导入完成，已记入审计日志").waitFor({ timeout: 60000 });
  await page.screenshot({ path: join(shots, "import-done.png"), fullPage: true });
  await signOut();
  assert.deepEqual(problems, []);
});
