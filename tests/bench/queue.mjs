// The alert queue's browser benchmarks (issue #6), run by `cargo xtask bench` against the emulator
// serving the release build. Prints one `BENCH {json}` line.
//
//   node tests/bench/queue.mjs first-rows [--runs N]   time from token to the first rows painted
//   node tests/bench/queue.mjs load --alerts N         a whole-tenant load: longest main-thread task,
//                                                      scroll frame times, DOM rows, memory
//
// Every figure is taken in the page: timings from performance.now(), long tasks from a
// PerformanceObserver, memory from performance.memory and the wasm memory's size. The moment
// the token is in hand is the token response's end in the callback page's resource timing
// (cross-origin entries keep their start and end without Timing-Allow-Origin); "first rows
// painted" is the start of the frame after the one that first showed `.queue-body .qrow`
// (two requestAnimationFrame callbacks: an upper bound, at most one frame late).
import { chromium } from 'playwright-core';
import { APP, chooseIdentity } from '../e2e/support.mjs';

/// Every alert, whatever its status, severity or age (see crates/core/src/queue/filter.rs).
const ALL = '/alerts?status=&severity=&range=custom';

const args = process.argv.slice(2);
const mode = args[0];
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};

/// Installed in every document before its own scripts.
function probe(appOrigin) {
  if (location.origin !== appOrigin) return;
  const b = (window.__bench = { longtasks: [], gaps: [], wasmMemory: null, firstRowsSeen: null, firstRows: null });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch { /* not supported: the heartbeat still sees stalls */ }
  // The wasm instance's memory (whatever the bootstrap script does with it).
  for (const name of ['instantiateStreaming', 'instantiate']) {
    const orig = WebAssembly[name];
    WebAssembly[name] = async function (...a) {
      const r = await orig.apply(this, a);
      const memory = (r.instance ?? r).exports?.memory;
      if (memory instanceof WebAssembly.Memory) b.wasmMemory = memory;
      return r;
    };
  }
  // A heartbeat: the longest gap between timer callbacks, the longest a normal-priority task
  // waited (a stall, or work of higher priority), also below the long-task API's 50 ms.
  let last = performance.now();
  const beat = () => {
    const now = performance.now();
    if (now - last > 8) b.gaps.push({ start: last, duration: now - last });
    last = now;
    setTimeout(beat, 0);
  };
  setTimeout(beat, 0);
  const mo = new MutationObserver(() => {
    if (b.firstRowsSeen === null && document.querySelector('.queue-body .qrow')) {
      b.firstRowsSeen = performance.now();
      mo.disconnect();
      // The frame after the one that painted the rows (at most one frame late; a task posted
      // after the paint could wait behind the app's own higher-priority work).
      requestAnimationFrame(() => requestAnimationFrame(() => { b.firstRows = performance.now(); }));
    }
  });
  mo.observe(document, { childList: true, subtree: true });
}

async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
      '--enable-precise-memory-info', '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows'],
  });
}

/// A fresh context signed in as the analyst and sent to `path`; returns the page once the app
/// is back on `path` with the account shown. `raw` collects the Graph alert listings' body sizes.
async function signedIn(browser, path) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  const raw = { bytes: 0, responses: 0, encoded: new Set() };
  const pending = [];
  page.on('requestfinished', (req) => {
    if (!req.url().includes('/security/alerts_v2') || req.method() !== 'GET') return;
    pending.push((async () => {
      const resp = await req.response();
      const enc = resp ? (await resp.allHeaders())['content-encoding'] : undefined;
      if (enc) raw.encoded.add(enc);
      raw.bytes += (await req.sizes()).responseBodySize;
      raw.responses += 1;
    })());
  });
  await page.addInitScript(probe, new URL(APP).origin);
  await page.goto(APP + path);
  await page.waitForSelector('#sign-in, #header-sign-in', { timeout: 30000 });
  await page.click((await page.$('#sign-in')) ? '#sign-in' : '#header-sign-in');
  await chooseIdentity(page, 'analyst');
  await page.waitForSelector('#account-name', { timeout: 60000 });
  return { context, page, problems, raw, settled: () => Promise.all(pending) };
}

/// The end of the token response in the current (callback) document.
async function tokenAt(page) {
  const t = await page.evaluate(() => performance.getEntriesByType('resource')
    .filter((e) => e.name.includes('/oauth2/v2.0/token'))
    .map((e) => e.responseEnd)[0] ?? null);
  if (t === null) throw new Error('no token request in this document');
  return t;
}

function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}
const round = (x) => Math.round(x * 100) / 100;

