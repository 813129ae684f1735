// The eDiscovery page in headless Chromium (issue #14), run by `cargo xtask bench` against the
// emulator serving the bundle built with the `ediscovery-page` feature. Prints one
// `BENCH {json}` line.
//
// Each run, in a fresh context: the eDiscovery manager signs in on /ediscovery, consents to read
// cases and waits for the case list; then opens the first case and waits for its operations,
// custodians and searches. Measured per run:
// - from the click on the case to its operations table painted, on the page's own clock
//   (performance.now() at the click, and the frame after the one that first showed an
//   operation's row);
// - the eDiscovery requests the emulator received (its own request log) to show the case list,
//   and then to show the case page.
//
//   node tests/bench/ediscovery.mjs [--runs N]
import { chromium } from 'playwright-core';
import { APP, chooseIdentity } from '../e2e/support.mjs';

const GRAPH = process.env.VIGIL_GRAPH_URL;
const args = process.argv.slice(2);
const at = args.indexOf('--runs');
const runs = at >= 0 ? Number(args[at + 1]) : 5;
if (!(runs > 0)) throw new Error(`--runs takes a number of runs (${args[at + 1]})`);

/// How many eDiscovery requests the emulator has received so far.
async function spent() {
  const resp = await fetch(`${GRAPH}/_emulator/requests?family=ediscovery`);
  if (!resp.ok) throw new Error(`the emulator's request log: ${resp.status}`);
  return (await resp.json()).value.length;
}

async function run(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  await page.goto(`${APP}/ediscovery`);
  await page.click('#sign-in');
  await chooseIdentity(page, 'eDiscovery manager');
  await page.waitForSelector('#ediscovery-no-access', { timeout: 30000 });
  const atStart = await spent();
  await page.click('#ediscovery-no-access .request-access[data-scope="eDiscovery.Read.All"]');
  await chooseIdentity(page, 'eDiscovery manager');
  await page.waitForSelector('#case-list tbody tr', { timeout: 30000 });
  const afterList = await spent();

  await page.evaluate(() => {
    window.__case = null;
    const link = document.querySelector('#case-list tbody tr td a');
    link.addEventListener('click', () => {
      const clicked = performance.now();
      const mo = new MutationObserver(() => {
        if (!document.querySelector('#operations tbody tr')) return;
        mo.disconnect();
        requestAnimationFrame(() => requestAnimationFrame(() => {
          window.__case = { ms: performance.now() - clicked };
        }));
      });
      mo.observe(document, { childList: true, subtree: true });
    }, { capture: true, once: true });
  });
  await page.click('#case-list tbody tr td a');
  await page.waitForFunction(() => window.__case !== null, null, { timeout: 60000 });
  const { ms } = await page.evaluate(() => window.__case);
  // The whole case page: custodians and searches too.
  await page.waitForSelector('#custodians tbody tr', { timeout: 60000 });
  await page.waitForSelector('#searches tbody tr', { timeout: 60000 });
  const afterCase = await spent();
  if (problems.length) throw new Error(problems.join('\n'));
  await context.close();
  return { open_ms: Math.round(ms * 10) / 10, list_requests: afterList - atStart, case_requests: afterCase - afterList };
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run'],
});
try {
  const all = [];
  for (let i = 0; i < runs; i++) all.push(await run(browser));
  console.log(`BENCH ${JSON.stringify({ runs: all })}`);
} finally {
  await browser.close();
}
