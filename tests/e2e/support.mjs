// Shared helpers for the end-to-end suite: one browser per test file, a page that records
// every console error, page error, CSP violation and failed request, and assertions on them.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const APP = process.env.VIGIL_APP_URL ?? 'http://127.0.0.1:8080';
export const AUTHORITY = process.env.VIGIL_AUTHORITY_URL ?? 'http://127.0.0.1:8081';
export const GRAPH = process.env.VIGIL_GRAPH_URL ?? 'http://127.0.0.1:8082';
const OUT = process.env.VIGIL_E2E_OUT ?? 'target/e2e';
mkdirSync(OUT, { recursive: true });

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/// A fresh context and page whose problems are collected in `page.problems`.
export async function openPage(browser, { colorScheme = 'light', viewport = { width: 1280, height: 800 } } = {}) {
  const context = await browser.newContext({ colorScheme, viewport });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') page.problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => page.problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => {
    const failure = req.failure()?.errorText ?? '';
    // A navigation away aborts what the old page was loading; that is not a fault.
    if (!failure.includes('ERR_ABORTED')) page.problems.push(`request failed: ${req.url()} ${failure}`);
  });
  return page;
}

/// Fails the test on any console error, page error (wasm start-up failures show only here),
/// Content-Security-Policy violation (Chromium reports those as console errors) or failed request.
export function assertClean(page) {
  assert.deepEqual(page.problems, [], 'the page reported problems');
}

export async function screenshot(page, name) {
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
}

/// On the identity platform's sign-in page (the emulator's), picks the demo identity `role`
/// (`analyst`, `manager`, `eDiscovery manager`).
export async function chooseIdentity(page, role = 'analyst') {
  await page.waitForSelector('button[name="user"]', { timeout: 15000 });
  await page.click(`button[name="user"]:has-text("(${role})")`);
}

/// Opens `path` signed out, presses a sign-in button, picks `role` on the identity platform's
/// page and waits until the app shows the signed-in user back on `path`. `app` is the app's
/// origin (an extra emulator's, say).
export async function signIn(page, role = 'analyst', path = '/', app = APP) {
  await page.goto(app + path);
  await page.waitForSelector('#sign-in, #header-sign-in', { timeout: 15000 });
  await page.click((await page.$('#sign-in')) ? '#sign-in' : '#header-sign-in');
  await chooseIdentity(page, role);
  await page.waitForSelector('#account-name', { timeout: 15000 });
}

/// Everything the page keeps in Web Storage, and its address.
export async function storageDump(page) {
  return page.evaluate(() => ({
    local: Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)])),
    session: Object.fromEntries(Object.keys(sessionStorage).map((k) => [k, sessionStorage.getItem(k)])),
    url: location.href,
  }));
}

const emulators = [];

/// Starts an extra emulator with `args` (short token lifetimes, tight budgets, live alerts…)
/// serving the built app, and resolves to its origins (`{app, authority, graph}`).
export async function startEmulator(args) {
  // Relative paths are relative to the repository root, wherever node was started.
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const bin = process.env.VIGIL_EMULATOR_BIN
    ?? resolve(root, process.env.CARGO_TARGET_DIR ?? 'target', 'debug', 'vigil-emulator');
  // The emulator's bundle that `cargo xtask test` built (never dist/, which only holds what ships).
  const dist = resolve(root, process.env.VIGIL_BUNDLE_DIR ?? 'dist');
  const child = spawn(bin, ['--port', '0', '--dist', dist, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  emulators.push(child);
  const lines = createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the extra emulator did not become ready')), 30000);
    child.on('exit', (code) => reject(new Error(`the extra emulator exited (${code})`)));
    lines.on('line', (line) => {
      const m = line.match(/^VIGIL_EMULATOR_READY (.*)$/);
      if (m) { clearTimeout(timer); resolve(JSON.parse(m[1])); }
    });
  });
}

/// Stops every extra emulator this file started.
export function stopEmulators() {
  for (const e of emulators.splice(0)) e.kill('SIGTERM');
}

/// Queue URL parameters that show every alert: any status, any severity, all time.
export const ALL = 'status=&severity=&range=custom';

/// Signs in as the analyst on `app` and consents to each of `scopes` (incremental consent from
/// Settings), then opens `path`.
export async function analystWith(page, scopes, path, app = APP) {
  await signIn(page, 'analyst', '/settings', app);
  for (const scope of scopes) {
    await page.waitForSelector('#write-access');
    await page.click(`#access .request-access[data-scope="${scope}"]`);
    await chooseIdentity(page, 'analyst');
    await page.waitForSelector('#granted-scopes');
  }
  await page.goto(app + path);
}

/// Waits until the alert queue has rendered rows and finished loading.
export async function waitForRows(page) {
  await page.waitForSelector('.queue[data-state="done"] .queue-body .qrow', { timeout: 60000 });
}

/// The number in the queue's count line ("1,234 alerts").
export async function queueCount(page) {
  const text = await page.textContent('#queue-count');
  return Number(text.replace(/[^0-9]/g, ''));
}

/// The planted stories of the Contoso demo tenant, from the emulator's truth file
/// (VIGIL_TRUTH_FILE, written by `cargo xtask test`), never from anything the app is served.
export async function contosoStories() {
  const file = process.env.VIGIL_TRUTH_FILE;
  assert.ok(file, 'VIGIL_TRUTH_FILE names the emulator\'s truth file');
  const truth = JSON.parse(await readFile(file, 'utf8'));
  const contoso = Object.values(truth).find((t) => /contoso/i.test(t.name));
  assert.ok(contoso, `a Contoso tenant in the truth file (${Object.keys(truth)})`);
  assert.ok(contoso.stories.length >= 1, 'planted stories in the truth file');
  return contoso.stories;
}