async function firstRows(browser, runs) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const { context, page, problems } = await signedIn(browser, ALL);
    await page.waitForFunction(() => window.__bench?.firstRows !== null, null, { timeout: 60000 });
    const token = await tokenAt(page);
    const b = await page.evaluate(() => ({ seen: window.__bench.firstRowsSeen, painted: window.__bench.firstRows }));
    if (problems.length) throw new Error(problems.join('\n'));
    samples.push({ ms: b.painted - token, in_dom_ms: b.seen - token });
    await context.close();
  }
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  return {
    first_rows_ms: round(quantile(sorted, 0.5)),
    first_rows_min_ms: round(sorted[0]),
    first_rows_max_ms: round(sorted[sorted.length - 1]),
    runs: samples.map((s) => ({ ms: round(s.ms), in_dom_ms: round(s.in_dom_ms) })),
  };
}

async function load(browser, alerts) {
  const { page, problems, raw, settled } = await signedIn(browser, ALL);
  const token = await tokenAt(page);
  await page.waitForSelector('.queue[data-state="done"] .queue-body .qrow', { timeout: 600000 });
  const done = await page.evaluate(() => performance.now());
  const count = Number((await page.textContent('#queue-count')).replace(/[^0-9]/g, ''));
  if (count !== alerts) throw new Error(`the queue shows ${count} alerts, expected ${alerts}`);
  const stalls = await page.evaluate(([from, to]) => {
    const inside = (e) => e.start + e.duration > from && e.start < to;
    const b = window.__bench;
    const lt = b.longtasks.filter(inside);
    const gaps = b.gaps.filter(inside);
    return {
      longtasks: lt.length,
      longtask_max: Math.max(0, ...lt.map((e) => e.duration)),
      longtask_total: lt.reduce((s, e) => s + e.duration, 0),
      gap_max: Math.max(0, ...gaps.map((e) => e.duration)),
    };
  }, [token, done]);

  // Scroll the whole table top to bottom, one step per frame, and time the frames.
  const scroll = await page.evaluate(async () => {
    const el = document.getElementById('queue-scroll');
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    el.scrollTop = 0;
    await frame(); await frame();
    const frames = 300;
    const step = (el.scrollHeight - el.clientHeight) / frames;
    const times = [];
    let midRows = 0;
    for (let i = 0; i <= frames; i++) {
      times.push(await frame());
      if (i === frames / 2) midRows = document.querySelectorAll('.queue-body .qrow').length;
      el.scrollTop = Math.round(step * (i + 1));
    }
    const deltas = times.slice(1).map((t, i) => t - times[i]).sort((a, b) => a - b);
    return { deltas, midRows, height: el.scrollHeight };
  });
  const q = (x) => quantile(scroll.deltas, x);

  // Memory held once loaded: after a full garbage collection.
  await settled();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const mem = await page.evaluate(() => ({
    js_heap: performance.memory?.usedJSHeapSize ?? NaN,
    wasm: window.__bench.wasmMemory?.buffer.byteLength ?? NaN,
  }));
  if (problems.length) throw new Error(problems.join('\n'));
  if (raw.encoded.size) throw new Error(`compressed responses (${[...raw.encoded]}): sizes would not be raw JSON`);
  return {
    alerts: count,
    load_ms: round(done - token),
    // The long-task API's figure (0: no task of 50 ms or more). The heartbeat's longest gap is
    // reported beside it: it also counts time a timer waited behind higher-priority work.
    longest_task_ms: round(stalls.longtask_max),
    longtasks: stalls.longtasks,
    longtask_max_ms: round(stalls.longtask_max),
    longtask_total_ms: round(stalls.longtask_total),
    heartbeat_gap_max_ms: round(stalls.gap_max),
    frame_p50_ms: round(q(0.5)),
    frame_p95_ms: round(q(0.95)),
    frame_max_ms: round(scroll.deltas[scroll.deltas.length - 1]),
    frames: scroll.deltas.length,
    dom_rows_mid: scroll.midRows,
    wasm_memory_bytes: mem.wasm,
    js_heap_bytes: mem.js_heap,
    held_bytes: mem.wasm + mem.js_heap,
    raw_json_bytes: raw.bytes,
    responses: raw.responses,
  };
}

const browser = await launch();
try {
  let result;
  if (mode === 'first-rows') result = await firstRows(browser, opt('--runs', 5));
  else if (mode === 'load') result = await load(browser, opt('--alerts', NaN));
  else throw new Error('usage: queue.mjs first-rows [--runs N] | load --alerts N');
  console.log(`BENCH ${JSON.stringify({ mode, ...result })}`);
} finally {
  await browser.close();
}
