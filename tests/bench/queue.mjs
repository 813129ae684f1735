// The alert queue's browser benchmarks (issue #6), run by `cargo xtask bench` against the emulator
// serving the release build. Prints one `BENCH {json}` line.
//
//   node tests/bench/queue.mjs first-rows [--runs N]   time from token to the first rows painted,
//                                                      each run followed by floor (a) below
//                                                      (VIGIL_TEST_TOKEN: a read token, from the
//                                                      emulator's --test-token)
//   node tests/bench/queue.mjs load --alerts N [--runs N]
//                                                      a whole-tenant load: longest main-thread task,
//                                                      scroll frame times, DOM rows, memory
//   node tests/bench/queue.mjs tasks --alerts N [--runs N]
//                                                      the same load in a Chromium Playwright does
//                                                      not drive (cdp.mjs says why): its longest
//                                                      main-thread task
//   node tests/bench/queue.mjs correlation --alerts N [--runs N]
//                                                      the correlation page in the same kind of
//                                                      Chromium: from its read's last page to the
//                                                      first cluster shown
//   node tests/bench/queue.mjs floors --alerts N [--runs N]
//                                                      floors (b) and (c): the same work done by a
//                                                      plain page with no framework and no types
//                                                      (VIGIL_TEST_TOKEN, as above)
//
// The floors (issue #18) make each browser figure a ratio measured in the same run: (a) fetch
// the first 50 alerts, JSON.parse them and put 50 rows in the DOM, run by run between the app's
// own; (b) fetch every page of the same listing (pages of 2,000, Graph's maximum; a 429 waits
// its Retry-After) and JSON.parse each; (c) scroll a plain virtualised list of as many rows, the
// same way the queue is scrolled.
//
// Every figure is taken in the page: timings from performance.now(), long tasks from a
// PerformanceObserver, memory from performance.memory and the wasm memory's size. The moment
// the token is in hand is the token response's end in the callback page's resource timing
// (cross-origin entries keep their start and end without Timing-Allow-Origin); "first rows
// painted" is the start of the frame after the one that first showed `.queue-body .qrow`
// (two requestAnimationFrame callbacks: an upper bound, at most one frame late).
import { chromium } from 'playwright-core';
import { APP, chooseIdentity } from '../e2e/support.mjs';
import { launchRaw, openRaw } from './cdp.mjs';

/// Every alert, whatever its status, severity or age (see crates/core/src/queue/filter.rs).
const ALL = '/alerts?status=&severity=&range=custom';

const args = process.argv.slice(2);
const mode = args[0];
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const textOpt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : null;
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
  // The correlation page's first cluster in the DOM.
  b.clustersSeen = null;
  const clusters = new MutationObserver(() => {
    if (document.querySelector('#clusters .cluster')) {
      b.clustersSeen = performance.now();
      clusters.disconnect();
    }
  });
  clusters.observe(document, { childList: true, subtree: true });
}

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
  '--enable-precise-memory-info', '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows'];

