// Secure Score: the manager reads the trend, asks why it dropped, plans actions and sees what
// they would give; the analyst with the write permission records a state. The planted facts
// (regression day and control, gaps, hostile remediation) come from the emulator's truth file
// (VIGIL_TRUTH_FILE), never from anything the app is served.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { APP, launch, openPage, assertClean, screenshot, signIn, analystWith, chooseIdentity } from './support.mjs';

let browser;
let truth;
before(async () => {
  browser = await launch();
  const file = process.env.VIGIL_TRUTH_FILE;
  assert.ok(file, 'VIGIL_TRUTH_FILE names the emulator\'s truth file');
  const all = JSON.parse(await readFile(file, 'utf8'));
  const contoso = Object.values(all).find((t) => /contoso/i.test(t.name));
  assert.ok(contoso?.score, 'the Contoso tenant\'s Secure Score facts are in the truth file');
  truth = contoso.score;
});
after(async () => { await browser?.close(); });

/// Waits until the chart has been drawn more than `after` times; returns the count.
async function drawn(page, after = 0) {
  await page.waitForFunction((n) => Number(document.querySelector('#score-chart')?.dataset.draws ?? 0) > n, after, { timeout: 30000 });
  return Number(await page.getAttribute('#score-chart', 'data-draws'));
}

/// The canvas's pixels: how many are not white, and a digest of them all.
async function pixels(page) {
  return page.$eval('#score-chart', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    let hash = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i] < 250 || d[i + 1] < 250 || d[i + 2] < 250) ink += 1;
      hash = (hash * 31 + d[i] * 7 + d[i + 1] * 3 + d[i + 2]) | 0;
    }
    return { ink, hash, total: d.length / 4 };
  });
}

test('the 90-day chart is drawn, a comparison line toggles, and gaps stay gaps', async () => {
  const page = await openPage(browser);
  await signIn(page, 'manager', '/secure-score?days=90');
  const n = await drawn(page);
  const first = await pixels(page);
  assert.ok(first.ink > first.total / 50, `the canvas is not blank (${first.ink} of ${first.total} pixels inked)`);
  await screenshot(page, 'secure-score-chart');
  // Hide the all-tenants average: the picture changes and the URL says so.
  await page.click('#toggle-AllTenants');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('hide') === 'AllTenants');
  await drawn(page, n);
  const hidden = await pixels(page);
  assert.notEqual(hidden.hash, first.hash, 'hiding a comparison line changes the pixels');
  assert.ok(hidden.ink < first.ink, 'fewer pixels are inked without the line');
  // Days without a snapshot are gaps in the figures, and a -1 comparative is left out.
  for (const day of truth.gap_days) {
    const row = await page.textContent(`#score-table tr[data-day="${day}"]`);
    assert.match(row, /no snapshot/, `${day} has no snapshot`);
  }
  await page.click('#toggle-AllTenants');
  await drawn(page, n + 1);
  const headers = await page.$$eval('#score-table thead th', (ths) => ths.map((t) => t.textContent));
  const seats = headers.indexOf('Organizations of a similar size');
  assert.ok(seats > 0, `a column for the seat-count average (${headers})`);
  for (const day of truth.comparative_minus_one_days) {
    const cells = await page.$$eval(`#score-table tr[data-day="${day}"] > *`, (cs) => cs.map((c) => c.textContent));
    if (cells.length) assert.equal(cells[seats], '—', `${day}: a -1 average is not a number`);
  }
  // Exports: the picture as PNG and SVG, the figures as CSV.
  const file = async (button) => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
    return readFile(await d.path());
  };
  const png = await file('#export-png');
  assert.deepEqual([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''), 'PNG');
  const svg = (await file('#export-svg')).toString();
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.ok((svg.match(/<polyline/g) ?? []).length > 10, 'the SVG has the lines');
  const csv = (await file('#export-csv')).toString().trim().split('\n');
  assert.equal(csv.length, 91, 'a header and 90 days');
  assert.match(csv[0], /^day,Score,Max,/);
  assert.match(csv.find((l) => l.startsWith(truth.gap_days[0])), /^\d{4}-\d{2}-\d{2},,/, 'a gap day has no score');
  // Hovering a day reads its figures out.
  const box = await page.$eval('#score-chart', (c) => { const r = c.getBoundingClientRect(); return { x: r.right - 20, y: r.top + r.height / 2 }; });
  await page.mouse.move(box.x, box.y);
  await page.waitForFunction(() => /^\d{4}-\d{2}-\d{2}:/.test(document.querySelector('#chart-readout').textContent));
  assertClean(page);
});

test('the day of the planted regression names the control that lost points', async () => {
  const page = await openPage(browser);
  await signIn(page, 'manager', `/secure-score?day=${truth.regression_day}`);
  await page.waitForSelector('#change-headline');
  const lost = await page.$$eval('#change-lost li', (lis) => lis.map((li) => li.dataset.control));
  assert.ok(lost.includes(truth.regression_control), `${truth.regression_control} lost points on ${truth.regression_day} (${lost})`);
  // A control added mid-window and the deprecated one are named on their days.
  await page.selectOption('#change-day', truth.added_day);
  await page.waitForSelector(`#change-added li[data-control="${truth.added_control}"]`);
  await page.selectOption('#change-day', truth.deprecated_day);
  await page.waitForSelector(`#change-removed li[data-control="${truth.deprecated_control}"]`);
  assertClean(page);
});

