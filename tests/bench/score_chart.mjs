// The Secure Score chart's render time in headless Chromium, run by `cargo xtask bench`
// against the emulator serving the release build. Prints one `BENCH {json}` line.
//
// The 90-day chart with every series: the score, the three comparison averages, the planned
// and achievable levels and the zones. The page times each draw itself (performance.now()
// around the plotters drawing, `data-render-us` on the canvas); changing a zone redraws the
// same series, so the median of many redraws is taken.
import { chromium } from 'playwright-core';
import { APP, chooseIdentity } from '../e2e/support.mjs';

const RUNS = 30;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${APP}/secure-score?days=90`);
  await page.click('#sign-in');
  await chooseIdentity(page, 'manager');
  await page.waitForSelector('#score-chart[data-draws]', { timeout: 30000 });
  // Plan the first two actions, so the planned level is drawn too.
  await page.check('#actions-table tr.action-row:nth-child(1) input.plan');
  await page.check('#actions-table tr.action-row:nth-child(2) input.plan');
  const lines = await page.$$eval('.chart-lines input[type=checkbox]:checked', (xs) => xs.length);
  if (lines < 3) throw new Error(`every comparison line should be shown (${lines})`);
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const before = Number(await page.getAttribute('#score-chart', 'data-draws'));
    await page.fill('#zone-fair', String(30 + (i % 2)));
    await page.press('#zone-fair', 'Enter');
    await page.$eval('#zone-fair', (e) => e.dispatchEvent(new Event('change', { bubbles: true })));
    await page.waitForFunction((n) => Number(document.querySelector('#score-chart').dataset.draws) > n, before);
    times.push(Number(await page.getAttribute('#score-chart', 'data-render-us')) / 1000);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`BENCH ${JSON.stringify({ render_ms: median, max_ms: times[times.length - 1], runs: RUNS })}`);
} finally {
  await browser.close();
}