async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/// A fresh context signed in as the analyst and sent to `path`; returns the page once the app
/// is back on `path` with the account shown. `raw` collects the Graph alert listings' body sizes
/// (unless `bodies` is false: the first rows do not need them, and the floors' pages are not
/// watched that way either).
async function signedIn(browser, path, { bodies = true } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  const raw = { bytes: 0, responses: 0, encoded: new Set() };
  // The first full listing request, as the app sent it (the floors request the same listing).
  const listing = { url: null };
  page.on('request', (req) => {
    const u = req.url();
    if (listing.url !== null || req.method() !== 'GET' || !u.includes('/security/alerts_v2?')) return;
    // Not the quick first-screen request ($top=50).
    if (new URL(u).searchParams.get('$top') !== '50') listing.url = u;
  });
  const pending = [];
  page.on('requestfinished', (req) => {
    if (!bodies || !req.url().includes('/security/alerts_v2') || req.method() !== 'GET') return;
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
  return { context, page, problems, raw, listing, settled: () => Promise.all(pending) };
}

/// The end of the token response in the current (callback) document.
/// (An expression, so a page driven without Playwright reads it the same way.)
const TOKEN_AT = `performance.getEntriesByType('resource')
  .filter((e) => e.name.includes('/oauth2/v2.0/token')).map((e) => e.responseEnd)[0] ?? null`;

async function tokenAt(page) {
  const t = await page.evaluate(TOKEN_AT);
  if (t === null) throw new Error('no token request in this document');
  return t;
}

function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}
const round = (x) => Math.round(x * 100) / 100;

/// The app's first rows, each run followed by the floor (a) in a fresh context of the same
/// browser against the same emulator, so that the ratio compares runs taken moments apart: taken
/// in two blocks a minute apart, the app's median and the floor's moved in opposite directions
/// between bench runs with the same code (115.3 and 41.8 ms, then 137.6 and 31.0).
async function firstRows(browser, runs) {
  const bearer = process.env.VIGIL_TEST_TOKEN;
  if (!bearer) throw new Error('first-rows needs VIGIL_TEST_TOKEN (the emulator\'s --test-token) for its floor');
  const samples = [];
  const floor = [];
  let url = null;
  for (let i = 0; i < runs; i++) {
    const { context, page, problems, listing } = await signedIn(browser, ALL, { bodies: false });
    await page.waitForFunction(() => window.__bench?.firstRows !== null, null, { timeout: 60000 });
    const token = await tokenAt(page);
    const b = await page.evaluate(() => ({ seen: window.__bench.firstRowsSeen, painted: window.__bench.firstRows }));
    if (problems.length) throw new Error(problems.join('\n'));
    samples.push({ ms: b.painted - token, in_dom_ms: b.seen - token });
    await page.waitForSelector('.queue[data-state="done"]', { timeout: 60000 });
    url ??= listing.url;
    await context.close();
    if (url === null) throw new Error('the app\'s listing request was not seen');
    floor.push(round(await floorFirstRows(browser, url, bearer)));
  }
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  return {
    first_rows_ms: round(quantile(sorted, 0.5)),
    first_rows_min_ms: round(sorted[0]),
    first_rows_max_ms: round(sorted[sorted.length - 1]),
    runs: samples.map((s) => ({ ms: round(s.ms), in_dom_ms: round(s.in_dom_ms) })),
    floor_first: floor,
    listing: url,
  };
}

async function load(browser, alerts) {
  const { context, page, problems, raw, settled, listing } = await signedIn(browser, ALL);
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
  // Each run's app goes with its run, as the floors' pages do: left open, the earlier runs'
  // pages (100,000 alerts each, live refresh on) kept the browser busy under the next run, and
  // only the later runs showed long tasks.
  await context.close();
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
    listing: listing.url,
  };
}

/// `load` `runs` times: every figure of each run, and the listing the app requested.
async function loads(browser, alerts, runs) {
  const all = [];
  for (let i = 0; i < runs; i++) all.push(await load(browser, alerts));
  return { runs: all, listing: all[0].listing };
}

/// A page of the raw Chromium `cdp` (no Playwright attached, see cdp.mjs) sent to `path` and
/// signed in there as the analyst; returns once the identity platform has sent it back.
async function signedInRaw(cdp, origin, path) {
  const page = await openRaw(cdp, `(${probe})(${JSON.stringify(origin)})`);
  await page.goto(APP + path);
  await page.waitFor(`!!document.querySelector('#sign-in, #header-sign-in')`, 30000);
  await page.evaluate(`(document.querySelector('#sign-in') ?? document.querySelector('#header-sign-in')).click()`);
  // The identity platform's page: the analyst's button, as chooseIdentity picks it (its text match ignores case).
  const analyst = `[...document.querySelectorAll('button[name="user"]')].find((b) => b.textContent.toLowerCase().includes('(analyst)'))`;
  await page.waitFor(`!!${analyst}`, 30000);
  await page.evaluate(`${analyst}.click()`);
  return page;
}