test('planning two actions raises the planned score by their remaining points', async () => {
  const page = await openPage(browser);
  await signIn(page, 'manager', '/secure-score');
  await page.evaluate(() => { for (const k of Object.keys(localStorage)) if (k.startsWith('vigil.score.planned.')) localStorage.removeItem(k); });
  await page.reload();
  await page.waitForSelector('#projection-planned');
  const before = Number(await page.getAttribute('#projection-planned', 'data-tenths'));
  const picks = await page.$$eval('#actions-table tr.action-row[data-state="Default"]', (rows) => rows
    .map((r) => ({ control: r.dataset.control, remaining: Number(r.dataset.remaining || 0) }))
    .filter((r) => r.remaining > 0).slice(0, 2));
  assert.equal(picks.length, 2, 'two actions with points left');
  for (const p of picks) await page.check(`input.plan[data-control="${p.control}"]`);
  const want = before + picks[0].remaining + picks[1].remaining;
  await page.waitForFunction((w) => Number(document.querySelector('#projection-planned')?.dataset.tenths) === w, want);
  // The plan is kept in the browser.
  await page.reload();
  await page.waitForFunction((w) => Number(document.querySelector('#projection-planned')?.dataset.tenths) === w, want);
  assertClean(page);
});

test('a state update persists in the emulator and appears in the history', async () => {
  const page = await openPage(browser);
  const control = truth.jump_control;
  await analystWith(page, ['SecurityEvents.ReadWrite.All'], `/secure-score?action=${control}`);
  await page.waitForSelector('#state-form');
  assert.equal(await page.$eval('.requires-scope fieldset', (f) => f.disabled), false);
  const note = `Reviewed in the e2e run ${Date.now()}`;
  await page.selectOption('#state-select', 'Reviewed');
  await page.fill('#state-assignee', 'dana@contoso.example');
  await page.fill('#state-comment', note);
  await page.click('#state-save');
  await page.waitForSelector('#state-saved');
  await page.waitForFunction((t) => document.querySelector('#detail-history')?.textContent.includes(t), note);
  // A fresh load reads it back from the service.
  await page.reload();
  await page.waitForFunction((t) => document.querySelector('#detail-history')?.textContent.includes(t), note, { timeout: 30000 });
  assert.match(await page.textContent('#detail-state'), /Reviewed/);
  assert.match(await page.textContent(`tr.action-row[data-control="${control}"]`), /dana@contoso\.example/);
  assertClean(page);
});

test('the manager sees the state controls disabled, with the reason', async () => {
  const page = await openPage(browser);
  await signIn(page, 'manager', `/secure-score?action=${truth.jump_control}`);
  await page.waitForSelector('#state-form');
  assert.equal(await page.$eval('.requires-scope fieldset', (f) => f.disabled), true);
  assert.match(await page.textContent('.requires-scope .reason'), /SecurityEvents\.ReadWrite\.All/);
  assert.ok(await page.$eval('#state-save', (b) => b.matches(':disabled')), 'Save cannot be pressed');
  assertClean(page);
});

test('remediation HTML with script and onerror payloads renders inert', async () => {
  const page = await openPage(browser);
  const dialogs = [];
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  await signIn(page, 'manager', `/secure-score?action=${truth.hostile_remediation_control}`);
  await page.waitForSelector('#detail-remediation p');
  const pane = await page.$eval('#detail-remediation', (el) => ({
    text: el.textContent,
    elements: [...el.querySelectorAll('*')].map((e) => e.localName),
    links: [...el.querySelectorAll('a')].map((a) => a.getAttribute('href')),
    handlers: [...el.querySelectorAll('*')].flatMap((e) => [...e.attributes].map((a) => a.name)).filter((n) => n.startsWith('on')),
  }));
  assert.match(pane.text, /Raise the phishing threshold/);
  assert.match(pane.text, /the quarantine/, 'the unsafe link keeps its text');
  assert.doesNotMatch(pane.text, /alert\(/, 'script content is not shown');
  assert.deepEqual([...new Set(pane.elements)].filter((t) => !['p', 'a'].includes(t)), [], 'only paragraphs and links');
  assert.ok(pane.links.every((h) => h.startsWith('https://')), `only https links (${pane.links})`);
  assert.deepEqual(pane.handlers, []);
  assert.equal(await page.$('#action-detail script, #action-detail img'), null);
  // Give a payload the chance to fire: the pane is rebuilt when the data reloads.
  const n = await drawn(page);
  await page.click('#window-7');
  await drawn(page, n);
  assert.deepEqual(dialogs, [], 'nothing ran');
  assertClean(page);
});

test('two signed-in tenants: one chart compares their percentages', async () => {
  const page = await openPage(browser);
  await signIn(page, 'manager', '/settings');
  await page.selectOption('#add-tenant', { label: 'Fabrikam (demo)' });
  await chooseIdentity(page, 'manager');
  await page.waitForSelector('#tenant-switcher');
  await page.goto(`${APP}/secure-score`);
  await drawn(page);
  const headers = await page.$$eval('#score-table thead th', (ths) => ths.map((t) => t.textContent));
  assert.equal(headers.length, 3, `a day column and one per tenant (${headers})`);
  assert.match(await page.textContent('#score-trend h2'), /Score by tenant/);
  await screenshot(page, 'secure-score-tenants');
  assertClean(page);
});

test('the overview shows the Secure Score card', async () => {
  const page = await openPage(browser);
  await signIn(page, 'manager', '/');
  await page.waitForSelector('#score-card-current');
  assert.match(await page.textContent('#score-card-current'), /\d+\.\d\s*points/);
  assert.equal((await page.$$('#score-card-top li')).length, 3);
  assertClean(page);
});
