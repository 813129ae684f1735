// A Chromium driven over the DevTools protocol directly, through --remote-debugging-pipe, with
// no Playwright attached: for the measurements Playwright itself would change.
//
// Playwright enables the protocol's Network domain on every page it drives, and Chromium then
// keeps a copy of each response body for DevTools, decoding a textual one (JSON) to a string on
// the page's main thread when it finishes: 35 to 55 ms for one of the queue's 4 MB alert pages,
// which the long-task API counts as the page's own. A page opened here has only the Page and
// Runtime domains enabled, as in a browser nobody is inspecting.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/// Starts Chromium (`executable`, with `args`) and returns its protocol connection.
export async function launchRaw(executable, args) {
  const profile = mkdtempSync(join(tmpdir(), 'vigil-cdp-'));
  const proc = spawn(executable, [...args, '--headless', '--remote-debugging-pipe',
    `--user-data-dir=${profile}`, 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  const toBrowser = proc.stdio[3];
  const fromBrowser = proc.stdio[4];
  fromBrowser.setEncoding('utf8');
  const pending = new Map();
  const listeners = [];
  let nextId = 0;
  let buffered = '';
  let exited = null;
  fromBrowser.on('data', (chunk) => {
    buffered += chunk;
    for (let end = buffered.indexOf('\0'); end >= 0; end = buffered.indexOf('\0')) {
      const msg = JSON.parse(buffered.slice(0, end));
      buffered = buffered.slice(end + 1);
      if (msg.id !== undefined && pending.has(msg.id)) {
        const { resolve, reject, method } = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.error) reject(new Error(`${method}: ${msg.error.message}`));
        else resolve(msg.result);
      } else if (msg.method) {
        for (const l of listeners) l(msg);
      }
    }
  });
  proc.on('exit', (code) => {
    exited = new Error(`Chromium exited (${code}): ${stderr}`);
    for (const { reject } of pending.values()) reject(exited);
    pending.clear();
  });
  const send = (method, params = {}, sessionId = undefined) => new Promise((resolve, reject) => {
    if (exited) return reject(exited);
    const id = ++nextId;
    pending.set(id, { resolve, reject, method });
    toBrowser.write(`${JSON.stringify({ id, method, params, sessionId })}\0`);
  });
  await send('Browser.getVersion');
  return {
    send,
    on: (f) => listeners.push(f),
    async close() {
      await send('Browser.close').catch(() => {});
      await new Promise((r) => (exited ? r() : proc.once('exit', r)));
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/// A page in a browser context of its own (1280 × 800), with `script` run in every document
/// before the document's own scripts; JavaScript errors are collected in `problems`.
export async function openRaw(cdp, script) {
  const { browserContextId } = await cdp.send('Target.createBrowserContext');
  const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank', browserContextId });
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
  const send = (method, params = {}) => cdp.send(method, params, sessionId);
  const problems = [];
  cdp.on((msg) => {
    if (msg.sessionId !== sessionId) return;
    if (msg.method === 'Runtime.exceptionThrown') {
      problems.push(`page error: ${msg.params.exceptionDetails.exception?.description ?? msg.params.exceptionDetails.text}`);
    } else if (msg.method === 'Runtime.consoleAPICalled' && msg.params.type === 'error') {
      problems.push(`console error: ${msg.params.args.map((a) => a.value ?? a.description).join(' ')}`);
    }
  });
  await send('Page.enable');
  await send('Runtime.enable');
  await send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 800, deviceScaleFactor: 1, mobile: false });
  await send('Page.addScriptToEvaluateOnNewDocument', { source: script });
  /// The value of `expression` (awaited when a promise).
  const evaluate = async (expression) => {
    const r = await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
    if (r.exceptionDetails) throw new Error(`${expression}: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value;
  };
  return {
    send,
    evaluate,
    problems,
    goto: (url) => send('Page.navigate', { url }),
    /// Waits until `expression` is truthy in the current document (polled every 50 ms; a
    /// document between navigations reads as false).
    async waitFor(expression, timeoutMs, what = expression) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        if (await evaluate(expression).catch(() => false)) return;
        if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => cdp.send('Target.disposeBrowserContext', { browserContextId }),
  };
}