/// The whole-tenant load `runs` times in a Chromium with no Playwright attached (see cdp.mjs):
/// the longest main-thread task of each run, from the token to the last row indexed, by the
/// same long-task observer as `load`.
async function tasks(alerts, runs) {
  const cdp = await launchRaw(CHROMIUM, CHROMIUM_ARGS);
  const origin = new URL(APP).origin;
  const out = [];
  try {
    for (let i = 0; i < runs; i++) {
      const page = await signedInRaw(cdp, origin, ALL);
      await page.waitFor(`!!document.querySelector('#account-name')`, 60000);
      const token = await tokenAt(page);
      await page.waitFor(`!!document.querySelector('.queue[data-state="done"] .queue-body .qrow')`, 600000, 'the load to end');
      const r = await page.evaluate(`(() => {
        const done = performance.now();
        const lt = window.__bench.longtasks.filter((e) => e.start + e.duration > ${token} && e.start < done);
        return { count: Number(document.querySelector('#queue-count').textContent.replace(/[^0-9]/g, '')),
          load_ms: done - ${token}, first_rows_ms: window.__bench.firstRows - ${token}, longtasks: lt.length, longest: Math.max(0, ...lt.map((e) => e.duration)),
          // Each long task as [its start after the token, its length], ms.
          list: lt.map((e) => [Math.round(e.start - ${token}), Math.round(e.duration)]) };
      })()`);
      if (r.count !== alerts) throw new Error(`the queue shows ${r.count} alerts, expected ${alerts}`);
      if (page.problems.length) throw new Error(page.problems.join('\n'));
      out.push({ longest_task_ms: round(r.longest), longtasks: r.longtasks, tasks: r.list, load_ms: round(r.load_ms), first_rows_ms: round(r.first_rows_ms) });
      await page.close();
    }
  } finally {
    await cdp.close();
  }
  return { runs: out };
}

/// The correlation page opened on a tenant of `alerts` alerts, `runs` times, in a Chromium no
/// test driver watches (as `tasks`): from the end of the last alert page's response to the
/// first cluster in the DOM, the wait the page's own work adds to its read of every alert.
async function correlationPage(alerts, runs) {
  const cdp = await launchRaw(CHROMIUM, CHROMIUM_ARGS);
  const origin = new URL(APP).origin;
  const out = [];
  try {
    for (let i = 0; i < runs; i++) {
      const page = await signedInRaw(cdp, origin, '/correlation');
      await page.waitFor(`window.__bench?.clustersSeen != null`, 600000, 'the clusters');
      const r = await page.evaluate(`(() => {
        const pages = performance.getEntriesByType('resource').filter((e) => e.name.includes('/security/alerts_v2'));
        const count = document.querySelector('#cluster-count')?.textContent ?? '';
        return { pages: pages.length, last: Math.max(...pages.map((e) => e.responseEnd)), first: Math.min(...pages.map((e) => e.startTime)),
          seen: window.__bench.clustersSeen, count };
      })()`);
      if (page.problems.length) throw new Error(page.problems.join('\n'));
      if (!r.count.replace(/,/g, '').includes(String(alerts))) throw new Error(`the page counts "${r.count}", expected ${alerts} alerts`);
      out.push({ after_read_ms: round(r.seen - r.last), read_ms: round(r.last - r.first), total_ms: round(r.seen - r.first), pages: r.pages });
      await page.close();
    }
  } finally {
    await cdp.close();
  }
  return { runs: out };
}

