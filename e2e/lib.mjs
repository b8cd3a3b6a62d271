// Shared by the browser suite and the benchmark: start the real zhantu binary, launch
// Debian's chromium through playwright-core, sign in.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const here = dirname(fileURLToPath(import.meta.url));
export const BIN = process.env.ZHANTU_BIN || resolve(here, "..", "target", "debug", "zhantu");
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
export const PASSWORD = "Zhantu2019";

/** Starts `zhantu <args…> --listen 127.0.0.1:0` and resolves with { url, output, stop }
 * (`output()`: all it has printed so far). */
export function startZhantu(args) {
  return new Promise((ok, fail) => {
    // Read at the call: a bench names its binary after importing this module.
    const child = spawn(process.env.ZHANTU_BIN || BIN, [...args, "--listen", "127.0.0.1:0"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const timer = setTimeout(() => fail(new Error(`zhantu printed no URL in 120 s:\n${out}`)), 120_000);
    const onData = (d) => {
      out += d.toString();
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) {
        clearTimeout(timer);
        ok({ url: m[0].replace(/\/$/, ""), child, output: () => out, stop: () => child.kill("SIGTERM") });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (d) => (out += d.toString()));
    child.on("exit", (code) => fail(new Error(`zhantu exited with ${code}:\n${out}`)));
  });
}

/** Starts the demo district on a fresh data folder. */
export async function startDemo() {
  const data = mkdtempSync(join(tmpdir(), "zhantu-e2e-"));
  const app = await startZhantu(["demo", "--data", data]);
  return { ...app, stop: () => { app.stop(); rmSync(data, { recursive: true, force: true }); } };
}

/** Chromium with a fresh profile, no network besides the app, no background traffic. */
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), "zhantu-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 900 },
    locale: "zh-CN",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  return { context, close: async () => { await context.close(); rmSync(profile, { recursive: true, force: true }); } };
}

/** The folder the browser suites save their screenshots in (made if need be). */
export function screenshots() {
  const dir = join(here, "screenshots");
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Starts the demo district and a browser whose page reports, on `problems`, every page error,
 * console error and HTTP error it meets. Resolves with { app, browser, page }.
 */
export async function startWatched(problems) {
  const app = await startDemo();
  const browser = await launch();
  const page = browser.context.pages()[0] || (await browser.context.newPage());
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  return { app, browser, page };
}

/** Signs in through the login form as a user would. */
export async function signIn(page, base, username = "admin") {
  await page.goto(`${base}/`);
  await page.waitForURL(/\/login/);
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/login")), page.getByRole("button", { name: "登录" }).click()]);
}
