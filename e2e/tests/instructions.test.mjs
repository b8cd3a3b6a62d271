// 批示 in the browser: a district leader issues one on a 海门街道 project from its page, the
// street's editor replies on a phone (390×844, nothing scrolls sideways), and the leader sees
// the reply on the project page and closes the item.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
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

async function signOut() {
  await Promise.all([page.waitForURL(/\/login/), page.getByRole("button", { name: "退出" }).click()]);
}

const sideways = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

test("a leader's 批示 is answered on a phone and closed on the project page", async () => {
  await signIn(page, app.url, "lingdao");
  const list = await (await page.request.get(`${app.url}/api/v1/projects?limit=500`)).json();
  const project = list.items.find((p) => p.unit.name === "海门街道");
  assert.ok(project, "a project of 海门街道");
  await page.goto(`${app.url}/projects/${project.id}`);
  await page.getByText("批示 / 下达督办单").click();
  await page.getByLabel("批示（督办）内容").fill("请倒排工期，确保一季度开工");
  await Promise.all([page.waitForURL(/\/instructions\/\d+/), page.getByRole("button", { name: "签发", exact: true }).click()]);
  await page.getByText("已签发，并已通知责任单位").waitFor();
  const item = new URL(page.url()).pathname;
  await signOut();

  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, app.url, "haimen");
  await page.goto(`${app.url}${item}`);
  await page.getByText("请倒排工期，确保一季度开工").waitFor();
  assert.ok((await sideways()) <= 1, `the item scrolls sideways by ${await sideways()}px`);
  await page.getByLabel("回复内容").fill("已召集施工单位，1月10日前进场");
  await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "提交回复" }).click()]);
  await page.getByText("已保存").waitFor();
  await page.locator(".instr .pbadge", { hasText: "已回复" }).waitFor();
  await page.screenshot({ path: join(shots, "phone-instruction-replied.png"), fullPage: true });
  await page.goto(`${app.url}/instructions`);
  assert.ok((await sideways()) <= 1, `the list scrolls sideways by ${await sideways()}px`);
  await signOut();

  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, app.url, "lingdao");
  await page.goto(`${app.url}/projects/${project.id}#instructions`);
  const card = page.locator("article.instr", { hasText: "请倒排工期，确保一季度开工" });
  await card.getByText("已召集施工单位，1月10日前进场").waitFor();
  await Promise.all([page.waitForLoadState("load"), card.getByRole("button", { name: "办结", exact: true }).click()]);
  await page.locator(".instr .pbadge", { hasText: "已办结" }).waitFor();
  await page.screenshot({ path: join(shots, "instruction-closed.png"), fullPage: true });
  await signOut();
  assert.deepEqual(problems, []);
});