/// A fresh document of the app's origin that runs none of the app's code (its config.json: a
/// page the test served itself would not be on loopback, and Chromium refuses such a page's
/// requests to the loopback Graph). On `window.__floor`: `get` (a Graph read with `token`,
/// waiting out a 429's Retry-After, JSON.parsed) and `frame` (the next animation frame).
async function floorPage(browser, token) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${APP}/config.json`);
  await page.evaluate((token) => {
    const headers = { Authorization: `Bearer ${token}` };
    window.__floor = {
      frame: () => new Promise((res) => requestAnimationFrame(res)),
      async get(u) {
        for (;;) {
          const resp = await fetch(u, { headers });
          if (resp.status === 429) {
            await new Promise((res) => setTimeout(res, 1000 * Number(resp.headers.get('Retry-After') ?? 1)));
            continue;
          }
          if (!resp.ok) throw new Error(`${resp.status} from ${u}`);
          return JSON.parse(await resp.text());
        }
      },
    };
  }, token);
  return { context, page };
}

/// Floor (a): the first 50 alerts of the listing `url`, fetched with `token`, JSON.parsed and put
/// in the DOM as 50 rows, until the frame after the one that showed them (as the queue's
/// "painted"); in ms.
async function floorFirstRows(browser, url, token) {
  const { context, page } = await floorPage(browser, token);
  const ms = await page.evaluate(async (url) => {
    const { get, frame } = window.__floor;
    const t0 = performance.now();
    const first = new URL(url); first.searchParams.set('$top', '50');
    const body = await get(first.href);
    document.body.replaceChildren();
    const list = document.createElement('div');
    for (const a of body.value) {
      const row = document.createElement('div');
      row.textContent = `${a.severity} ${a.title} ${a.status} ${a.createdDateTime}`;
      list.append(row);
    }
    document.body.append(list);
    await frame(); await frame();
    return performance.now() - t0;
  }, url);
  await context.close();
  return ms;
}

/// Floors (b) and (c), each `runs` times, with the same token kind and listing as the app.
async function floors(browser, alerts, runs) {
  const token = process.env.VIGIL_TEST_TOKEN;
  if (!token) throw new Error('floors needs VIGIL_TEST_TOKEN (the emulator\'s --test-token)');
  const graph = process.env.VIGIL_GRAPH_URL;
  // The listing the app requested for this view (--listing, from its own run: its filter, order
  // and $count), each floor with its own page size.
  // Its path and query on this run's Graph (each run has an emulator of its own).
  const seen = new URL(textOpt('--listing') ?? `${graph}/v1.0/security/alerts_v2?$count=true`);
  const listing = new URL(seen.pathname + seen.search, graph);
  const out = { load: [], scroll: [] };
  for (let i = 0; i < runs; i++) {
    const { context, page } = await floorPage(browser, token);
    const r = await page.evaluate(async ([url, alerts]) => {
      const { get, frame } = window.__floor;
      // (b) every page of the listing, pages of 2,000, each JSON.parsed.
      const t0 = performance.now();
      let next = new URL(url); next.searchParams.set('$top', '2000'); next = next.href;
      let n = 0;
      while (next) {
        const page = await get(next);
        n += page.value.length;
        next = page['@odata.nextLink'];
      }
      const loadMs = performance.now() - t0;
      if (n !== alerts) throw new Error(`the floor read ${n} alerts, expected ${alerts}`);
      // (c) a plain virtualised list of as many rows (34 px, the queue's row height), scrolled top
      // to bottom in 300 steps, one per frame.
      document.body.replaceChildren();
      const el = document.createElement('div');
      el.style.cssText = 'height:600px;overflow:auto;position:relative';
      const spacer = document.createElement('div');
      spacer.style.height = `${alerts * 34}px`;
      const win = document.createElement('div');
      win.style.cssText = 'position:absolute;left:0;right:0';
      el.append(spacer, win);
      document.body.append(el);
      const draw = () => {
        const from = Math.floor(el.scrollTop / 34);
        win.style.top = `${from * 34}px`;
        win.replaceChildren(...Array.from({ length: 22 }, (_, i) => {
          const row = document.createElement('div');
          row.style.height = '34px';
          row.textContent = `row ${from + i}`;
          return row;
        }));
      };
      el.addEventListener('scroll', draw);
      draw();
      await frame(); await frame();
      const frames = 300;
      const step = (el.scrollHeight - el.clientHeight) / frames;
      const times = [];
      for (let i = 0; i <= frames; i++) {
        times.push(await frame());
        el.scrollTop = Math.round(step * (i + 1));
      }
      const deltas = times.slice(1).map((t, i) => t - times[i]).sort((a, b) => a - b);
      return { loadMs, deltas };
    }, [listing.href, alerts]);
    out.load.push(round(r.loadMs));
    out.scroll.push(round(quantile(r.deltas, 0.95)));
    await context.close();
  }
  return out;
}

if (mode === 'tasks' || mode === 'correlation') {
  const run = mode === 'tasks' ? tasks : correlationPage;
  const result = await run(opt('--alerts', NaN), opt('--runs', 1));
  console.log(`BENCH ${JSON.stringify({ mode, ...result })}`);
  process.exit(0);
}
const browser = await launch();
try {
  let result;
  if (mode === 'first-rows') result = await firstRows(browser, opt('--runs', 5));
  else if (mode === 'load') result = await loads(browser, opt('--alerts', NaN), opt('--runs', 1));
  else if (mode === 'floors') result = await floors(browser, opt('--alerts', NaN), opt('--runs', 5));
  else throw new Error('usage: queue.mjs first-rows [--runs N] | load --alerts N [--runs N] | tasks --alerts N [--runs N] | correlation --alerts N [--runs N] | floors --alerts N [--runs N]');
  console.log(`BENCH ${JSON.stringify({ mode, ...result })}`);
} finally {
  await browser.close();
}
